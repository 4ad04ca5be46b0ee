"""Each chart builds from the small sample log with no warnings and shows what it should."""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.font_manager import fontManager

from evaluators.baseline import percentiles_against
from ui.charts import FAMILY, to_png
from ui.charts.compliance import breakdown_table, compliance_chart
from ui.charts.distributions import distributions_chart
from ui.charts.logview import view_log
from ui.charts.montecarlo import montecarlo_chart
from ui.charts.network import coordination_graph, network_chart
from ui.charts.regionmap import region_map_chart
from ui.charts.timeline import timeline_chart
from ui.charts.timeliness import timeliness_chart


def texts(fig: Figure) -> list[str]:
    """Every text drawn on the figure (after a draw, so tick labels exist)."""
    to_png(fig)
    return [t.get_text() for t in fig.findobj(lambda o: hasattr(o, "get_text"))]


def test_font_registered_and_used() -> None:
    assert any(f.name == FAMILY and f.fname.endswith("NotoSansCJK-Regular.ttc")
               for f in fontManager.ttflist)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_timeline_limits_at_1_10_15(records: list[dict[str, Any]], county: Any, lang: str
                                    ) -> None:
    fig = timeline_chart(records, county, lang=lang)
    axes = fig.axes
    assert len(axes) == 3  # one panel per incident
    inc1 = axes[0]
    vlines = sorted(round(line.get_xdata()[0], 6) for line in inc1.get_lines()
                    if line.get_linestyle() == "--")
    # alarm raised 5.2 + 1; alarm taken 5.9 + 10; first arrival 11.0 + 15
    assert vlines == [6.2, 15.9, 26.0]
    labels = [t.get_text() for t in inc1.get_yticklabels()]
    assert len(labels) == 2 + 4  # incident, reports, four units
    assert ("河口化工园区企业救援队" if lang == "zh" else "Hekou Town enterprise rescue team") in labels
    joined = " ".join(texts(fig))
    assert ("1分钟接警" if lang == "zh" else "1 min (take alarm)") in joined


def test_region_map_has_townships_incidents_routes(records: Any, county: Any) -> None:
    fig = region_map_chart(records, county, lang="zh")
    words = texts(fig)
    for name in ("城关镇", "河口镇", "白沙乡", "青山镇", "石门乡", "新港街道"):
        assert name in words
    assert {"INC-1", "INC-2", "INC-3"} <= set(words)
    ax = fig.axes[0]
    routes = [a for a in ax.texts if getattr(a, "arrow_patch", None) is not None]
    assert len(routes) == 10  # one per unit dispatched and mobilised


def test_network_edges(records: Any, county: Any) -> None:
    g = coordination_graph(view_log(records), county)
    kinds = [d["kind"] for _, _, d in g.edges(data=True)]
    assert kinds.count("dispatch") == 10
    assert kinds.count("alarm") == 3
    assert kinds.count("message") == 4
    assert g.has_edge("caller:IO-T02", "desk:T02")
    delay = [d["delay"] for u, v, d in g.edges(data=True) if u == "caller:IO-T02"][0]
    assert delay == pytest.approx(0.7)
    words = texts(network_chart(records, county, lang="zh"))
    assert "河口镇值班室" in words and "赵磊" in words


def test_network_of_some_incidents_and_engine_desk_ids(records: Any, county: Any) -> None:
    whole = coordination_graph(view_log(records), county)
    first = sorted({r["incident"] for r in records if r["kind"] == "incident_occurred"})[0]
    part = coordination_graph(view_log(records), county, incidents=[first])
    assert 0 < part.number_of_edges() < whole.number_of_edges()
    dispatched = {r["unit"] for r in records
                  if r["kind"] == "unit_dispatched" and r["incident"] == first}
    assert {v for _, v, d in part.edges(data=True) if d["kind"] == "dispatch"} == dispatched
    assert first in " ".join(texts(network_chart(records, county, incidents=[first])))
    from ui.charts.network import _node
    assert _node(county, "DESK-T02") == "desk:T02"  # the engine's duty-desk id form


def test_timeliness_marks_missing_final(records: Any, county: Any) -> None:
    fig = timeliness_chart(records, county, lang="zh")
    words = texts(fig)
    assert "未报: 终报" in words  # INC-2 has no final report
    assert len(fig.axes[0].get_yticklabels()) == 3


def test_distributions_limit_and_compliance(card: Any) -> None:
    fig = distributions_chart(card, lang="en", clocks=["take_alarm", "arrive", "handle"])
    assert len(fig.axes) == 6
    for ax, limit in zip(fig.axes[:3], (1, 10, 15), strict=True):
        assert any(line.get_xdata()[0] == limit for line in ax.get_lines())
    joined = " ".join(texts(fig))
    rate = card.clocks["arrive"].compliance
    assert f"Compliance {100 * rate:.0f}%" in joined


def test_compliance_one_row_per_township(card: Any, county: Any) -> None:
    fig = compliance_chart(card, county, lang="zh", clocks=["take_alarm", "arrive", "handle"])
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["河口镇", "青山镇", "新港街道"]
    img = ax.get_images()[0].get_array()
    ids, towns, cells = breakdown_table(card, "by_township", ["take_alarm", "arrive", "handle"])
    assert img[towns.index("T04"), ids.index("take_alarm")] == 0.0  # alarm took 1.5 min


def test_montecarlo_marks_the_drill(card: Any) -> None:
    reps = [card.model_copy(deep=True) for _ in range(5)]
    for k, r in enumerate(reps):
        r.clocks["arrive"].compliance = k / 5
    base = percentiles_against(card, reps)
    fig = montecarlo_chart(card, reps, base, lang="zh", keys=["clock.arrive.compliance"])
    ax = fig.axes[0]
    assert any(np.isclose(line.get_xdata()[0], card.clocks["arrive"].compliance)
               for line in ax.get_lines())
    assert sum(p.get_height() for p in ax.patches) == 5


def test_no_glyph_warnings_logged(records: Any, county: Any, caplog: Any) -> None:
    with caplog.at_level(logging.WARNING, logger="matplotlib"):
        to_png(timeline_chart(records, county, lang="zh"))
    assert not caplog.records


def test_render_pngs_forked_equals_in_process(records: list[dict[str, Any]], county: Any
                                              ) -> None:
    """Charts drawn on forked workers are the same bytes, in the same order, as drawn here;
    a draw with nothing to show stays None in its place."""
    import os

    from ui.charts.render import can_fork, render_pngs

    parent = os.getpid()
    draws = [lambda: timeline_chart(records, county, lang="zh"), lambda: None,
             lambda: timeliness_chart(records, county, lang="en")]
    here = render_pngs(draws, workers=1)
    assert here[1] is None and all(isinstance(b, bytes) and b[:4] == b"\x89PNG"
                                   for b in (here[0], here[2]))
    assert render_pngs(draws, workers=2) == here
    if can_fork():  # the workers really are other processes
        assert render_pngs([lambda: None if os.getpid() == parent else draws[0]()] * 2,
                           workers=2) == [here[0]] * 2


@pytest.mark.parametrize("which", ["county", "seed_city"])
def test_area_raster_equals_the_nearest_point_of_all(which: str, request: Any) -> None:
    """The map's township areas (a box of cells per point) are exactly what an argmin over
    every point gives for every cell: nearest township/village point within the radius, ties
    to the first, -1 beyond it."""
    import math

    from ui.charts.regionmap import _area_raster

    region = request.getfixturevalue(which)
    lons = [j.lon for j in region.jurisdictions]
    lats = [j.lat for j in region.jurisdictions]
    extent = (min(lons) - 0.05, max(lons) + 0.05, min(lats) - 0.05, max(lats) + 0.05)
    cos_lat = math.cos(math.radians(sum(lats) / len(lats)))
    grid, ids = _area_raster(region, extent, cos_lat, size=90)

    towns = region.of_level("township")
    index = {t.id: i for i, t in enumerate(towns)}
    pts = [(t.lon, t.lat, index[t.id]) for t in towns]
    pts += [(v.lon, v.lat, index[region.township_of(v.id)]) for v in region.of_level("village")
            if region.township_of(v.id) in index]
    p = np.array([(x * cos_lat, y) for x, y, _ in pts])
    owner = np.array([o for *_, o in pts])
    tp = np.array([(t.lon * cos_lat, t.lat) for t in towns])
    d = np.sqrt(((tp[:, None, :] - tp[None, :, :]) ** 2).sum(-1))
    np.fill_diagonal(d, np.inf)
    radius = 1.1 * float(np.median(d.min(axis=1)))
    gx = np.linspace(extent[0], extent[1], 90) * cos_lat
    gy = np.linspace(extent[2], extent[3], 90)
    dist = ((gx[None, :, None] - p[None, None, :, 0]) ** 2
            + (gy[:, None, None] - p[None, None, :, 1]) ** 2)
    k = dist.argmin(axis=2)
    near = np.take_along_axis(dist, k[..., None], axis=2)[..., 0] <= radius * radius
    assert ids == [t.id for t in towns]
    assert np.array_equal(grid, np.where(near, owner[k], -1))
    assert (grid >= 0).mean() > 0.5 and len(np.unique(grid[grid >= 0])) > 0.8 * len(towns)


def test_to_png_is_savefigs_bytes(records: Any, county: Any, card: Any) -> None:
    """to_png draws once where savefig lays a constrained figure out twice: the same bytes,
    for charts with many panels, tick labels, titles and legends."""
    import io

    def savefig(fig: Figure) -> bytes:
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=fig.dpi, facecolor="white")
        return buf.getvalue()

    view = view_log(records)
    draws = [lambda: timeline_chart(view, county, lang="zh"),
             lambda: timeliness_chart(view, county, lang="en"),
             lambda: distributions_chart(card, lang="zh"),
             lambda: compliance_chart(card, county, lang="en"),
             lambda: region_map_chart(view, county, lang="zh")]
    for draw in draws:
        fig = draw()
        face = fig.patch.get_facecolor()
        png = to_png(fig)
        assert png[:4] == b"\x89PNG" and fig.patch.get_facecolor() == face
        assert png == savefig(draw())
