"""Repeat calls (重复报警): a second person phoning about an incident already reported is taken
by a duty desk, logged against that incident, and opens no incident and dispatches nothing."""

from __future__ import annotations

from typing import Any

from engine.simulation import simulate
from evaluators import score_records
from scenarios.region import Region
from tests.engine.conftest import incident, scenario
from tests.engine.test_exact_sequence import params, trace

LON, LAT = 117.301, 31.671  # 0.01° north of the 河口镇 station U-T02


def _fire() -> dict[str, Any]:
    return incident("F1", 5.0, "T02", LON, LAT,
                    [{"capability": "fire_suppression", "effort": 320.0}],
                    casualties={"injured": 3})


def _repeat(iid: str, t: float, source: str, name: str) -> dict[str, Any]:
    return {"id": iid, "t": t, "kind": "complication",
            "complication": {"type": "repeat_call", "incident": "F1",
                             "caller": {"source": source, "name": name,
                                        "phone": "13000000000"}}}


def test_repeat_calls_exact_sequence(county: Region) -> None:
    """One fire alarm at 5 (the county desk, 2 officers, 1 min each). Two members of the public
    call the county desk again at 5.5 and 5.6: the second officer takes the first repeat call
    5.5 → 6.5, the first officer, free at 6 after the alarm, takes the other 6 → 7. A village
    information officer calls the township desk (take time 0) at 5.2, before the county has
    taken the alarm. Every other event is exactly the run without repeat calls."""
    base = simulate(county, scenario([_fire()], duration=120), seed=7, params=params())
    sc = scenario([_fire(), _repeat("J-R0", 5.2, "info_officer", "周强"),
                   _repeat("J-R1", 5.5, "public", "李四"), _repeat("J-R2", 5.6, "public", "王五")],
                  duration=120)
    log = simulate(county, sc, seed=7, params=params())
    got = trace(log)
    without = [e for e, r in zip(got, log, strict=True)
               if r["inject"] not in ("J-R0", "J-R1", "J-R2")]
    assert without == trace(base)  # no incident opened, nothing dispatched or reported more
    calls = [(r["kind"], r["inject"], round(r["t"], 4), r["data"].get("desk"),
              r["data"].get("alarm_known")) for r in log if r["kind"].startswith("repeat_call")]
    assert calls == [
        ("repeat_call_raised", "J-R0", 5.2, "DESK-T02", None),
        ("repeat_call_taken", "J-R0", 5.2, "DESK-T02", False),  # the county has not taken it
        ("repeat_call_raised", "J-R1", 5.5, "DESK-K1", None),
        ("repeat_call_raised", "J-R2", 5.6, "DESK-K1", None),
        ("repeat_call_taken", "J-R1", 6.5, "DESK-K1", True),
        ("repeat_call_taken", "J-R2", 7.0, "DESK-K1", True),
    ]
    assert all(r["incident"] == "F1" for r in log if r["kind"].startswith("repeat_call"))
    assert sum(r["kind"] == "alarm_raised" for r in log) == 1
    assert sum(r["kind"] == "incident_occurred" for r in log) == 1
    assert len({r["unit"] for r in log if r["kind"] == "unit_dispatched"}) == 1
    raised = [r for r in log if r["kind"] == "repeat_call_raised"]
    assert [(r["data"]["caller_source"], r["data"]["caller"]) for r in raised] == [
        ("info_officer", "周强"), ("public", "李四"), ("public", "王五")]


def test_evaluator_clocks_start_at_the_first_alarm_only(county: Region) -> None:
    """The 1-10-15 clocks of a drill with repeat calls are those of the same drill without."""
    base = simulate(county, scenario([_fire()], duration=120), seed=7, params=params())
    log = simulate(county, scenario([_fire(), _repeat("J-R1", 5.5, "public", "李四"),
                                     _repeat("J-R2", 30.0, "public", "王五")], duration=120),
                   seed=7, params=params())
    a, b = (score_records(list(x), region=county) for x in (base, log))
    for cid in ("take_alarm", "arrive", "handle"):  # (evidence: log positions, which shift)
        ca, cb = ({k: v for k, v in c.incidents["F1"].clocks[cid].items() if k != "evidence"}
                  for c in (a, b))
        assert ca == cb, cid
    assert b.incidents["F1"].clocks["take_alarm"]["value"] == 1.0  # 5 → 6, not from 5.5
    assert list(b.incidents) == ["F1"]
