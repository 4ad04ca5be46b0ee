"""Information officers beyond first actions: warnings relayed to villages (预警叫应), patrols of
hazard points (巡查) while a weather warning is in force, and damage reports (灾情报告) after a
natural disaster. Exact sequences on the example county with fixed parameters.

The county's warned points under rain or storms: the river at 渡口村 (T02; its village's
hydro monitor IO-V0201 patrols it before the township's IO-T02), the reservoir at 白沙乡 (T03:
no officer there, unpatrolled) and the landslide point at 石门村 (T05, IO-V0501).
"""

from __future__ import annotations

from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from engine.simulation import simulate
from scenarios.region import Region, load_region
from tests.engine.conftest import COUNTY, fixed_params, incident, scenario

FIXED = {"officers.warning_relay": {"dist": "fixed", "value": 10.0},
         "officers.patrol": {"dist": "fixed", "value": 20.0},
         "officers.patrol_interval": 120.0}
WARN = ("warning_relayed", "patrol_completed")


@cache
def county_region() -> Region:
    return load_region(COUNTY)


def simulate_county(sc, p):
    return simulate(county_region(), sc, seed=1, params=p)


def warned(weather: str, duration: float = 300.0):
    sc = scenario([], duration=duration, conditions={"weather": weather})
    return list(simulate_county(sc, fixed_params(FIXED)))


def trace(log):
    out = []
    for r in log:
        d = r["data"]
        if r["kind"] == "warning_relayed":
            out.append((r["t"], "relay", d["township"], tuple(d["called"]), d["villages"],
                        tuple(d["unpatrolled"])))
        elif r["kind"] == "patrol_completed":
            out.append((r["t"], "patrol", d["officer"], tuple(d["sites"]), d["round"],
                        tuple(d["found"])))
    return out


def test_storm_warning_is_relayed_and_points_patrolled_every_two_hours():
    """Relays at 10 in the three townships with warned points; each patrol round takes 20 and
    a new one starts every 120 while play lasts (rounds at 10, 130, 250; not 370 > 300)."""
    got = trace(warned("storm"))
    assert got == [
        (10.0, "relay", "T02", ("IO-V0201",), 2, ()),
        (10.0, "relay", "T03", (), 2, ("HS-RES",)),
        (10.0, "relay", "T05", ("IO-V0501",), 2, ()),
        (30.0, "patrol", "IO-V0201", ("HS-RIVER",), 1, ()),
        (30.0, "patrol", "IO-V0501", ("HS-GEO",), 1, ()),
        (150.0, "patrol", "IO-V0201", ("HS-RIVER",), 2, ()),
        (150.0, "patrol", "IO-V0501", ("HS-GEO",), 2, ()),
        (270.0, "patrol", "IO-V0201", ("HS-RIVER",), 3, ()),
        (270.0, "patrol", "IO-V0501", ("HS-GEO",), 3, ()),
    ]


def test_wind_warns_the_forests_with_the_role_that_patrols_them():
    """Wind puts forests at risk: 青山镇's forest ranger (a township officer) patrols 青山林场;
    石门乡 has no ranger and no grid worker, so 云岭国有林区 goes unpatrolled."""
    got = trace(warned("wind", duration=100.0))
    assert got == [
        (10.0, "relay", "T04", ("IO-T04",), 2, ()),
        (10.0, "relay", "T05", (), 2, ("HS-FOREST2",)),
        (30.0, "patrol", "IO-T04", ("HS-FOREST",), 1, ()),
    ]


def test_a_clear_day_has_no_warning_and_schedules_nothing():
    log = warned("clear")
    assert not [r for r in log if r["kind"] in WARN]
    assert [r["kind"] for r in log] == ["drill_started", "drill_ended"]


def test_night_slows_the_relay_and_a_patrol_finds_an_incident_under_way():
    """Night × 1.5 on reports: relays at 15. A flood at the river (site HS-RIVER) that is not
    under control is listed by the patrol that passes it."""
    flood = incident("F1", 5.0, "T02", 117.32, 31.648,
                     [{"capability": "fire_suppression", "effort": 1e6}], site="HS-RIVER")
    p = fixed_params({**FIXED, "conditions": {"night": {"report": 1.5}}})
    sc = scenario([flood], duration=200.0, conditions={"weather": "rain", "night": True})
    got = [x for x in trace(simulate_county(sc, p)) if x[2] in ("T02", "IO-V0201")]
    assert got == [
        (15.0, "relay", "T02", ("IO-V0201",), 2, ()),
        (35.0, "patrol", "IO-V0201", ("HS-RIVER",), 1, ("F1",)),
        (155.0, "patrol", "IO-V0201", ("HS-RIVER",), 2, ("F1",)),
    ]


# ----- 灾情报告 ------------------------------------------------------------------------------
def disaster(template: str = "flood", township: str = "T02", t: float = 2.0, **kw):
    lon, lat = {"T02": (117.30, 31.66), "T03": (117.12, 31.62), "T05": (117.00, 31.86)}[township]
    return incident("F1", t, township, lon, lat,
                    [{"capability": "fire_suppression", "effort": 60.0}], template=template,
                    casualties={"injured": 2, "evacuated": 40}, **kw)


def damage(log):
    return [(r["t"], r["incident"], r["data"]["stage"], r["data"]["officer"], r["data"]["to"],
             r["data"]["complete"], r["data"]["delay_min"])
            for r in log if r["kind"] == "damage_reported"]


def run_damage(known: float, late: float = 0.0, **kw):
    p = fixed_params({"officers.damage_report": {"dist": "fixed", "value": known},
                      "officers.damage_report_late": late})
    return simulate_county(scenario([disaster(**kw)], duration=240.0), p)


def test_damage_reported_by_the_township_officer_within_the_limit():
    log = run_damage(20.0)
    assert damage(log) == [(22.0, "F1", "first", "IO-T02", "DESK-K1", True, 20.0)]
    rec = next(r for r in log if r["kind"] == "damage_reported")
    assert rec["data"]["casualties"] == {"dead": 0, "injured": 2, "trapped": 0, "missing": 0,
                                         "evacuated": 40}


def test_facts_later_than_the_limit_what_is_known_is_reported_at_the_limit():
    """初报 at the latest 60 min after the disaster, incomplete; the facts follow (续报)."""
    log = run_damage(80.0)
    assert damage(log) == [(62.0, "F1", "first", "IO-T02", "DESK-K1", False, 60.0),
                           (82.0, "F1", "followup", "IO-T02", "DESK-K1", True, 80.0)]
    first = next(r for r in log if r["kind"] == "damage_reported")
    assert first["data"]["casualties"] is None


def test_a_late_officer_misses_the_limit():
    assert damage(run_damage(80.0, late=1.0)) == [
        (82.0, "F1", "first", "IO-T02", "DESK-K1", True, 80.0)]


def test_who_reports_and_which_incidents_are_natural_disasters():
    # 石门乡 has no township officer and the caller is the public: its village's officer
    assert [d[3] for d in damage(run_damage(20.0, township="T05"))] == ["IO-V0501"]
    # the caller, an officer, when the township has none of its own
    got = damage(run_damage(20.0, township="T03",
                            caller={"source": "info_officer", "id": "IO-K1"}))
    assert [d[3] for d in got] == ["IO-K1"]
    # 白沙乡 has no officer at all and nobody called: no damage report
    assert damage(run_damage(20.0, township="T03")) == []
    # a building fire is not a natural disaster
    assert damage(run_damage(20.0, template="building_fire")) == []


@settings(max_examples=40, deadline=None)
@given(known=st.floats(0.0, 200.0), limit=st.floats(1.0, 120.0), late=st.booleans(),
       night=st.booleans())
def test_damage_report_timing_property(known: float, limit: float, late: bool, night: bool):
    """Whatever the delay, the limit and the conditions: exactly one first report, at the facts'
    time when they come within the limit or the officer is late, else at the limit with a
    follow-up when the facts are in; night stretches the delay by the report factor."""
    p = fixed_params({"officers.damage_report": {"dist": "fixed", "value": known},
                      "officers.damage_report_limit_min": limit,
                      "officers.damage_report_late": 1.0 if late else 0.0,
                      "conditions": {"night": {"report": 1.5}}})
    sc = scenario([disaster()], duration=600.0, conditions={"night": night})
    got = [(d[2], d[5], d[6]) for d in damage(simulate_county(sc, p))]
    k = known * (1.5 if night else 1.0)
    if k <= limit or late:
        assert got == [("first", True, round(k, 4))]
    else:
        assert got == [("first", False, round(limit, 4)), ("followup", True, round(k, 4))]


def test_warned_weathers_are_the_scenario_schemas():
    """The parameters' weather keys are exactly the weathers a scenario can have."""
    from typing import get_args

    from engine.params import Weather
    from scenarios.schema import Conditions

    assert set(get_args(Weather)) == set(get_args(Conditions.model_fields["weather"].annotation))
