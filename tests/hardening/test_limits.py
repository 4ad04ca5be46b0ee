"""Limits (scenarios/limits.py) are enforced with clear messages naming the file and field."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from scenarios import limits
from scenarios.loading import InputError, validate_data
from scenarios.region import Region
from tests.hardening.conftest import refused, run
from tests.hardening.corpus import COUNTY, ROOT

SCENARIO = ROOT / "tests" / "hardening" / "data" / "county_scenario.yaml"


def _region() -> dict[str, Any]:
    return yaml.safe_load(COUNTY.read_text(encoding="utf-8"))


def test_too_many_units_is_refused_before_validating_them() -> None:
    data = _region()
    data["units"] = [{"id": "x"}] * (limits.MAX_UNITS + 1)  # invalid records: never looked at
    with pytest.raises(InputError) as err:
        validate_data(data, Region, "big.yaml")
    assert f"units: {limits.MAX_UNITS + 1:,} records, more than the limit of " \
           f"{limits.MAX_UNITS:,}" in str(err.value)


@pytest.mark.parametrize("path, value, field", [
    (("jurisdictions", 0, "population"), 10**15, "jurisdictions[0].population"),
    (("depots", 0, "stock"), {"sandbag": 10**12}, "depots[0].stock.sandbag"),
])
def test_region_numbers(tmp_path: Path, path: tuple[Any, ...], value: Any, field: str) -> None:
    data = _region()
    node = data
    for p in path[:-1]:
        node = node[p]
    node[path[-1]] = value
    f = tmp_path / "r.yaml"
    f.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    refused(run(["region", "show", f]), str(f), field, "less than or equal")


def _scenario_with(tmp_path: Path, edit: Any) -> Path:
    data = yaml.safe_load(SCENARIO.read_text(encoding="utf-8"))
    edit(data)
    f = tmp_path / "s.yaml"
    f.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return f


@pytest.mark.parametrize("edit, field", [
    (lambda d: d["injects"][0]["incident"]["casualties"].update(injured=10**9),
     "injects[0].incident.casualties.injured"),
    (lambda d: d["injects"][0]["incident"].update(supplies={"sandbag": 10**12}),
     "injects[0].incident.supplies.sandbag"),
    (lambda d: d.update(duration_min=10**9), "duration_min"),
    (lambda d: d["injects"][0].update(t=10**9), "injects[0].t"),
    # copies, not the same dicts repeated: yaml would write those as aliases, and the alias
    # limit (MAX_YAML_ALIAS_NODES) would refuse the file before the inject limit is reached
    (lambda d: d.update(injects=[copy.deepcopy(i) for i in d["injects"]
                                 * (limits.MAX_INJECTS // 4 + 1)]), "injects"),
])
def test_scenario_numbers(tmp_path: Path, edit: Any, field: str) -> None:
    f = _scenario_with(tmp_path, edit)
    refused(run(["simulate", f, "--region", COUNTY, "--seed", 1, "-o", tmp_path / "run"]),
            str(f), field)
    assert not (tmp_path / "run").exists()


def test_turnout_of_a_billion_minutes(tmp_path: Path, county_files: dict[str, Path]) -> None:
    from engine.params import DEFAULT_PARAMS

    data = yaml.safe_load(DEFAULT_PARAMS.read_text(encoding="utf-8"))
    found = []

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            if node.get("dist") and "turnout" in path and not found:
                key = next(k for k in ("median", "mean", "value", "high") if k in node)
                node[key] = 10**9
                found.append(f"{path}.{key}")
            for k, v in node.items():
                walk(v, f"{path}.{k}" if path else k)

    walk(data, "")
    assert found
    f = tmp_path / "params.yaml"
    f.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    refused(run(["simulate", county_files["scenario"], "--region", COUNTY, "--params", f,
                 "--seed", 1, "-o", tmp_path / "run"]), str(f), "less than or equal")


def test_oversized_input_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import scenarios.loading as loading

    monkeypatch.setattr(loading, "MAX_INPUT_BYTES", 100)
    refused(run(["region", "show", COUNTY]), str(COUNTY), "larger than")


def test_limits_are_documented() -> None:
    doc = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    for name in limits.ALL:
        assert name in doc, f"{name} is not in docs/security.md"
