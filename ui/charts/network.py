"""The coordination network: who informed whom during the drill, and how long it took.

Built from the log with networkx (a ``MultiDiGraph`` summarised to one edge per pair and kind):

* **alarm** — the caller (information officer, public, enterprise) → the duty desk that took
  the alarm; delay = alarm raised → alarm taken;
* **dispatch** — the duty desk of the dispatching level → the unit; delay = alarm taken → order;
* **report** — the reporting unit or command post → the desk of the level reported to; delay =
  incident occurred → report;
* **message** — any ``message_sent`` sender → recipient; delay = its ``delay_min``.

Columns, left to right: callers, duty desks (city, county, township), command posts, units.
Edge width grows with the number of events; the label is the mean delay in minutes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import networkx as nx
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch

from scenarios.region import Region
from ui.charts.fonts import new_figure
from ui.charts.labels import Lang, tr, unit_label
from ui.charts.logview import LogView, view_log

EDGE_COLOURS = {"alarm": "#d62728", "dispatch": "#1f77b4", "report": "#9467bd",
                "message": "#7f7f7f"}
NODE_COLOURS = {0: "#fbe3d6", 1: "#dbe8f6", 2: "#eadcf3", 3: "#dff0d8"}
LAYER_OF_LEVEL = {"city": 0, "county": 1, "township": 2}


def _desk_for(region: Region | None, township: str | None, level: str) -> str:
    """Node id of the duty desk of ``level`` above ``township`` (``desk:<jurisdiction>``)."""
    if region is not None and township:
        j = region.ancestor(township, level)  # type: ignore[arg-type]
        if j is not None:
            return f"desk:{j.id}"
    return f"desk:{level}"


def _node(region: Region | None, party: str) -> str:
    """Node id of a message party: a unit, post, a duty desk or a jurisdiction (→ its desk)."""
    if party.startswith("DESK-"):  # the engine's duty-desk ids: DESK-<jurisdiction>
        return f"desk:{party[5:]}"
    if region is not None and party in region.jurisdiction_by_id:
        return f"desk:{party}"
    return party


def coordination_graph(view: LogView, region: Region | None = None,
                       incidents: Sequence[str] | None = None) -> nx.MultiDiGraph:
    """One edge per information flow event, with ``kind`` and ``delay`` (minutes) attributes.

    ``incidents`` limits the graph to the flows about those incidents.
    """
    g = nx.MultiDiGraph()
    keep = set(incidents) if incidents is not None else None
    for trk in view.incidents:
        if keep is not None and trk.incident not in keep:
            continue
        town = trk.township
        desk_taken = None
        for r in view.records:
            if r["kind"] == "alarm_taken" and r.get("incident") == trk.incident:
                d = r.get("data") or {}
                desk = d.get("desk")
                desk_taken = _node(region, desk) if desk else _desk_for(region, town,
                                                                        d.get("level", "county"))
                break
        if trk.alarm_raised is not None:
            caller = trk.caller or f"caller:{trk.incident}"
            desk = desk_taken or _desk_for(region, town, trk.alarm_level or "county")
            delay = (trk.alarm_taken - trk.alarm_raised) if trk.alarm_taken is not None else None
            g.add_edge(f"caller:{caller}", desk, kind="alarm", delay=delay)
        for r in view.records:
            if r.get("incident") != trk.incident:
                continue
            d = r.get("data") or {}
            if r["kind"] == "unit_dispatched":
                desk = _desk_for(region, town, str(d.get("level", "county")))
                base = trk.alarm_taken if trk.alarm_taken is not None else trk.start
                g.add_edge(desk, r["unit"], kind="dispatch", delay=float(r["t"]) - base)
            elif r["kind"] == "report_submitted":
                sender = r.get("unit") or r.get("post")
                if sender:
                    base = trk.occurred if trk.occurred is not None else trk.start
                    g.add_edge(sender, _desk_for(region, town, str(d.get("to", "county"))),
                               kind="report", delay=float(r["t"]) - base)
    for r in view.of_kind("message_sent"):
        if keep is not None and r.get("incident") not in keep:
            continue
        d = r.get("data") or {}
        delay = d.get("delay_min")
        g.add_edge(_node(region, str(d["sender"])), _node(region, str(d["recipient"])),
                   kind="message", delay=float(delay) if delay is not None else None)
    return g


def _layer(region: Region | None, node: str) -> int:
    if node.startswith("caller:"):
        return 0
    if node.startswith("desk:"):
        return 1
    if region is not None and any(p.id == node for p in region.command_posts):
        return 2
    return 3


def _label(region: Region | None, node: str, lang: Lang) -> str:
    if node.startswith("caller:"):
        who = node.split(":", 1)[1]
        if region is not None:
            for o in region.info_officers:
                if o.id == who:
                    return o.name if lang == "zh" else o.id
        return tr("network.caller", lang)
    if node.startswith("desk:"):
        jid = node.split(":", 1)[1]
        if region is not None and jid in region.jurisdiction_by_id:
            j = region.jurisdiction_by_id[jid]
            return f"{j.name}值班室" if lang == "zh" else f"{j.name} duty desk"
        return tr("network.desk", lang, level=jid)
    if region is not None:
        for p in region.command_posts:
            if p.id == node:
                return p.name if lang == "zh" else p.id
    return unit_label(region, node, lang)


def _desk_rank(region: Region | None, node: str) -> tuple[int, str]:
    jid = node.split(":", 1)[1]
    level = region.jurisdiction_by_id[jid].level if region and jid in region.jurisdiction_by_id \
        else jid
    return (LAYER_OF_LEVEL.get(level, 3), jid)


def network_chart(
    records: Sequence[dict[str, Any]] | LogView,
    region: Region | None = None,
    *,
    lang: Lang = "zh",
    incidents: Sequence[str] | None = None,
) -> Figure:
    """The coordination network of the drill, or of some ``incidents`` only (a large drill's
    whole network is unreadable; the reports draw it a few incidents at a time)."""
    view = records if isinstance(records, LogView) else view_log(records)
    g = coordination_graph(view, region, incidents)
    if g.number_of_edges() == 0:
        fig = new_figure(8, 2)
        fig.text(0.5, 0.5, tr("network.none", lang), ha="center", va="center")
        return fig
    # summarise: one edge per (u, v, kind)
    agg: dict[tuple[str, str, str], list[float | None]] = defaultdict(list)
    for u, v, data in g.edges(data=True):
        agg[(u, v, data["kind"])].append(data["delay"])
    layers: dict[int, list[str]] = defaultdict(list)
    for n in g.nodes:
        layers[_layer(region, n)].append(n)
    for k, nodes in layers.items():
        nodes.sort(key=(lambda n: _desk_rank(region, n)) if k == 1 else (lambda n: (0, n)))
    tallest = max(len(v) for v in layers.values())
    pos: dict[str, tuple[float, float]] = {}
    xs = {k: i for i, k in enumerate(sorted(layers))}
    for k, nodes in layers.items():
        n = len(nodes)
        for i, node in enumerate(nodes):
            pos[node] = (xs[k] * 3.0, (tallest - 1) / 2 - i * (tallest - 1) / max(n - 1, 1)
                         if n > 1 else 0.0)
    fig = new_figure(10, max(3.5, 0.45 * tallest + 1.6))
    ax = fig.add_subplot()
    boxes = {}
    for node, (x, y) in pos.items():
        boxes[node] = ax.text(x, y, _label(region, node, lang), ha="center", va="center", fontsize=8,
                zorder=4, bbox={"boxstyle": "round,pad=0.3",
                                "fc": NODE_COLOURS[_layer(region, node)], "ec": "#888888",
                                "lw": 0.6})
    for (u, v, kind), delays in agg.items():
        known = [d for d in delays if d is not None]
        rad = 0.18 if pos[u][0] > pos[v][0] or (kind == "report") else -0.12
        if pos[u][0] == pos[v][0]:
            rad = 0.5
        arrow = FancyArrowPatch(pos[u], pos[v], connectionstyle=f"arc3,rad={rad}",
                                arrowstyle="-|>", mutation_scale=10, shrinkA=1, shrinkB=1,
                                patchA=boxes[u].get_bbox_patch(),
                                patchB=boxes[v].get_bbox_patch(),
                                lw=0.8 + 0.6 * min(len(delays), 6),
                                color=EDGE_COLOURS[kind], alpha=0.75, zorder=1)
        ax.add_patch(arrow)
        if known:
            mx = (pos[u][0] + pos[v][0]) / 2
            my = (pos[u][1] + pos[v][1]) / 2
            dx, dy = pos[v][0] - pos[u][0], pos[v][1] - pos[u][1]
            mx, my = mx + rad * dy * 0.5, my - rad * dx * 0.5  # near the arc's midpoint
            text = f"{sum(known) / len(known):.1f}"
            if len(delays) > 1:
                text += f" ×{len(delays)}"
            ax.text(mx, my, text, fontsize=7, color=EDGE_COLOURS[kind], ha="center",
                    va="center", zorder=3,
                    bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none",
                          "alpha": 0.85})
    ax.set_xlim(-1.6, 3.0 * (len(xs) - 1) + 1.6)
    ax.set_ylim(-(tallest - 1) / 2 - 0.8, (tallest - 1) / 2 + 0.8)
    ax.axis("off")
    handles = [Line2D([], [], color=c, lw=2, label=tr(f"network.{k}", lang))
               for k, c in EDGE_COLOURS.items() if any(kk == k for _, _, kk in agg)]
    fig.legend(handles=handles, loc="outside lower center", ncol=len(handles), fontsize=8,
               frameon=False, title=tr("network.note", lang), title_fontsize=8)
    title = tr("network.title", lang)
    if incidents is not None:
        title += "  " + ", ".join(incidents)
    fig.suptitle(title, x=0.01, ha="left", fontsize=12)
    return fig
