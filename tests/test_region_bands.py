"""Difficulty bands hold on more than the seed city: the example county's calibrated scenarios
land in the easy, normal and hard bands of the default plan (the figures over 20 seeds per
region are in docs/generator.md, "Difficulty calibration")."""

from __future__ import annotations

import pytest

from experiments.calibration import calibrator
from scenarios.catalogue import HazardCatalogue, load_catalogue
from scenarios.generator import generate
from scenarios.plan import DrillPlan, load_plan
from scenarios.region import Region


@pytest.fixture(scope="module")
def catalogue() -> HazardCatalogue:
    return load_catalogue()


@pytest.fixture(scope="module")
def plan() -> DrillPlan:
    return load_plan()


@pytest.mark.parametrize("level", ["easy", "normal", "hard"])
def test_county_scenarios_land_in_their_band(level: str, county: Region,
                                             catalogue: HazardCatalogue, plan: DrillPlan) -> None:
    lo, hi = plan.difficulty[level].band  # type: ignore[index]
    for seed in range(3):
        s = generate(county, catalogue, plan, seed, difficulty=level,  # type: ignore[arg-type]
                     calibrator=calibrator())
        d = s.meta["difficulty"]
        assert d["in_band"] and lo <= d["predicted"]["mean"] <= hi, (seed, d)


def test_bands_are_ordered_and_cover_the_range(plan: DrillPlan) -> None:
    bands = [plan.difficulty[k].band for k in ("hard", "normal", "easy")]  # type: ignore[index]
    assert bands[0][0] == 0.0 and bands[-1][1] == 1.0
    assert all(a[1] == b[0] for a, b in zip(bands, bands[1:], strict=False))
