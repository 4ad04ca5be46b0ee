"""Every text of every report chart is inside its picture, in both languages, on the demo
drill (the seed city, a baseline): nothing cut at an edge ("Reporting limit (by gra",
"taken within 1 minute"), and no two red limit labels of one row printed over each other."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from ui.charts import to_png


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The demo drill (seed 4) with three replications: its card, view, region, baseline."""
    from engine.eventlog import read_records
    from evaluators import run_region, score_run
    from experiments.baseline import against_baseline
    from ui.charts.logview import view_log
    from ui.cli import cli
    from ui.errors import run_cli

    out = tmp_path_factory.mktemp("fitdemo")
    assert run_cli(cli, ["demo", "--seed", "4", "--replications", "3", "-o", str(out),
                         "--json"]) == 0
    run = out / "run"
    region = run_region(run)
    card = score_run(run, region=region)
    reps, base = against_baseline(card, run / "baseline", region=region, of=run)
    return {"region": region, "card": card, "reps": reps, "base": base,
            "view": view_log(read_records(Path(run) / "events.jsonl"))}


def _charts(d: dict[str, Any], lang: Any) -> dict[str, Callable[[], Figure]]:
    """The report's own charts (ui.reports.content.report_charts), by id."""
    from ui.reports.content import report_charts

    return {fid: draw for fid, _, draw in report_charts(d["card"], d["view"], d["region"], lang,
                                                         d["reps"], d["base"])}


def _cut_texts(fig: Figure) -> list[str]:
    """The texts of a drawn figure that reach past its edges."""
    to_png(fig)
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    w, h = fig.bbox.width, fig.bbox.height
    hidden = set()  # labels of ticks outside the axis' view: kept by matplotlib, not drawn
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            lo, hi = sorted(axis.get_view_interval())
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                if not lo - 1e-9 <= tick.get_loc() <= hi + 1e-9:
                    hidden |= {id(tick.label1), id(tick.label2)}
    cut = []
    for t in fig.findobj(Text):
        if id(t) in hidden or not t.get_visible() or not t.get_text().strip():
            continue
        b = t.get_window_extent(renderer)
        if b.x0 < -1 or b.y0 < -1 or b.x1 > w + 1 or b.y1 > h + 1:
            cut.append(t.get_text())
    return cut


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_text_is_inside_the_picture(demo: dict[str, Any], lang: str) -> None:
    charts = _charts(demo, lang)
    assert {"map", "distributions", "compliance", "timeliness", "montecarlo", "handoffs",
            "timeline-1"} <= set(charts)
    cut = {fid: texts for fid, draw in charts.items() if (texts := _cut_texts(draw()))}
    assert not cut, cut


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("chart", ["timeliness", "timeline"])
def test_limit_labels_do_not_overlap(demo: dict[str, Any], lang: str, chart: str) -> None:
    """The minutes over the timeliness chart's red bars ("35" and "60" 0.6 min apart) and the
    names over the timeline's limit lines ("1 min (take alarm)" over "10 min (arrive)")."""
    from ui.charts.timeline import COLOURS

    colour, size = ("#b22222", 6.5) if chart == "timeliness" else (COLOURS["limit"], 7)
    fig = _charts(demo, lang)["timeline-1" if chart == "timeline" else chart]()
    to_png(fig)
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    n = 0
    for ax in fig.axes:
        marks = [t for t in ax.texts if t.get_color() == colour and t.get_fontsize() == size]
        n += len(marks)
        boxes = [t.get_window_extent(renderer) for t in marks]
        for (a, ta), (b, tb) in itertools.combinations(zip(boxes, marks, strict=True), 2):
            w = min(a.x1, b.x1) - max(a.x0, b.x0)
            hh = min(a.y1, b.y1) - max(a.y0, b.y0)
            assert w <= 0.5 or hh <= 0.5, (ta.get_text(), tb.get_text())
    assert n >= 3


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_monte_carlo_notes_are_clear_of_the_bars(demo: dict[str, Any], lang: str) -> None:
    """The note by the drill's red line ("better than 45% of simulated runs") sits above the
    histogram's bars, not written across the tallest one."""
    from matplotlib.patches import Rectangle

    fig = _charts(demo, lang)["montecarlo"]()
    to_png(fig)
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    panels = 0
    for ax in fig.axes:
        if not ax.texts:
            continue
        panels += 1
        note = ax.texts[0].get_window_extent(renderer)
        for bar in ax.patches:
            if isinstance(bar, Rectangle) and bar.get_height() > 0:
                b = bar.get_window_extent(renderer)
                overlap = min(note.x1, b.x1) - max(note.x0, b.x0) > 0.5 and \
                    min(note.y1, b.y1) - max(note.y0, b.y0) > 0.5
                assert not overlap, (ax.get_title(), ax.texts[0].get_text())
    assert panels >= 3
