"""Regression tests for gaps in the unit model: recall of en-route units, the position of a
returning unit, lifting one timed road block, and escalations that re-open a controlled
incident. Fixed parameters throughout, so every time is computed independently here."""

from __future__ import annotations

import math

import pytest

from engine.simulation import simulate
from tests.engine.conftest import incident, scenario
from tests.engine.test_exact_sequence import params, road_min
from tests.engine.test_invariants import check_invariants

R_KM = 6371.0088
ARTERIAL_KM, ARTERIAL = 15.0, 1.4


def road_any(lon1: float, lat1: float, lon2: float, lat2: float, detour: float,
             kmh: float) -> float:
    """Road minutes with the arterial factor for long trips (≥ 15 km)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    d = 2 * R_KM * math.asin(math.sqrt(a))
    return 60 * d * detour / (kmh * (ARTERIAL if d >= ARTERIAL_KM else 1.0))


def of(log, kind, unit=None, incident=None):
    return [r for r in log if r["kind"] == kind and (unit is None or r["unit"] == unit)
            and (incident is None or r["incident"] == incident)]


def test_en_route_unit_is_recalled_when_incident_is_controlled(county):
    """U-T02 (next door) finishes the work alone long before U-T05 (~35 km away) arrives: U-T05
    is released while still on the road, turns back from where it is, and never arrives."""
    lon, lat = 117.301, 31.671
    sc = scenario([incident("F1", 0.0, "T02", lon, lat,
                            [{"capability": "fire_suppression", "effort": 32.0, "units": 2}])],
                  duration=300, participants=["U-T02", "U-T05"])
    log = simulate(county, sc, seed=3, params=params())
    check_invariants(log, sc)
    arrive = 1 + 2 + road_min(117.301, 31.661, lon, lat, 1.3, 40.0)
    control = arrive + 32 / 32
    assert [r["t"] for r in of(log, "incident_controlled")] == [round(control, 6)]
    assert of(log, "unit_arrived", "U-T05") == [], "a recalled unit never arrives"
    rel = of(log, "unit_released", "U-T05")
    assert len(rel) == 1 and rel[0]["t"] == pytest.approx(control, abs=1e-6)
    closed = of(log, "incident_closed")[0]
    assert all(r["seq"] < closed["seq"] for r in of(log, "unit_released", incident="F1"))
    # it turns back from its interpolated position on the outbound trip
    ox, oy = 117.001, 31.861
    out = road_any(ox, oy, lon, lat, 1.3, 40.0)  # into plain T02
    f = (control - 3.0) / out  # mobilised at 1 (take) + 2 (turn-out)
    px, py = ox + (lon - ox) * f, oy + (lat - oy) * f
    back = road_any(px, py, ox, oy, 1.8, 40.0)  # home T05 is mountain
    ret = of(log, "unit_returned", "U-T05")
    assert len(ret) == 1 and ret[0]["t"] == pytest.approx(control + back, abs=1e-5)


def test_returning_unit_dispatched_from_its_position_on_the_way_back(county):
    """U-T02 is halfway home from incident A when B is dispatched: the ETA (and the trip) start
    from the interpolated point, not from A's scene, and there is no turn-out."""
    ax, ay = 117.35, 31.70
    bx, by = 117.25, 31.66
    hx, hy = 117.301, 31.661
    eta_a = road_min(hx, hy, ax, ay, 1.3, 40.0)
    release = 1 + 2 + eta_a + 1 + 2  # take, turn-out, travel, work 32/32, handover
    back = road_min(ax, ay, hx, hy, 1.3, 40.0)
    t_b = release + back / 2 - 1.0  # B's alarm is taken (1 min) halfway through the return
    sc = scenario([
        incident("A", 0.0, "T02", ax, ay, [{"capability": "fire_suppression", "effort": 32.0}]),
        incident("B", round(t_b, 3), "T02", bx, by,
                 [{"capability": "fire_suppression", "effort": 32.0}]),
    ], duration=300, participants=["U-T02"])
    log = simulate(county, sc, seed=3, params=params())
    check_invariants(log, sc)
    disp = of(log, "unit_dispatched", incident="B")[0]
    f = (disp["t"] - release) / back
    assert 0.45 < f < 0.55
    px, py = ax + (hx - ax) * f, ay + (hy - ay) * f
    expected = road_min(px, py, bx, by, 1.3, 40.0)
    assert disp["data"]["eta_min"] == pytest.approx(expected, abs=1e-4)
    mob = of(log, "unit_mobilised", incident="B")[0]
    arr = of(log, "unit_arrived", incident="B")[0]
    assert mob["t"] == disp["t"], "already on the road: no turn-out"
    assert arr["t"] == pytest.approx(disp["t"] + expected, abs=1e-5)
    assert not [r for r in of(log, "unit_returned") if r["t"] < disp["t"]]


def test_timed_road_block_lifts_only_itself(county):
    """Two blocks into T02: × 2 for the whole drill and × 3 for 5 minutes. When the timed one
    ends, travel into T02 is still × 2."""
    lon, lat = 117.301, 31.671
    sc = scenario([
        {"id": "X1", "t": 0.0, "kind": "complication",
         "complication": {"type": "road_blocked", "township": "T02", "factor": 2.0}},
        {"id": "X2", "t": 0.0, "kind": "complication",
         "complication": {"type": "road_blocked", "township": "T02", "factor": 3.0,
                          "duration_min": 5.0}},
        incident("F1", 10.0, "T02", lon, lat,
                 [{"capability": "fire_suppression", "effort": 32.0}]),
    ], duration=200, participants=["U-T02"])
    log = simulate(county, sc, seed=3, params=params())
    road = road_min(117.301, 31.661, lon, lat, 1.3, 40.0)
    disp = of(log, "unit_dispatched")[0]
    assert disp["data"]["eta_min"] == pytest.approx(2 * road, abs=1e-4)
    assert of(log, "unit_arrived")[0]["t"] == pytest.approx(13 + 2 * road, abs=1e-5)


@pytest.mark.parametrize("after", [1.0, 5.0])  # during the handover / after the close
def test_escalation_after_control_reopens_the_incident(county, after):
    lon, lat = 117.301, 31.671
    arrive = 1 + 2 + road_min(117.301, 31.661, lon, lat, 1.3, 40.0)
    control = arrive + 1
    sc = scenario([
        incident("F1", 0.0, "T02", lon, lat, [{"capability": "fire_suppression", "effort": 32.0}]),
        {"id": "X1", "t": round(control + after, 3), "kind": "complication",
         "complication": {"type": "escalation", "incident": "F1", "grade": "IV",
                          "requires": [{"capability": "evacuation", "effort": 36.0}]}},
    ], duration=300, participants=["U-T02", "U-T01"])
    log = simulate(county, sc, seed=3, params=params())
    check_invariants(log, sc)
    kinds = [r["kind"] for r in log if r["kind"] in (
        "incident_controlled", "incident_escalated", "incident_closed")]
    if after < 2:  # re-opened during the handover: the first handover does not close it
        assert kinds == ["incident_controlled", "incident_escalated", "incident_controlled",
                         "incident_closed"]
    else:
        assert kinds == ["incident_controlled", "incident_closed", "incident_escalated",
                         "incident_controlled", "incident_closed"]
    esc = of(log, "incident_escalated")[0]
    assert esc["data"]["reopened"] is True and esc["data"]["grade"] == "IV"
    disp = [r for r in of(log, "unit_dispatched") if r["t"] > control]
    assert len(disp) == 1 and disp[0]["data"]["capability"] == "evacuation"
    finals = [r for r in of(log, "report_submitted")
              if r["data"]["stage"] == "final" and r["data"]["to"] == "township"]
    assert len(finals) == 1 and finals[0]["t"] > of(log, "incident_controlled")[-1]["t"]
