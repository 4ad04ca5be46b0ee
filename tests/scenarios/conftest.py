"""Fixtures for the generator tests: the shipped catalogue and plan, and small helpers."""

from __future__ import annotations

from pathlib import Path

import pytest

from scenarios.catalogue import HazardCatalogue, load_catalogue
from scenarios.generator import generate
from scenarios.plan import DrillPlan, load_plan
from scenarios.region import Region
from scenarios.sealing import seal, write_sealed


@pytest.fixture(scope="session")
def catalogue() -> HazardCatalogue:
    """The shipped hazard catalogue."""
    return load_catalogue()


@pytest.fixture(scope="session")
def plan() -> DrillPlan:
    """The shipped default plan."""
    return load_plan()


@pytest.fixture()
def sealed_file(tmp_path: Path, county: Region, catalogue: HazardCatalogue,
                plan: DrillPlan) -> Path:
    """A sealed scenario of the example county (seed 21)."""
    p = tmp_path / "sealed.json"
    write_sealed(seal(generate(county, catalogue, plan, 21)), p)
    return p
