"""Secrecy and roles, enforced in the service layer: every public read function called as
every role; only the director reads unreleased injects, and only after unlock; controllers see
an inject when it is due and assigned to them; evaluators see what was released; every read
of scenario content is audited; every write checks the role."""

from __future__ import annotations

import orjson
import pytest

from live import AuthError, Forbidden, LiveError, LiveService, Principal, new_action_id

ROLES = ("director", "controller", "evaluator", "trainer", "observer")
PASSWORD = "s3cret-pass"  # the accounts of tests/live/conftest.py

#: read function -> the roles allowed to call it.
READS = {
    "status": set(ROLES),
    "drills": set(ROLES),
    "msel": {"director"},
    "due_injects": {"director", "controller"},
    "stale_injects": {"director"},
    "released_injects": {"director", "controller", "evaluator", "trainer"},
    "log": {"director", "evaluator", "trainer"},
    "verify": {"director", "evaluator", "trainer"},
    "live_score": {"director", "evaluator", "trainer"},
    "audit_trail": {"director"},
    "real_start": {"director"},
    "users": {"director"},
    "call_cards": {"controller"},
}
#: reads that return scenario content (must leave an audit row naming the reader).
AUDITED = {"msel", "due_injects", "stale_injects", "released_injects", "log", "live_score",
           "real_start", "call_cards"}


def _call(svc: LiveService, fn: str, who: Principal, drill: str):
    if fn in ("drills", "users"):
        return getattr(svc, fn)(who)
    return getattr(svc, fn)(who, drill)


def _played(live):
    """Start, release the first inject (assigned to controller1) so it is in the log, make
    the second due and assigned, leave the rest unreleased."""
    svc, d = live.svc, live.director
    plan = svc.msel(d, live.drill)
    svc.assign(d, live.drill, plan[0].id, "controller1")
    svc.assign(d, live.drill, plan[1].id, "controller1")
    svc.start(d, live.drill)
    live.clock.advance(60 * plan[0].due_t)
    svc.release(live.controller, live.drill, plan[0].id)
    live.clock.advance(60 * (plan[1].due_t - plan[0].due_t))
    return plan


def test_function_table_covers_every_public_read():
    public = {n for n in dir(LiveService) if not n.startswith("_")}
    reads = {"status", "drills", "msel", "due_injects", "stale_injects", "released_injects",
             "log", "verify", "live_score", "audit_trail", "real_start", "users", "call_cards"}
    assert reads == set(READS)
    assert reads <= public


@pytest.mark.parametrize("role", ROLES)
def test_each_role_calling_each_read_function(live, role):
    plan = _played(live)
    svc, who = live.svc, live.who(role)
    secret = [v.message for v in plan[2:]]   # never released
    assert all(secret)
    for fn, allowed in READS.items():
        before = len(svc.audit_trail(live.director, live.drill, limit=100000))
        if role not in allowed:
            with pytest.raises(Forbidden):
                _call(svc, fn, who, live.drill)
            continue
        # a fresh login: a session's repeat of a read it already made is not audited again
        who = svc.login(who.name, PASSWORD)
        out = _call(svc, fn, who, live.drill)
        if fn in AUDITED:
            rows = svc.audit_trail(live.director, live.drill, limit=100000)[before:]
            assert any(r["user"] == who.name for r in rows), f"{fn} as {role} not audited"
        if role != "director":
            text = orjson.dumps(out, default=lambda o: getattr(o, "__dict__", str(o))).decode()
            for m in secret:
                assert m not in text, f"{fn} leaked an unreleased inject to {role}"
        if fn == "due_injects":
            ids = [v.id for v in out]
            assert ids == [plan[1].id]  # the due one (the first was released)
        if fn == "released_injects":
            assert [r["inject"] for r in out] == [plan[0].id]
        if fn == "call_cards":  # the due card has no answers; the released one has them
            assert [(c.view.id, bool(c.script.qa)) for c in out] == [(plan[1].id, False),
                                                                    (plan[0].id, True)]


def test_controller_sees_only_due_injects_assigned_to_them(live, tmp_path):
    svc, d = live.svc, live.director
    svc.add_user(d, "controller2", "controller", "s3cret-pass")
    c2 = svc.login("controller2", "s3cret-pass")
    plan = svc.msel(d, live.drill)
    svc.assign(d, live.drill, plan[0].id, "controller1")
    svc.start(d, live.drill)
    assert svc.due_injects(live.controller, live.drill) == []  # assigned, not yet due
    live.clock.advance(60 * plan[0].due_t)
    assert [v.id for v in svc.due_injects(live.controller, live.drill)] == [plan[0].id]
    assert svc.due_injects(c2, live.drill) == []               # due, not theirs
    with pytest.raises(Forbidden):
        svc.release(c2, live.drill, plan[0].id)
    with pytest.raises(Forbidden):
        svc.release(live.controller, live.drill, plan[1].id)   # not due, not assigned


def test_director_reads_unreleased_injects_only_after_unlock(live):
    svc, d = live.svc, live.director
    svc.lock(d, live.drill)
    for fn in ("msel", "due_injects", "stale_injects", "real_start"):
        with pytest.raises(LiveError, match="locked"):
            _call(svc, fn, d, live.drill)
    assert svc.status(d, live.drill).due is None
    with pytest.raises(LiveError, match="locked"):
        svc.start(d, live.drill)
    from live.secrecy import WrongPassphrase

    with pytest.raises(WrongPassphrase):
        svc.unlock(d, live.drill, "not the passphrase")
    assert any(a["action"] == "unlock_failed" for a in svc.audit_trail(d, live.drill))
    svc.unlock(d, live.drill, "correct horse battery staple")
    assert len(svc.msel(d, live.drill)) == 4


def test_the_store_holds_no_plaintext_scenario(live, sealed_bytes):
    doc = orjson.loads(sealed_bytes)
    raw = live.path.read_bytes()
    for extra in ("-wal",):
        p = live.path.with_name(live.path.name + extra)
        if p.exists():
            raw += p.read_bytes()
    msg = doc["scenario"]["injects"][1]["delivery"]["message"].encode("utf-8")
    assert msg and msg not in raw
    assert doc["salt"].encode() not in raw


@pytest.mark.parametrize("role", ["controller", "trainer", "observer"])
def test_writes_check_the_role(live, role):
    svc, who = live.svc, live.who(role)
    plan = svc.msel(live.director, live.drill)
    for call in (lambda: svc.start(who, live.drill), lambda: svc.hold(who, live.drill),
                 lambda: svc.skip(who, live.drill, plan[0].id, "x"),
                 lambda: svc.add_user(who, "x1234", "director", "password123"),
                 lambda: svc.unlock(who, live.drill, "correct horse battery staple")):
        with pytest.raises(Forbidden):
            call()
    svc.start(live.director, live.drill)
    with pytest.raises(Forbidden):
        svc.record(who, live.drill, "alarm_taken", action_id=new_action_id(), incident="I01",
                   data={"level": "county"})


def test_evaluator_cannot_release_and_forged_principals_are_refused(live):
    svc = live.svc
    svc.start(live.director, live.drill)
    with pytest.raises(Forbidden):
        svc.release(live.evaluator, live.drill, "J001")
    with pytest.raises(AuthError, match="not logged in"):
        svc.msel(Principal("umpire1", "director"), live.drill)
    with pytest.raises(AuthError):
        svc.login("umpire1", "wrong password")


def test_every_public_function_takes_a_principal_or_returns_nothing_secret(live):
    import inspect

    no_who = {n for n, f in inspect.getmembers(LiveService, inspect.isfunction)
              if not n.startswith("_") and "who" not in inspect.signature(f).parameters}
    # login/init make principals; the rest return only what every role's status shows
    assert no_who == {"close", "login", "init_director", "drill_time", "is_unlocked", "region"}
    live.svc.start(live.director, live.drill)
    live.clock.advance(600)
    assert live.svc.drill_time(live.drill) == live.svc.status(live.observer, live.drill).drill_min
    assert live.svc.region(live.drill).name  # the region is not secret (stored in plain text)
