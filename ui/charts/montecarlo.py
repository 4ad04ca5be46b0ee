"""The drill against simulated replications (Monte Carlo): where did this drill land?

For each chosen value (keys of :meth:`Scorecard.values`, e.g. ``clock.arrive.p90``): the
histogram of the value over the replications' scorecards, the drill's own value as a thick
line, and its percentile from :func:`evaluators.percentiles_against` (the evaluators' numbers;
nothing is recomputed here).
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure

from evaluators.baseline import Baseline, BaselineEntry
from evaluators.scorecard import Scorecard
from ui.charts.fonts import PAGE_WIDTH_IN, new_figure
from ui.charts.labels import Lang, tr

DEFAULT_KEYS = ("clock.take_alarm.compliance", "clock.arrive.compliance",
                "clock.handle.compliance", "clock.arrive.p90", "clock.handle.p90",
                "report.first_delay")


STAT_KEYS = ("compliance", "p50", "p90", "mean", "max", "n", "n_met")


def value_name(card: Scorecard, key: str, lang: Lang) -> str:
    """A readable name for a value key (clock statistic or metric)."""
    parts = key.split(".")
    if parts[0] == "clock" and len(parts) == 3 and parts[1] in card.clocks:
        c = card.clocks[parts[1]]
        stat = tr(f"mc.stat.{parts[2]}", lang) if parts[2] in STAT_KEYS else parts[2]
        return f"{c.name_zh if lang == 'zh' else c.name_en} · {stat}"
    m = card.metrics.get(key)
    if m is not None:
        return m.name_zh if lang == "zh" else m.name_en
    return key


def better_than(e: BaselineEntry) -> float:
    """Share (%) of simulated runs this drill did better than (ties count half), whichever way
    "better" points for the value (higher compliance, shorter minutes)."""
    return e.percentile if e.higher_is_better else 100.0 - e.percentile


def montecarlo_chart(card: Scorecard, replications: Sequence[Scorecard], baseline: Baseline,
                     *, lang: Lang = "zh", keys: Sequence[str] | None = None) -> Figure:
    """One panel per value: the replications' histogram with the drill's value marked."""
    wanted = [k for k in (keys or DEFAULT_KEYS) if k in baseline.entries]
    if not wanted:
        fig = new_figure(8, 2)
        fig.text(0.5, 0.5, tr("mc.no_data", lang), ha="center", va="center")
        return fig
    cols = min(3, len(wanted))
    rows = -(-len(wanted) // cols)
    fig = new_figure(PAGE_WIDTH_IN, 2.2 * rows + 0.6)
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    reps = [r.values() for r in replications]
    for ax, key in zip(axes, wanted, strict=False):
        e = baseline.entries[key]
        sample = np.array([rv[key] for rv in reps if key in rv], dtype=float)
        lo, hi = min(sample.min(), e.value), max(sample.max(), e.value)
        span = hi - lo or 1.0
        bins = np.linspace(lo - 0.05 * span, hi + 0.05 * span, 16)
        counts, _, _ = ax.hist(sample, bins=bins, color="#c6d4e6", edgecolor="white")
        # headroom above the tallest bar for the note (it was written across the bars)
        ax.set_ylim(0, max(float(np.max(counts)), 1.0) * (1.5 if lang == "zh" else 1.75))
        ax.axvline(e.value, color="#d62728", lw=2.5)
        # beside the line, on the side with more room, inside the panel: a note that ran out
        # past the panel made the layout shrink every panel (and cut the English titles)
        x0, x1 = ax.get_xlim()
        right_half = (e.value - x0) / ((x1 - x0) or 1.0) > 0.5
        note = tr("mc.percentile", lang, p=better_than(e))
        note = note if lang == "zh" else textwrap.fill(note, 18)
        ax.annotate(tr("mc.this_drill", lang) + "\n" + note, (e.value, 1.0),
                    xycoords=ax.get_xaxis_transform(), xytext=(-3 if right_half else 3, -1),
                    textcoords="offset points", color="#d62728", fontsize=7, va="top",
                    ha="right" if right_half else "left", annotation_clip=False,
                    bbox={"boxstyle": "square,pad=0.15", "facecolor": "white", "alpha": 0.85,
                          "edgecolor": "none"}).set_in_layout(False)
        ax.set_title(textwrap.fill(value_name(card, key, lang), 14 if lang == "zh" else 34),
                     fontsize=7.5)
        ax.tick_params(labelsize=7)
        ax.yaxis.get_major_locator().set_params(integer=True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    for ax in axes[len(wanted):]:
        ax.set_axis_off()
    fig.suptitle(f"{tr('mc.title', lang)} · {tr('mc.replications', lang)} "
                 f"{baseline.replications}", x=0.01, ha="left", fontsize=12)
    return fig
