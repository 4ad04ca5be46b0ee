"""Report timeliness (首报/续报/终报) per incident, against the reporting limits by grade.

One row per incident; x is minutes after the incident occurred (log events only). Markers are
every ``report_submitted`` (▲ first, ■ follow-up, ● final; hollow = phone, filled = written);
a stage never reported is listed at the right (a follow-up only while no final report closed
the incident). Short red bars are the limits of the
``report-by-grade`` pack clocks that apply to the incident's worst grade (rule-pack data); with
the scorecard (``card``), each bar is at the clock's own deadline — a grade clock starts when the
incident reached the grade (its escalation), not at the occurrence.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from evaluators.rules import RulePack, load_pack
from evaluators.scorecard import Scorecard
from scenarios.region import Region
from ui.charts.fonts import PAGE_WIDTH_IN, new_figure
from ui.charts.labels import Lang, grade_name, place_name, stage_name, tr
from ui.charts.logview import LogView, view_log
from ui.charts.timeline import STAGE_COLOURS, STAGE_MARKERS

GRADE_ORDER = ("I", "II", "III", "IV")


def _worst(grades: list[str]) -> str | None:
    known = [g for g in grades if g in GRADE_ORDER]
    return min(known, key=GRADE_ORDER.index) if known else None


def missing_stages(done: set[str]) -> list[str]:
    """Stages to flag as never reported: a follow-up is owed only while no final report has
    closed the incident (a quick incident goes from first straight to final)."""
    out = [s for s in ("first", "final") if s not in done]
    if "followup" not in done and "final" not in done:
        out.insert(1 if "first" in out else 0, "followup")
    return out


def timeliness_chart(records: Sequence[dict[str, Any]] | LogView, region: Region | None = None,
                     *, lang: Lang = "zh", pack: RulePack | None = None,
                     card: Scorecard | None = None) -> Figure:
    """Reports per incident against the grade's reporting limits (see module docstring)."""
    view = records if isinstance(records, LogView) else view_log(records)
    pack = pack or load_pack("report-by-grade")
    tracks = [t for t in view.incidents if t.occurred is not None]
    fig = new_figure(PAGE_WIDTH_IN, 1.8 + 0.36 * max(len(tracks), 2))
    ax = fig.add_subplot()
    if not tracks:
        ax.text(0.5, 0.5, tr("timeline.none", lang), ha="center", va="center",
                transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    xmax = 10.0
    limits: list[tuple[int, float, float]] = []  # (row, deadline, limit) of each red bar
    for y, trk in enumerate(tracks):
        occ = float(trk.occurred or 0.0)
        worst = _worst(trk.grades)
        inc_clocks = card.incidents[trk.incident].clocks \
            if card is not None and trk.incident in card.incidents else None
        for c in pack.clocks:
            if inc_clocks is not None:  # the scorecard's own instance and deadline
                if c.id not in inc_clocks:
                    continue
                at = float(inc_clocks[c.id]["deadline"]) - occ
            elif c.scope == "incident" and (not c.where.grade or worst in c.where.grade):
                at = c.limit_min
            else:
                continue
            ax.plot([at, at], [y - 0.35, y + 0.35], color="#b22222", lw=2)
            limits.append((y, at, c.limit_min))
            xmax = max(xmax, at)
        for r in trk.reports:
            dt = r.t - occ
            xmax = max(xmax, dt)
            filled = r.channel != "phone"
            col = STAGE_COLOURS.get(r.stage, "grey")
            ax.plot([dt], [y], marker=STAGE_MARKERS.get(r.stage, "x"), ms=8, ls="none",
                    mec=col, mfc=col if filled else "white", mew=1.5)
        done = {r.stage for r in trk.reports}
        missing = [stage_name(s, lang) for s in missing_stages(done)]
        if missing:
            ax.annotate(tr("stage.missing", lang) + ": " + ("、" if lang == "zh" else ", ").join(missing), (1.0, y),
                        xycoords=("axes fraction", "data"), xytext=(4, 0),
                        textcoords="offset points", fontsize=7.5, color="#b22222",
                        va="center")
    _limit_labels(ax, limits, xmax * 1.05)
    labels = [f"{t.incident} {place_name(region, t.township, lang)} "
              f"{grade_name(_worst(t.grades) or '', lang)}" for t in tracks]
    ax.set_yticks(range(len(tracks)), labels, fontsize=8)
    ax.set_ylim(len(tracks) - 0.5, -0.7)
    ax.set_xlim(0, xmax * 1.05)
    ax.set_xlabel(tr("timeliness.xlabel", lang), fontsize=9)
    ax.grid(axis="x", color="#eeeeee")
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    handles = [Line2D([], [], marker=STAGE_MARKERS[s], color=STAGE_COLOURS[s], ls="none", ms=7,
                      label=stage_name(s, lang)) for s in ("first", "followup", "final")]
    handles += [Line2D([], [], marker="o", mfc="white", mec="#555555", ls="none", ms=7,
                       label=tr("timeliness.phone", lang)),
                Line2D([], [], marker="o", color="#555555", ls="none", ms=7,
                       label=tr("timeliness.written", lang)),
                Line2D([], [], color="#b22222", lw=2, label=tr("timeliness.limit", lang))]
    # six entries in a row fit in Chinese; the English names take two rows of three
    fig.legend(handles=handles, loc="outside lower center", ncol=6 if lang == "zh" else 3,
               fontsize=8, frameon=False)
    fig.suptitle(tr("timeliness.title", lang), x=0.01, ha="left", fontsize=12)
    return fig


def _limit_labels(ax: Any, limits: list[tuple[int, float, float]], span: float) -> None:
    """The minutes above each red bar, starting at it. Bars of one row closer than ~4 % of
    the axis (a 35-min clock started by an escalation and the 60-min one started by the
    occurrence, 0.6 min apart) share one label, ``35/60``, instead of two printed over each
    other."""
    by_row: dict[int, list[tuple[float, float]]] = {}
    for y, at, limit in limits:
        by_row.setdefault(y, []).append((at, limit))
    for y, bars in by_row.items():
        bars.sort()
        groups: list[list[tuple[float, float]]] = []
        for bar in bars:
            if groups and bar[0] - groups[-1][-1][0] < 0.04 * span:
                groups[-1].append(bar)
            else:
                groups.append([bar])
        for g in groups:  # from the group's first bar to the right: clear of the bar before
            text = "/".join(f"{m:g}" for m in sorted(dict.fromkeys(m for _, m in g)))
            ax.annotate(text, (g[0][0], y - 0.35), xytext=(-2, 1),
                        textcoords="offset points", fontsize=6.5, color="#b22222",
                        ha="left", va="bottom")
