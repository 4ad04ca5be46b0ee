"""Duty crew and full-team turn-out, wake-up calls at night (叫应叫醒), alarms phoned upward
on receipt (接报即报): exact sequences on the example county with fixed parameters."""

from __future__ import annotations

import copy

import pytest

from engine.simulation import simulate
from tests.engine.conftest import fixed_params, incident, scenario
from tests.engine.test_exact_sequence import UNITS_FIXED, road_min

LON, LAT = 117.301, 31.671  # 0.01° north of the 河口镇 station U-T02 (32 people)
KINDS = ("unit_dispatched", "unit_mobilised", "unit_arrived", "team_mobilised",
         "team_arrived", "initial_response_completed", "task_finished", "incident_controlled",
         "wakeup_call", "alarm_reported", "command_post_activated")


def params(duty: float = 0.25, **over):
    units = copy.deepcopy(UNITS_FIXED)
    units["township_station"] = {"duty_crew": duty, "turnout": {"dist": "fixed", "value": 1.0},
                                 "full_turnout": {"dist": "fixed", "value": 5.0}}
    return fixed_params({"units": units,
                         "alarm.take_alarm.county": {"dist": "fixed", "value": 1.0},
                         "waking.answer": {"dist": "fixed", "value": 1.5},
                         "waking.timeout": {"dist": "fixed", "value": 3.0},
                         "waking.no_answer": 0.0, **over})


def trace(log):
    return [(r["kind"], r["data"].get("callee") or r["unit"] or r["post"]
             or r["data"].get("to"), round(r["t"], 4))
            for r in log if r["kind"] in KINDS]


def fire(night: bool = False, effort: float = 320.0, grade: str = "IV"):
    return scenario([incident("F1", 0.0, "T02", LON, LAT,
                              [{"capability": "fire_suppression", "effort": effort}],
                              grade=grade, initial_effort=24.0)],
                    duration=120, conditions={"night": night})


def test_duty_crew_leaves_first_and_the_rest_follow(county):
    """8 of 32 on standby leave 1 min after the order and work at 8/min; the other 24 leave
    5 min after the order and lift the rate to 32/min when they arrive."""
    log = simulate(county, fire(), seed=1, params=params())
    eta = road_min(117.301, 31.661, LON, LAT, 1.3, 40.0)
    a1, a2 = 2 + eta, 6 + eta  # dispatched at 1: crew leaves at 2, the rest at 6
    initial = a1 + 24 / 8  # early-stage handling by the duty crew alone (done before a2)
    done = a2 + (320 - 8 * (a2 - a1)) / 32
    r4 = lambda x: round(x, 4)  # noqa: E731
    assert initial < a2
    assert trace(log) == [
        ("unit_dispatched", "U-T02", 1.0),
        ("unit_mobilised", "U-T02", 2.0),
        ("unit_arrived", "U-T02", r4(a1)),
        ("team_mobilised", "U-T02", 6.0),
        ("initial_response_completed", "U-T02", r4(initial)),
        ("team_arrived", "U-T02", r4(a2)),
        ("command_post_activated", "CP-T02", 11.0),
        ("task_finished", "U-T02", r4(done)),
        ("incident_controlled", None, r4(done)),
        ("task_finished", "U-T02", r4(done + 2)),  # handover
    ]
    assert a1 < 6.0 < initial
    people = {r["kind"]: r["data"]["people"] for r in log
              if r["kind"] in ("team_mobilised", "team_arrived")}
    assert people == {"team_mobilised": 24, "team_arrived": 24}


def test_rest_joining_speeds_up_the_early_stage(county):
    """The early-stage effort (200) is not done by the crew before the rest arrive: from then
    on it goes at the whole team's rate."""
    sc = scenario([incident("F1", 0.0, "T02", LON, LAT,
                            [{"capability": "fire_suppression", "effort": 2000.0}],
                            initial_effort=200.0)], duration=200)
    log = simulate(county, sc, seed=1, params=params())
    eta = road_min(117.301, 31.661, LON, LAT, 1.3, 40.0)
    a1, a2 = 2 + eta, 6 + eta
    t = next(r["t"] for r in log if r["kind"] == "initial_response_completed")
    assert t == pytest.approx(a2 + (200 - 8 * (a2 - a1)) / 32, abs=1e-4)


def test_night_wakes_the_leader_and_the_rest_of_the_team(county):
    """At night the desk calls the township leader before the post is told (叫应) and the
    station's team leader before the off-duty rest assemble (叫醒); the duty crew does not
    wait for either."""
    log = simulate(county, fire(night=True), seed=1, params=params())
    got = trace(log)
    assert got[:4] == [
        ("unit_dispatched", "U-T02", 1.0),
        ("unit_mobilised", "U-T02", 2.0),  # the duty crew is awake
        ("wakeup_call", "township_leader", 2.5),  # answered after 1.5
        ("wakeup_call", "team_leader", 2.5),
    ]
    assert ("team_mobilised", "U-T02", 7.5) in got  # answered 2.5 + assemble 5
    # the post is told after the leader answered (notify 0) and activates 10 min later
    assert ("command_post_activated", "CP-T02", 12.5) in got
    calls = [r for r in log if r["kind"] == "wakeup_call"]
    assert [(c["unit"], c["data"]["answered"], c["data"]["attempt"]) for c in calls] == [
        (None, True, 1), ("U-T02", True, 1)]


def test_unanswered_calls_escalate_along_the_chain(county):
    """Nobody answers: each call gives up after 3 min and the next in the chain is called;
    after the last one the step goes ahead (someone is sent in person)."""
    log = simulate(county, fire(night=True), seed=1, params=params(**{"waking.no_answer": 1.0}))
    calls = [(r["data"]["callee"], r["data"]["attempt"], r["data"]["answered"], r["t"])
             for r in log if r["kind"] == "wakeup_call"]
    assert calls == [
        ("township_leader", 1, False, 4.0), ("team_leader", 1, False, 4.0),
        ("township_deputy", 2, False, 7.0), ("team_deputy", 2, False, 7.0),
        ("county_duty_leader", 3, False, 10.0)]
    mob = {r["kind"]: r["t"] for r in log if r["kind"] in ("team_mobilised",
                                                           "command_post_activated")}
    assert mob == {"team_mobilised": 12.0, "command_post_activated": 20.0}


def test_by_day_nobody_is_called(county):
    log = simulate(county, fire(), seed=1, params=params())
    assert not [r for r in log if r["kind"] == "wakeup_call"]


def test_alarm_phoned_upward_on_receipt(county):
    """A grade-III alarm taken by the county desk at 1 is phoned to the city at once
    (reports.alarm_relay.city = 4), long before any report from the scene."""
    p = params(**{"reports.alarm_relay.city": {"dist": "fixed", "value": 4.0}})
    log = simulate(county, fire(grade="III"), seed=1, params=p)
    up = [(r["t"], r["data"]["level"], r["data"]["to"], r["data"]["sender"])
          for r in log if r["kind"] == "alarm_reported"]
    assert up == [(5.0, "city", "DESK-C0", "DESK-K1")]
    first_report = min(r["t"] for r in log if r["kind"] == "report_submitted")
    assert first_report > 5.0
    # grade IV goes to the county only: the county desk took it, nothing to phone upward
    log = simulate(county, fire(), seed=1, params=p)
    assert not [r for r in log if r["kind"] == "alarm_reported"]


def test_full_time_crews_turn_out_whole(county):
    """duty_crew 1 (the default): one turn-out, no team events."""
    log = simulate(county, fire(), seed=1, params=params(duty=1.0))
    kinds = {r["kind"] for r in log}
    assert "team_mobilised" not in kinds and "team_arrived" not in kinds
