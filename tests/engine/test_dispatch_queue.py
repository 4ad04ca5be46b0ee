"""The dispatch queue: waiting and escalating requirements in one queue, grade first, then time.

One county unit at the incidents' location (zero travel), 2-minute jobs, zero take-alarm,
turn-out and handover times; the city desk acts 5 minutes after an escalation.
"""

from __future__ import annotations

from engine.dispatch_queue import fifo
from engine.simulation import simulate
from scenarios.schema import scenario_from_data
from tests.engine.conftest import fixed_params
from tests.engine.test_mmc import LAT, LON, mmc_region


def params():
    return fixed_params({"on_scene.work_time": {"dist": "fixed", "value": 2.0},
                         "dispatch.escalate_delay.city": {"dist": "fixed", "value": 5.0}})


def run(alarms: list[tuple[str, float, str]], **kw):
    injects = [{"id": f"J{iid}", "t": t, "kind": "incident", "incident": {
        "id": iid, "category": "q", "grade": grade,
        "location": {"township": "T", "lon": LON, "lat": LAT},
        "requires": [{"capability": "x", "effort": 1.0}], "template": "building_fire"}}
        for iid, t, grade in alarms]
    sc = scenario_from_data({"id": "q", "duration_min": 60.0, "injects": injects})
    log = simulate(mmc_region(1), sc, seed=1, params=params(), **kw)
    return [(r["kind"], r["incident"], r["t"]) for r in log
            if r["kind"] in ("unit_dispatched", "mutual_aid_requested", "unit_released")]


def test_escalating_requirement_is_served_by_the_freed_unit():
    """The issue's case: A at 0 served to 2; B at 1 escalated; C at 3. B stays on the county
    desk's board while the city is asked, so the unit freed at 2 takes B, not C at 6."""
    assert run([("A", 0.0, "IV"), ("B", 1.0, "IV"), ("C", 3.0, "IV")]) == [
        ("unit_dispatched", "A", 0.0),
        ("mutual_aid_requested", "B", 1.0),
        ("unit_released", "A", 2.0),
        ("unit_dispatched", "B", 2.0),
        ("mutual_aid_requested", "C", 3.0),
        ("unit_released", "B", 4.0),
        ("unit_dispatched", "C", 4.0),
        ("unit_released", "C", 6.0),
    ]


def test_most_severe_grade_is_served_first():
    """B (IV) waits from 0.5, C (II) from 1: the unit freed at 2 takes C, then B."""
    assert run([("A", 0.0, "IV"), ("B", 0.5, "IV"), ("C", 1.0, "II")]) == [
        ("unit_dispatched", "A", 0.0),
        ("mutual_aid_requested", "B", 0.5),
        ("mutual_aid_requested", "C", 1.0),
        ("unit_released", "A", 2.0),
        ("unit_dispatched", "C", 2.0),
        ("unit_released", "C", 4.0),
        ("unit_dispatched", "B", 4.0),
        ("unit_released", "B", 6.0),
    ]


def test_fifo_order_is_pluggable():
    """The same drill with the first-come-first-served order passed to ``simulate``."""
    got = run([("A", 0.0, "IV"), ("B", 0.5, "IV"), ("C", 1.0, "II")], queue_order=fifo)
    assert [(k, i) for k, i, _ in got if k == "unit_dispatched"] == [
        ("unit_dispatched", "A"), ("unit_dispatched", "B"), ("unit_dispatched", "C")]


def test_same_grade_waits_in_order_of_request_through_escalations():
    """Five alarms a minute apart on one 2-minute unit: served strictly in order, each as soon
    as the unit is free, although each was escalated to the city meanwhile."""
    got = run([(f"I{k}", float(k), "IV") for k in range(5)])
    disp = [(i, t) for k, i, t in got if k == "unit_dispatched"]
    assert disp == [("I0", 0.0), ("I1", 2.0), ("I2", 4.0), ("I3", 6.0), ("I4", 8.0)]


def test_escalation_case_with_the_shipped_escalation_delays():
    """The issue's case again with the shipped (random, log-normal) county and city escalation
    delays, over several seeds: whatever the delays draw, B is dispatched when the unit is
    freed at 2 and C at 4 — the escalation in flight never decides who is served."""
    from engine.params import load_params

    shipped = {k: v.model_dump(mode="json")
               for k, v in load_params().dispatch.escalate_delay.items()}
    p = fixed_params({"on_scene.work_time": {"dist": "fixed", "value": 2.0},
                      "dispatch.escalate_delay": shipped})
    injects = [{"id": f"J{iid}", "t": t, "kind": "incident", "incident": {
        "id": iid, "category": "q", "grade": "IV",
        "location": {"township": "T", "lon": LON, "lat": LAT},
        "requires": [{"capability": "x", "effort": 1.0}], "template": "building_fire"}}
        for iid, t in (("A", 0.0), ("B", 1.0), ("C", 3.0))]
    sc = scenario_from_data({"id": "q", "duration_min": 60.0, "injects": injects})
    for seed in range(5):
        log = simulate(mmc_region(1), sc, seed=seed, params=p)
        assert [(r["incident"], r["t"]) for r in log if r["kind"] == "unit_dispatched"] == [
            ("A", 0.0), ("B", 2.0), ("C", 4.0)], seed
