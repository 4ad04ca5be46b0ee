"""The demo drill's scorecard (seed 4, demo plan, seed city) as a trainer reads it: no clock
value longer than the drill, no duration beyond the censoring time, no "0/1" finding, evidence
that points at the problem, a U only where a critical task was not performed."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from evaluators import score_records
from evaluators.scorecard import Scorecard

simulation = pytest.importorskip("engine.simulation")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demo() -> tuple[list[dict[str, Any]], Scorecard]:
    from engine.params import load_params
    from scenarios.catalogue import load_catalogue
    from scenarios.generator import generate
    from scenarios.plan import load_plan
    from scenarios.seed_city import default_region

    region = default_region()
    scen = generate(region, load_catalogue(), load_plan(ROOT / "scenarios/plans/demo.yaml"), 4)
    recs = list(simulation.simulate(region, scen, seed=4, params=load_params()).records)
    return recs, score_records(recs, region=region)


def test_no_clock_value_longer_than_the_drill(demo: tuple[list[dict[str, Any]], Scorecard]
                                              ) -> None:
    recs, card = demo
    length = card.run.duration_min
    assert length == recs[-1]["t"]
    for iid, inc in card.incidents.items():
        for cid, c in inc.clocks.items():
            assert c["elapsed"] <= length + 1e-6, (iid, cid)
            if c["value"] is None:
                assert c["censored"] and c["status"] in ("breached", "open"), (iid, cid)
            else:
                assert c["value"] <= length + 1e-6, (iid, cid)
    for cid, s in card.clocks.items():
        for stat in (s.p50, s.p90, s.max):
            assert stat is None or stat <= length + 1e-6, cid
    for mid, m in card.metrics.items():
        if m.unit == "min" and m.value is not None:
            assert m.value <= length + 1e-6, mid


def test_no_per_incident_ratio_findings(demo: tuple[list[dict[str, Any]], Scorecard]) -> None:
    _, card = demo
    findings = card.findings.strengths + card.findings.improvements
    assert findings
    for f in findings:
        assert not re.search(r"\b0%?\s*[（(]?0/1\b", f.text_zh + f.text_en), f.text_en
        assert "0/1" not in f.text_zh and "0/1" not in f.text_en
    # one finding per cause per capability
    keys = [(f.capability, f.cause, f.kind) for f in findings if f.cause != "observation"]
    assert len(keys) == len(set(keys))


def test_evidence_shows_the_problem(demo: tuple[list[dict[str, Any]], Scorecard]) -> None:
    recs, card = demo
    by_seq = {r["seq"]: r for r in recs}
    for f in card.findings.improvements:
        kinds = {by_seq[s]["kind"] for s in f.evidence}
        assert "incident_occurred" not in kinds, f.text_en
        if f.cause in ("late", "not_done"):
            assert f.incidents and all(d["incident"] in f.incidents for d in f.details)
            assert all(d["limit_min"] > 0 for d in f.details)
            for d in f.details:
                if d["value"] is not None:
                    assert d["value"] > d["limit_min"]


def test_u_only_where_a_critical_task_was_not_performed(
        demo: tuple[list[dict[str, Any]], Scorecard]) -> None:
    _, card = demo
    for c in card.capabilities:
        if c.rating == "U":
            assert c.performed is not None and c.performed < 0.5 and c.reason_en, c.id
        elif c.performed is not None:
            assert c.performed >= 0.5 or c.rating is None, c.id
    assert card.overall.level in card.levels and "HSEEP" in card.overall.scheme
