"""Timeline (Gantt) of each incident: alarm, units' turn-out, travel and time on scene, reports.

One panel per incident. The top row is the incident itself: when it occurred (◆), the alarm
ringing until it was taken (red bar), the scene made visible at the command post (○) and the
moment it was under control (★). The second row holds the reports (▲ first, ■ follow-up,
● final). Below, one row per
unit in dispatch order: turn-out (order → vehicles leave), travel, on scene (until released;
open bars are hatched). Dashed vertical lines are the rule pack's limits (e.g. 1-10-15) placed
from the events that start each clock; an arrival or control left of its line met the limit.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from evaluators.rules import RulePack, load_pack
from scenarios.region import Region
from ui.charts.fonts import PAGE_WIDTH_IN, new_figure
from ui.charts.labels import (
    Lang,
    grade_name,
    incident_type_name,
    place_name,
    stage_name,
    tr,
    unit_label,
)
from ui.charts.logview import IncidentTrack, LogView, UnitTrack, view_log
from ui.charts.names import story_time
from ui.charts.placement import text_size

COLOURS = {"alarm": "#d62728", "turnout": "#f2a541", "travel": "#4c78a8",
           "on_scene": "#59a14f", "limit": "#7f0000", "life": "#bbbbbb"}
STAGE_MARKERS = {"first": "^", "followup": "s", "final": "o"}
STAGE_COLOURS = {"first": "#9467bd", "followup": "#17becf", "final": "#2f2f2f"}
#: log event kinds whose first time on a track starts a clock drawn as a limit line
_START_OF: dict[str, str] = {"incident_occurred": "occurred", "alarm_raised": "alarm_raised",
                             "alarm_taken": "alarm_taken", "unit_arrived": "first_arrival"}


@dataclass(frozen=True)
class LimitMark:
    """A limit line: the clock ``label`` started at ``start`` and allows ``limit`` minutes."""

    clock: str
    label: str
    start: float
    limit: float

    @property
    def at(self) -> float:
        """Where the line is drawn (drill minutes)."""
        return self.start + self.limit


def limit_marks(track: IncidentTrack, pack: RulePack, lang: Lang = "zh") -> list[LimitMark]:
    """Limit lines of ``pack``'s incident clocks that start at the first event of a kind.

    Clocks filtered by payload, unit kind or incident attributes are skipped (their start is
    not simply "the first event of the incident"); the scorecard's values cover them.
    """
    out: list[LimitMark] = []
    for c in pack.clocks:
        if c.scope != "incident" or c.start.data or c.start.unit_kinds or c.start.pick != "first":
            continue
        w = c.where
        if w.category or w.template or w.requires or (w.grade and track.grade not in w.grade):
            continue
        attr = _START_OF.get(c.start.kind)
        start = getattr(track, attr) if attr else None
        if start is None:
            continue
        name = c.name_zh if lang == "zh" else f"{c.limit_min:g} min ({c.id.replace('_', ' ')})"
        out.append(LimitMark(c.id, name, float(start), float(c.limit_min)))
    return out


def unit_segments(u: UnitTrack, incident_stop: float, track_end: float,
                  ) -> list[tuple[str, float, float, bool]]:
    """The bars of one unit: (segment, start, end, open) for turn-out, travel and on scene.

    Every bar ends at the next event of the unit; the unit's last bar ends at its release
    (``unit_released``) — also when it was recalled on the way, before arriving. A unit never
    released stays on scene until the incident's control (or unresolved end), and a bar whose
    end never came is *open* (drawn hatched) and runs to ``track_end``."""
    out: list[tuple[str, float, float, bool]] = []
    if u.dispatched is None:
        return out
    rel = u.released
    steps = [("turnout", u.dispatched, u.mobilised), ("travel", u.mobilised, u.arrived)]
    for name, a, b in steps:
        if a is None:
            break
        if b is None:
            if rel is not None:
                out.append((name, a, max(rel, a), False))
            else:
                out.append((name, a, track_end, True))
            return out
        out.append((name, a, b, False))
    if u.arrived is not None:
        if rel is not None:
            out.append(("on_scene", u.arrived, max(rel, u.arrived), False))
        else:
            out.append(("on_scene", u.arrived, max(incident_stop, u.arrived), True))
    return out


def _incident_title(tr_: IncidentTrack, region: Region | None, lang: Lang) -> str:
    parts = [tr_.incident, place_name(region, tr_.township, lang)]
    if tr_.grade:
        grades = [g for i, g in enumerate(tr_.grades) if i == 0 or g != tr_.grades[i - 1]]
        parts.append(" → ".join(grade_name(g, lang) for g in grades))
    kind = incident_type_name(tr_.template, tr_.category, lang)
    if kind:
        parts.append(kind)
    return " · ".join(p for p in parts if p)


#: the width (points) a panel's plot gets beside its row labels, for spacing the limit labels
PLOT_WIDTH_PT = (PAGE_WIDTH_IN - 2.4) * 72


def _stagger(marks: Sequence[LimitMark], span: float) -> list[int]:
    """Label level (0, 1, 2 …) per limit mark: a label that would start inside the one before
    it on its level (each runs to the right of its line, its width estimated from its text:
    "1 min (take alarm)" covered "10 min (arrive)") goes a level up."""
    levels: list[int] = []
    placed: list[tuple[float, float, int]] = []  # (start, end) in minutes, level
    for m in sorted(marks, key=lambda m: m.at):
        width = (text_size(m.label, 7)[0] + 4) / PLOT_WIDTH_PT * span
        near = {lvl for _, stop, lvl in placed if m.at < stop}
        lvl = next(i for i in range(len(marks) + 1) if i not in near)
        placed.append((m.at, m.at + width, lvl))
    order = sorted(range(len(marks)), key=lambda i: marks[i].at)
    levels = [0] * len(marks)
    for (_, _, lvl), i in zip(placed, order, strict=True):
        levels[i] = lvl
    return levels


def _draw_incident(ax: Axes, tr_: IncidentTrack, region: Region | None, drill_end: float,
                   marks: Sequence[LimitMark], lang: Lang) -> None:
    units = sorted(tr_.units.values(), key=lambda u: (u.dispatched or 0.0, u.seq))
    end = tr_.end(drill_end)
    labels = [tr("timeline.incident_row", lang), tr("timeline.reports_row", lang)] + [
        unit_label(region, u.unit, lang) + (" *" if u.mutual_aid else "") for u in units]
    h = 0.6
    # row 0: the incident
    stop = tr_.controlled or tr_.unresolved or end
    ax.broken_barh([(tr_.start, max(stop - tr_.start, 0.01))], (-0.08, 0.16),
                   color=COLOURS["life"])
    if tr_.alarm_raised is not None:
        taken = tr_.alarm_taken if tr_.alarm_taken is not None else end
        ax.broken_barh([(tr_.alarm_raised, max(taken - tr_.alarm_raised, 0.05))], (-h / 2, h),
                       color=COLOURS["alarm"])
    if tr_.occurred is not None:
        ax.plot([tr_.occurred], [0], marker="D", color="black", ms=5, ls="none")
    if tr_.scene_visible is not None:
        ax.plot([tr_.scene_visible], [0], marker="o", mfc="white", mec="#555555", ms=8, mew=1.5,
                ls="none")
    if tr_.controlled is not None:
        ax.plot([tr_.controlled], [0], marker="*", color="#2ca02c", mec="black", mew=0.5, ms=13,
                ls="none")
    elif tr_.unresolved is not None:
        ax.annotate(tr("timeline.unresolved", lang), xy=(tr_.unresolved, 0), xytext=(-4, 6),
                    textcoords="offset points", ha="right", va="bottom", fontsize=7,
                    color=COLOURS["alarm"])
    # row 1: reports
    for r in tr_.reports:
        ax.plot([r.t], [1], marker=STAGE_MARKERS.get(r.stage, "x"),
                color=STAGE_COLOURS.get(r.stage, "grey"), ms=7, ls="none")
    # rows 2…: units
    for y, u in enumerate(units, start=2):
        for name, a, b, open_bar in unit_segments(u, stop, end):
            ax.broken_barh([(a, max(b - a, 0.05))], (y - h / 2, h), facecolor=COLOURS[name],
                           hatch="////" if open_bar else None,
                           edgecolor="#ffffff" if open_bar else COLOURS[name], linewidth=0)
        if u.released is not None and u.arrived is None:  # recalled before reaching the scene
            ax.plot([u.released], [y], marker="x", color="#333333", ms=6, mew=1.5, ls="none")
    # limit lines, labels staggered when close
    lo = min([tr_.start, *(m.start for m in marks)])
    hi = max([end, *(m.at for m in marks)])
    pad = max((hi - lo) * 0.03, 0.5)
    for m, lvl in zip(marks, _stagger(marks, hi - lo + 2 * pad), strict=True):
        ax.axvline(m.at, color=COLOURS["limit"], ls="--", lw=1.1, zorder=0.5)
        ax.annotate(m.label, xy=(m.at, 1.0), xycoords=("data", "axes fraction"),
                    xytext=(2, 1 + 9 * lvl), textcoords="offset points", fontsize=7,
                    color=COLOURS["limit"], va="bottom", ha="left", annotation_clip=False)
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    ax.set_ylim(len(labels) - 0.5, -0.6)
    ax.set_xlim(lo - pad, hi + pad)
    ax.grid(axis="x", color="#e5e5e5", lw=0.6)
    ax.set_axisbelow(True)
    levels = max(_stagger(marks, hi - lo + 2 * pad), default=0) + 1 if marks else 0
    # wrapped to the panel (a grade change and an English incident type ran off the page)
    ax.set_title(textwrap.fill(_incident_title(tr_, region, lang), 36 if lang == "zh" else 66,
                               break_long_words=False), loc="left", fontsize=10,
                 pad=4 + 9 * levels)
    ax.tick_params(axis="x", labelsize=8)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _legend_handles(lang: Lang) -> list[Any]:
    handles: list[Any] = [Patch(color=COLOURS[k], label=tr(f"timeline.{k}", lang))
                          for k in ("alarm", "turnout", "travel", "on_scene")]
    handles.append(Line2D([], [], marker="D", color="black", ls="none", ms=5,
                          label=tr("timeline.occurred", lang)))
    handles.append(Line2D([], [], marker="*", color="#2ca02c", mec="black", ls="none", ms=11,
                          label=tr("timeline.controlled", lang)))
    handles.append(Line2D([], [], marker="o", mfc="white", mec="#555555", ls="none", ms=7,
                          label=tr("timeline.scene_visible", lang)))
    for st, mk in STAGE_MARKERS.items():
        handles.append(Line2D([], [], marker=mk, color=STAGE_COLOURS[st], ls="none", ms=6,
                              label=stage_name(st, lang)))
    handles.append(Line2D([], [], color=COLOURS["limit"], ls="--",
                          label=tr("timeline.limit_legend", lang)))
    handles.append(Patch(facecolor="#9e9e9e", hatch="////", edgecolor="white",
                         label=tr("timeline.open", lang)))
    handles.append(Line2D([], [], marker="x", color="#333333", ls="none", ms=6, mew=1.5,
                          label=tr("timeline.recalled", lang)))
    handles.append(Patch(color=COLOURS["life"], label=tr("timeline.life", lang)))
    handles.append(Line2D([], [], ls="none", label=tr("timeline.mutual_aid", lang)))
    return handles


#: the tallest a timeline figure may be, inches (= on the page: its width is the page's): an
#: A4 page's 25.7 cm between 2 cm margins, less its caption
MAX_HEIGHT_IN = 9.6
#: the figure's title, axis label and legend, inches
_FRAME_IN = 1.5


def panel_height(track: IncidentTrack) -> float:
    """The height of one incident's panel, inches: a row per unit, the incident and reports."""
    return 1.1 + 0.3 * (2 + len(track.units))


def timeline_pages(view: LogView, most: int = 4) -> list[list[str]]:
    """The incidents (log order) grouped into timeline figures that each fit one page: at most
    ``most`` incidents and :data:`MAX_HEIGHT_IN` tall (a page of four incidents with many units
    was 37 cm tall, and Word cut its last panel off the page). An incident taller than a page
    alone is a figure of its own (a report shrinks it to the page)."""
    pages: list[list[str]] = []
    height = 0.0
    for track in view.incidents:
        h = panel_height(track)
        if pages and len(pages[-1]) < most and height + h + _FRAME_IN <= MAX_HEIGHT_IN:
            pages[-1].append(track.incident)
            height += h
        else:
            pages.append([track.incident])
            height = h
    return pages


def timeline_chart(
    records: Sequence[dict[str, Any]] | LogView,
    region: Region | None = None,
    *,
    lang: Lang = "zh",
    incidents: Sequence[str] | None = None,
    packs: Sequence[RulePack] | None = None,
) -> Figure:
    """A Gantt chart with one panel per incident (all, or ``incidents`` in log order).

    ``packs`` give the limit lines (default: the shipped ``city-1-10-15`` pack).
    """
    view = records if isinstance(records, LogView) else view_log(records)
    tracks = [t for t in view.incidents if incidents is None or t.incident in set(incidents)]
    packs = list(packs) if packs is not None else [load_pack("city-1-10-15")]
    if not tracks:
        fig = new_figure(8, 2)
        fig.text(0.5, 0.5, tr("timeline.none", lang), ha="center", va="center")
        return fig
    heights = [panel_height(t) for t in tracks]
    fig = new_figure(PAGE_WIDTH_IN, sum(heights) + _FRAME_IN)
    axes = fig.subplots(len(tracks), 1, squeeze=False,
                        gridspec_kw={"height_ratios": heights})[:, 0]
    for ax, track in zip(axes, tracks, strict=True):
        marks = [m for p in packs for m in limit_marks(track, p, lang)]
        _draw_incident(ax, track, region, view.drill_end, marks, lang)
    axes[-1].set_xlabel(tr("timeline.xlabel", lang), fontsize=9)
    title = tr("timeline.title", lang)
    if view.story_start:
        title += f"  ({story_time(view.story_start, 0.0, lang)} = 0)"
    fig.suptitle(title, fontsize=12, x=0.01, ha="left")
    fig.legend(handles=_legend_handles(lang), loc="outside lower center",
               ncol=5 if lang == "zh" else 3, fontsize=7, frameon=False)
    return fig
