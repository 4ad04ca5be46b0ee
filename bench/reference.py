"""A lean bare-simpy model of the engine's incident lifecycle: the yardstick for its speed.

It plays the same incident lifecycle as the engine, step for step, with the same behaviour
parameters and a log record per step shaped like the engine's (``seq, t, kind, incident, unit,
inject, depot, post, source, data``), so that the two logs are about the same size and the
ratio of run times measures the engine's overhead, not extra work:

* the inject's release, the incident's occurrence and alarm; a queue at the township duty desk
  (``simpy.Resource`` with the desk's officers, take-alarm time) → ``alarm_taken``;
* the desk tells the township command post (``message_sent``), which activates once
  (``command_post_activated``); the scene is visible when the post is set up and the first unit
  on scene has video running (``scene_visible``);
* **every requirement** of the incident gets its wanted number of units: the nearest free
  capable units commanded at the level, **escalating** township → county → city after the
  escalation delays (``mutual_aid_requested``; ``mutual_aid_granted`` for a unit from outside
  the township), a FIFO per capability when no unit at all is free; each commitment logs
  ``unit_dispatched`` and the desk's ``message_sent``;
* a unit's turn-out, travel (road ETA × travel factor), arrival; a team with a duty crew sends
  the crew at once and the rest follow (``team_mobilised``, ``team_arrived``, the rate rises);
* on scene: the effort shared by the units on scene at their rates (headcount × deployable
  share × productivity × level factor), recomputed on every arrival; the first team's
  early-stage handling (``initial_response_completed``); the commander designated after the
  first arrival; requirement done → ``task_finished``, units released but the lead; all done →
  ``incident_controlled``, the lead's handover (``task_started``/``task_finished``) and
  ``incident_closed``; released units return to base and take the next waiting requirement;
* the first, follow-up and final reports (missed with the parameters' rates, required fields
  left out per field, casualties under-counted / wrong), each submitted to the township and
  **relayed upward** by the incident's grade (``report_submitted`` + ``message_sent`` per level).

What it leaves out (the engine does them; on the benchmark's drill they are rare or absent):
recalls of units still on the way when a requirement is done, re-opened incidents, supplies and
depots, commander replacements, conditions (night / weekend factors and wake-up calls), road
blocks and lost communications, information officers, warnings and patrols, complications,
other dispatch policies and queue orders, and the validation of records (known kinds,
time order). Draws use the same buffered generator as the engine (:class:`engine.rng.Draws`),
so neither side pays numpy's per-call overhead.
"""

from __future__ import annotations

import math
from collections import defaultdict, deque
from collections.abc import Callable
from typing import Any

import numpy as np
import simpy

from engine.params import BehaviourParams
from engine.rng import Draws
from scenarios.region import Region
from scenarios.schema import IncidentInject, Scenario
from scenarios.templates import load_templates
from scenarios.travel import haversine_km, haversine_km_scalar, road_minutes

_STAGES = ("first", "followup", "final")
_LEVELS = ("township", "county", "city")


class _Inc:
    __slots__ = ("id", "spec", "township", "post", "grade", "first_at", "first", "commander",
                 "needs", "controlled", "closed", "initial_done", "units", "truth")

    def __init__(self, spec: Any, post: Any) -> None:
        self.id, self.spec, self.township = spec.id, spec, spec.location.township
        self.post, self.grade = post, spec.grade
        self.first_at: float | None = None
        self.first: int | None = None
        self.commander: int | None = None
        self.needs: list[_Need] = []
        self.controlled = self.closed = self.initial_done = False
        self.units: list[int] = []
        self.truth: dict[str, int] = spec.casualties.model_dump()


class _Need:
    __slots__ = ("inc", "cap", "effort", "wanted", "remaining", "rate", "last", "version",
                 "on_scene", "done")

    def __init__(self, inc: _Inc, r: Any) -> None:
        self.inc, self.cap, self.effort, self.wanted = inc, r.capability, r.effort, r.units
        self.remaining, self.rate, self.last, self.version = r.effort, 0.0, 0.0, 0
        self.on_scene: dict[int, float] = {}
        self.done = False


def reference(region: Region, sc: Scenario, p: BehaviourParams, seed: int) -> list[dict[str, Any]]:
    """Play ``sc`` on ``region`` with the lean model; return its log records."""
    env = simpy.Environment()
    dr = {k: Draws(np.random.default_rng(s)) for k, s in zip(
        ("alarm", "turnout", "travel", "work", "dispatch", "report", "post", "command"),
        np.random.SeedSequence(seed).spawn(8), strict=True)}
    jur = region.jurisdiction_by_id
    units = region.units
    kb = [p.for_kind(u.kind) for u in units]
    tp = region.travel
    posts = region.post_by_township
    free = np.ones(len(units), dtype=bool)
    lon_a = np.array([u.lon for u in units])
    lat_a = np.array([u.lat for u in units])
    speed_a = np.array([tp.speed_for(u.kind) for u in units])
    released: list[simpy.Event | None] = [None] * len(units)
    # the jurisdiction a unit serves (its home's ancestor at the unit's tier) and the units
    # each desk commands: the township's, the county's (its townships' too), the city's (all)
    serving = [(region.ancestor(u.jurisdiction, u.tier) or jur[u.jurisdiction]).id
               for u in units]
    city_id = next((j.id for j in region.jurisdictions if j.level == "city"), "city")
    lists: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, u in enumerate(units):
        county = region.ancestor(serving[i], "county")
        for cap in u.capabilities:
            lists[(city_id, cap)].append(i)
            if serving[i] != city_id:
                lists[(serving[i], cap)].append(i)
            if county is not None and county.id != serving[i]:
                lists[(county.id, cap)].append(i)
    by_desk = {k: np.array(v) for k, v in lists.items()}
    none = np.zeros(0, dtype=np.intp)
    desks: dict[str, simpy.Resource] = {}
    waiting: dict[str, deque[_Need]] = defaultdict(deque)
    post_up: dict[str, float] = {}
    post_wait: dict[str, list[_Inc]] = defaultdict(list)
    video_wait: dict[str, list[float]] = defaultdict(list)
    log: list[dict[str, Any]] = []
    esc, rp, cpp, osp = p.dispatch.escalate_delay, p.reports, p.command_post, p.on_scene
    ts = load_templates()
    required: dict[tuple[str, str], list[str]] = {}

    def rec(kind: str, inc: str | None, unit: str | None = None, post: str | None = None,
            inject: str | None = None, **data: Any) -> None:
        log.append({"seq": len(log), "t": round(env.now, 6), "kind": kind, "incident": inc,
                    "unit": unit, "inject": inject, "depot": None, "post": post,
                    "source": "sim", "data": data})

    def call_in(delay: float, f: Callable[..., None], *args: Any) -> None:
        env.timeout(delay).callbacks.append(lambda _e: f(*args))

    # ----- alarm, desk, command post ------------------------------------------------------
    def incident(spec: Any, inj: Any) -> Any:
        yield env.timeout(inj.t)
        t = spec.location.township
        inc = _Inc(spec, posts.get(t))
        inc.needs = [_Need(inc, r) for r in spec.requires]
        rec("inject_released", inc.id, inject=inj.id, inject_kind="incident")
        rec("incident_occurred", inc.id, inject=inj.id, township=t, grade=spec.grade,
            category=spec.category, casualties=dict(inc.truth))
        j = region.ancestor(t, p.alarm.desk_for_source[spec.caller.source]) or jur[t]
        level: str = j.level
        rec("alarm_raised", inc.id, level=level, desk=f"DESK-{j.id}")
        desk = desks.get(j.id)
        if desk is None:
            desk = desks[j.id] = simpy.Resource(env, capacity=p.alarm.desk_officers[level])  # type: ignore[index]
        with desk.request() as r:
            yield r
            yield env.timeout(p.alarm.take_alarm[level].sample(dr["alarm"]))  # type: ignore[index]
        rec("alarm_taken", inc.id, level=level, desk=f"DESK-{j.id}")
        if inc.post is not None:
            d = cpp.notify.sample(dr["post"])
            call_in(d, notified, inc, d)
        for need in inc.needs:
            env.process(request(need, level))

    def notified(inc: _Inc, delay: float) -> None:
        cp = inc.post
        rec("message_sent", inc.id, post=cp.id, recipient=cp.id, delay_min=round(delay, 4))
        if cp.id in post_up:
            visible_after(inc, post_up[cp.id])
        elif cp.id in post_wait:
            post_wait[cp.id].append(inc)
        else:
            post_wait[cp.id].append(inc)
            call_in(cp.activation_min * cpp.variability.sample(dr["post"]), activated, inc)

    def activated(inc: _Inc) -> None:
        cp = inc.post
        post_up[cp.id] = env.now
        rec("command_post_activated", inc.id, post=cp.id)
        for i in post_wait.pop(cp.id):
            visible_after(i, env.now)

    def visible_after(inc: _Inc, up: float) -> None:
        ready = up + inc.post.visibility_min * cpp.variability.sample(dr["post"])
        if inc.first_at is None:
            video_wait[inc.id].append(ready)
        else:
            video(inc, ready)

    def video(inc: _Inc, ready: float) -> None:
        assert inc.first_at is not None
        at = max(ready, inc.first_at + cpp.video_setup.sample(dr["post"]))
        call_in(max(0.0, at - env.now), lambda: rec("scene_visible", inc.id, post=inc.post.id))

    # ----- dispatch -------------------------------------------------------------------------
    def nearest(cands: np.ndarray, spec: Any, k: int) -> list[tuple[float, int]]:
        c = cands[free[cands]]
        if not c.size:
            return []
        loc = spec.location
        eta = road_minutes(tp, haversine_km(lon_a[c], lat_a[c], loc.lon, loc.lat), speed_a[c],
                           jur[loc.township].terrain)
        best = np.argsort(eta, kind="stable")[:k]
        return [(float(eta[j]), int(c[j])) for j in best]

    def eta_between(i: int, lon1: float, lat1: float, lon2: float, lat2: float,
                    terrain: Any) -> float:
        return float(road_minutes(tp, haversine_km_scalar(lon1, lat1, lon2, lat2),
                                  float(speed_a[i]), terrain))

    def request(need: _Need, first: str) -> Any:
        inc = need.inc
        county = jur[inc.township].parent or inc.township
        short = need.wanted
        steps = (("township", inc.township), ("county", county), ("city", city_id))
        for k, (level, key) in enumerate(steps):
            if k < _LEVELS.index(first):
                continue
            if level != first:
                rec("mutual_aid_requested", inc.id, to_level=level, capability=need.cap,
                    units=short)
                yield env.timeout(esc[level].sample(dr["dispatch"]))  # type: ignore[index]
                if need.done:
                    return
            for eta, i in nearest(by_desk.get((key, need.cap), none), inc.spec, short):
                commit(i, need, level, eta)
                short -= 1
            if short <= 0:
                return
        for _ in range(short):
            waiting[need.cap].append(need)

    def commit(i: int, need: _Need, level: str, eta: float) -> None:
        free[i] = False
        inc = need.inc
        inc.units.append(i)
        uid = units[i].id
        rec("unit_dispatched", inc.id, uid, level=level, eta_min=round(eta, 4),
            capability=need.cap)
        rec("message_sent", inc.id, uid, recipient=uid, channel="phone", delay_min=0.0)
        if serving[i] not in (inc.township, jur[inc.township].parent, city_id):
            rec("mutual_aid_granted", inc.id, uid)
        env.process(serve(i, need, eta))

    # ----- a unit's job ---------------------------------------------------------------------
    def serve(i: int, need: _Need, eta: float) -> Any:
        u, b, inc = units[i], kb[i], need.inc
        if b.duty_crew < 1.0:
            rest(i, need, eta)
        yield env.timeout(b.turnout.sample(dr["turnout"]))
        rec("unit_mobilised", inc.id, u.id)
        yield env.timeout(eta * p.travel.factor.sample(dr["travel"]))
        rec("unit_arrived", inc.id, u.id)
        ev = released[i] = env.event()
        arrive(i, need, b.duty_crew < 1.0)
        yield ev
        loc = inc.spec.location
        back = eta_between(i, loc.lon, loc.lat, u.lon, u.lat, jur[u.jurisdiction].terrain)
        yield env.timeout(back)
        rec("unit_returned", None, u.id)
        free[i] = True
        for cap in u.capabilities:
            if waiting[cap]:
                nxt = waiting[cap].popleft()
                loc = nxt.inc.spec.location
                commit(i, nxt, "city", eta_between(i, u.lon, u.lat, loc.lon, loc.lat,
                                                   jur[loc.township].terrain))
                return

    def rest(i: int, need: _Need, eta: float) -> None:
        call_in(kb[i].full_turnout.sample(dr["turnout"]), rest_leaves, i, need, eta)

    def rest_leaves(i: int, need: _Need, eta: float) -> None:
        u = units[i]
        people = u.headcount - max(1, round(u.headcount * kb[i].duty_crew))
        rec("team_mobilised", need.inc.id, u.id, people=people)
        call_in(eta * p.travel.factor.sample(dr["travel"]), rest_arrives, i, need, people)

    def rest_arrives(i: int, need: _Need, people: int) -> None:
        rec("team_arrived", need.inc.id, units[i].id, people=people)
        if i in need.on_scene and not need.done:
            need.on_scene[i] = rate_of(i, need, 1.0)
            reschedule(need)

    def rate_of(i: int, need: _Need, share: float) -> float:
        u, b = units[i], kb[i]
        return (u.headcount * share * b.deployable_fraction * b.productivity.sample(dr["work"])
                * osp.level_factor.get(u.capabilities.get(need.cap, 1), 1.0))

    def arrive(i: int, need: _Need, split: bool) -> None:
        inc, uid = need.inc, units[i].id
        if inc.first_at is None:
            inc.first_at, inc.first = env.now, i
            call_in(osp.designate_commander.sample(dr["command"]), designate, inc, i)
            for ready in video_wait.pop(inc.id, ()):
                video(inc, ready)
            d = kb[i].first_report.sample(dr["report"])
            call_in(d, first_report, inc, i, d)
        if need.done:
            release(i, inc)
            return
        rec("task_started", inc.id, uid, task="on_scene_work", capability=need.cap,
            effort=need.effort)
        share = kb[i].duty_crew if split else 1.0
        rate = need.on_scene[i] = rate_of(i, need, share)
        if inc.first == i and inc.spec.initial_effort is not None and rate > 0:
            call_in(inc.spec.initial_effort / rate, initial_done, inc, i)
        reschedule(need)

    def designate(inc: _Inc, i: int) -> None:
        inc.commander = i
        rec("commander_designated", inc.id, units[i].id, person=f"{units[i].name}带队负责人",
            reason="first_arrival")

    def initial_done(inc: _Inc, i: int) -> None:
        if not inc.initial_done:
            inc.initial_done = True
            rec("initial_response_completed", inc.id, units[i].id, by="unit")

    def reschedule(need: _Need) -> None:
        now = env.now
        need.remaining -= need.rate * (now - need.last)
        need.last, need.rate = now, sum(need.on_scene.values())
        need.version += 1
        if need.remaining <= 1e-9 * need.effort:
            need_done(need)
        elif need.rate > 0:
            call_in(need.remaining / need.rate, work_done, need, need.version)

    def work_done(need: _Need, version: int) -> None:
        if need.version == version:
            need_done(need)

    def need_done(need: _Need) -> None:
        if need.done:
            return
        need.done = True
        inc = need.inc
        if inc.first is not None and inc.first in need.on_scene:
            initial_done(inc, inc.first)
        for i in need.on_scene:
            rec("task_finished", inc.id, units[i].id, task="on_scene_work",
                capability=need.cap, effort=need.effort)
        lead = inc.commander if inc.commander is not None else inc.first
        for i in need.on_scene:
            if i != lead:
                release(i, inc)
        if all(n.done for n in inc.needs):
            inc.controlled = True
            rec("incident_controlled", inc.id)
            report_after(inc, "final", rp.final_after)
            if lead is not None:
                rec("task_started", inc.id, units[lead].id, task="handover")
                call_in(kb[lead].handover.sample(dr["command"]), close, inc, lead)

    def close(inc: _Inc, lead: int) -> None:
        rec("task_finished", inc.id, units[lead].id, task="handover")
        release(lead, inc)
        inc.closed = True
        rec("incident_closed", inc.id)

    def release(i: int, inc: _Inc) -> None:
        ev = released[i]
        if ev is not None and not ev.triggered:
            rec("unit_released", inc.id, units[i].id)
            ev.succeed()

    # ----- reports ----------------------------------------------------------------------------
    def fields(inc: _Inc, stage: str, p_missing: float) -> list[str]:
        key = (inc.spec.template, stage)
        req = required.get(key)
        if req is None:
            if inc.spec.template in ts.by_id:
                req = ts.required(inc.spec.template, stage)  # type: ignore[arg-type]
            else:
                k = _STAGES.index(stage)
                req = [f.id for f in ts.common_fields if _STAGES.index(f.required_from) <= k]
            required[key] = req
        u = dr["report"].uniform
        return [f for f in req if u() >= p_missing]

    def values(inc: _Inc, stage: str, p_error: float, lead: int) -> dict[str, Any]:
        d = dr["report"]
        truth = dict(inc.truth)
        if stage == "first":
            f = min(kb[lead].undercount.sample(d), 1.0)
            cas = {k: int(math.floor(v * f)) for k, v in truth.items()}
        elif d.uniform() < p_error:
            cas = {k: int(round(v * (0.7 + 0.6 * d.uniform()))) + (1 if v == 0 else 0)
                   for k, v in truth.items()}
        else:
            cas = truth
        return {"casualties": cas, "grade": inc.grade}

    def first_report(inc: _Inc, i: int, delay: float) -> None:
        if dr["report"].uniform() >= kb[i].report_missed:
            submit(inc, "first", units[i].id, delay, fields(inc, "first", kb[i].missing_field),
                   values(inc, "first", 0.0, i))
        report_after(inc, "followup", rp.followup_after)

    def report_after(inc: _Inc, stage: str, after: Any) -> None:
        d = after.sample(dr["report"])
        call_in(d, report_due, inc, stage, d)

    def report_due(inc: _Inc, stage: str, delay: float) -> None:
        if stage == "followup" and inc.closed:
            return
        missed = rp.followup_missed if stage == "followup" else rp.final_missed
        if dr["report"].uniform() < missed:
            return
        lead = inc.commander if inc.commander is not None else inc.first
        assert lead is not None
        err = rp.followup_count_error if stage == "followup" else rp.final_count_error
        submit(inc, stage, units[lead].id, delay, fields(inc, stage, rp.missing_field),
               values(inc, stage, err, lead))

    def submit(inc: _Inc, stage: str, uid: str, delay: float, f: list[str],
               v: dict[str, Any]) -> None:
        post = inc.post.id if inc.post is not None else None
        to = post or f"DESK-{inc.township}"
        channel = rp.channel.get(stage, "written")  # type: ignore[call-overload]
        rec("report_submitted", inc.id, uid, post, stage=stage, to="township", channel=channel,
            fields=f, values=v, sender=uid)
        rec("message_sent", inc.id, uid, post, sender=uid, recipient=to, channel=channel,
            delay_min=round(delay, 4))
        levels = rp.upward[inc.grade]
        if levels:
            relay(inc, stage, post, to, channel, f, v, list(levels), 0)

    def relay(inc: _Inc, stage: str, post: str | None, sender: str, channel: str,
              f: list[str], v: dict[str, Any], levels: list[str], k: int) -> None:
        delay = rp.relay[levels[k]].sample(dr["report"])  # type: ignore[index]
        call_in(delay, relayed, inc, stage, post, sender, channel, f, v, levels, k, delay)

    def relayed(inc: _Inc, stage: str, post: str | None, sender: str, channel: str,
                f: list[str], v: dict[str, Any], levels: list[str], k: int,
                delay: float) -> None:
        j = region.ancestor(inc.township, levels[k])  # type: ignore[arg-type]
        if j is None:
            return
        to = f"DESK-{j.id}"
        rec("report_submitted", inc.id, None, post, stage=stage, to=levels[k], channel=channel,
            fields=f, values=v, sender=sender)
        rec("message_sent", inc.id, None, post, sender=sender, recipient=to, channel=channel,
            delay_min=round(delay, 4))
        if k + 1 < len(levels):
            relay(inc, stage, post, to, channel, f, v, levels, k + 1)

    for inj in sc.injects:
        if isinstance(inj, IncidentInject):  # the benchmark's drills have no complications
            env.process(incident(inj.incident, inj))
    env.run(until=sc.duration_min)
    return log
