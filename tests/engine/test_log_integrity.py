"""The log's integrity checks: a known final hash holds an unchained log too, an unparseable line
is named (and only it), and the values of ``data`` are checked, not only its keys."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import orjson
import pytest
from click.testing import CliRunner

from engine.eventlog import EventLogError, check_record, verify_lines
from engine.logcheck import check_bytes, check_log
from ui.cli import cli

ROOT = Path(__file__).resolve().parents[2]
COUNTY = ROOT / "scenarios" / "regions" / "county.yaml"
ZERO = "sha256:" + "0" * 64


@pytest.fixture(scope="module")
def sim_run(county_sim_run: Path) -> Path:
    """The shared simulated county run (``tests/conftest.py``)."""
    return county_sim_run


def _copy(run: Path, to: Path) -> Path:
    shutil.copytree(run, to)
    return to


def _records(log: Path) -> list[dict[str, Any]]:
    return [orjson.loads(ln) for ln in log.read_bytes().splitlines()]


def _write(log: Path, recs: list[dict[str, Any]]) -> None:
    log.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in recs))


def _cli(args: list[str]) -> Any:
    return CliRunner().invoke(cli, [str(a) for a in args])


# --- 1. an unchained log cannot match a known final hash -------------------------------------

def _unchain_and_edit(run: Path) -> Path:
    log = run / "events.jsonl"
    recs = _records(log)
    for r in recs:
        del r["prev"]
    k = next(i for i, r in enumerate(recs) if r["kind"] == "alarm_taken")
    recs[k]["t"] = recs[k - 1]["t"]  # an edit: the alarm taken at once
    _write(log, recs)
    return run


def test_unchained_edited_log_fails_verify_against_run_json(sim_run: Path, tmp_path: Path) -> None:
    run = _unchain_and_edit(_copy(sim_run, tmp_path / "run"))
    res = _cli(["verify", run])
    assert res.exit_code == 2, res.output
    assert "no hash chain" in res.output and "NOT verified" in res.output
    assert "OK" not in res.output


def test_unchained_log_fails_verify_and_checklog_with_expect(sim_run: Path,
                                                             tmp_path: Path) -> None:
    run = _unchain_and_edit(_copy(sim_run, tmp_path / "run"))
    final = json.loads((run / "inputs" / "run.json").read_text())["log"]["final_hash"]
    for expect in (final, ZERO):
        v = _cli(["verify", run, "--expect", expect])
        assert v.exit_code == 2 and "no hash chain" in v.output, v.output
        c = _cli(["checklog", run / "events.jsonl", "--expect", expect])
        assert c.exit_code == 2, c.output
        assert "final hash matches" not in c.output and "no hash chain" in c.output
    c = _cli(["checklog", run])  # the run's own run.json records the final hash
    assert c.exit_code == 2 and "no hash chain" in c.output, c.output


def test_unchained_log_without_any_final_hash_is_a_warning_not_verified(
        sim_run: Path, tmp_path: Path) -> None:
    run = _unchain_and_edit(_copy(sim_run, tmp_path / "run"))
    (run / "inputs" / "run.json").unlink()
    for args in (["verify", run], ["checklog", run]):
        res = _cli(args)
        assert res.exit_code == 0, res.output
        assert res.output.startswith("WARNING") and "NOT verified" in res.output
        assert "final hash matches" not in res.output
    doc = json.loads(_cli(["verify", run, "--json"]).output)
    assert doc["chained"] is False and "NOT verified" in doc["warning"]


def test_verify_lines_refuses_an_expected_hash_for_an_unchained_log() -> None:
    lines = [orjson.dumps({"seq": 0, "t": 0.0, "kind": "drill_started",
                           "data": {"scenario": "s"}})]
    assert verify_lines(lines).ok
    rep = verify_lines(lines, expect_final=ZERO)
    assert not rep.ok and "no hash chain" in rep.problems[0]


def test_checklog_says_final_hash_matches_only_when_it_did(sim_run: Path) -> None:
    ok = _cli(["checklog", sim_run])
    assert ok.exit_code == 0 and "final hash matches" in ok.output
    bad = _cli(["checklog", sim_run / "events.jsonl", "--expect", ZERO])
    assert bad.exit_code == 2 and "final hash matches" not in bad.output


# --- 5. an unparseable line is named, and only it --------------------------------------------

def test_garbage_line_is_named_and_its_neighbour_not_blamed(sim_run: Path, tmp_path: Path) -> None:
    run = _copy(sim_run, tmp_path / "run")
    log = run / "events.jsonl"
    lines = log.read_bytes().splitlines(keepends=True)
    lines[59] = b"{garbage\n"
    log.write_bytes(b"".join(lines))
    res = _cli(["verify", run])
    assert res.exit_code == 2
    assert "line 60: not a JSON record" in res.output
    assert "None" not in res.output
    assert "(line 59)" not in res.output and "line 59" not in res.output
    c = _cli(["checklog", run])
    assert c.exit_code == 2 and ":60: not valid JSON" in c.output
    assert "None" not in c.output and ":59:" not in c.output


def test_cut_last_line_is_named_not_the_line_before(sim_run: Path, tmp_path: Path) -> None:
    run = _copy(sim_run, tmp_path / "run")
    log = run / "events.jsonl"
    raw = log.read_bytes()
    n = raw.count(b"\n")
    log.write_bytes(raw[:-40])  # the last line cut in the middle
    res = _cli(["verify", run])
    assert res.exit_code == 2
    assert f"line {n}: not a JSON record" in res.output
    assert f"(line {n - 1})" not in res.output and "None" not in res.output
    assert f"line {n}: the last record was edited or the log was cut short" in res.output


# --- 4. data values are checked ------------------------------------------------------------

def _rec(kind: str, data: dict[str, Any], **ids: str) -> dict[str, Any]:
    return {"seq": 1, "t": 1.0, "kind": kind, "incident": ids.get("incident"),
            "unit": ids.get("unit"), "inject": ids.get("inject"), "depot": ids.get("depot"),
            "post": ids.get("post"), "source": "umpire", "data": data}


OCCURRED = {"category": "flood", "grade": "IV", "township": "T1", "template": "flood",
            "casualties": {"dead": 0, "injured": 1}}
REPORT = {"stage": "first", "to": "county", "channel": "phone", "fields": ["time"],
          "values": {}}
BAD_VALUES = [
    ("incident_occurred", {**OCCURRED, "grade": "V"}, "data.grade"),
    ("incident_occurred", {**OCCURRED, "casualties": "lots"}, "data.casualties"),
    ("incident_occurred", {**OCCURRED, "casualties": {"dead": "x"}}, "data.casualties"),
    ("incident_occurred", {**OCCURRED, "casualties": {"dead": -1}}, "data.casualties"),
    ("incident_occurred", {**OCCURRED, "casualties": {"ghosts": 1}}, "data.casualties"),
    ("incident_occurred", {**OCCURRED, "requires": [{"capability": "x", "units": "two"}]},
     "data.requires"),
    ("unit_dispatched", {"level": "county", "eta_min": "abc"}, "data.eta_min"),
    ("unit_dispatched", {"level": "county", "eta_min": -5}, "data.eta_min"),
    ("unit_dispatched", {"level": "county", "eta_min": True}, "data.eta_min"),
    ("unit_dispatched", {"level": "galaxy", "eta_min": 5}, "data.level"),
    ("supplies_requested", {"item": "tents", "qty": "many", "request": "R1"}, "data.qty"),
    ("task_started", {"task": "on_scene_work", "effort": "big"}, "data.effort"),
    ("report_submitted", {**REPORT, "fields": "time"}, "data.fields"),
    ("report_submitted", {**REPORT, "stage": "last"}, "data.stage"),
    ("report_submitted", {**REPORT, "values": {"casualties": {"dead": "x"}}}, "data.values"),
    ("incident_escalated", {"grade": ["II"]}, "data.grade"),
    ("alarm_raised", {"level": {"a": 1}}, "data.level"),
]
IDS = {"incident_occurred": {"incident": "I1"}, "unit_dispatched": {"incident": "I1", "unit": "U1"},
       "supplies_requested": {"incident": "I1"}, "task_started": {"incident": "I1", "unit": "U1"},
       "report_submitted": {"incident": "I1"}, "incident_escalated": {"incident": "I1"},
       "alarm_raised": {"incident": "I1"}}


@pytest.mark.parametrize(("kind", "data", "field"), BAD_VALUES)
def test_check_record_refuses_bad_values(kind: str, data: dict[str, Any], field: str) -> None:
    with pytest.raises(EventLogError) as exc:
        check_record(_rec(kind, data, **IDS[kind]), "events.jsonl:12")
    assert str(exc.value).startswith(f"events.jsonl:12: {field}: must be ")


def test_check_record_accepts_good_values() -> None:
    for kind, data in (("incident_occurred", OCCURRED), ("report_submitted", REPORT),
                       ("unit_dispatched", {"level": "city", "eta_min": 0, "mutual_aid": True}),
                       ("supplies_requested", {"item": "tents", "qty": 2.5, "request": "R1"})):
        check_record(_rec(kind, data, **IDS[kind]))


def _log_with(sim_run: Path, tmp_path: Path, change: Any) -> tuple[Path, int]:
    """A copy of the simulated log with the first incident_occurred's data changed (and the
    chain re-made, so only the value is wrong); its line number."""
    from engine.eventlog import write_jsonl

    recs = _records(sim_run / "events.jsonl")
    k = next(i for i, r in enumerate(recs) if r["kind"] == "incident_occurred")
    change(recs[k]["data"])
    log = tmp_path / "events.jsonl"
    write_jsonl(recs, log)
    return log, k + 1


@pytest.mark.parametrize("value", ["lots", {"dead": "x"}])
def test_checklog_names_the_line_and_field_of_a_bad_value(sim_run: Path, tmp_path: Path,
                                                          value: Any) -> None:
    log, line = _log_with(sim_run, tmp_path, lambda d: d.__setitem__("casualties", value))
    res = check_log(log)
    assert not res.ok
    assert res.problems[0].startswith(f"{log}:{line}: data.casualties: must be ")
    c = _cli(["checklog", log])
    assert c.exit_code == 2 and f":{line}: data.casualties" in c.output


def test_grade_outside_the_known_grades_is_refused(sim_run: Path, tmp_path: Path) -> None:
    log, line = _log_with(sim_run, tmp_path, lambda d: d.__setitem__("grade", "V"))
    res = check_log(log)
    assert [p for p in res.problems if "data.grade" in p] == [
        f"{log}:{line}: data.grade: must be one of I, II, III, IV, not 'V'"]


def test_every_shipped_and_simulated_log_passes(sim_run: Path) -> None:
    for log in (sim_run / "events.jsonl", ROOT / "tests/hardening/data/county_events.jsonl"):
        res = check_bytes(log.read_bytes(), str(log))
        assert res.ok, res.problems


def test_live_umpire_records_are_value_checked(tmp_path: Path) -> None:
    from scenarios.region import load_region
    from tests.live.conftest import make_sealed, new_live

    lv = new_live(tmp_path, make_sealed(load_region(COUNTY)), COUNTY.read_text("utf-8"))
    try:
        lv.svc.start(lv.director, lv.drill)
        from live.recording import new_action_id

        for kind, data, field in (("role_designated", {"role": "commander", "person": 5},
                                   "data.person"),
                                  ("record_corrected", {"corrects": "x", "reason": "typo"},
                                   "data.corrects")):
            with pytest.raises(EventLogError, match=field):
                lv.svc.record(lv.evaluator, lv.drill, kind, action_id=new_action_id(),
                              data=data)
        ok = lv.svc.record(lv.evaluator, lv.drill, "role_designated", action_id=new_action_id(),
                           data={"role": "commander", "person": "张三"})
        assert ok.created
    finally:
        lv.svc.close()
