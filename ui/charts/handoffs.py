"""Who told whom, and how late: the hand-offs of each incident as a readable matrix.

Replaces the coordination network graph in the reports (a node-link graph of a whole drill is
unreadable at a dozen incidents). One row per incident, one column per hand-off of the
information chain, in the order it happens:

* alarm: caller → duty desk (``alarm_raised`` → ``alarm_taken``);
* dispatch: duty desk → first unit (``alarm_taken`` → first ``unit_dispatched``);
* arrival: dispatch → first unit on scene (first ``unit_dispatched`` → first ``unit_arrived``);
* post informed: the desk's notice reaching the township command post (``message_sent`` to a
  post, its ``delay_min``);
* first report: scene → the level above (``incident_occurred`` → first ``report_submitted``);
* mutual aid: request → first unit granted (``mutual_aid_requested`` → ``mutual_aid_granted``).

Each cell gives the minutes and who passed the information to whom; the colour runs from green
(quick) to red (slow) against a reference per column (a limit of the 1-10-15 standard where one
exists, else the column's slowest value). Blank = that hand-off did not happen. Only log events
are read; nothing is scored here.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure

from scenarios.region import Region
from ui.charts.fonts import PAGE_WIDTH_IN, new_figure
from ui.charts.labels import Lang, place_name, tr
from ui.charts.logview import LogView, view_log

#: column id → reference minutes for the colour (None = the column's largest value)
COLUMNS: dict[str, float | None] = {"alarm": 1.0, "dispatch": 5.0, "arrival": 10.0,
                                    "post": None, "first_report": 30.0, "aid": None}
_CMAP = LinearSegmentedColormap.from_list("handoff", ["#c8e6c9", "#fff59d", "#ef9a9a"])
#: short party names in cells (desks by level; the column header says "duty desk")
_SHORT = {"zh": {"city": "市", "county": "县", "township": "乡镇",
                 "caller": "报警人", "unit": "队伍", "post": "指挥部", "scene": "现场"},
          "en": {"city": "city", "county": "county", "township": "township",
                 "caller": "caller", "unit": "unit", "post": "post", "scene": "scene"}}


@dataclass(frozen=True)
class Handoff:
    """One hand-off of one incident: ``minutes`` from ``sender`` to ``recipient``."""

    incident: str
    column: str
    minutes: float
    sender: str
    recipient: str


def _level_of(party: str | None, region: Region | None) -> str:
    """city/county/township for a desk id ``DESK-<jurisdiction>`` (by its id's shape)."""
    if not party or not party.startswith("DESK-"):
        return "county"
    jid = party[5:]
    if region is not None:
        j = region.jurisdiction_by_id.get(jid)
        if j is not None:
            return j.level
    return "township" if "-T" in jid else ("city" if jid.startswith("C") else "county")


def handoffs(view: LogView, region: Region | None = None) -> list[Handoff]:
    """Every hand-off of every incident, from the log (see the module docstring)."""
    out: list[Handoff] = []
    first: dict[tuple[str, str], dict[str, Any]] = {}
    for r in view.records:
        inc = r.get("incident")
        if inc is not None:
            first.setdefault((str(inc), str(r["kind"])), r)
    posts: dict[str, dict[str, Any]] = {}
    for r in view.of_kind("message_sent"):
        d = r.get("data") or {}
        if r.get("incident") and str(d.get("recipient", "")).startswith("CP-"):
            posts.setdefault(str(r["incident"]), r)
    for tr_ in view.incidents:
        inc = tr_.incident
        raised, taken = first.get((inc, "alarm_raised")), first.get((inc, "alarm_taken"))
        disp = first.get((inc, "unit_dispatched"))
        arrived = first.get((inc, "unit_arrived"))
        desk_level = str(((taken or raised or {}).get("data") or {}).get("level", "county"))
        if raised and taken:
            out.append(Handoff(inc, "alarm", taken["t"] - raised["t"], "caller", desk_level))
        if taken and disp:
            lvl = str((disp.get("data") or {}).get("level", desk_level))
            out.append(Handoff(inc, "dispatch", disp["t"] - taken["t"], lvl, "unit"))
        if disp and arrived:
            out.append(Handoff(inc, "arrival", arrived["t"] - disp["t"], "unit", "scene"))
        if inc in posts:
            m = posts[inc]
            d = m.get("data") or {}
            out.append(Handoff(inc, "post", float(d.get("delay_min") or 0.0),
                               _level_of(str(d.get("sender")), region), "post"))
        if tr_.occurred is not None and tr_.reports:
            rep = tr_.reports[0]
            out.append(Handoff(inc, "first_report", rep.t - tr_.occurred, "scene", rep.to))
        req, grant = first.get((inc, "mutual_aid_requested")), first.get((inc, "mutual_aid_granted"))
        if req and grant and grant["t"] >= req["t"]:
            to = str((req.get("data") or {}).get("to_level", "county"))
            out.append(Handoff(inc, "aid", grant["t"] - req["t"], "township", to))
    return out


def handoffs_chart(records: Sequence[dict[str, Any]] | LogView, region: Region | None = None,
                   *, lang: Lang = "zh") -> Figure:
    """The hand-off matrix (rows: incidents; columns: hand-offs; cells: minutes, who → whom)."""
    view = records if isinstance(records, LogView) else view_log(records)
    items = handoffs(view, region)
    tracks = view.incidents
    cols = list(COLUMNS)
    fig = new_figure(PAGE_WIDTH_IN, 1.3 + 0.34 * max(len(tracks), 2))
    ax = fig.add_subplot()
    if not tracks:
        ax.text(0.5, 0.5, tr("timeline.none", lang), ha="center", va="center")
        ax.set_axis_off()
        return fig
    grid = np.full((len(tracks), len(cols)), np.nan)
    text = [["" for _ in cols] for _ in tracks]
    row = {t.incident: i for i, t in enumerate(tracks)}
    short = _SHORT[lang]
    for h in items:
        i, j = row[h.incident], cols.index(h.column)
        grid[i, j] = h.minutes
        text[i][j] = f"{h.minutes:.1f}  {short.get(h.sender, h.sender)}→" \
                     f"{short.get(h.recipient, h.recipient)}"
    scaled = np.full_like(grid, np.nan)
    for j, c in enumerate(cols):
        ref = COLUMNS[c] or (np.nanmax(grid[:, j]) if np.isfinite(grid[:, j]).any() else 1.0)
        scaled[:, j] = np.clip(grid[:, j] / max(float(ref) * 2, 1e-6), 0, 1)
    ax.imshow(np.ma.masked_invalid(scaled), cmap=_CMAP, vmin=0, vmax=1, aspect="auto")
    for i in range(len(tracks)):
        for j in range(len(cols)):
            ax.text(j, i, text[i][j] or "—", ha="center", va="center", fontsize=6.5,
                    color="#222222" if text[i][j] else "#999999")
    ax.set_xticks(range(len(cols)), [tr(f"handoff.{c}", lang) for c in cols], fontsize=7.5)
    ax.xaxis.tick_top()
    ax.set_yticks(range(len(tracks)),
                  [f"{t.incident} {place_name(region, t.township, lang)}".strip()
                   for t in tracks], fontsize=7.5)
    ax.set_xticks(np.arange(-0.5, len(cols)), minor=True)
    ax.set_yticks(np.arange(-0.5, len(tracks)), minor=True)
    ax.grid(which="minor", color="white", lw=1.5)
    ax.tick_params(which="both", length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    fig.suptitle(tr("handoff.title", lang), x=0.01, ha="left", fontsize=11)
    # a footer the layout makes room for, wrapped to the page (one English line ran off it)
    fig.supxlabel(textwrap.fill(tr("handoff.note", lang), 64 if lang == "zh" else 130),
                  x=0.01, ha="left", fontsize=7, color="#555555")
    return fig
