"""Shared helpers for the engine tests: the county region, fixed parameters, tiny scenarios."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from engine.params import BehaviourParams, load_params
from scenarios.region import Region, load_region
from scenarios.schema import Scenario, scenario_from_data

COUNTY = Path(__file__).resolve().parents[2] / "scenarios" / "regions" / "county.yaml"


@pytest.fixture(scope="session")
def county() -> Region:
    """The 20-unit example county."""
    return load_region(COUNTY)


def _fix(node: Any, value: float) -> Any:
    """Replace every distribution spec in ``node`` by ``{dist: fixed, value}``."""
    if isinstance(node, dict):
        if "dist" in node:
            return {"dist": "fixed", "value": value}
        return {k: _fix(v, value) for k, v in node.items()}
    if isinstance(node, list):
        return [_fix(v, value) for v in node]
    return node


def fixed_params(overrides: dict[str, Any] | None = None, everything: float = 0.0) -> BehaviourParams:
    """Default parameters with every distribution fixed at ``everything`` and no errors, then
    ``overrides`` (dotted paths → values) applied."""
    data = load_params().model_dump(mode="json", by_alias=True, exclude_none=True)
    data = _fix(data, everything)
    data["travel"]["factor"] = {"dist": "fixed", "value": 1.0}
    data["command_post"]["variability"] = {"dist": "fixed", "value": 1.0}
    data["conditions"] = {}
    for ub in data["units"].values():
        for k in ("report_missed", "missing_field"):
            if k in ub:
                ub[k] = 0.0
        if "undercount" in ub:
            ub["undercount"] = {"dist": "fixed", "value": 1.0}
        if "productivity" in ub:
            ub["productivity"] = {"dist": "fixed", "value": 1.0}
        if "deployable_fraction" in ub:
            ub["deployable_fraction"] = 1.0
    for k in ("followup_missed", "final_missed", "missing_field", "followup_count_error",
              "final_count_error"):
        data["reports"][k] = 0.0
    data["on_scene"]["level_factor"] = {1: 1.0, 2: 1.0, 3: 1.0}
    for path, value in (overrides or {}).items():
        node = data
        *head, last = path.split(".")
        for h in head:
            node = node[h]
        node[last] = copy.deepcopy(value)
    return BehaviourParams.model_validate(data)


def scenario(injects: list[dict[str, Any]], duration: float = 240.0, **kw: Any) -> Scenario:
    """A validated scenario from inject dicts."""
    return scenario_from_data({"id": "t", "duration_min": duration, "injects": injects, **kw})


def incident(iid: str, t: float, township: str, lon: float, lat: float,
             requires: list[dict[str, Any]], **kw: Any) -> dict[str, Any]:
    """An incident inject dict."""
    spec = {"id": iid, "category": "test", "grade": "IV",
            "location": {"township": township, "lon": lon, "lat": lat},
            "requires": requires, "template": "building_fire", **kw}
    return {"id": f"J-{iid}", "t": t, "kind": "incident", "incident": spec}
