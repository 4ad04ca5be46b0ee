"""The hotwash (debrief right after play): items typed by the director, umpires or trainers are
umpire records of kind ``hotwash`` in the hash-chained log, also after the drill ended, written
once per action id, refused for other roles and for bad sections or dates."""

from __future__ import annotations

import pytest

from live import LiveError, new_action_id
from live.accounts import AuthError
from live.recording import RecordingError


def test_hotwash_after_the_end_is_logged_once_at_the_end_time(live):
    svc, clock = live.svc, live.clock
    with pytest.raises(LiveError, match="not started"):
        svc.hotwash(live.director, live.drill, "strength", "x", action_id=new_action_id())
    svc.start(live.director, live.drill)
    clock.advance(600)
    svc.end(live.director, live.drill, "done")
    clock.advance(300)  # the debrief, five minutes after the end
    a = svc.hotwash(live.trainer, live.drill, "action", "drill the night wake-up chain",
                    action_id="hw-00000001", capability="dispatch", owner="K01",
                    due="2027-01-15")
    again = svc.hotwash(live.trainer, live.drill, "action", "typed twice",
                        action_id="hw-00000001")
    assert a.created and not again.created and again.record == a.record
    rec = a.record
    assert rec["kind"] == "hotwash" and rec["source"] == "umpire"
    assert rec["t"] == pytest.approx(10.0)  # drill time stops at the end
    assert rec["data"] == {"section": "action", "text": "drill the night wake-up chain",
                           "due": "2027-01-15", "capability": "dispatch", "owner": "K01",
                           "author": "trainer1", "device": None, "action_id": "hw-00000001"}
    svc.hotwash(live.evaluator, live.drill, "weakness", "first report late",
                action_id=new_action_id())
    log = svc.log(live.director, live.drill)
    assert [r["kind"] for r in log][-2:] == ["hotwash", "hotwash"]
    assert sum(r["kind"] == "hotwash" for r in log) == 2


def test_hotwash_refusals(live):
    svc = live.svc
    svc.start(live.director, live.drill)
    for who in (live.controller, live.observer):
        with pytest.raises(AuthError):
            svc.hotwash(who, live.drill, "strength", "x", action_id=new_action_id())
    with pytest.raises(RecordingError, match="section"):
        svc.hotwash(live.evaluator, live.drill, "praise", "x", action_id=new_action_id())
    with pytest.raises(RecordingError, match="empty"):
        svc.hotwash(live.evaluator, live.drill, "strength", "  ", action_id=new_action_id())
    with pytest.raises(RecordingError, match="date"):
        svc.hotwash(live.evaluator, live.drill, "action", "x", due="2027-02-30",
                    action_id=new_action_id())
