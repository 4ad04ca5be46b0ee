"""Tiny hand-written drills with fixed parameters: the exact event sequence and times."""

from __future__ import annotations

import math

import pytest

from engine.params import BehaviourParams
from engine.simulation import simulate
from tests.engine.conftest import fixed_params, incident, scenario

R_KM = 6371.0088


def road_min(lon1: float, lat1: float, lon2: float, lat2: float, detour: float, kmh: float) -> float:
    """Independent haversine road time (short trips, no arterial factor)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 60 * 2 * R_KM * math.asin(math.sqrt(a)) * detour / kmh


UNITS_FIXED = {"default": {
    "turnout": {"dist": "fixed", "value": 2.0},
    "productivity": {"dist": "fixed", "value": 1.0},
    "deployable_fraction": 1.0,
    "first_report": {"dist": "fixed", "value": 5.0},
    "report_missed": 0.0, "missing_field": 0.0,
    "undercount": {"dist": "fixed", "value": 0.5},
    "handover": {"dist": "fixed", "value": 2.0},
}}


def params() -> BehaviourParams:
    return fixed_params({
        "alarm.take_alarm.county": {"dist": "fixed", "value": 1.0},
        "units": UNITS_FIXED,
        "on_scene.designate_commander": {"dist": "fixed", "value": 1.0},
        "reports.relay.county": {"dist": "fixed", "value": 3.0},
        "reports.followup_after": {"dist": "fixed", "value": 30.0},
        "reports.final_after": {"dist": "fixed", "value": 20.0},
    })


def trace(log):
    out = []
    for r in log:
        who = r["unit"] or r["post"]
        out.append((r["kind"], who, round(r["t"], 4)))
    return out


def test_one_fire_one_unit_exact_sequence(county):
    # 0.01° north of the 河口镇 station (U-T02, 32 people): it is the nearest fire-capable unit.
    lon, lat = 117.301, 31.671
    sc = scenario([incident("F1", 5.0, "T02", lon, lat,
                            [{"capability": "fire_suppression", "effort": 320.0}],
                            casualties={"injured": 3})], duration=120)
    log = simulate(county, sc, seed=7, params=params())
    eta = road_min(117.301, 31.661, lon, lat, 1.3, 40.0)  # plain township, station 40 km/h
    arrive = 5 + 1 + 2 + eta
    done = arrive + 320 / 32  # 32 people × productivity 1 × deployable 1
    r4 = lambda x: round(x, 4)  # noqa: E731
    expected = [
        ("drill_started", None, 0.0),
        ("inject_released", None, 5.0),
        ("incident_occurred", None, 5.0),
        ("alarm_raised", None, 5.0),
        ("alarm_taken", None, 6.0),
        ("unit_dispatched", "U-T02", 6.0),
        ("message_sent", "U-T02", 6.0),
        ("message_sent", "CP-T02", 6.0),  # desk → township command post (notify 0)
        ("unit_mobilised", "U-T02", 8.0),
        ("unit_arrived", "U-T02", r4(arrive)),
        ("task_started", "U-T02", r4(arrive)),
        ("commander_designated", "U-T02", r4(arrive + 1)),
        ("report_submitted", "U-T02", r4(arrive + 5)),  # first report to the township post
        ("message_sent", "U-T02", r4(arrive + 5)),
        ("command_post_activated", "CP-T02", 16.0),  # told at 6, CP-T02 activation_min 10
        ("report_submitted", "CP-T02", r4(arrive + 8)),  # relayed to the county after 3
        ("message_sent", "CP-T02", r4(arrive + 8)),
        # no initial_effort given: the early-stage handling ends with the first team's work
        ("initial_response_completed", "U-T02", r4(done)),
        ("task_finished", "U-T02", r4(done)),
        ("incident_controlled", None, r4(done)),
        ("task_started", "U-T02", r4(done)),  # handover
        ("task_finished", "U-T02", r4(done + 2)),
        ("unit_released", "U-T02", r4(done + 2)),
        ("incident_closed", None, r4(done + 2)),
        ("unit_returned", "U-T02", r4(done + 2 + eta)),
        ("scene_visible", "CP-T02", 31.0),  # activated 16 + visibility_min 15
        ("report_submitted", "U-T02", r4(done + 20)),  # final report to the township
        ("message_sent", "U-T02", r4(done + 20)),
        ("report_submitted", "CP-T02", r4(done + 23)),  # final relayed to the county
        ("message_sent", "CP-T02", r4(done + 23)),
        ("drill_ended", None, 120.0),
    ]
    assert 10 < arrive < 11 and arrive + 5 < 16 < arrive + 8 < done < 31  # the order above
    assert trace(log) == expected
    recs = {(r["kind"], r["data"].get("stage"), r["data"].get("to")): r for r in log}
    first = recs[("report_submitted", "first", "township")]["data"]
    assert first["values"]["casualties"]["injured"] == 1  # floor(3 × undercount 0.5)
    assert first["fields"] == ["time", "place", "category", "casualties", "reporter",
                               "burning_object"]
    final = recs[("report_submitted", "final", "county")]["data"]
    assert final["values"]["casualties"]["injured"] == 3
    disp = recs[("unit_dispatched", None, None)]["data"]
    assert disp == {"level": "county", "eta_min": pytest.approx(eta, abs=1e-4),
                    "capability": "fire_suppression", "mutual_aid": False, "desk": "DESK-K1"}


def test_initial_response_milestone_exact_sequence(county):
    """The first team's early-stage handling (先期处置, ``initial_effort`` person-minutes) ends
    at its own work rate, before the incident is controlled; a second team's arrival neither
    repeats nor speeds it up."""
    lon, lat = 117.301, 31.671
    sc = scenario([incident("F1", 0.0, "T02", lon, lat,
                            [{"capability": "fire_suppression", "effort": 600.0, "units": 2}],
                            initial_effort=48.0)], duration=200)
    log = simulate(county, sc, seed=1, params=params())
    eta = road_min(117.301, 31.661, lon, lat, 1.3, 40.0)
    arrive = 0 + 1 + 2 + eta  # take 1, turn-out 2, road
    r4 = lambda x: round(x, 4)  # noqa: E731
    seq = [(r["kind"], r["unit"], round(r["t"], 4)) for r in log
           if r["kind"] in ("unit_arrived", "initial_response_completed", "incident_controlled")]
    a2 = next(r["t"] for r in log if r["kind"] == "unit_arrived" and r["unit"] == "U-E-CHEM")
    assert a2 > arrive + 1.5  # the second team arrives after the milestone
    ctl = a2 + (600 - 32 * (a2 - arrive)) / 52
    assert seq == [
        ("unit_arrived", "U-T02", r4(arrive)),
        ("initial_response_completed", "U-T02", r4(arrive + 48 / 32)),  # 32 people x 1 x 1
        ("unit_arrived", "U-E-CHEM", r4(a2)),
        ("incident_controlled", None, r4(ctl)),
    ]
    milestone = next(r for r in log if r["kind"] == "initial_response_completed")
    assert milestone["incident"] == "F1" and milestone["data"] == {"by": "unit"}


def test_initial_response_capped_by_control(county):
    """An early-stage effort larger than the whole job ends when the first team's work does."""
    lon, lat = 117.301, 31.671
    sc = scenario([incident("F1", 0.0, "T02", lon, lat,
                            [{"capability": "fire_suppression", "effort": 64.0}],
                            initial_effort=500.0)], duration=200)
    log = simulate(county, sc, seed=1, params=params())
    kinds = [(r["kind"], r["t"]) for r in log
             if r["kind"] in ("unit_arrived", "initial_response_completed", "task_finished",
                              "incident_controlled")]
    arrive = kinds[0][1]
    assert [k for k, _ in kinds] == ["unit_arrived", "initial_response_completed",
                                     "task_finished", "incident_controlled", "task_finished"]
    assert kinds[1][1] == pytest.approx(arrive + 64 / 32, abs=1e-4) == kinds[3][1]
    assert sum(r["kind"] == "initial_response_completed" for r in log) == 1


def test_two_units_share_effort(county):
    """Effort is shared: the second unit's arrival speeds up the rest of the work."""
    lon, lat = 117.301, 31.671
    sc = scenario([incident("F1", 0.0, "T02", lon, lat,
                            [{"capability": "fire_suppression", "effort": 600.0, "units": 2}])],
                  duration=200)
    log = simulate(county, sc, seed=1, params=params())
    arr = {r["unit"]: r["t"] for r in log if r["kind"] == "unit_arrived"}
    assert list(arr) == ["U-T02", "U-E-CHEM"]
    # U-T02 works alone at 32/min until U-E-CHEM (20 people) arrives, then at 52/min.
    a1, a2 = arr["U-T02"], arr["U-E-CHEM"]
    left = 600 - 32 * (a2 - a1)
    expected = a2 + left / 52
    ctl = next(r["t"] for r in log if r["kind"] == "incident_controlled")
    assert ctl == pytest.approx(expected, abs=1e-5)


def test_escalation_to_county_is_mutual_aid(county):
    """石门乡 (T05) has no flood-control unit: its desk escalates to the county, which sends
    the nearest flood-capable unit from another township after the escalation delay."""
    p = fixed_params({"units": UNITS_FIXED,
                      "alarm.take_alarm.township": {"dist": "fixed", "value": 0.5},
                      "dispatch.escalate_delay.county": {"dist": "fixed", "value": 4.0}})
    sc = scenario([incident("W1", 1.0, "T05", 117.0, 31.86,
                            [{"capability": "flood_control", "effort": 100.0}],
                            caller={"source": "info_officer", "id": "IO-V0501"})])
    log = simulate(county, sc, seed=1, params=p)
    by = {r["kind"]: r for r in reversed(log.records)}
    assert by["alarm_raised"]["data"]["level"] == "township"
    req = by["mutual_aid_requested"]
    assert (req["t"], req["data"]["from_jurisdiction"], req["data"]["to_level"]) == (
        1.5, "T05", "county")
    disp = by["unit_dispatched"]
    assert disp["t"] == 5.5 and disp["data"]["level"] == "county" and disp["data"]["mutual_aid"]
    granted = by["mutual_aid_granted"]
    assert granted["unit"] == disp["unit"] and granted["data"]["from_jurisdiction"] != "T05"
    # the county's choice is the nearest flood-capable unit by ETA
    cands = [u for u in county.units if "flood_control" in u.capabilities]
    near = min(cands, key=lambda u: road_min(u.lon, u.lat, 117.0, 31.86, 1.8,
                                             county.travel.speed_for(u.kind)))
    assert disp["unit"] == near.id


def test_supplies_take_nearest_tier_first_then_upward(county):
    """Foam: 河口镇 has none in its depots, the county depot has 6, the city 30. Sandbags: the
    village point 渡口村 has 300, the township depot 3,000 (enough for the rest)."""
    p = fixed_params({"units": UNITS_FIXED,
                      "supplies.request_delay": {"dist": "fixed", "value": 1.0},
                      "supplies.loading": {"dist": "fixed", "value": 10.0}})
    sc = scenario([incident("S1", 0.0, "T02", 117.301, 31.671,
                            [{"capability": "fire_suppression", "effort": 5000.0}],
                            supplies={"foam": 40, "sandbags": 3100})], duration=300)
    log = simulate(county, sc, seed=1, params=p)
    got = [(r["depot"], r["data"]["item"], r["data"]["qty"], r["data"]["tier"])
           for r in log if r["kind"] == "supplies_delivered"]
    assert sorted(got) == sorted([
        ("D-K1", "foam", 6, "county"), ("D-C0", "foam", 30, "city"),
        ("D-V0201", "sandbags", 300, "village"), ("D-T02", "sandbags", 2800, "township")])
    short = [(r["data"]["item"], r["data"]["qty"]) for r in log if r["kind"] == "supplies_short"]
    assert short == [("foam", 4)]
    # delivery time = request + loading + road time from the depot
    arrive = next(r["t"] for r in log if r["kind"] == "unit_arrived")
    d = next(r for r in log if r["kind"] == "supplies_delivered" and r["depot"] == "D-T02")
    assert d["t"] == pytest.approx(arrive + 1 + 10 + road_min(117.30, 31.67, 117.301, 31.671,
                                                               1.3, 40.0), abs=1e-5)


def test_night_multiplies_turnout(county):
    p = fixed_params({"units": UNITS_FIXED,
                      "alarm.take_alarm.county": {"dist": "fixed", "value": 1.0},
                      "conditions": {"night": {"turnout": 2.5, "take_alarm": 1.5}}})
    inj = [incident("N1", 0.0, "T02", 117.301, 31.671,
                    [{"capability": "fire_suppression", "effort": 50.0}])]
    day = simulate(county, scenario(inj), seed=1, params=p)
    night = simulate(county, scenario(inj, conditions={"night": True}), seed=1, params=p)

    def t(log, kind):
        return next(r["t"] for r in log if r["kind"] == kind)
    assert (t(day, "alarm_taken"), t(day, "unit_mobilised")) == (1.0, 3.0)
    assert (t(night, "alarm_taken"), t(night, "unit_mobilised")) == (1.5, 6.5)
