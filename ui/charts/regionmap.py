"""A schematic map of the region and the drill (no internet tiles, no GIS dependency).

Areas are drawn around township centres (each point of the map belongs to the township whose
centre or village is nearest, up to a distance), so the shapes are schematic, not surveyed
boundaries. On top: units (▲; those that took part are dark), depots (■), township command posts
(⬟), incidents (★ coloured by grade: I red, II orange, III yellow, IV blue) and the route each
unit travelled, drawn as a straight arrow from its base to the scene. A scale bar gives
kilometres; the aspect is corrected for latitude (north up).
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from scenarios.region import Region
from ui.charts.fonts import new_figure
from ui.charts.labels import GRADE_COLOUR, Lang, grade_name, tr
from ui.charts.logview import LogView, view_log
from ui.charts.names import Names
from ui.charts.placement import Label, marker_box, place_labels

PASTELS = ["#e8f1fa", "#fdf0e1", "#e9f5e6", "#f7e8f0", "#eeeaf7", "#fbf6dc", "#e3f4f4",
           "#f4ece6"]
KM_PER_DEG_LAT = 111.32
HALO = [patheffects.withStroke(linewidth=2.5, foreground="white")]
#: Above this many townships the map labels counties instead of townships.
MAX_TOWNSHIP_LABELS = 40


def _area_raster(region: Region, extent: tuple[float, float, float, float], cos_lat: float,
                 size: int | None = None) -> tuple[npt.NDArray[np.int64], list[str]]:
    """Township index per raster cell (-1 = outside), nearest township/village point wins."""
    towns = region.of_level("township")
    ids = [t.id for t in towns]
    index = {t: i for i, t in enumerate(ids)}
    pts: list[tuple[float, float, int]] = [(t.lon, t.lat, index[t.id]) for t in towns]
    villages = region.of_level("village")
    if len(villages) <= 3000:
        for v in villages:
            tid = region.township_of(v.id)
            if tid in index:
                pts.append((v.lon, v.lat, index[tid]))
    size = size or (520 if len(pts) <= 400 else 320)
    if not pts:
        return np.full((size, size), -1, dtype=np.int64), ids
    p = np.array([(x * cos_lat, y) for x, y, _ in pts])
    owner = np.array([o for *_, o in pts])
    x0, x1, y0, y1 = extent
    gx = np.linspace(x0, x1, size) * cos_lat
    gy = np.linspace(y0, y1, size)
    # radius: a generous multiple of the typical spacing between township centres
    tp = np.array([(t.lon * cos_lat, t.lat) for t in towns])
    if len(tp) > 1:
        d = np.sqrt(((tp[:, None, :] - tp[None, :, :]) ** 2).sum(-1))
        np.fill_diagonal(d, np.inf)
        radius = 1.1 * float(np.median(d.min(axis=1)))
    else:
        radius = 0.25 * max(x1 - x0, y1 - y0)
    # each point claims the cells within ``radius`` that it is nearer to than any point before
    # it (a box of cells per point, not every cell against every point): the nearest point
    # within the radius wins, ties to the first, exactly as an argmin over all points would
    out = np.full((size, size), -1, dtype=np.int64)
    best = np.full((size, size), np.inf)
    r2 = radius * radius
    for k in range(len(p)):
        px, py = p[k]
        c0, c1 = np.searchsorted(gx, px - radius), np.searchsorted(gx, px + radius, "right")
        w0, w1 = np.searchsorted(gy, py - radius), np.searchsorted(gy, py + radius, "right")
        if c0 >= c1 or w0 >= w1:
            continue
        dx = gx[c0:c1] - px
        dy = gy[w0:w1] - py
        dist = dy[:, None] * dy[:, None] + dx[None, :] * dx[None, :]
        cell = best[w0:w1, c0:c1]
        win = (dist < cell) & (dist <= r2)
        cell[win] = dist[win]
        out[w0:w1, c0:c1][win] = owner[k]
    return out, ids


def _edges(grid: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
    e = np.zeros(grid.shape, dtype=bool)
    e[:, 1:] |= grid[:, 1:] != grid[:, :-1]
    e[1:, :] |= grid[1:, :] != grid[:-1, :]
    return e


def _nice_km(span_km: float) -> float:
    target = span_km / 5
    for v in (0.5, 1, 2, 5, 10, 20, 50, 100, 200):
        if v >= target:
            return v
    return 500.0


def _scale_bar(ax: Axes, extent: tuple[float, float, float, float], cos_lat: float,
               lang: Lang) -> None:
    x0, x1, y0, y1 = extent
    km = _nice_km((x1 - x0) * KM_PER_DEG_LAT * cos_lat)
    deg = km / (KM_PER_DEG_LAT * cos_lat)
    bx, by = x0 + 0.04 * (x1 - x0), y0 + 0.05 * (y1 - y0)
    ax.plot([bx, bx + deg], [by, by], color="black", lw=3, solid_capstyle="butt")
    ax.annotate(tr("map.km", lang, km=km), (bx + deg / 2, by), xytext=(0, 4),
                textcoords="offset points", ha="center", va="bottom", fontsize=8,
                path_effects=HALO)  # clear of the 3-point bar, readable over the areas


def region_map_chart(
    records: Sequence[dict[str, Any]] | LogView | None,
    region: Region,
    *,
    lang: Lang = "zh",
) -> Figure:
    """The schematic map of ``region`` with the drill's incidents and routes from ``records``."""
    view = records if isinstance(records, LogView) else view_log(records or [])
    used: dict[str, set[str]] = {}
    for trk in view.incidents:
        for u in trk.units:
            used.setdefault(u, set()).add(trk.incident)
    lons = [j.lon for j in region.jurisdictions if j.level in ("township", "village")]
    lats = [j.lat for j in region.jurisdictions if j.level in ("township", "village")]
    lons += [u.lon for u in region.units if u.id in used]
    lats += [u.lat for u in region.units if u.id in used]
    lons += [t.lon for t in view.incidents if t.lon is not None]
    lats += [t.lat for t in view.incidents if t.lat is not None]
    if not lons:
        lons = [j.lon for j in region.jurisdictions]
        lats = [j.lat for j in region.jurisdictions]
    mx = max((max(lons) - min(lons)) * 0.08, 0.01)
    my = max((max(lats) - min(lats)) * 0.08, 0.01)
    extent = (min(lons) - mx, max(lons) + mx, min(lats) - my, max(lats) + my)
    cos_lat = math.cos(math.radians((extent[2] + extent[3]) / 2))

    w_km = (extent[1] - extent[0]) * KM_PER_DEG_LAT * cos_lat
    h_km = (extent[3] - extent[2]) * KM_PER_DEG_LAT
    width = 10.0
    #: the map's own width and the height beside the legend and the title (inches)
    map_w, frame_h = width - 3.3, 0.8
    fig = new_figure(width, max(4.0, min(12.0, map_w * h_km / max(w_km, 1e-9) + frame_h)))
    ax = fig.add_subplot()
    grid, town_ids = _area_raster(region, extent, cos_lat)
    cmap = ListedColormap(["#ffffff"] + PASTELS)
    shown = np.where(grid < 0, 0, grid % len(PASTELS) + 1)
    ax.imshow(shown, origin="lower", extent=extent, cmap=cmap, vmin=0, vmax=len(PASTELS),
              interpolation="nearest", aspect="auto", zorder=0)
    edges = np.ma.masked_where(~_edges(grid), np.ones(grid.shape))
    ax.imshow(edges, origin="lower", extent=extent, cmap=ListedColormap(["#9a9a9a"]),
              interpolation="nearest", aspect="auto", zorder=1, alpha=0.8)
    ax.set_aspect(1 / cos_lat)

    # labels placed clear of the incidents' stars and of each other (ui.charts.placement), on
    # the map's scale in points: the width it gets beside the legend, or its height if tighter
    ppx = min(map_w * 72 / (extent[1] - extent[0]),
              (fig.get_figheight() - frame_h) * 72 * cos_lat / (extent[3] - extent[2]))
    ppy = ppx / cos_lat
    located = [(t, float(t.lon), float(t.lat)) for t in view.incidents
               if t.lon is not None and t.lat is not None]
    stars = [marker_box(x * ppx, y * ppy, 9) for _, x, y in located]
    towns = region.of_level("township")
    places = towns if len(towns) <= MAX_TOWNSHIP_LABELS else region.of_level("county")
    place_text = [Names(region, lang).place(p.id) for p in places]
    offsets = place_labels(
        [Label(x * ppx, y * ppy, t.incident) for t, x, y in located]
        + [Label(p.lon * ppx, p.lat * ppy, name, gap=6, centred=True)
           for p, name in zip(places, place_text, strict=True)], stars,
        frame=(extent[0] * ppx, extent[2] * ppy, extent[1] * ppx, extent[3] * ppy))
    inc_offsets, place_offsets = offsets[:len(located)], offsets[len(located):]
    for p, name, off in zip(places, place_text, place_offsets, strict=True):
        ax.annotate(name, (p.lon, p.lat), xytext=(off[0] + 2, off[1] + 1),
                    textcoords="offset points", fontsize=9, color="#333333", ha="left",
                    va="bottom", zorder=4.5, path_effects=HALO)

    # depots, posts, units
    # village supply points are many (1,000 in the seed city): small dots, depots as squares
    points = [d for d in region.depots if d.tier == "village"]
    depots = [d for d in region.depots if d.tier != "village"]
    if points:
        ax.scatter([d.lon for d in points], [d.lat for d in points], marker=".", s=5,
                   color="#8c564b", alpha=0.45, linewidth=0, zorder=2.8)
    if depots:
        size = {"city": 70, "county": 40, "township": 22}
        ax.scatter([d.lon for d in depots], [d.lat for d in depots], marker="s",
                   s=[size.get(d.tier, 22) for d in depots], color="#8c564b",
                   edgecolor="white", linewidth=0.5, zorder=3)
    if region.command_posts:
        ax.scatter([p.lon for p in region.command_posts], [p.lat for p in region.command_posts],
                   marker="p", s=30, color="#6a3d9a", edgecolor="white", linewidth=0.5,
                   zorder=3)
    idle = [u for u in region.units if u.id not in used]
    if idle:
        ax.scatter([u.lon for u in idle], [u.lat for u in idle], marker="^", s=16,
                   color="#b0b0b0", zorder=3)
    busy = [u for u in region.units if u.id in used]
    if busy:
        ax.scatter([u.lon for u in busy], [u.lat for u in busy], marker="^", s=34,
                   color="#1f3b73", edgecolor="white", linewidth=0.5, zorder=5)

    # routes and incidents
    for trk in view.incidents:
        if trk.lon is None or trk.lat is None:
            continue
        for uid, ut in trk.units.items():
            unit = region.unit_by_id.get(uid)
            if unit is None or ut.mobilised is None:
                continue
            ax.annotate("", xy=(trk.lon, trk.lat), xytext=(unit.lon, unit.lat), zorder=4,
                        arrowprops={"arrowstyle": "-|>", "color": "#4c78a8", "lw": 1.1,
                                    "alpha": 0.75, "shrinkA": 3, "shrinkB": 7,
                                    "mutation_scale": 9,
                                    "linestyle": "-" if ut.arrived is not None else ":"})
    grades_seen: list[str] = []
    for (trk, lon, lat), off in zip(located, inc_offsets, strict=True):
        g = trk.grade or "IV"
        grades_seen.append(g)
        ax.scatter([lon], [lat], marker="*", s=260, color=GRADE_COLOUR.get(g, "grey"),
                   edgecolor="black", linewidth=0.7, zorder=6)
        ax.annotate(trk.incident, (lon, lat), xytext=(off[0] + 2, off[1] + 2),
                    textcoords="offset points", ha="left", va="bottom", fontsize=9, zorder=7,
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none",
                          "alpha": 0.8})

    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    ax.set_xticks([])
    ax.set_yticks([])
    _scale_bar(ax, extent, cos_lat, lang)
    handles: list[Any] = [
        Line2D([], [], marker="^", color="#1f3b73", ls="none", ms=7,
               label=tr("map.unit_used", lang)),
        Line2D([], [], marker="^", color="#b0b0b0", ls="none", ms=6, label=tr("map.unit", lang)),
        Line2D([], [], marker="s", color="#8c564b", ls="none", ms=6, label=tr("map.depot", lang)),
        Line2D([], [], marker=".", color="#8c564b", ls="none", ms=5, alpha=0.6,
               label=tr("map.supply_point", lang)),
        Line2D([], [], marker="p", color="#6a3d9a", ls="none", ms=7, label=tr("map.post", lang)),
        Line2D([], [], color="#4c78a8", lw=1.2, label=tr("map.route", lang)),
    ]
    for g in ("I", "II", "III", "IV"):
        if g in grades_seen:
            handles.append(Line2D([], [], marker="*", color=GRADE_COLOUR[g], mec="black",
                                  ls="none", ms=13,
                                  label=tr("map.incident", lang, grade=grade_name(g, lang))))
    fig.legend(handles=handles, loc="outside right upper", fontsize=8, frameon=False)
    ax.set_title(f"{tr('map.title', lang)} · {Names(region, lang).region_name()}", loc="left",
                 fontsize=12)
    note = tr("map.note", lang)
    per_line = 14 if lang == "zh" else 28  # lines of even length: no one-character last line
    per_line = math.ceil(len(note) / math.ceil(len(note) / per_line))
    ax.text(1.01, 0.0, "\n".join(textwrap.wrap(note, per_line)),
            transform=ax.transAxes, fontsize=7, color="#777777", ha="left", va="bottom")
    return fig
