"""Map labels cover neither each other nor the incidents' stars (ui.charts.placement), as
placed and as matplotlib actually draws them."""

from __future__ import annotations

import itertools
from typing import Any

from matplotlib.text import Annotation

from ui.charts import to_png
from ui.charts.placement import Label, _overlap, marker_box, place_labels, text_size
from ui.charts.regionmap import region_map_chart


def _boxes(labels: list[Label], offsets: list[tuple[float, float]]
           ) -> list[tuple[float, float, float, float]]:
    out = []
    for lab, (dx, dy) in zip(labels, offsets, strict=True):
        w, h = text_size(lab.text, lab.size)
        out.append((lab.x + dx, lab.y + dy, lab.x + dx + w, lab.y + dy + h))
    return out


def test_labels_far_apart_keep_the_usual_place() -> None:
    labels = [Label(100.0 * k, 0.0, f"I{k:02d}") for k in range(5)]
    assert place_labels(labels) == [(10.0, 7.5)] * 5  # right of the star, above


def test_a_crowd_at_one_spot_is_spread_round_it() -> None:
    # eight incidents at one place (a second alarm at the same address, say): every label
    # gets a place of its own, and none covers the star
    star = marker_box(0.0, 0.0, 9)
    labels = [Label(0.0, 0.0, f"I{k:02d}") for k in range(8)]
    boxes = _boxes(labels, place_labels(labels, [star]))
    for a, b in itertools.combinations(boxes, 2):
        assert _overlap(a, b) == 0, (a, b)
    assert all(_overlap(b, star) == 0 for b in boxes)


def test_a_place_name_moves_off_a_star_on_its_seat() -> None:
    star = marker_box(0.0, 0.0, 9)
    (off,) = place_labels([Label(0.0, 0.0, "松山县", gap=6, centred=True)], [star])
    assert off != (-text_size("松山县", 9)[0] / 2, -text_size("松山县", 9)[1] / 2)
    (alone,) = place_labels([Label(0.0, 0.0, "松山县", gap=6, centred=True)])
    assert alone == (-text_size("松山县", 9)[0] / 2, -text_size("松山县", 9)[1] / 2)


def test_drawn_map_labels_do_not_overlap(records: Any, county: Any) -> None:
    fig = region_map_chart(records, county, lang="zh")
    to_png(fig)  # laid out and drawn: the boxes matplotlib really used
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    ax = fig.axes[0]
    labels = [t for t in ax.texts if isinstance(t, Annotation) and t.get_text()
              and t.arrow_patch is None and "公里" not in t.get_text()]
    assert len(labels) >= 9  # the townships and the incidents
    boxes = [t.get_window_extent(renderer) for t in labels]
    for (a, ta), (b, tb) in itertools.combinations(zip(boxes, labels, strict=True), 2):
        w = min(a.x1, b.x1) - max(a.x0, b.x0)
        h = min(a.y1, b.y1) - max(a.y0, b.y0)
        assert w <= 1 or h <= 1, (ta.get_text(), tb.get_text())


def test_a_label_at_the_frame_edge_stays_inside() -> None:
    # a place on the map's left edge: centred (its first choice) half its name would be cut
    # off, so it goes right; one on the right edge goes left; inside, nothing changes
    frame = (0.0, 0.0, 400.0, 300.0)
    name = "Fengzhen County"
    w, h = text_size(name, 9)
    left, right, mid = place_labels(
        [Label(2.0, 150.0, name, gap=6, centred=True),
         Label(398.0, 150.0, name, gap=6, centred=True),
         Label(200.0, 150.0, name, gap=6, centred=True)], frame=frame)
    for (x, y), (dx, dy) in zip(((2.0, 150.0), (398.0, 150.0)), (left, right), strict=True):
        assert _overlap((x + dx, y + dy, x + dx + w, y + dy + h), frame) == w * h
    assert mid == (-w / 2, -h / 2)
    assert place_labels([Label(2.0, 150.0, name, gap=6, centred=True)]) == [(-w / 2, -h / 2)]


def test_drawn_city_map_keeps_every_label_inside_the_map() -> None:
    """The demo drill on the seed city in English: a county name on the map's edge was cut off
    at the figure's edge ("engzhen County")."""
    from engine.simulation import simulate
    from scenarios.catalogue import load_catalogue
    from scenarios.generator import generate
    from scenarios.plan import load_plan
    from scenarios.seed_city import default_region
    from ui.commands.demo import DEMO_PLAN

    city = default_region()
    plan = load_plan(DEMO_PLAN).model_copy(update={"language": "en"})
    log = simulate(city, generate(city, load_catalogue(), plan, 4), seed=4)
    for lang in ("zh", "en"):
        fig = region_map_chart(log.records, city, lang=lang)
        to_png(fig)
        renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        ax = fig.axes[0]
        frame = ax.get_window_extent(renderer)
        labels = [t for t in ax.texts if isinstance(t, Annotation) and t.get_text()
                  and t.arrow_patch is None]
        assert len(labels) >= 10
        for t in labels:
            b = t.get_window_extent(renderer)
            assert frame.x0 - 1 <= b.x0 and b.x1 <= frame.x1 + 1, (lang, t.get_text())
            assert frame.y0 - 1 <= b.y0 and b.y1 <= frame.y1 + 1, (lang, t.get_text())
