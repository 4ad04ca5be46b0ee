"""Fixtures for the experiments tests: the shipped catalogue and plan."""

from __future__ import annotations

import pytest

from scenarios.catalogue import HazardCatalogue, load_catalogue
from scenarios.plan import DrillPlan, load_plan


@pytest.fixture(scope="session")
def catalogue() -> HazardCatalogue:
    """The shipped hazard catalogue."""
    return load_catalogue()


@pytest.fixture(scope="session")
def plan() -> DrillPlan:
    """The shipped default plan."""
    return load_plan()
