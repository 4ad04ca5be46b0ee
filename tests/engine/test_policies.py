"""Dispatch policies: nearest, specialist first within a tolerance, own site first."""

from __future__ import annotations

import numpy as np
import pytest

from engine.dispatch import (
    DispatchRequest,
    NearestEta,
    OwnSiteFirst,
    SpecialistFirst,
    make_policy,
)
from engine.simulation import simulate
from scenarios.region import Region, Unit
from tests.engine.conftest import fixed_params, incident, scenario


def unit(i: int, kind: str, site: str | None = None) -> Unit:
    return Unit(id=f"U{i}", name=f"队{i}", kind=kind, tier="county", jurisdiction="T",  # type: ignore[arg-type]
                lon=117.0, lat=31.0, headcount=10, capabilities={"forest_fire": 1}, site=site)


UNITS = [unit(0, "township_station"), unit(1, "forest_fire"), unit(2, "township_station"),
         unit(3, "enterprise", site="HS-1"), unit(4, "forest_fire")]


def req(eta: list[float], wanted: int = 1, site: str | None = None,
        cap: str = "forest_fire") -> DispatchRequest:
    return DispatchRequest(np.arange(len(eta), dtype=np.intp), np.array(eta, dtype=float),
                           wanted, cap, site, UNITS)


def test_nearest_eta_skips_unreachable():
    assert NearestEta().choose(req([5, 3, np.inf, 4, 9], 3)) == [1, 3, 0]
    assert NearestEta().choose(req([np.inf, np.inf, np.inf, np.inf, np.inf])) == []


def test_specialist_first_within_tolerance_only():
    p = SpecialistFirst(15.0, {"forest_fire": ["forest_fire"]})
    # the brigade (U1) is 12 min further than the nearest station: it goes first
    assert p.choose(req([3, 15, 5, 40, 60])) == [1]
    # 20 min further: beyond the tolerance, the nearest goes
    assert p.choose(req([3, 23, 5, 40, 60])) == [0]
    # two wanted: the specialist within tolerance, then the nearest of the rest
    assert p.choose(req([3, 15, 5, 40, 17], 2)) == [1, 4]
    assert p.choose(req([3, 15, 5, 40, 60], 2)) == [1, 0]
    # a capability with no specialists listed: nearest first
    assert p.choose(req([3, 15, 5, 40, 60], cap="evacuation")) == [0]


def test_own_site_first_wherever_the_others_are():
    p = OwnSiteFirst(NearestEta())
    assert p.choose(req([3, 15, 5, 40, 60], site="HS-1")) == [3]
    assert p.choose(req([3, 15, 5, 40, 60], 3, site="HS-1")) == [3, 0, 2]
    assert p.choose(req([3, 15, 5, 40, 60], site="HS-2")) == [0]
    assert p.choose(req([3, 15, 5, np.inf, 60], site="HS-1")) == [0]  # unreachable: not sent


def test_dispatcher_is_own_site_then_specialist_then_nearest():
    p = make_policy("dispatcher", 15.0, {"forest_fire": ["forest_fire"]})
    assert p.choose(req([3, 15, 5, 40, 60], 2, site="HS-1")) == [3, 1]
    with pytest.raises(ValueError, match="unknown dispatch policy"):
        make_policy("closest")


def test_enterprise_team_goes_to_its_own_site(county: Region):
    """A hazmat leak at the chemical park (HS-CHEM1): its own team U-E-CHEM is sent first by
    the shipped default policy; with nearest_eta passed to simulate, the nearest goes."""
    site = county.site_by_id["HS-CHEM1"]
    sc = scenario([incident("H1", 0.0, "T02", site.lon, site.lat,
                            [{"capability": "fire_suppression", "effort": 100.0}],
                            site="HS-CHEM1")])
    params = fixed_params({"units.default.turnout": {"dist": "fixed", "value": 1.0}})
    first = [r["unit"] for r in simulate(county, sc, seed=1, params=params)
             if r["kind"] == "unit_dispatched"]
    assert first[0] == "U-E-CHEM"
    data = county.model_dump(by_alias=True)
    moved = next(u for u in data["units"] if u["id"] == "U-E-CHEM")
    moved["lon"], moved["lat"] = moved["lon"] + 0.05, moved["lat"] + 0.05  # not the nearest
    far = Region.model_validate(data)
    assert [r["unit"] for r in simulate(far, sc, seed=1, params=params)
            if r["kind"] == "unit_dispatched"][0] == "U-E-CHEM"
    nearest = [r["unit"] for r in simulate(far, sc, seed=1, params=params, policy=NearestEta())
               if r["kind"] == "unit_dispatched"]
    assert nearest[0] != "U-E-CHEM"
