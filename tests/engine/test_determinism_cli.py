"""Determinism across processes, the simulate/demo commands, and clear errors for bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from engine.params import load_params
from engine.simulation import simulate
from scenarios.loading import InputError
from tests.engine.conftest import COUNTY, incident, scenario
from ui.cli import cli

ROOT = Path(__file__).resolve().parents[2]

SMALL = """\
schema: blinddrill.scenario/1
id: small
duration_min: 180
conditions: {night: true}
injects:
  - id: J1
    t: 2
    incident:
      id: F1
      category: building_fire
      grade: III
      location: {township: T02, lon: 117.31, lat: 31.66}
      requires: [{capability: fire_suppression, effort: 800, units: 2}, {capability: medical, effort: 100}]
      supplies: {blankets: 30}
      casualties: {injured: 4}
      template: building_fire
  - id: X1
    t: 6
    kind: complication
    complication: {type: road_blocked, township: T02, factor: 2}
"""


@pytest.fixture()
def small(tmp_path: Path) -> Path:
    p = tmp_path / "small.yaml"
    p.write_text(SMALL, encoding="utf-8")
    return p


def run_cli(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", "from ui.cli import main; main()", *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_same_seed_same_bytes_in_two_processes(small: Path, tmp_path: Path):
    outs = []
    for k in range(2):
        out = tmp_path / f"run{k}"
        p = run_cli(["simulate", str(small), "--region", str(COUNTY), "--seed", "42",
                     "-o", str(out)])
        assert p.returncode == 0, p.stderr
        outs.append((out / "events.jsonl").read_bytes())
    assert outs[0] == outs[1] and len(outs[0]) > 1000
    # and in this process too
    from scenarios.region import load_region
    from scenarios.schema import load_scenario

    log = simulate(load_region(COUNTY), load_scenario(small), seed=42)
    here = tmp_path / "here.jsonl"
    log.write_jsonl(here)
    assert here.read_bytes() == outs[0]


def test_different_seeds_differ(county):
    sc = scenario([incident("A", 1.0, "T01", 117.2, 31.7, [{"capability": "evacuation",
                                                            "effort": 300.0}])])
    a = [r["t"] for r in simulate(county, sc, seed=1)]
    b = [r["t"] for r in simulate(county, sc, seed=2)]
    assert a != b


def test_simulate_writes_run_dir(small: Path, tmp_path: Path):
    out = tmp_path / "run"
    res = CliRunner().invoke(cli, ["simulate", str(small), "--region", str(COUNTY), "--seed", "3",
                                   "-o", str(out), "--json"])
    assert res.exit_code == 0, res.output
    summary = json.loads(res.output)
    assert summary["incidents"] == 1 and summary["units_used"] >= 3
    names = sorted(p.name for p in (out / "inputs").iterdir())
    assert names == ["params.yaml", "region.yaml", "run.json", "scenario.yaml"]
    assert (out / "inputs" / "scenario.yaml").read_text(encoding="utf-8") == SMALL
    run = json.loads((out / "inputs" / "run.json").read_text(encoding="utf-8"))
    assert run["seed"] == 3 and run["version"]
    # the copied inputs reproduce the log
    out2 = tmp_path / "again"
    res = CliRunner().invoke(cli, ["simulate", str(out / "inputs" / "scenario.yaml"),
                                   "--region", str(out / "inputs" / "region.yaml"),
                                   "--params", str(out / "inputs" / "params.yaml"),
                                   "--seed", "3", "-o", str(out2)])
    assert res.exit_code == 0, res.output
    assert (out2 / "events.jsonl").read_bytes() == (out / "events.jsonl").read_bytes()


@pytest.mark.parametrize(("text", "needle"), [
    ("id: x\ninjects: [\n", "malformed YAML"),
    (SMALL.replace("township: T02, lon", "township: T99, lon"), "no township 'T99'"),
    (SMALL.replace("effort: 800", "effort: -5"), "effort"),
    (SMALL.replace("capability: medical", "capability: telepathy"), "telepathy"),
])
def test_bad_scenario_exits_2_with_clear_message(tmp_path: Path, text: str, needle: str):
    p = tmp_path / "bad.yaml"
    p.write_text(text, encoding="utf-8")
    proc = run_cli(["simulate", str(p), "--region", str(COUNTY), "--seed", "1",
                    "-o", str(tmp_path / "r")])
    assert proc.returncode == 2
    assert needle in proc.stderr and str(p) in proc.stderr
    assert "Traceback" not in proc.stderr


def test_bad_params_file_names_field(tmp_path: Path, small: Path):
    p = tmp_path / "params.yaml"
    p.write_text(load_params().to_yaml().replace("sigma: 0.5", "sigma: -1", 1), encoding="utf-8")
    proc = run_cli(["simulate", str(small), "--region", str(COUNTY), "--params", str(p),
                    "--seed", "1", "-o", str(tmp_path / "r")])
    assert proc.returncode == 2 and "sigma" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize("cmd", ["simulate", "demo"])
def test_help(cmd: str):
    res = CliRunner().invoke(cli, [cmd, "--help"])
    assert res.exit_code == 0 and "--seed" in res.output


def test_params_round_trip_and_defaults():
    p = load_params()
    from engine.params import BehaviourParams
    from scenarios.loading import parse_yaml_text

    again = BehaviourParams.model_validate(parse_yaml_text(p.to_yaml(), "x"))
    assert again == p
    fr = p.for_kind("fire_rescue")
    assert fr.turnout.median == 1.5 and fr.first_report == p.units["default"].first_report
    assert p.for_kind("no_such_kind").turnout == p.units["default"].turnout


@pytest.mark.parametrize(("edit", "needle"), [
    (lambda d: d["units"].pop("default"), "units.default"),
    (lambda d: d["units"]["default"].pop("turnout"), "units.default.turnout"),
    (lambda d: d["alarm"]["take_alarm"].__setitem__("county", {"dist": "triangular", "low": 3,
                                                                "mode": 1, "high": 2}), "triangular"),
    (lambda d: d["reports"].__setitem__("final_missed", 1.5), "reports.final_missed"),
    (lambda d: d.__setitem__("extra", 1), "unknown key"),
])
def test_bad_params_errors(tmp_path: Path, edit, needle):
    import yaml

    d = load_params().model_dump(mode="json", by_alias=True, exclude_none=True)
    edit(d)
    f = tmp_path / "p.yaml"
    f.write_text(yaml.safe_dump(d, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_params(f)
    assert needle in str(e.value) and str(f) in str(e.value)


def test_simulate_never_overwrites_a_run_silently(tmp_path: Path, small: Path):
    out = tmp_path / "run"
    args = ["simulate", str(small), "--region", str(COUNTY), "--seed", "1", "-o", str(out)]
    assert run_cli(args).returncode == 0
    (out / "baseline" / "rep-001").mkdir(parents=True)
    first = (out / "events.jsonl").read_bytes()
    again = run_cli([*args[:-4], "--seed", "2", "-o", str(out)])
    assert again.returncode == 2 and "already holds a drill log" in again.stderr
    assert (out / "events.jsonl").read_bytes() == first  # nothing lost
    forced = run_cli([*args[:-4], "--seed", "2", "-o", str(out), "--force"])
    assert forced.returncode == 0
    assert (out / "events.jsonl").read_bytes() != first
    assert not (out / "baseline").exists()  # the old run's baseline went with it
