"""Scoring a live drill: the export scores exactly like the stored log scored directly; a
drill played by a script through the API, copying a simulated drill's actions at their
times, scores like the simulated drill; the live score censors at "now"."""

from __future__ import annotations

import orjson
import pytest

from engine.simulation import simulate
from evaluators import score_records, score_run
from live import LiveService, ManualClock, new_action_id
from live.events import read_lines
from live.recording import RESERVED_KEYS, SYSTEM_KINDS
from scenarios.sealing import verify_document

PASSWORD = "s3cret-pass"


def _card(c):
    d = c.model_dump(mode="json")
    d.pop("run", None)  # what was scored (sources, mode) legitimately differs
    return d


def _replay(tmp_path, sealed_bytes, county_yaml, sim_records):
    """Play the simulated drill's actions through the service at their times."""
    clock = ManualClock(0.0)
    svc = LiveService(tmp_path / "replay.db", clock=clock)
    d = svc.init_director("director1", PASSWORD, rounds=4)
    svc.add_user(d, "umpire1", "evaluator", PASSWORD)
    u = svc.login("umpire1", PASSWORD)
    drill = svc.import_drill(d, sealed_bytes, "correct horse battery staple",
                             region_yaml=county_yaml).id
    svc.start(d, drill)
    for r in sim_records[1:]:
        clock.advance(r["t"] * 60.0 - clock.now())
        k = r["kind"]
        if k == "inject_released":
            assert svc.release(d, drill, r["inject"]).done
        elif k in ("drill_ended",):
            svc.end(d, drill, "duration")
        elif k in SYSTEM_KINDS:
            continue  # written by the release / the end, as the engine writes them
        else:
            data = {x: v for x, v in r["data"].items() if x not in RESERVED_KEYS}
            svc.record(u, drill, k, action_id=new_action_id(), incident=r["incident"],
                       unit=r["unit"], inject=r["inject"], depot=r["depot"], post=r["post"],
                       data=data)
    return svc, d, drill


@pytest.mark.slow
def test_scripted_live_drill_scores_like_the_simulation_it_copies(tmp_path, county,
                                                                   sealed_bytes, county_yaml):
    sc = verify_document(orjson.loads(sealed_bytes), "sealed")
    sim = simulate(county, sc, seed=5).records
    svc, d, drill = _replay(tmp_path, sealed_bytes, county_yaml, sim)
    live = svc.log(d, drill)
    strip = lambda rs: [(r["t"], r["kind"], r["incident"], r["unit"], r["inject"])  # noqa: E731
                        for r in rs]
    assert strip(live) == strip(sim)   # the same events at the same times, in order
    a = score_records(sim, region=county)
    b = score_records(live, region=county)
    assert a.overall.score is not None
    assert _card(a) == _card(b)
    assert b.run.mode == "live" and a.run.mode == "sim"
    # and the export scores exactly like the stored log
    out = svc.export(d, drill, tmp_path / "run")
    assert _card(score_run(out)) == _card(b)
    stored = read_lines(svc.store.conn(), drill)
    assert (out / "events.jsonl").read_bytes() == b"".join(ln + b"\n" for ln in stored)
    svc.close()


def test_live_score_refreshes_on_the_log_so_far(live):
    svc, d, clock = live.svc, live.director, live.clock
    j1 = svc.msel(d, live.drill)[0]
    svc.start(d, live.drill)
    clock.advance(60 * j1.due_t)
    svc.release(d, live.drill, j1.id)
    s0 = svc.live_score(live.evaluator, live.drill)
    # drill_started, inject_released, incident_occurred and the alarm the delivery raised
    assert s0.card.run.incidents == 1 and s0.events == 4 and not s0.ended
    clock.advance(20)
    again = svc.record(live.evaluator, live.drill, "alarm_raised", action_id=new_action_id(),
                       incident=j1.incident, data={"level": "county"})
    assert not again.created and again.record["source"] == "system"  # one alarm per incident
    clock.advance(30)
    svc.record(live.evaluator, live.drill, "alarm_taken", action_id=new_action_id(),
               incident=j1.incident, data={"level": "county"})
    s1 = svc.live_score(live.trainer, live.drill)
    assert s1.events == 5 and s1.now_min == pytest.approx(j1.due_t + 50 / 60, abs=1e-6)
    k = s1.card.clocks["take_alarm"]
    assert k.n == 1 and k.n_met == 1
    assert s1.card.incidents[j1.incident].clocks["take_alarm"]["value"] == pytest.approx(
        50 / 60, abs=1e-6)  # from the delivery, not from the umpire's late tap


def test_live_score_censors_at_now_countdowns_then_breaches(live):
    svc, d, clock = live.svc, live.director, live.clock
    j1 = svc.msel(d, live.drill)[0]
    svc.start(d, live.drill)
    clock.advance(60 * j1.due_t)
    svc.release(d, live.drill, j1.id)                   # the phone rings at the delivery
    clock.advance(18)                                   # now = raised + 0.3 min
    s = svc.live_score(live.evaluator, live.drill)
    k = s.card.clocks["take_alarm"]
    assert (k.n, k.n_open) == (0, 1)                    # running: open, not breached
    cd = [c for c in s.countdowns() if c["clock"] == "take_alarm"]
    assert cd[0]["incident"] == j1.incident
    assert cd[0]["remaining"] == pytest.approx(0.7, abs=1e-6)
    assert not [b for b in s.breaches() if b["clock"] == "take_alarm"]
    clock.advance(60)                                   # 1.3 min after the alarm, not taken
    s = svc.live_score(live.evaluator, live.drill)
    k = s.card.clocks["take_alarm"]
    assert (k.n, k.n_met, k.n_open) == (1, 0, 0)        # breached as it happens
    assert [b["incident"] for b in s.breaches() if b["clock"] == "take_alarm"] == [j1.incident]
    assert s.to_dict()["censored"] is True
