"""`blinddrill demo` end to end: sealed scenario, run, baseline, scorecard, both reports."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from engine.eventlog import read_events
from scenarios.sealing import read_sealed
from ui.cli import cli

pytestmark = pytest.mark.slow


def test_demo_runs_the_whole_chain(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    res = CliRunner().invoke(cli, ["demo", "--json", "-o", str(out), "--replications", "3"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)

    sealed = read_sealed(out / "sealed.json")  # verifies the commitment
    assert doc["commitment"] == sealed.commitment
    n_incidents = len(sealed.scenario.incidents)
    assert doc["summary"]["incidents"] == n_incidents >= 8
    assert doc["summary"]["controlled"] + doc["summary"]["unresolved"] == n_incidents

    run = out / "run"
    events = read_events(run / "events.jsonl")  # every line valid, times non-decreasing
    assert events[0].kind == "drill_started" and events[-1].kind == "drill_ended"
    assert (run / "inputs" / "sealed.json").read_bytes() == (out / "sealed.json").read_bytes()
    assert len(list((run / "baseline").glob("rep-*/events.jsonl"))) == 3
    assert doc["baseline_replications"] == 3

    assert 0 <= doc["overall"]["score"] <= 100 and doc["overall"]["level"] in (
        "excellent", "good", "pass", "fail")
    assert set(doc["capabilities"].values()) <= {"P", "S", "M", "U", None}

    html, word = (Path(p) for p in doc["reports"])
    assert html.suffix == ".html" and word.suffix == ".docx"
    text = html.read_text(encoding="utf-8")
    assert "http://" not in text and "https://" not in text and "data:image/png;base64," in text
    d = docx.Document(str(word))
    assert any("P/S/M/U" in p.text or "评级" in p.text for p in d.paragraphs)
    assert len(d.tables) >= 2


def test_demo_is_deterministic_and_speaks_english(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    for d in (a, b):
        res = CliRunner().invoke(cli, ["demo", "--lang", "en", "-o", str(d), "--replications", "0"])
        assert res.exit_code == 0, res.output
    assert "Drill summary:" in res.output and "Capability ratings:" in res.output
    assert (a / "sealed.json").read_bytes() == (b / "sealed.json").read_bytes()
    assert (a / "run" / "events.jsonl").read_bytes() == (b / "run" / "events.jsonl").read_bytes()


def test_demo_honours_params_and_runs_its_baseline_on_a_pool(tmp_path: Path) -> None:
    import yaml

    from engine.params import load_params

    data = load_params().model_dump(mode="json")
    data["alarm"]["take_alarm"] = {k: {"dist": "fixed", "value": 0.25}
                                   for k in data["alarm"]["take_alarm"]}
    params = tmp_path / "fast-desks.yaml"
    params.write_text(yaml.safe_dump(data), encoding="utf-8")
    out = tmp_path / "demo"
    res = CliRunner().invoke(cli, ["demo", "--json", "-o", str(out), "--replications", "5",
                                   "--workers", "2", "--params", str(params)])
    assert res.exit_code == 0, res.output
    run = out / "run"
    assert (run / "inputs" / "params.yaml").read_bytes() == params.read_bytes()
    assert "--params" in json.loads((run / "inputs" / "run.json").read_text())["command"]
    for log in [run / "events.jsonl", *sorted((run / "baseline").glob("rep-*/events.jsonl"))]:
        recs = read_events(log)
        raised = {e.incident: e.t for e in recs if e.kind == "alarm_raised"}
        taken = [e.t - raised[e.incident] for e in recs if e.kind == "alarm_taken"]
        # every take lasts the fixed 0.25 min (plus any wait for a busy officer); the shipped
        # lognormal times would fall below 0.25 min in a few percent of alarms
        assert taken and min(taken) >= 0.25 - 1e-6, log
    assert len(list((run / "baseline").glob("rep-*/events.jsonl"))) == 5


def test_demo_on_a_region_file(tmp_path: Path) -> None:
    county = Path(__file__).resolve().parents[1] / "scenarios" / "regions" / "county.yaml"
    out = tmp_path / "county"
    res = CliRunner().invoke(cli, ["demo", "--json", "--region", str(county), "-o", str(out),
                                   "--replications", "2", "--workers", "1"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    sealed = read_sealed(out / "sealed.json")
    assert sealed.scenario.region == "青溪县 Qingxi County (example)"
    townships = {"T01", "T02", "T03", "T04", "T05", "T06"}
    assert {i.location.township for i in sealed.scenario.incidents} <= townships
    assert doc["summary"]["incidents"] == len(sealed.scenario.incidents) >= 8
    run = out / "run"
    assert (run / "inputs" / "region.yaml").read_bytes() == county.read_bytes()
    events = read_events(run / "events.jsonl")
    units = {e.unit for e in events if e.kind == "unit_dispatched"}
    assert units and all(u is not None and u.startswith("U-") and u.count("-") <= 2 for u in units)
    assert json.loads((run / "inputs" / "run.json").read_text(encoding="utf-8"))["command"][-2:] == [
        "--region", str(county)]
    assert doc["baseline_replications"] == 2


def test_demo_with_a_bad_region_file_exits_2(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    from ui.cli import main

    bad = tmp_path / "bad.yaml"
    bad.write_text("schema: blinddrill.region/1\nname: x\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_:
        main(["demo", "--region", str(bad), "-o", str(tmp_path / "o"), "--replications", "0"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert str(bad) in err and "capabilities" in err and "Traceback" not in err
    assert not (tmp_path / "o" / "sealed.json").exists()
