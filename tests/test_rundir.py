"""The run-directory module (engine/rundir.py): write then read back, copies as written, the
built-in region as JSON that YAML readers also accept, refusal to overwrite a drill log, and
sealed/JSON inputs parsed once with orjson."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.params import load_params
from engine.rundir import RunDirExists, Sources, open_run, read_data, simulate_run
from scenarios.loading import InputError
from scenarios.region import load_region
from scenarios.sealing import read_scenario_file, seal, write_sealed
from scenarios.seed_city import default_region
from tests.experiments.helpers import demo_scenario

COUNTY = Path(__file__).resolve().parents[1] / "scenarios" / "regions" / "county.yaml"


def test_write_and_read_back_a_run(tmp_path: Path) -> None:
    region, scenario, params = default_region(), demo_scenario(), load_params()
    sealed = tmp_path / "sealed.json"
    write_sealed(seal(scenario), sealed)
    run = tmp_path / "run"
    log = simulate_run(run, region, scenario, params, 3, Sources(scenario=sealed, sealed=True),
                       ["blinddrill", "test"])
    names = sorted(p.name for p in (run / "inputs").iterdir())
    assert names == ["params.yaml", "region.yaml", "run.json", "sealed.json"]
    assert (run / "inputs" / "sealed.json").read_bytes() == sealed.read_bytes()
    assert (run / "inputs" / "region.yaml").read_bytes()[:1] == b"{"  # JSON, no YAML dump
    rd = open_run(run)
    assert rd.region() == region and rd.region() is rd.region()  # parsed once
    assert load_region(run / "inputs" / "region.yaml") == region  # JSON is YAML too
    assert rd.scenario() == scenario and rd.params() == params
    info = rd.run_info()
    assert info["seed"] == 3 and info["inputs"]["region"] == "built-in"
    assert rd.records() == log.records
    with pytest.raises(RunDirExists, match="already holds a drill log"):
        simulate_run(run, region, scenario, params, 4, Sources(), ["x"])
    again = simulate_run(run, region, scenario, params, 4, Sources(), ["x"], overwrite=True)
    assert open_run(run).records() == again.records
    assert (run / "inputs" / "scenario.yaml").is_file()
    assert not (run / "inputs" / "sealed.json").exists()


def test_write_run_from_recorded_records(tmp_path: Path) -> None:
    from engine.rundir import write_run

    region, scenario, params = default_region(), demo_scenario(), load_params()
    recs = simulate_run(tmp_path / "a", region, scenario, params, 2, Sources(), ["x"]).records
    write_run(tmp_path / "b", recs, region, scenario, params, Sources(), {"mode": "live"})
    b = open_run(tmp_path / "b")
    assert b.records() == recs and b.run_info()["mode"] == "live" and b.region() == region
    assert (tmp_path / "b" / "events.jsonl").read_bytes() == \
        (tmp_path / "a" / "events.jsonl").read_bytes()
    with pytest.raises(RunDirExists):
        write_run(tmp_path / "b", recs, region, scenario, params, Sources(), {})


def test_a_region_file_is_copied_byte_for_byte(tmp_path: Path) -> None:
    from scenarios.schema import scenario_from_data

    region = load_region(COUNTY)
    t = region.of_level("township")[0]
    sc = scenario_from_data({"id": "s", "duration_min": 60, "injects": []})
    simulate_run(tmp_path / "r", region, sc, load_params(), 1, Sources(region=COUNTY), ["x"])
    assert (tmp_path / "r" / "inputs" / "region.yaml").read_bytes() == COUNTY.read_bytes()
    assert open_run(tmp_path / "r").region() == region
    assert t.id in open_run(tmp_path / "r").region().jurisdiction_by_id  # type: ignore[union-attr]


def test_json_inputs_are_parsed_once_and_errors_stay_clear(tmp_path: Path) -> None:
    sealed = tmp_path / "s.json"
    write_sealed(seal(demo_scenario()), sealed)
    scenario, is_sealed = read_scenario_file(sealed)
    assert is_sealed and scenario == demo_scenario()
    doc = json.loads(sealed.read_text(encoding="utf-8"))
    doc["scenario"]["duration_min"] += 1
    sealed.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(InputError, match="MISMATCH"):
        read_scenario_file(sealed)
    broken = tmp_path / "b.json"
    broken.write_text('{"a": 1,\n "b": }', encoding="utf-8")
    with pytest.raises(InputError, match=str(broken)):
        read_scenario_file(broken)
    with pytest.raises(InputError, match="file not found"):
        read_data(tmp_path / "missing.yaml")
    assert read_data(COUNTY)["name"] == load_region(COUNTY).name
