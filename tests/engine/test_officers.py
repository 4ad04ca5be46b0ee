"""Information officers act before teams arrive; experts are consulted with a logged delay."""

from __future__ import annotations

from engine.simulation import simulate
from tests.engine.conftest import incident, scenario
from tests.engine.test_turnout_waking import params

LON, LAT = 117.301, 31.671


def officer_alarm(effort: float, grade: str = "IV", category: str = "test",
                  template: str = "building_fire"):
    return scenario([incident("F1", 2.0, "T02", LON, LAT,
                              [{"capability": "fire_suppression", "effort": 320.0}],
                              grade=grade, category=category, template=template,
                              initial_effort=effort,
                              caller={"source": "info_officer", "id": "IO-V0201"})],
                    duration=120)


def milestones(log):
    return [(r["t"], r["unit"], r["data"]) for r in log
            if r["kind"] == "initial_response_completed"]


def test_officer_on_the_spot_acts_first_on_a_small_incident(county):
    p = params(duty=1.0, **{"officers.first_action": {"dist": "fixed", "value": 3.0}})
    log = simulate(county, officer_alarm(20.0), seed=1, params=p)
    arrive = next(r["t"] for r in log if r["kind"] == "unit_arrived")
    assert milestones(log) == [(5.0, None, {"by": "officer", "officer": "IO-V0201"})]
    assert arrive > 5.0  # before any team is there; the team does not log a second one


def test_a_larger_early_stage_waits_for_the_team(county):
    p = params(duty=1.0, **{"officers.first_action": {"dist": "fixed", "value": 3.0}})
    got = milestones(simulate(county, officer_alarm(60.0), seed=1, params=p))
    assert len(got) == 1 and got[0][1] == "U-T02" and got[0][2] == {"by": "unit"}
    got = milestones(simulate(county, officer_alarm(20.0, grade="III"), seed=1, params=p))
    assert got[0][2] == {"by": "unit"}  # grade III: not for an officer alone


def test_expert_consulted_for_hazmat(county):
    """Keyed by the report template: a hand-written category (``hazmat_leak``) with the hazmat
    template is a hazmat incident too; a building fire needs no expert."""
    p = params(duty=1.0, **{"experts.consult": {"dist": "fixed", "value": 10.0},
                            "alarm.take_alarm.township": {"dist": "fixed", "value": 0.5}})
    log = simulate(county, officer_alarm(60.0, category="hazmat_leak", template="hazmat"), seed=1, params=p)
    taken = next(r["t"] for r in log if r["kind"] == "alarm_taken")
    got = [(r["t"], r["data"]["expert"], r["data"]["field"]) for r in log
           if r["kind"] == "expert_consulted"]
    assert got == [(taken + 10.0, "E01", "hazmat")]
    log = simulate(county, officer_alarm(60.0, category="test"), seed=1, params=p)
    assert not [r for r in log if r["kind"] == "expert_consulted"]


def test_a_mine_accident_has_a_mine_safety_experts_advice(county):
    # the production-safety template (a mine accident) is answered by the pool's mining field
    p = params(duty=1.0, **{"experts.consult": {"dist": "fixed", "value": 10.0},
                            "alarm.take_alarm.township": {"dist": "fixed", "value": 0.5}})
    log = simulate(county, officer_alarm(60.0, category="mine_accident",
                                         template="production_safety"), seed=1, params=p)
    taken = next(r["t"] for r in log if r["kind"] == "alarm_taken")
    got = [(r["t"], r["data"]["expert"], r["data"]["field"]) for r in log
           if r["kind"] == "expert_consulted"]
    assert got == [(taken + 10.0, "E05", "mining")]


def test_the_seed_city_keeps_mine_safety_experts():
    from scenarios.seed_city import N_MINING_EXPERTS, default_region

    city = default_region()
    mining = [e for e in city.experts if e.field == "mining"]
    assert len(mining) == N_MINING_EXPERTS and len(city.experts) == 547
