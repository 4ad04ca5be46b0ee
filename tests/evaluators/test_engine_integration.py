"""Score drills simulated by the engine: the scorecard is sane, a live-shaped copy of the same
log scores the same, and `blinddrill score` works on a run directory written by `simulate`."""

from __future__ import annotations

import contextlib
import io
import json
import random
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from evalhelp import COUNTY, county

from evaluators import score_records, score_run
from scenarios.loading import dump_yaml
from scenarios.schema import scenario_from_data
from ui.cli import cli

simulation = pytest.importorskip("engine.simulation")

SCENARIO: dict[str, Any] = {
    "id": "eval-int", "duration_min": 240, "injects": [
        {"id": "J1", "t": 5, "kind": "incident", "incident": {
            "id": "FIRE1", "category": "building_fire", "grade": "III", "template": "building_fire",
            "location": {"township": "T01", "lon": 117.205, "lat": 31.703},
            "requires": [{"capability": "fire_suppression", "effort": 300, "units": 2}],
            "casualties": {"injured": 2}}},
        {"id": "J2", "t": 20, "kind": "incident", "incident": {
            "id": "FLOOD1", "category": "flood", "grade": "IV", "template": "flood",
            "location": {"township": "T02", "lon": 117.31, "lat": 31.655},
            "requires": [{"capability": "flood_control", "effort": 400, "units": 1}],
            "supplies": {"sandbags": 200}, "casualties": {"evacuated": 30}}},
    ]}


@pytest.fixture(scope="module")
def sim_records() -> list[dict[str, Any]]:
    log = simulation.simulate(county(), scenario_from_data(SCENARIO), seed=11)
    return list(log.records)


def test_simulated_drill_scores(sim_records: list[dict[str, Any]]) -> None:
    card = score_records(sim_records, region=county())
    assert card.run.incidents == 2 and card.run.region
    for cid in ("take_alarm", "arrive", "handle", "scene_visible"):
        c = card.clocks[cid]
        assert c.n + c.n_open == 2, cid  # one instance per incident, assessable or open
        assert c.compliance is None or 0 <= c.compliance <= 1
    assert card.overall.score is not None and card.overall.level in card.levels
    assert all(c.rating in ("P", "S", "M", "U") for c in card.capabilities if c.score is not None)
    assert set(card.incidents) >= {"FIRE1", "FLOOD1"}
    # every piece of evidence points at a real event
    seqs = {r["seq"] for r in sim_records}
    for f in card.findings.strengths + card.findings.improvements:
        assert set(f.evidence) <= seqs


def test_live_shaped_copy_scores_the_same(sim_records: list[dict[str, Any]]) -> None:
    """Umpires type simultaneous events in any order; the scorecard must not change."""
    rng = random.Random(5)
    groups: dict[float, list[dict[str, Any]]] = {}
    for r in sim_records:
        groups.setdefault(r["t"], []).append(r)
    live = []
    for t in sorted(groups):
        g = [dict(r, source="umpire") for r in groups[t]]
        rng.shuffle(g)
        live.extend(g)
    for i, r in enumerate(live):
        r["seq"] = i
    a = score_records(sim_records, region=county())
    b = score_records(live, region=county())
    assert a.values() == b.values()
    assert a.overall == b.overall


def test_cli_on_simulated_run_dir(tmp_path: Path) -> None:
    scen = tmp_path / "scenario.yaml"
    scen.write_text(dump_yaml(SCENARIO), encoding="utf-8")
    run = tmp_path / "run"
    res = CliRunner().invoke(cli, ["simulate", str(scen), "--region", str(COUNTY), "--seed", "3",
                                   "-o", str(run)])
    assert res.exit_code == 0, res.output
    out = CliRunner().invoke(cli, ["score", str(run), "--json"])
    assert out.exit_code == 0, out.output
    doc = json.loads(out.output)
    assert doc["run"]["region"] is True
    assert set(doc["overall"]) >= {"score", "level", "scheme"}
    assert {"compliance", "p50", "p90", "n"} <= set(doc["clocks"]["arrive"])
    assert doc == json.loads(score_run(run).model_dump_json(by_alias=True))
    # the card goes out as pydantic's bytes on a binary stdout and as the same text on a
    # text-only one (redirect_stdout into a StringIO has no buffer to write bytes to)
    assert out.stdout_bytes == (score_run(run).model_dump_json(by_alias=True) + "\n").encode()
    text = io.StringIO()
    with contextlib.redirect_stdout(text), pytest.raises(SystemExit) as done:
        cli.main(["score", str(run), "--json"], prog_name="blinddrill")
    assert done.value.code == 0
    assert text.getvalue().encode() == out.stdout_bytes
