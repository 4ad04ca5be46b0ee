"""Timeline bars end where the log says the unit left: every unit's last bar ends at its
``unit_released`` (recalled units included), read here straight from the raw records rather
than from the log view the chart uses."""

from __future__ import annotations

from typing import Any

from engine.simulation import simulate
from experiments.calibration import calibrator
from scenarios.catalogue import load_catalogue
from scenarios.generator import generate
from scenarios.plan import load_plan
from scenarios.region import load_region
from ui.charts.logview import view_log
from ui.charts.timeline import unit_segments


def _releases(records: list[dict[str, Any]]) -> dict[tuple[str, str], float]:
    out: dict[tuple[str, str], float] = {}
    for r in records:
        if r["kind"] == "unit_released":
            out[(r["incident"], r["unit"])] = r["t"]  # the last release (re-dispatches)
    return out


def _check(records: list[dict[str, Any]]) -> int:
    view = view_log(records)
    rel = _releases(records)
    checked = 0
    for tr in view.incidents:
        stop = tr.controlled or tr.unresolved or view.drill_end
        for uid, u in tr.units.items():
            bars = unit_segments(u, stop, view.drill_end)
            if (tr.incident, uid) in rel and bars:
                assert bars[-1][2] == rel[(tr.incident, uid)], (tr.incident, uid, bars)
                assert not bars[-1][3]  # a released unit's bar is not drawn open
                checked += 1
    return checked


def test_bars_end_at_release_in_the_sample_log(records: list[dict[str, Any]]) -> None:
    assert _check(records) > 0


def test_bars_end_at_release_in_a_simulated_county_drill() -> None:
    region = load_region("scenarios/regions/county.yaml")
    scen = generate(region, load_catalogue(), load_plan(), 5, calibrator=calibrator())
    log = simulate(region, scen, seed=5)
    assert _check(log.records) >= 5
