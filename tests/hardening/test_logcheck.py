"""The log checker's exact findings on small logs, references to the scenario and region, and
the recovery of a log whose last line was cut off by a crash."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from engine.eventlog import EventLog
from engine.logcheck import LogError, check_log, read_checked, recoverable_prefix, write_prefix
from scenarios.loading import InputError
from tests.hardening.conftest import run
from tests.hardening.corpus import COUNTY, ROOT

DATA = ROOT / "tests" / "hardening" / "data"


def _log(path: Path) -> Path:
    log = EventLog()
    log.append("drill_started", 0, scenario="s1", region="R")
    log.append("inject_released", 1, incident="I1", inject="J1")
    log.append("incident_occurred", 1, incident="I1", inject="J1", category="flood", grade="IV",
               township="T1", casualties={}, template="flood")
    log.append("alarm_raised", 2, incident="I1", level="county")
    log.append("drill_ended", 3)
    log.write_jsonl(path)
    return path


def _lines(p: Path) -> list[dict[str, Any]]:
    return [orjson.loads(x) for x in p.read_bytes().splitlines()]


def _write(p: Path, recs: list[dict[str, Any]]) -> Path:
    p.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in recs))
    return p


def test_a_good_log(tmp_path: Path) -> None:
    p = _log(tmp_path / "e.jsonl")
    res = check_log(p)
    assert res.ok and len(res.records) == 5 and res.lines == 5
    assert read_checked(p) == _lines(p)


def test_exact_messages(tmp_path: Path) -> None:
    p = _log(tmp_path / "e.jsonl")
    recs = _lines(p)
    recs[3]["t"] = 0.5  # before line 3's t=1
    recs[4]["seq"] = 3  # a repeat
    _write(p, recs)
    probs = check_log(p).problems
    assert [m for m in probs if "hash chain" not in m] == [
        f"{p}:4: t=0.5 is earlier than the line before (t=1.0); the log is out of time order "
        "(it is never re-sorted)",
        f"{p}:5: seq 3 where 4 was expected (repeats an earlier seq: an event is missing, "
        "duplicated or out of place)",
    ]


def test_problems_are_capped(tmp_path: Path) -> None:
    p = _log(tmp_path / "e.jsonl")
    p.write_bytes(p.read_bytes() + b"junk\n" * 50)
    res = check_log(p)
    assert len(res.problems) == 20 and res.more == 30
    assert res.messages()[-1] == f"{p}: … and 30 more problem(s)"


def test_injects_checked_against_the_scenario(county_files: dict[str, Path],
                                              tmp_path: Path) -> None:
    from scenarios.sealing import load_scenario_file

    sc = load_scenario_file(county_files["scenario"])
    log = county_files["run"] / "events.jsonl"
    assert check_log(log, scenario=sc).ok
    recs = _lines(log)
    n = next(i for i, r in enumerate(recs) if r["kind"] == "inject_released")
    recs[n]["inject"] = "J-GHOST"
    p = _write(tmp_path / "e.jsonl", recs)
    assert f"{p}:{n + 1}: inject 'J-GHOST' is not in the scenario {sc.id}" in \
        check_log(p, scenario=sc).problems
    r = run(["checklog", p, "--scenario", county_files["scenario"]])
    assert r.code == 2 and "J-GHOST" in r.err


def test_region_references(county_files: dict[str, Path]) -> None:
    from scenarios.region import load_region
    from scenarios.seed_city import default_region

    log = county_files["run"] / "events.jsonl"
    assert check_log(log, region=load_region(COUNTY)).ok
    probs = check_log(log, region=default_region()).problems
    assert "played in region '青溪县 Qingxi County (example)'" in probs[0]


def test_the_simulated_logs_pass(county_files: dict[str, Path]) -> None:
    from scenarios.region import load_region

    for d in [county_files["run"], *sorted(county_files["baseline"].iterdir())]:
        assert check_log(d / "events.jsonl", region=load_region(COUNTY)).ok


def test_cut_last_line_and_recovery(tmp_path: Path) -> None:
    p = _log(tmp_path / "e.jsonl")
    whole = p.read_bytes()
    p.write_bytes(whole[:-7])  # a crash in the middle of writing the last event
    res = check_log(p)
    assert res.truncated and len(res.problems) == 1 and "cut off" in res.problems[0]
    assert f"{p}:5:" in res.problems[0]
    prefix = recoverable_prefix(p)
    assert prefix == b"".join(whole.splitlines(keepends=True)[:4])
    out = tmp_path / "recovered.jsonl"
    r = run(["checklog", p, "--recover", out])
    assert r.code == 0, r.err
    assert "4 intact event(s)" in r.out and out.read_bytes() == prefix
    assert check_log(out).ok and p.read_bytes() == whole[:-7]  # the original is kept


def test_no_recovery_of_a_log_damaged_elsewhere(tmp_path: Path) -> None:
    p = _log(tmp_path / "e.jsonl")
    lines = p.read_bytes().splitlines(keepends=True)
    lines[1] = b"garbage\n"
    p.write_bytes(b"".join(lines)[:-7])
    with pytest.raises(LogError, match="not recovered"):
        recoverable_prefix(p)
    with pytest.raises(InputError, match="would overwrite the input"):
        write_prefix(p, p)


def test_a_complete_last_line_without_newline_is_fine(tmp_path: Path) -> None:
    p = _log(tmp_path / "e.jsonl")
    p.write_bytes(p.read_bytes().rstrip(b"\n"))
    assert check_log(p).ok


def test_score_refuses_a_cut_log_and_says_how_to_recover(county_files: dict[str, Path],
                                                         tmp_path: Path) -> None:
    import shutil

    rd = tmp_path / "run"
    shutil.copytree(county_files["run"], rd)
    raw = (rd / "events.jsonl").read_bytes()
    (rd / "events.jsonl").write_bytes(raw[:-30])
    r = run(["score", rd])
    assert r.code == 2 and "cut off" in r.err and "--recover" in r.err


def test_hash_chain(tmp_path: Path) -> None:
    """An edit that keeps every field valid (a casualty count lowered) breaks the chain on the
    next line; the final hash seals the last line."""
    p = _log(tmp_path / "e.jsonl")
    res = check_log(p)
    assert res.chained and res.schema == "blinddrill.events/2" and res.final_hash
    lines = p.read_bytes().splitlines(keepends=True)
    lines[2] = lines[2].replace(b'"grade":"IV"', b'"grade":"III"')
    p.write_bytes(b"".join(lines))
    assert check_log(p).problems == [
        f"{p}:3: hash chain: record seq 2 (line 3): edited after it was written (its hash no "
        "longer matches the next record's prev)"]
    q = _log(tmp_path / "f.jsonl")
    sealed = check_log(q).final_hash
    lines = q.read_bytes().splitlines(keepends=True)
    q.write_bytes(b"".join(lines[:-1]))  # the last line removed cleanly
    assert check_log(q).ok
    assert check_log(q, expect_final=sealed).problems == [
        f"{q}:4: hash chain: record seq 3 (line 4): the last record was edited or the log was "
        "cut short (the final hash does not match)"]


def _chain_only(p: Path, **kw: Any) -> list[str]:
    return [m for m in check_log(p, **kw).problems if "hash chain" in m]


def test_an_edit_a_removal_and_a_move_are_told_apart(tmp_path: Path) -> None:
    """The same words as ``blinddrill verify`` (one chain walker, engine.eventlog.verify_lines),
    each at the line it is about, in line order among the other findings."""
    p = _log(tmp_path / "e.jsonl")
    good = p.read_bytes().splitlines(keepends=True)
    p.write_bytes(b"".join(good[:2] + good[3:]))  # incident_occurred (seq 2) removed
    probs = check_log(p).problems
    assert f"{p}:3: hash chain: record seq 2 removed (missing before line 3)" in probs
    assert not any("edited" in m for m in probs)
    assert [int(m.split(":")[1]) for m in probs] == sorted(int(m.split(":")[1]) for m in probs)
    p.write_bytes(b"".join(good[:3] + [good[3].replace(b'"level":"county"',
                                                       b'"level":"city"')] + good[4:]))
    assert _chain_only(p) == [f"{p}:4: hash chain: record seq 3 (line 4): edited after it was "
                              "written (its hash no longer matches the next record's prev)"]
    p.write_bytes(b"".join(good[:3] + [good[4], good[3]]))  # the last two swapped
    assert _chain_only(p)[0].startswith(f"{p}:4: hash chain: record seq 4 (line 4): reordered")
    before = tmp_path / "before.jsonl"
    before.write_bytes(b"".join(good[:-1]))
    sealed = check_log(before).final_hash  # published before the last record was added
    p.write_bytes(b"".join(good))
    assert _chain_only(p, expect_final=sealed) == [
        f"{p}:4: hash chain: records after seq 3 (line 4) are not part of the sealed log "
        "(appended later or reordered)"]


def test_checklog_and_verify_name_the_same_break(tmp_path: Path) -> None:
    import json

    rd = tmp_path / "run"
    (rd / "inputs").mkdir(parents=True)
    log = _log(rd / "events.jsonl")
    final = check_log(log).final_hash
    (rd / "inputs" / "run.json").write_text(json.dumps({"log": {"final_hash": final}}))
    good = log.read_bytes().splitlines(keepends=True)
    for edit, words in ((good[:2] + good[3:], "record seq 2 removed"),
                        (good[:-1] + [good[-1].replace(b'"t":3.0', b'"t":2.5')],
                         "record seq 4 (line 5): the last record was edited")):
        log.write_bytes(b"".join(edit))
        c, v = run(["checklog", rd]), run(["verify", rd])
        assert c.code == v.code == 2 and words in c.err and words in v.err, (c.err, v.err)
    log.write_bytes(b"".join(good))
    ok = run(["checklog", rd])
    assert ok.code == 0 and "final hash matches" in ok.out
    r = run(["checklog", log, "--expect", "sha256:" + "0" * 64])
    assert r.code == 2 and "the last record was edited" in r.err


def test_unknown_schema(tmp_path: Path) -> None:
    p = _log(tmp_path / "e.jsonl")
    recs = _lines(p)
    recs[0]["prev"] = "blinddrill.events/9"
    _write(p, recs)
    assert "unknown log schema 'blinddrill.events/9'" in check_log(p).problems[0]


def test_a_simulated_run_seals_its_last_record(tmp_path: Path) -> None:
    """``simulate`` keeps the final hash in ``inputs/run.json``: an edit of the last record
    (which the chain alone cannot show) and a cut tail are found by verify and checklog."""
    import json

    rd = tmp_path / "run"
    r = run(["simulate", ROOT / "scenarios" / "samples" / "seed_city_demo.yaml", "--seed", "3",
             "-o", rd])
    assert r.code == 0, r.err
    log = rd / "events.jsonl"
    meta = json.loads((rd / "inputs" / "run.json").read_text(encoding="utf-8"))["log"]
    good = log.read_bytes().splitlines(keepends=True)
    assert meta == {"events": len(good), "final_hash": check_log(log).final_hash}
    assert run(["verify", rd]).code == 0 and run(["checklog", rd]).code == 0
    last = orjson.loads(good[-1])
    last["t"] = last["t"] + 5.0  # the drill "ended" later: a valid record, the chain intact
    for edit in (good[:-1] + [orjson.dumps(last) + b"\n"], good[:-3]):
        log.write_bytes(b"".join(edit))
        c, v = run(["checklog", rd]), run(["verify", rd])
        assert c.code == v.code == 2, (c.out, v.out)
    log.write_bytes(b"".join(good))
    assert run(["verify", rd]).code == 0
