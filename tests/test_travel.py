"""Travel model: exact on a hand-made case, monotone in distance, road blocks."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from scenarios.region import Region
from scenarios.travel import RoadBlocks, TravelModel, TravelParams, haversine_km, point_eta_minutes


def test_haversine_one_degree_of_latitude() -> None:
    # one degree of latitude on the mean-radius sphere is R·π/180 km
    d = haversine_km(np.array([117.0]), np.array([31.0]), 117.0, 32.0)
    assert math.isclose(float(d[0]), 6371.0088 * math.pi / 180, rel_tol=1e-12)


def test_eta_is_exactly_distance_times_detour_over_speed() -> None:
    params = TravelParams(detour={"urban": 1.4, "plain": 1.3, "hill": 1.5, "mountain": 1.8},
                          speed_kmh={"default": 40.0, "medical": 60.0},
                          arterial_min_km=15.0, arterial_factor=1.4)
    tm = TravelModel(params, ["a", "b"], np.array([117.0, 117.0]), np.array([31.0, 31.0]),
                     ["township_station", "medical"])
    lat2 = 31.05  # about 5.56 km north: below the arterial threshold
    d = float(haversine_km(117.0, 31.0, 117.0, lat2))
    eta = tm.eta_minutes(117.0, lat2, "hill")
    assert math.isclose(eta[0], 60 * d * 1.5 / 40.0, rel_tol=1e-12)
    assert math.isclose(eta[1], 60 * d * 1.5 / 60.0, rel_tol=1e-12)
    # beyond the threshold, arterial roads are faster by the factor
    far = float(haversine_km(117.0, 31.0, 117.0, 31.3))
    eta_far = tm.eta_minutes(117.0, 31.3, "plain")
    assert math.isclose(eta_far[0], 60 * far * 1.3 / (40.0 * 1.4), rel_tol=1e-12)
    assert math.isclose(
        point_eta_minutes(params, "medical", 117.0, 31.0, 117.0, lat2, "hill"), eta[1]
    )


@given(st.floats(0.0, 0.3), st.floats(0.0, 0.3))
def test_eta_is_monotone_in_distance(a: float, b: float) -> None:
    params = TravelParams(arterial_min_km=1e9)  # one road class: strictly proportional
    tm = TravelModel(params, ["u"], np.array([117.0]), np.array([31.0]), ["x"])
    near, far = sorted((a, b))
    assert tm.eta_minutes(117.0 + near, 31.0, "plain")[0] <= tm.eta_minutes(117.0 + far, 31.0, "plain")[0]


def test_road_blocks_slow_or_cut_off(county: Region) -> None:
    tm = county.travel_model()
    base = tm.eta_minutes(117.30, 31.66, "plain", "T02")
    tm.blocks.block("T02", factor=2.0)
    assert np.allclose(tm.eta_minutes(117.30, 31.66, "plain", "T02"), 2 * base)
    tm.blocks.block("T02", unit="U-T01")  # cut off for one unit
    eta = tm.eta_minutes(117.30, 31.66, "plain", "T02")
    i = tm.origin_ids.index("U-T01")
    assert math.isinf(eta[i]) and np.isfinite(np.delete(eta, i)).all()
    tm.blocks.clear("T02")
    assert np.allclose(tm.eta_minutes(117.30, 31.66, "plain", "T02"), base)
    # other townships are never affected
    assert np.allclose(tm.eta_minutes(117.0, 31.86, "mountain", "T05"),
                       county.travel_model().eta_minutes(117.0, 31.86, "mountain", "T05"))


def test_unblock_lifts_one_block_only() -> None:
    b = RoadBlocks()
    b.block("T02", 2.0)
    b.block("T02", 3.0)
    b.block("T02", 1.7, unit="U1")
    b.unblock("T02", 3.0)
    assert b.by_township == {"T02": 2.0} and b.by_pair == {("U1", "T02"): 1.7}
    b.unblock("T02", 3.0)  # not in force any more: nothing happens
    assert b.by_township == {"T02": 2.0}
    b.block("T02", 1.1)
    b.unblock("T02", 2.0)
    assert b.by_township == {"T02": 1.1}  # exactly the remaining factor, no division error
    b.unblock("T02", 1.1)
    b.unblock("T02", 1.7, unit="U1")
    assert b.by_township == {} and b.by_pair == {}
    b.block("T02")  # inf: cut off
    b.block("T02", 2.0)
    b.unblock("T02")
    assert b.by_township == {"T02": 2.0}
