"""The drill clock: drill time = wall time since the start minus the holds, exactly, with the
manual clock; an inject released "now" after a hold is not late by the hold; stale injects
are listed for the director and never released by themselves."""

from __future__ import annotations

from datetime import datetime

import pytest

from live.clock import Pause, draw_real_start, drill_minutes
from live.service import LiveError
from scenarios.plan import Window


def test_drill_minutes_subtracts_closed_and_open_holds():
    s = 1000.0
    assert drill_minutes(None, [], 5000.0) == 0.0
    assert drill_minutes(s, [], s + 600) == 10.0
    pauses = [Pause(s + 60, s + 180), Pause(s + 300, None)]
    assert drill_minutes(s, pauses, s + 240) == 2.0  # 4 min wall - 2 min held
    assert drill_minutes(s, pauses, s + 420) == 3.0  # the open hold counts up to now
    assert drill_minutes(s, [Pause(s + 60, s + 120)], s + 900, ended=s + 600) == 9.0


def test_inject_due_after_a_hold_is_released_at_its_planned_time_not_late(live):
    svc, d, clock = live.svc, live.director, live.clock
    j1 = svc.msel(d, live.drill)[0]
    half = j1.due_t / 2
    svc.start(d, live.drill)
    clock.advance(60 * half)                    # play up to half-way to the first inject
    svc.hold(d, live.drill, "weather")
    clock.advance(60 * j1.due_t)                # a hold longer than the time left to it
    assert svc.drill_time(live.drill) == pytest.approx(half, abs=1e-9)
    assert svc.due_injects(d, live.drill) == []  # wall time passed it; drill time did not
    svc.resume(d, live.drill)
    assert svc.due_injects(d, live.drill) == []
    clock.advance(60 * (j1.due_t - half) - 1)   # one second before it falls due
    assert svc.due_injects(d, live.drill) == []
    clock.advance(1)                            # exactly when it falls due in drill time
    due = svc.due_injects(d, live.drill)
    assert [v.id for v in due] == [j1.id]
    assert due[0].lateness_min == pytest.approx(0.0, abs=1e-6)  # not late by the hold
    r = svc.release(d, live.drill, j1.id)
    rec = svc.log(d, live.drill)[r.seq]
    assert rec["kind"] == "inject_released" and rec["t"] == pytest.approx(j1.due_t, abs=1e-6)
    held = [x for x in svc.log(d, live.drill) if x["kind"] == "drill_resumed"]
    assert held[0]["data"]["held_min"] == pytest.approx(j1.due_t)
    assert held[0]["t"] == pytest.approx(half)


def test_a_hold_at_an_inject_s_time_and_the_first_release_after_it(live):
    """The first inject after a pause releases normally (no error, no extra lateness)."""
    svc, d, clock = live.svc, live.director, live.clock
    j1 = svc.msel(d, live.drill)[0]
    svc.start(d, live.drill)
    clock.advance(60 * j1.due_t)
    svc.hold(d, live.drill, "safety")
    with pytest.raises(LiveError, match="not running"):
        svc.release(d, live.drill, j1.id)       # nothing is released during a hold
    clock.advance(3600)
    svc.resume(d, live.drill)
    r = svc.release(d, live.drill, j1.id)
    assert r.done
    assert svc.log(d, live.drill)[r.seq]["t"] == pytest.approx(j1.due_t, abs=1e-6)


def test_after_a_restart_overdue_injects_are_listed_not_fired_or_dropped(live, tmp_path):
    from live import LiveService

    svc, d, clock = live.svc, live.director, live.clock
    plan = svc.msel(d, live.drill)
    svc.start(d, live.drill)
    # the service is down for 3 hours: everything up to t=180 fell due meanwhile
    svc.close()
    clock.advance(60 * 180)
    svc2 = LiveService(live.path, clock=clock)
    d2 = svc2.login("director1", "s3cret-pass")
    with pytest.raises(LiveError, match="locked"):
        svc2.due_injects(d2, live.drill)
    svc2.unlock(d2, live.drill, "correct horse battery staple")
    stale = svc2.stale_injects(d2, live.drill)
    assert [v.id for v in stale] == [v.id for v in plan if v.due_t < 178]
    assert len(stale) >= 2
    log = svc2.log(d2, live.drill)
    assert [r["kind"] for r in log] == ["drill_started"]  # nothing fired by itself
    # the controller cannot release a stale inject, the director decides for each
    svc2.assign(d2, live.drill, stale[0].id, "controller1")
    c2 = svc2.login("controller1", "s3cret-pass")
    from live import Forbidden

    with pytest.raises(Forbidden, match="stale"):
        svc2.release(c2, live.drill, stale[0].id)
    assert svc2.release(d2, live.drill, stale[0].id, reason="confirmed late").done
    assert svc2.skip(d2, live.drill, stale[1].id, "overtaken by events").done
    left = {v.id for v in svc2.stale_injects(d2, live.drill)}
    assert stale[0].id not in left and stale[1].id not in left
    kinds = [r["kind"] for r in svc2.log(d2, live.drill)]
    assert kinds == ["drill_started", "inject_released", "incident_occurred", "alarm_raised",
                     "inject_skipped"]
    svc2.close()


def test_real_start_is_inside_the_window_and_stable():
    w = Window(start=datetime(2026, 4, 1), end=datetime(2026, 4, 3), hours=[(8, 18)])
    starts = {draw_real_start(w) for _ in range(50)}
    assert all(w.start <= s < w.end and 8 <= s.hour < 18 for s in starts)
    assert len(starts) > 10  # drawn, not fixed


def test_real_start_is_drawn_once_and_only_for_the_director(live):
    from live import Forbidden

    a = live.svc.real_start(live.director, live.drill)
    assert a == live.svc.real_start(live.director, live.drill)
    for role in ("controller", "evaluator", "trainer", "observer"):
        with pytest.raises(Forbidden):
            live.svc.real_start(live.who(role), live.drill)


def test_retime_moves_the_due_time_and_stays_out_of_the_log(live):
    svc, d, clock = live.svc, live.director, live.clock
    j1 = svc.msel(d, live.drill)[0]
    svc.start(d, live.drill)
    svc.retime(d, live.drill, j1.id, j1.due_t + 5, "teams not ready")
    clock.advance(60 * (j1.due_t + 1))
    assert svc.due_injects(d, live.drill) == []
    clock.advance(60 * 4)
    assert [v.id for v in svc.due_injects(d, live.drill)] == [j1.id]
    assert [r["kind"] for r in svc.log(d, live.drill)] == ["drill_started"]
    assert any(a["action"] == "inject_retimed" for a in svc.audit_trail(d, live.drill))
