"""The service's other rules: importing verifies the seal, the store migrates and refuses a
newer schema, umpires cannot write the truth, observations/designations/corrections/ad-hoc
injects are recorded as documented, a double release or a retried record writes once."""

from __future__ import annotations

import sqlite3

import orjson
import pytest

from engine.eventlog import EventLogError
from live import LiveError, LiveService, new_action_id
from live.recording import RecordingError
from live.store import SCHEMA_VERSION, Store, StoreError, schema_version
from scenarios.loading import InputError


def test_import_verifies_the_commitment_and_the_passphrase_rules(live, sealed_bytes,
                                                                 county_yaml):
    svc, d = live.svc, live.director
    doc = orjson.loads(sealed_bytes)
    doc["scenario"]["injects"][0]["t"] += 1
    with pytest.raises(InputError, match="MISMATCH"):
        svc.import_drill(d, orjson.dumps(doc), "a long passphrase", drill_id="x1",
                         region_yaml=county_yaml)
    with pytest.raises(LiveError, match="NOT the published"):
        svc.import_drill(d, sealed_bytes, "a long passphrase", drill_id="x2",
                         expect="sha256:" + "0" * 64, region_yaml=county_yaml)
    with pytest.raises(LiveError, match="at least"):
        svc.import_drill(d, sealed_bytes, "short", drill_id="x3", region_yaml=county_yaml)
    with pytest.raises(LiveError, match="already exists"):
        svc.import_drill(d, sealed_bytes, "a long passphrase", drill_id=live.drill,
                         region_yaml=county_yaml)
    with pytest.raises(LiveError, match="no township"):  # a county scenario on the seed city
        svc.import_drill(d, sealed_bytes, "a long passphrase", drill_id="x5")
    assert [s.id for s in svc.drills(d)] == [live.drill]  # nothing half-imported


def test_store_schema_version_and_migrations(tmp_path):
    p = tmp_path / "s.db"
    st = Store(p)
    assert schema_version(st.conn()) == SCHEMA_VERSION
    mode = st.conn().execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"
    assert st.conn().execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert st.conn().execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    st.close()
    con = sqlite3.connect(p)
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="upgrade blinddrill"):
        Store(p)
    with pytest.raises(StoreError, match="live init"):
        Store(tmp_path / "missing.db", create=False)


def test_umpires_cannot_write_the_truth_or_bad_records(live):
    svc, u = live.svc, live.evaluator
    svc.start(live.director, live.drill)
    for kind in ("incident_occurred", "inject_released", "drill_ended"):
        with pytest.raises(RecordingError, match="cannot be recorded"):
            svc.record(u, live.drill, kind, action_id=new_action_id(), incident="I01",
                       data={"category": "x"})
    with pytest.raises(EventLogError, match="needs incident"):
        svc.record(u, live.drill, "unit_arrived", action_id=new_action_id(), unit="U-T01")
    with pytest.raises(RecordingError, match="rating"):
        svc.observe(u, live.drill, "x", action_id=new_action_id(), rating="A")
    with pytest.raises(RecordingError, match="action id"):
        svc.observe(u, live.drill, "x", action_id="short")
    with pytest.raises(RecordingError, match="set by the service"):
        svc.record(u, live.drill, "observation", action_id=new_action_id(),
                   data={"text": "x", "author": "someone else"})
    assert [r["kind"] for r in svc.log(u, live.drill)] == ["drill_started"]  # nothing kept


def test_observation_designation_correction_and_retry(live):
    svc, u, clock = live.svc, live.evaluator, live.clock
    svc.start(live.director, live.drill)
    with pytest.raises(LiveError, match="incident 'I01' has not occurred"):  # not released yet
        svc.observe(u, live.drill, "too early", action_id=new_action_id(), incident="I01")
    first = svc.msel(live.director, live.drill)[0]
    assert svc.release(live.director, live.drill, first.id).done
    clock.advance(90)
    a = svc.observe(u, live.drill, "cordon set quickly", action_id="obs-00000001",
                    capability="on_scene", rating="P", incident="I01", device="tablet-3")
    again = svc.observe(u, live.drill, "typed twice", action_id="obs-00000001")
    assert a.created and not again.created and again.record == a.record
    rec = a.record
    assert rec["t"] == pytest.approx(1.5) and rec["source"] == "umpire"
    assert rec["data"] == {"text": "cordon set quickly", "capability": "on_scene",
                           "rating": "P", "author": "umpire1", "device": "tablet-3",
                           "action_id": "obs-00000001"}
    des = svc.designate(u, live.drill, "safety_officer", "Wang Li", action_id=new_action_id(),
                        incident="I01")
    assert des.record["kind"] == "role_designated"
    fix = svc.correct(u, live.drill, a.seq, "wrong incident", action_id=new_action_id())
    assert fix.record["data"]["corrects"] == a.seq
    with pytest.raises(RecordingError, match="no umpire record"):
        svc.correct(u, live.drill, 0, "x", action_id=new_action_id())  # drill_started
    log = svc.log(u, live.drill)
    assert [r["kind"] for r in log] == ["drill_started", "inject_released", "incident_occurred",
                                        "alarm_raised", "observation", "role_designated",
                                        "record_corrected"]
    assert log[2]["incident"] == "I01" and log[4] == rec  # the corrected record is untouched


def test_release_twice_skip_after_release_and_adhoc(live):
    svc, d, clock = live.svc, live.director, live.clock
    plan = svc.msel(d, live.drill)
    svc.start(d, live.drill)
    clock.advance(60 * plan[0].due_t)
    first = svc.release(d, live.drill, plan[0].id)
    second = svc.release(d, live.drill, plan[0].id)
    assert first.done and not second.done and "already released by director1" in second.message
    assert not svc.skip(d, live.drill, plan[0].id, "too late").done
    kinds = [r["kind"] for r in svc.log(d, live.drill)]
    assert kinds.count("inject_released") == 1 and kinds.count("incident_occurred") == 1
    ad = svc.adhoc(d, live.drill, "Media are calling the township office",
                   recipient="township office", reason="test the spokesperson",
                   action_id=new_action_id())
    rec = svc.log(d, live.drill)[ad.seq]
    assert rec["inject"] == "ADHOC-001" and rec["data"]["inject_kind"] == "adhoc"
    assert rec["data"]["reason"] == "test the spokesperson"
    with pytest.raises(LiveError, match="reason"):
        svc.skip(d, live.drill, plan[1].id, "  ")
    st = svc.status(live.observer, live.drill)
    assert st.released == 2 and st.due is None


def test_end_writes_unresolved_incidents_like_the_engine(live):
    svc, d, clock = live.svc, live.director, live.clock
    plan = svc.msel(d, live.drill)
    svc.start(d, live.drill)
    clock.advance(60 * plan[1].due_t)
    svc.release(d, live.drill, plan[0].id)
    svc.release(d, live.drill, plan[1].id)
    svc.record(live.evaluator, live.drill, "unit_arrived", action_id=new_action_id(),
               incident=plan[1].incident, unit="U-T01")
    svc.end(d, live.drill, "duration")
    log = svc.log(d, live.drill)
    un = {r["incident"]: r["data"]["reason"] for r in log if r["kind"] == "incident_unresolved"}
    assert un == {plan[0].incident: "drill ended: no unit arrived",
                  plan[1].incident: "drill ended: not controlled"}
    assert log[-1]["kind"] == "drill_ended" and log[-1]["data"]["reason"] == "duration"
    with pytest.raises(LiveError, match="not in play"):
        svc.record(live.evaluator, live.drill, "observation", action_id=new_action_id(),
                   data={"text": "late"})
    t_end = svc.drill_time(live.drill)
    clock.advance(3600)
    assert svc.drill_time(live.drill) == t_end  # the clock stopped


def test_accounts(live, tmp_path):
    svc, d = live.svc, live.director
    with pytest.raises(ValueError, match="already exists"):
        svc.add_user(d, "umpire1", "evaluator", "password123")
    with pytest.raises(ValueError, match="role"):
        svc.add_user(d, "newbie", "king", "password123")
    with pytest.raises(ValueError, match="password"):
        svc.add_user(d, "newbie", "evaluator", "short")
    from live.errors import Refusal, Why

    with pytest.raises(Refusal, match="already has accounts") as refused:
        svc.init_director("second", "password123", rounds=4)
    assert refused.value.why is Why.STORE_HAS_ACCOUNTS
    names = {u["name"]: u["role"] for u in svc.users(d)}
    assert names["umpire1"] == "evaluator" and names["director1"] == "director"
    row = sqlite3.connect(live.path).execute(
        "SELECT pwhash FROM users WHERE name = 'umpire1'").fetchone()
    assert bytes(row[0]).startswith(b"$2b$04$") and b"s3cret-pass" not in bytes(row[0])
    other = LiveService(live.path, clock=live.clock)
    from live.accounts import AuthError as AE

    with pytest.raises(AE, match="not logged in"):
        other.status(d, live.drill)  # a principal is valid only with the service that issued it
    other.close()


def test_an_adhoc_inject_retried_with_its_action_id_is_released_once(live):
    """A retried click (same action id) — also from another connection at the same moment,
    and after the end — writes nothing new; a new click is a new ad-hoc inject."""
    import threading

    svc, d, clock = live.svc, live.director, live.clock
    svc.start(d, live.drill)
    clock.advance(90)
    aid = new_action_id()
    results: list = []

    def click() -> None:
        other = LiveService(live.path, clock=clock, keyring=svc.keyring)
        who = other.login("director1", "s3cret-pass")
        results.append(other.adhoc(who, live.drill, "Reporters at the gate", recipient="post",
                                   reason="media pressure", action_id=aid))
        other.close()

    threads = [threading.Thread(target=click) for _ in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sorted(r.done for r in results) == [False, False, False, True]
    assert {r.inject for r in results} == {"ADHOC-001"} and len({r.seq for r in results}) == 1
    clock.advance(30)
    again = svc.adhoc(d, live.drill, "Reporters at the gate", recipient="post",
                      reason="media pressure", action_id=aid)
    assert not again.done and "already released" in again.message
    new = svc.adhoc(d, live.drill, "Reporters at the gate", recipient="post",
                    reason="media pressure", action_id=new_action_id())
    assert new.done and new.inject == "ADHOC-002"
    svc.observe(live.evaluator, live.drill, "note", action_id="obs-id-0001")
    with pytest.raises(LiveError, match="already used"):  # an umpire's id is not an ad-hoc's
        svc.adhoc(d, live.drill, "x", recipient="post", reason="r", action_id="obs-id-0001")
    svc.end(d, live.drill, "done")
    late = svc.adhoc(d, live.drill, "Reporters at the gate", recipient="post",
                     reason="media pressure", action_id=aid)
    assert not late.done and late.seq == results[0].seq
    recs = [r for r in svc.log(d, live.drill) if r["kind"] == "inject_released"]
    assert [r["inject"] for r in recs] == ["ADHOC-001", "ADHOC-002"]
    assert recs[0]["data"]["action_id"] == aid
    rows = svc.store.conn().execute("SELECT id FROM injects WHERE drill = ? AND adhoc = 1",
                                    (live.drill,)).fetchall()
    assert [r[0] for r in rows] == ["ADHOC-001", "ADHOC-002"]
    assert svc.verify(d, live.drill).ok
    with pytest.raises(ValueError, match="action id"):
        svc.adhoc(d, live.drill, "x", recipient="post", reason="r", action_id="short")



def test_refreshing_a_read_writes_no_audit_row_actions_always_do(live):
    """A page's read-only fragment re-reads the score, the board and the due list every few
    seconds: only the first read of a login session, and a read that shows something new,
    are audited; releases and records are audited every time."""
    svc, d, clock = live.svc, live.director, live.clock
    plan = svc.msel(d, live.drill)
    svc.assign(d, live.drill, plan[0].id, "controller1")
    svc.assign(d, live.drill, plan[1].id, "controller1")
    svc.start(d, live.drill)
    ctl, ump = live.controller, live.evaluator

    def rows() -> list:
        return svc.audit_trail(d, live.drill, limit=100000)

    def refresh() -> None:
        for _ in range(5):
            clock.advance(5)
            svc.live_score(ump, live.drill)
            svc.live_score(d, live.drill)
            svc.msel(d, live.drill)
            svc.due_injects(ctl, live.drill)
            svc.call_cards(ctl, live.drill)
            svc.status(d, live.drill)

    refresh()
    n0 = len(rows())
    refresh()
    assert len(rows()) == n0, "refreshes re-read the same things: no new audit rows"
    clock.advance(60 * plan[0].due_t)
    refresh()  # the first inject is now due: the controller's due list and cards changed
    new = [(r["user"], r["action"], r["target"]) for r in rows()[n0:]]
    assert new == [("controller1", "read_due", plan[0].id),
                   ("controller1", "read_calls", plan[0].id)]
    n1 = len(rows())
    svc.release(ctl, live.drill, plan[0].id)
    svc.record(ump, live.drill, "alarm_taken", action_id=new_action_id(),
               incident=plan[0].incident, data={"level": "county"})
    acts = [r["action"] for r in rows()[n1:]]
    assert acts == ["inject_released"], acts  # the record is in the log itself
    refresh()
    new = [(r["user"], r["action"]) for r in rows()[n1 + 1:]]
    assert ("controller1", "read_calls") in new and ("umpire1", "read_score") not in new
    again = svc.login("umpire1", "s3cret-pass")  # a new login session: its first read counts
    svc.live_score(again, live.drill)
    assert rows()[-1]["user"] == "umpire1" and rows()[-1]["action"] == "read_score"


def test_an_umpires_text_is_limited_and_a_refusal_writes_nothing(live):
    from scenarios.limits import MAX_TEXT_CHARS

    svc, u = live.svc, live.evaluator
    svc.start(live.director, live.drill)
    before = svc.log(u, live.drill)
    with pytest.raises(RecordingError, match=r"data\.text: 20,001 characters, more than the "
                                             r"limit of 20,000"):
        svc.observe(u, live.drill, "x" * (MAX_TEXT_CHARS + 1), action_id=new_action_id())
    with pytest.raises(RecordingError, match=r"data\.note"):
        svc.record(u, live.drill, "observation", action_id=new_action_id(),
                   data={"text": "ok", "note": "y" * (MAX_TEXT_CHARS + 1)})
    with pytest.raises(RecordingError, match=r"data\.text"):
        svc.hotwash(u, live.drill, "weakness", "z" * (MAX_TEXT_CHARS + 1),
                    action_id=new_action_id())
    assert svc.log(u, live.drill) == before  # nothing written
    ok = svc.observe(u, live.drill, "x" * MAX_TEXT_CHARS, action_id=new_action_id())
    assert ok.created and len(ok.record["data"]["text"]) == MAX_TEXT_CHARS
