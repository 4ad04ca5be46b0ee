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


@pytest.fixture(autouse=True)
def _plain_main(monkeypatch: pytest.MonkeyPatch) -> None:
    """Spawned worker processes (Dask's nannies) re-import ``__main__`` from its path. A console
    AppTest run earlier in the same pytest process leaves Streamlit's page script as
    ``__main__``, which cannot run outside Streamlit ("name '__args' is not defined"): give
    the workers a plain ``__main__`` with nothing to re-import."""
    import sys
    import types

    main = sys.modules.get("__main__")
    if main is not None and getattr(main, "__spec__", None) is None:
        monkeypatch.setitem(sys.modules, "__main__", types.ModuleType("__main__"))
