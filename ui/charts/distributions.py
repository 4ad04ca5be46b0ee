"""Response-time distributions: for each clock, a histogram and an ECDF against its limit.

Values are the scorecard's per-incident clock values (``Scorecard.incidents[*].clocks``: the
worst instance of each incident). Only measured durations are drawn: an instance whose stop
event never came has no duration — the ones past their limit ("not done in time") lift the
ECDF's denominator (the curve stays below 1) and are counted in the panel, open ones (limit
not passed yet) are only counted. The red dashed line is the clock's limit; the compliance
printed in each panel is the scorecard's own.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure

from evaluators.scorecard import Scorecard
from ui.charts.fonts import PAGE_WIDTH_IN, new_figure
from ui.charts.labels import Lang, percent, tr

LIMIT_COLOUR = "#b22222"


def clock_values(card: Scorecard, clock: str) -> tuple[list[float], int, int]:
    """Measured per-incident durations (minutes) of ``clock``, and how many instances have
    none: breached without the stop event, and open (not assessable yet)."""
    vals: list[float] = []
    unstopped = n_open = 0
    for inc in card.incidents.values():
        c = inc.clocks.get(clock)
        if c is None:
            continue
        if c["value"] is not None:
            vals.append(float(c["value"]))
        elif c["status"] == "open":
            n_open += 1
        else:
            unstopped += 1
    return vals, unstopped, n_open


def default_clocks(card: Scorecard) -> list[str]:
    """Incident-scoped clocks of the scorecard that have at least one instance, in order."""
    return [cid for cid, c in card.clocks.items()
            if c.available and c.scope == "incident" and c.n > 0
            and not cid.startswith("report_")]


def distributions_chart(card: Scorecard, *, lang: Lang = "zh",
                        clocks: Sequence[str] | None = None) -> Figure:
    """Histogram (top) and ECDF (bottom) per clock, with the limit drawn in each."""
    ids = list(clocks) if clocks is not None else default_clocks(card)
    if not ids:
        fig = new_figure(8, 2)
        fig.text(0.5, 0.5, tr("dist.no_data", lang), ha="center", va="center")
        return fig
    fig = new_figure(PAGE_WIDTH_IN, 4.6)
    axes = fig.subplots(2, len(ids), squeeze=False)
    for k, cid in enumerate(ids):
        summary = card.clocks[cid]
        vals, unstopped, n_open = clock_values(card, cid)
        limit = summary.limit_min
        name = summary.name_zh if lang == "zh" else summary.name_en
        ah, ae = axes[0, k], axes[1, k]
        ah.set_title(textwrap.fill(name, 9 if lang == "zh" else 20), fontsize=7.5)
        if not vals and not unstopped:
            for a in (ah, ae):
                a.text(0.5, 0.5, tr("dist.no_data", lang), ha="center", va="center",
                       transform=a.transAxes)
            continue
        v = np.asarray(vals, dtype=float)
        hi = max(float(v.max()) if len(v) else 0.0, limit) * 1.08
        bins = np.linspace(0.0, hi, min(20, max(6, len(v) + 2)))
        counts_, _, _ = ah.hist(v, bins=bins, color="#4c78a8", edgecolor="white",
                                linewidth=0.5)
        ah.set_ylim(0, max(1.0, float(np.max(counts_, initial=0))) * 1.18)  # room for the label
        ah.axvline(limit, color=LIMIT_COLOUR, ls="--", lw=1.3)
        # the label on the side of the line with more room, so it stays inside its panel
        right = limit > 0.5 * hi
        label = tr("dist.limit", lang, limit=limit)
        ah.text(limit, 0.99, label + " " if right else " " + label, color=LIMIT_COLOUR,
                fontsize=6.5, va="top", ha="right" if right else "left",
                transform=ah.get_xaxis_transform(), clip_on=False,
                bbox={"fc": "white", "ec": "none", "alpha": 0.8, "pad": 0.4}
                ).set_in_layout(False)
        if k == 0:
            ah.set_ylabel(tr("dist.count", lang), fontsize=8)
        ah.yaxis.get_major_locator().set_params(integer=True)
        xs = np.sort(v)
        ys = np.arange(1, len(xs) + 1) / (len(xs) + unstopped)
        ae.step(np.r_[0.0, xs], np.r_[0.0, ys], where="post", color="#4c78a8", lw=1.6)
        ae.axvline(limit, color=LIMIT_COLOUR, ls="--", lw=1.3)
        ae.set_ylim(0, 1.05)
        if k == 0:
            ae.set_ylabel(tr("dist.ecdf", lang), fontsize=8)
        ae.set_xlabel(tr("dist.minutes", lang), fontsize=8)
        counts = "".join(
            "\n" + tr(key, lang, n=k) for key, k in (("dist.unstopped", unstopped),
                                                     ("dist.open", n_open)) if k)
        ae.text(0.97, 0.06, tr("dist.compliance", lang, rate=percent(summary.compliance, lang))
                + f"\nn = {summary.n}" + counts, transform=ae.transAxes, ha="right", va="bottom",
                fontsize=6.5, bbox={"fc": "white", "ec": "#cccccc", "boxstyle": "round,pad=0.3"})
        for a in (ah, ae):
            a.set_xlim(0, hi)
            a.tick_params(labelsize=7)
            a.grid(color="#eeeeee", lw=0.6)
            a.set_axisbelow(True)
            for side in ("top", "right"):
                a.spines[side].set_visible(False)
    fig.suptitle(tr("dist.title", lang), x=0.01, ha="left", fontsize=12)
    return fig
