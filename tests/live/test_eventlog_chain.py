"""The hash-chained event log: written deterministically, resumable, validated for people's
input, and an edited, a removed and a swapped record are each detected and named — in a JSONL
file and in the drill store. Old ``blinddrill.events/1`` logs are still read ("no hash
chain")."""

from __future__ import annotations

import sqlite3

import orjson
import pytest

from engine.eventlog import (
    GENESIS,
    EventLog,
    EventLogError,
    read_events,
    read_records,
    verify_log,
    write_jsonl,
)
from engine.simulation import simulate
from live import new_action_id


@pytest.fixture(scope="module")
def sim_log(county, sealed_bytes):
    from scenarios.sealing import verify_document

    sc = verify_document(orjson.loads(sealed_bytes), "sealed")
    return simulate(county, sc, seed=11)


def _lines(path):
    return path.read_bytes().splitlines(keepends=True)


def test_simulated_log_is_chained_deterministic_and_verifies(tmp_path, county, sealed_bytes,
                                                             sim_log):
    from scenarios.sealing import verify_document

    sc = verify_document(orjson.loads(sealed_bytes), "sealed")
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    sim_log.write_jsonl(a)
    simulate(county, sc, seed=11).write_jsonl(b)
    assert a.read_bytes() == b.read_bytes()
    rep = verify_log(a, expect_final=sim_log.final_hash)
    assert rep.ok and rep.chained and rep.records == len(sim_log) > 50
    first = orjson.loads(_lines(a)[0])
    assert first["prev"] == GENESIS == "blinddrill.events/2"
    assert len(read_events(a)) == len(sim_log)


def _tamper(path, how: str, k: int) -> None:
    lines = _lines(path)
    if how == "edit":
        rec = orjson.loads(lines[k])
        rec["t"] = rec["t"] + 0.5
        lines[k] = orjson.dumps(rec) + b"\n"
    elif how == "delete":
        del lines[k]
    elif how == "swap":
        lines[k], lines[k + 1] = lines[k + 1], lines[k]
    path.write_bytes(b"".join(lines))


@pytest.mark.parametrize(("how", "words"), [
    ("edit", "record seq 20 (line 21): edited"),
    ("delete", "record seq 20 removed"),
    ("swap", "record seq 21 (line 21): reordered"),
])
def test_tampering_is_detected_and_named_in_a_file(tmp_path, sim_log, how, words):
    p = tmp_path / "events.jsonl"
    sim_log.write_jsonl(p)
    _tamper(p, how, 20)
    rep = verify_log(p)
    assert not rep.ok
    assert words in rep.problems[0], rep.problems


def test_the_last_record_is_sealed_by_the_final_hash(tmp_path, sim_log):
    p = tmp_path / "events.jsonl"
    sim_log.write_jsonl(p)
    final = sim_log.final_hash
    _tamper(p, "edit", len(sim_log) - 1)
    assert verify_log(p).ok                 # nothing after it to notice...
    rep = verify_log(p, expect_final=final)  # ...but the published final hash does
    assert not rep.ok and "the last record was edited" in rep.problems[0]
    p.write_bytes(b"".join(_lines(p)[:-3]))  # cut short
    rep = verify_log(p, expect_final=final)
    assert not rep.ok


def test_old_logs_without_a_chain_are_read_and_reported_as_unchained(tmp_path, sim_log):
    p = tmp_path / "v1.jsonl"
    recs = [{k: v for k, v in r.items() if k != "prev"} for r in sim_log.records]
    p.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in recs))
    rep = verify_log(p)
    assert rep.ok and not rep.chained and rep.schema == "blinddrill.events/1"
    assert len(read_events(p)) == len(recs) and len(read_records(p)) == len(recs)
    bad = dict(recs[0], prev="blinddrill.events/9")
    p.write_bytes(orjson.dumps(bad) + b"\n")
    with pytest.raises(EventLogError, match="unknown log schema"):
        read_events(p)


def test_resume_appends_and_the_chain_continues(tmp_path):
    p = tmp_path / "events.jsonl"
    with EventLog(p, durable=True) as log:
        log.append("drill_started", 0, scenario="S")
        log.append("alarm_raised", 1, incident="I1", level="township")
    before = p.read_bytes()
    with EventLog(p, durable=True, resume=True) as log:
        assert len(log) == 2
        log.append("alarm_taken", 2, incident="I1", level="township")
    after = p.read_bytes()
    assert after.startswith(before) and len(after) > len(before)  # appended, never truncated
    one = EventLog()
    one.append("drill_started", 0, scenario="S")
    one.append("alarm_raised", 1, incident="I1", level="township")
    one.append("alarm_taken", 2, incident="I1", level="township")
    q = tmp_path / "one.jsonl"
    one.write_jsonl(q)
    assert p.read_bytes() == q.read_bytes()
    assert verify_log(p).ok
    with pytest.raises(Exception, match="precedes"):
        EventLog(p, resume=True).append("alarm_taken", 1.5, incident="I1", level="x")


def test_resume_refuses_a_cut_off_line_and_a_broken_chain(tmp_path):
    p = tmp_path / "events.jsonl"
    with EventLog(p) as log:
        log.append("drill_started", 0, scenario="S")
    p.write_bytes(p.read_bytes() + b'{"seq":1,"t":')
    with pytest.raises(EventLogError, match="incomplete"):
        EventLog(p, resume=True)
    assert p.read_bytes().endswith(b'{"seq":1,"t":')  # left as it was


def test_append_checked_rejects_bad_input_and_leaves_the_log_alone():
    log = EventLog()
    log.append("drill_started", 0, scenario="S")
    with pytest.raises(EventLogError, match="needs incident"):
        log.append_checked("unit_arrived", 1, unit="U1")
    with pytest.raises(EventLogError, match="data.level"):
        log.append_checked("alarm_taken", 1, incident="I1")
    assert len(log) == 1
    rec = log.append_checked("alarm_taken", 1, incident="I1", level="township")
    assert rec["source"] == "umpire"


def test_write_jsonl_chains_plain_records(tmp_path, sim_log):
    p = tmp_path / "x.jsonl"
    recs = [{k: v for k, v in r.items() if k != "prev"} for r in sim_log.records[:30]]
    write_jsonl(recs, p)
    assert verify_log(p).ok and verify_log(p).chained


# ----- the drill store ------------------------------------------------------------------
def _played(live, n: int = 12) -> list[int]:
    svc, d = live.svc, live.director
    svc.start(d, live.drill)
    j1 = svc.msel(d, live.drill)[0]
    live.clock.advance(60 * j1.due_t)
    svc.release(d, live.drill, j1.id)
    seqs = []
    for i in range(n):
        live.clock.advance(7)
        seqs.append(svc.observe(live.evaluator, live.drill, f"note {i}",
                                action_id=new_action_id()).seq)
    return seqs


@pytest.mark.parametrize(("how", "words"), [
    ("edit", "record seq 6"),
    ("delete", "record seq 6 removed"),
    ("swap", "reordered"),
])
def test_tampering_is_detected_and_named_in_the_store(live, how, words):
    _played(live)
    assert live.svc.verify(live.trainer, live.drill).ok
    con = sqlite3.connect(live.path)
    if how == "edit":
        line = con.execute("SELECT line FROM events WHERE seq = 6").fetchone()[0]
        con.execute("UPDATE events SET line = ? WHERE seq = 6",
                    (bytes(line).replace(b"note 2", b"note X"),))  # seq 6: note 2
    elif how == "delete":
        con.execute("DELETE FROM events WHERE seq = 6")
    else:
        a = con.execute("SELECT line FROM events WHERE seq = 6").fetchone()[0]
        b = con.execute("SELECT line FROM events WHERE seq = 7").fetchone()[0]
        con.execute("UPDATE events SET line = ? WHERE seq = 6", (b,))
        con.execute("UPDATE events SET line = ? WHERE seq = 7", (a,))
    con.commit()
    con.close()
    rep = live.svc.verify(live.trainer, live.drill)
    assert not rep.ok
    assert any(words in p for p in rep.problems), rep.problems


def test_scorecard_carries_the_final_hash_and_verify_checks_it(tmp_path, sim_log):
    from click.testing import CliRunner

    from evaluators import score_run
    from ui.cli import cli

    run = tmp_path / "run"
    sim_log.write_jsonl(run / "events.jsonl")
    card = score_run(run)
    assert card.run.log_hash == sim_log.final_hash
    ok = CliRunner().invoke(cli, ["verify", str(run), "--expect", card.run.log_hash])
    assert ok.exit_code == 0 and "final hash matches --expect" in ok.output
    _tamper(run / "events.jsonl", "edit", len(sim_log) - 1)
    bad = CliRunner().invoke(cli, ["verify", str(run), "--expect", card.run.log_hash])
    assert bad.exit_code == 2 and "the last record was edited" in bad.output
    _tamper(run / "events.jsonl", "delete", 5)
    bad = CliRunner().invoke(cli, ["verify", str(run)])
    assert bad.exit_code == 2 and "record seq 5 removed" in bad.output
    old = tmp_path / "old"
    old.mkdir()
    (old / "events.jsonl").write_bytes(b"".join(
        orjson.dumps({k: v for k, v in r.items() if k != "prev"}) + b"\n"
        for r in sim_log.records))
    res = CliRunner().invoke(cli, ["verify", str(old)])
    assert res.exit_code == 0 and "no hash chain" in res.output
    assert score_run(old).run.log_hash is None
