"""The simulated drill: duty desks, units, on-scene work and escalation on a simpy clock.

One :class:`Drill` plays one scenario on one region with one seed and appends everything that
happens to an :class:`~engine.eventlog.EventLog`. The flow of an incident:

1. the inject fires → ``incident_occurred`` (truth) and ``alarm_raised`` at a duty desk;
2. the alarm joins the desk's queue (first come, first served); one of the desk's duty-officer
   processes takes it (a timed step) → ``alarm_taken``; the township command post is told and
   activates;
3. each requirement is dispatched through the policy, first among the units the desk commands,
   then escalated one level up (township → county → city) after a delay, with
   ``mutual_aid_requested``/``mutual_aid_granted``; what no level can meet waits (one FIFO list)
   for a unit to be released;
4. each unit is a simpy process serving its own task queue (a ``simpy.PriorityStore``): dispatch
   puts a task there; the process turns out, travels, works on scene until released, returns to
   base. Recall of a unit on its way out and re-dispatch of a returning unit interrupt it
   (``Process.interrupt``);
5. on-scene effort is shared by the people on scene (rate = Σ headcount × deployable share ×
   productivity × capability-level factor); when every requirement is done the incident is
   controlled, the commander hands over, the incident closes.

Reports (:mod:`engine.reporting`), supplies (:mod:`engine.supplies`) and complications
(:mod:`engine.complications`) are separate modules working on the same drill.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Generator
from typing import Any

import numpy as np
import simpy
from simpy.events import Event
from simpy.resources.store import PriorityItem

from engine import complications, reporting, supplies
from engine.dispatch import make_policy
from engine.eventlog import EventLog
from engine.params import BehaviourParams
from engine.rng import PURPOSES, Streams
from engine.state import CommsOutage, IncidentState, Need, PostState
from engine.world import FloatArray, IntArray, block_factor, region_index, road_minutes
from scenarios.region import Region
from scenarios.schema import ComplicationInject, IncidentInject, Scenario
from scenarios.templates import TemplateSet, load_templates

_PARENT = {"township": "county", "county": "city"}
_SEVERITY = {"I": 0, "II": 1, "III": 2, "IV": 3}  # task priority: the most severe grade first

# Phases of a unit. A unit is committed to an incident from dispatch to release.
BASE, TURNOUT, TRAVEL, SCENE, RETURN = 0, 1, 2, 3, 4
# What a unit's process is waiting for: its task store, an interruptible timeout, its release
# from the scene; RUN = running, or a wake-up is already on its way.
IDLE, TIMER, ON_SCENE, RUN = 0, 1, 2, 3

ProcessGen = Generator[Event, Any, None]


class Desk:
    """A duty desk: its waiting alarms (first come, first served) and the wake-up events of its
    idle duty-officer processes (:meth:`Drill._officer`)."""

    __slots__ = ("alarms", "idle")

    def __init__(self) -> None:
        self.alarms: deque[IncidentState] = deque()
        self.idle: deque[Event] = deque()


_templates: TemplateSet | None = None


def _template_set() -> TemplateSet:
    global _templates
    if _templates is None:
        _templates = load_templates()
    return _templates


def desk_id(jurisdiction: str) -> str:
    """Id of the duty desk of a jurisdiction, as written in ``message_sent`` events."""
    return f"DESK-{jurisdiction}"


class Drill:
    """One simulation run. Build it, call :meth:`run`, read ``log``."""

    def __init__(
        self, region: Region, scenario: Scenario, seed: int, params: BehaviourParams, log: EventLog
    ) -> None:
        self.env = simpy.Environment(initial_time=0.0)
        self._timeout = self.env.timeout
        self.region, self.scenario, self.seed, self.p, self.log = (
            region, scenario, seed, params, log
        )
        self.ix = ix = region_index(region)
        self.rng = Streams(seed)
        self.dr = {p: self.rng.draws(p) for p in PURPOSES}  # buffered draws per purpose
        self._required: dict[tuple[str, str], list[str]] = {}
        self.templates = _template_set()
        self.tm = ix.travel_model()
        n = len(ix.units)
        if scenario.participants:
            part = set(scenario.participants)
            self.participant = np.array([u in part for u in ix.unit_ids], dtype=bool)
        else:
            self.participant = np.ones(n, dtype=bool)
        self.available = self.participant.copy()
        self.phase = [BASE] * n
        self.token = [0] * n  # bumped on every order/release: stale tasks are ignored
        self.job: list[Need | None] = [None] * n
        self.rolling = [False] * n  # re-dispatched on the road: no turn-out
        self.waiting = [IDLE] * n  # what the unit's process waits for
        self.stores: list[simpy.PriorityStore | None] = [None] * n  # per-unit task queues
        self.procs: list[simpy.Process | None] = [None] * n  # started at the first task
        self.freed: list[Event | None] = [None] * n  # succeeds when an on-scene unit is released
        self.task_seq = 0
        self.back_t0 = [0.0] * n  # the return trip's start and duration (Python floats: the
        self.back = [0.0] * n  # clock must not become a numpy scalar)
        self.returning = np.zeros(n, dtype=bool)
        self.trip_t0 = np.zeros(n)  # start of the current trip (out or back)
        self.trip_dur = np.zeros(n)  # its duration in minutes
        self.kb = [params.for_kind(k) for k in ix.kinds]
        self.on_scene_at: dict[int, IncidentState] = {}
        self.pending: list[tuple[Need, str, str]] = []
        self.incidents: dict[str, IncidentState] = {}
        self.posts: dict[str, PostState] = {}
        self.desks: dict[str, Desk] = {}
        self.outages: list[CommsOutage] = []
        self.stock: dict[str, dict[str, int]] = {}
        c = scenario.conditions
        night, weekend = params.conditions.night, params.conditions.weekend
        self.f_take = (night.take_alarm if c.night else 1.0) * (
            weekend.take_alarm if c.weekend else 1.0)
        self.f_turnout = (night.turnout if c.night else 1.0) * (
            weekend.turnout if c.weekend else 1.0)
        self.f_report = (night.report if c.night else 1.0) * (weekend.report if c.weekend else 1.0)
        self.f_travel = (night.travel if c.night else 1.0) * (weekend.travel if c.weekend else 1.0)
        self.policy = make_policy(params.dispatch.policy)
        self.log_add = log.add

    # ----- the clock ----------------------------------------------------------------------
    def call_in(self, delay: float, fn: Callable[..., None], *args: Any) -> None:
        """Call ``fn(*args)`` after ``delay`` minutes: a one-shot simpy ``Timeout`` with a
        callback (no process; ordered like any ``Timeout`` created at the same moment)."""
        self._timeout(delay).callbacks.append(lambda _e: fn(*args))

    # ----- logging ------------------------------------------------------------------------
    def emit(self, kind: str, **kw: Any) -> None:
        """Append an event at the current simulated time (keyword form; hot paths use
        :attr:`log_add`, ``EventLog.add``, with the ids positional)."""
        self.log.append(kind, self.env.now, **kw)

    # ----- the run ------------------------------------------------------------------------
    def run(self) -> EventLog:
        """Play the whole drill and return the log."""
        sc = self.scenario
        self.emit(
            "drill_started", scenario=sc.id, commitment=sc.meta.get("commitment"),
            start=sc.start.isoformat() if sc.start else None, region=self.region.name,
            seed=self.seed, mode="sim", conditions=sc.conditions.model_dump(mode="json"),
        )
        self._injects_from(0)
        env, end = self.env, sc.duration_min
        if end > env.now:
            env.run(until=end)
        while env.peek() <= end:  # events due exactly at the end still happen (as always)
            env.step()
        for inc in self.incidents.values():
            if not inc.controlled:
                reason = "no unit arrived" if inc.first_arrival is None else "not controlled"
                self.emit("incident_unresolved", incident=inc.id, reason=f"drill ended: {reason}")
        self.emit("drill_ended", reason="duration")
        return self.log

    def _injects_from(self, k: int) -> None:
        """Release every inject from ``k`` on that is due now; schedule the next one."""
        injects = self.scenario.injects
        while k < len(injects) and injects[k].t <= self.env.now:
            self._release_inject(injects[k])
            k += 1
        if k < len(injects):
            self.call_in(injects[k].t - self.env.now, self._injects_from, k)

    def _release_inject(self, inj: IncidentInject | ComplicationInject) -> None:
        d = inj.delivery
        kind = "incident" if isinstance(inj, IncidentInject) else "complication"
        self.log_add(
            "inject_released", self.env.now,
            inj.incident.id if isinstance(inj, IncidentInject) else inj.complication.incident,
            None, inj.id, None, None, {"inject_kind": kind, "method": d.method,
                                       "sender": d.sender, "recipient": d.recipient,
                                       "message": d.message})
        if isinstance(inj, IncidentInject):
            self._occur(inj)
        elif isinstance(inj, ComplicationInject):
            complications.apply(self, inj)

    # ----- incidents and alarms -----------------------------------------------------------
    def _occur(self, inj: IncidentInject) -> None:
        spec = inj.incident
        t = spec.location.township
        inc = IncidentState(
            spec=spec, inject=inj.id, township=t, county=self.ix.county_of.get(t),
            terrain=self.region.jurisdiction_by_id[t].terrain, grade=spec.grade,
            casualties=spec.casualties,
        )
        inc.needs = [self._need(inc, r.capability, r.effort, r.units, r.min_level)
                     for r in spec.requires]
        self.incidents[spec.id] = inc
        self.log_add("incident_occurred", self.env.now, spec.id, None, inj.id, None, None, {
            "category": spec.category, "grade": spec.grade, "township": t,
            "casualties": inc.truth(), "template": spec.template, "lon": spec.location.lon,
            "lat": spec.location.lat, "site": spec.site,
            "requires": [r.model_dump() for r in spec.requires], "supplies": dict(spec.supplies),
            "cascade_of": spec.cascade_of})
        self._alarm(inc)

    def _need(self, inc: IncidentState, cap: str, effort: float, units: int, lvl: int) -> Need:
        return Need(incident=inc, capability=cap, effort=effort, wanted=units, min_level=lvl,
                    remaining=effort)

    def _desk_for(self, inc: IncidentState) -> tuple[str, str]:
        caller = inc.spec.caller
        level: str = self.p.alarm.desk_for_source[caller.source]
        if caller.source == "info_officer" and caller.id is not None:
            olevel = self.ix.officer_level.get(caller.id)
            if olevel is not None:
                level = "township" if olevel in ("village", "township") else olevel
        j = self.region.ancestor(inc.township, level)  # type: ignore[arg-type]
        return level, (j.id if j is not None else inc.township)

    def _alarm(self, inc: IncidentState) -> None:
        level, jid = self._desk_for(inc)
        caller = inc.spec.caller
        self.log_add("alarm_raised", self.env.now, inc.id, None, None, None, None, {
            "level": level, "caller_source": caller.source,
            "caller": caller.id or caller.name or None, "desk": desk_id(jid)})
        desk = self.desks.get(jid)
        if desk is None:
            desk = self.desks[jid] = Desk()
            for _ in range(self.p.alarm.desk_officers[level]):  # type: ignore[index]
                self.env.process(self._officer(desk, level, jid))
        desk.alarms.append(inc)
        if desk.idle:  # wake the officer idle longest
            desk.idle.popleft().succeed()

    def _officer(self, desk: Desk, level: str, jid: str) -> ProcessGen:
        """A duty officer of a desk (a simpy process): takes the oldest waiting alarm, which
        takes a draw of ``alarm.take_alarm[level]``, records it and dispatches; repeats. With
        no alarm waiting the officer waits to be woken by the next one."""
        take_alarm = self.p.alarm.take_alarm[level]  # type: ignore[index]
        draws, alarms = self.dr["alarm"], desk.alarms
        while True:
            if not alarms:
                wake = self.env.event()
                desk.idle.append(wake)
                yield wake
                continue  # (another officer may have taken it meanwhile)
            inc = alarms.popleft()
            yield self._timeout(take_alarm.sample(draws) * self.f_take)
            self._taken(inc, level, jid)

    def _taken(self, inc: IncidentState, level: str, jid: str) -> None:
        inc.desk_level, inc.desk_jurisdiction = level, jid
        self.log_add("alarm_taken", self.env.now, inc.id, None, None, None, None,
                     {"level": level, "desk": desk_id(jid)})
        reporting.notify_post(self, inc)
        for need in list(inc.needs):
            self.request(need, level, jid)

    # ----- dispatch -----------------------------------------------------------------------
    def etas(self, inc: IncidentState, idx: IntArray) -> FloatArray:
        """Road minutes from units ``idx``'s current positions to the incident (blocks applied).

        A unit on its way back to base is where linear interpolation along its return trip
        puts it now."""
        loc = inc.spec.location
        tm = self.tm
        lon, lat = tm.lon[idx], tm.lat[idx]
        r = self.returning[idx]
        if r.any():
            k = idx[r]
            f = np.minimum(1.0, (self.env.now - self.trip_t0[k])
                           / np.maximum(self.trip_dur[k], 1e-12))
            lon[r] += (self.ix.lon[k] - lon[r]) * f
            lat[r] += (self.ix.lat[k] - lat[r]) * f
        return self.ix.etas(tm, idx, loc.lon, loc.lat, inc.terrain, inc.township, lon, lat)

    def position(self, u: int) -> tuple[float, float]:
        """Where unit ``u`` is now (interpolated along a trip in progress)."""
        lon, lat = float(self.tm.lon[u]), float(self.tm.lat[u])
        ph = self.phase[u]
        if ph == RETURN:
            tlon, tlat = float(self.ix.lon[u]), float(self.ix.lat[u])
        elif ph == TRAVEL:
            job = self.job[u]
            assert job is not None
            loc = job.incident.spec.location
            tlon, tlat = loc.lon, loc.lat
        else:
            return lon, lat
        dur = float(self.trip_dur[u])
        f = min(1.0, (self.env.now - float(self.trip_t0[u])) / dur) if dur > 0 else 1.0
        return lon + (tlon - lon) * f, lat + (tlat - lat) * f

    def eta_unit(self, u: int, inc: IncidentState) -> float:
        """Road minutes for unit ``u`` from where it is to the incident (blocks applied)."""
        loc = inc.spec.location
        lon, lat = self.position(u)
        return road_minutes(self.region.travel, float(self.tm.speed[u]), lon, lat,
                            loc.lon, loc.lat, inc.terrain) * block_factor(
                                self.tm.blocks, self.ix.unit_ids[u], inc.township)

    def request(self, need: Need, level: str, jid: str) -> None:
        """Dispatch units for ``need`` from the desk at ``level``/``jid``; escalate any shortfall."""
        inc = need.incident
        if need.done or inc.controlled or need.short <= 0:
            return
        cand = self.ix.scope(level, jid) & self.available & self.ix.capable(
            need.capability, need.min_level)
        idx = np.flatnonzero(cand)
        if idx.size:
            eta = self.etas(inc, idx)
            for u in self.policy.choose(idx, eta, need.short):  # idx is sorted
                self._commit(u, need, level, jid, float(eta[int(np.searchsorted(idx, u))]))
        if need.short <= 0:
            return
        up = _PARENT.get(level)
        if up is None:
            self.pending.append((need, level, jid))
            return
        anc = self.region.ancestor(jid, up)  # type: ignore[arg-type]
        if anc is None:  # a region without a city: the county queues
            self.pending.append((need, level, jid))
            return
        self.emit("mutual_aid_requested", incident=inc.id, from_jurisdiction=jid, to_level=up,
                  capability=need.capability, units=need.short)
        self._escalate(need, up, anc.id)

    def _escalate(self, need: Need, level: str, jid: str) -> None:
        delay = self.p.dispatch.escalate_delay[level].sample(self.dr["dispatch"])  # type: ignore[index]
        self.call_in(delay, self.request, need, level, jid)

    def _commit(self, u: int, need: Need, level: str, jid: str, eta: float) -> None:
        inc = need.incident
        uid = self.ix.unit_ids[u]
        self.available[u] = False
        need.assigned.append(u)
        inc.units.append(u)
        mutual = not self.ix.contains(u, inc.township)
        desk = desk_id(jid)
        now = self.env.now
        self.log_add("unit_dispatched", now, inc.id, uid, None, None, None, {
            "level": level, "eta_min": round(eta, 4), "capability": need.capability,
            "mutual_aid": mutual, "desk": desk})
        self.log_add("message_sent", now, inc.id, uid, None, None, None, {
            "sender": desk, "recipient": uid, "channel": "phone", "delay_min": 0.0})
        if mutual:
            self.emit("mutual_aid_granted", incident=inc.id, unit=uid,
                      from_jurisdiction=self.ix.serving[u])
        self._order(u, need)

    def _offer(self, u: int) -> None:
        """A unit became free: give it to the oldest waiting requirement it can serve."""
        if not self.pending or not self.available[u]:
            return
        keep: list[tuple[Need, str, str]] = []
        taken = False
        for need, level, jid in self.pending:
            if need.done or need.incident.controlled or need.short <= 0:
                continue
            if not taken and self.ix.scope(level, jid)[u] and self.ix.capable(
                    need.capability, need.min_level)[u]:
                self._commit(u, need, level, jid, self.eta_unit(u, need.incident))
                taken = True
                if need.short <= 0:
                    continue
            keep.append((need, level, jid))
        self.pending = keep

    # ----- units --------------------------------------------------------------------------
    # Each unit is a simpy process serving its own task queue (a PriorityStore: the most severe
    # grade first, then the earliest dispatch, then dispatch order). Dispatch commits the unit
    # (``unit_dispatched``) and puts a task in its store; the process turns out, travels, works
    # on scene until released and returns to base. The drill's bookkeeping (phase, job, token,
    # position) is updated synchronously where things are decided; the process owns the timed
    # steps and re-reads that state whenever it wakes. Release from the scene succeeds the
    # unit's ``freed`` event; a recall on the way out or a re-dispatch on the way back interrupts
    # the process (``Process.interrupt``). Every order and release bumps the unit's token, so a
    # task superseded before the process took it is skipped.
    def _order(self, u: int, need: Need) -> None:
        self.job[u] = need
        self.token[u] += 1
        if self.phase[u] != BASE:  # on its way back: it turns round where it is, no turn-out
            self.tm.lon[u], self.tm.lat[u] = self.position(u)
            self.returning[u] = False
            self.rolling[u] = True
            turnout = 0.0
        else:  # drawn with the order, so draws follow dispatch order whenever processes run
            turnout = self.kb[u].turnout.sample(self.dr["turnout"]) * self.f_turnout
        self.phase[u] = TURNOUT
        store = self.stores[u]
        if store is None:
            store = self.stores[u] = simpy.PriorityStore(self.env)
            self.procs[u] = self.env.process(self._unit(u, store))
        self.task_seq += 1
        store.put(PriorityItem((_SEVERITY.get(need.incident.grade, 9), self.env.now,
                                self.task_seq), (need, self.token[u], turnout)))
        self._wake(u)

    def _wake(self, u: int) -> None:
        """Make unit ``u``'s process re-read its state now (at most one wake-up at a time)."""
        w = self.waiting[u]
        if w == TIMER:
            self.waiting[u] = RUN
            proc = self.procs[u]
            assert proc is not None
            proc.interrupt()
        elif w == ON_SCENE:
            self.waiting[u] = RUN
            ev = self.freed[u]
            assert ev is not None
            ev.succeed()

    def _unit(self, u: int, store: simpy.PriorityStore) -> ProcessGen:
        """The process of unit ``u``: take the next task from its store and serve it."""
        env, waiting, phase, tokens, rolling = (
            self.env, self.waiting, self.phase, self.token, self.rolling)
        timeout, log_add, get = self._timeout, self.log_add, store.get
        uid, tm = self.ix.unit_ids[u], self.tm
        while True:
            waiting[u] = IDLE
            need, token, turnout = (yield get()).item
            waiting[u] = RUN
            if token != tokens[u]:
                continue  # superseded (recalled or re-ordered) before it began
            inc = need.incident
            try:
                if rolling[u]:
                    rolling[u] = False
                else:  # turn out
                    waiting[u] = TIMER
                    yield timeout(turnout)
                    waiting[u] = RUN
                log_add("unit_mobilised", env.now, inc.id, uid, None, None, None, {})
                road = self.eta_unit(u, inc)  # from its position (base, or where it turned)
                phase[u] = TRAVEL
                dur = road * self.p.travel.factor.sample(self.dr["travel"]) * self.f_travel
                self.trip_t0[u], self.trip_dur[u] = env.now, dur
                waiting[u] = TIMER
                yield timeout(dur)
                waiting[u] = RUN
                loc = inc.spec.location
                tm.lon[u], tm.lat[u] = loc.lon, loc.lat
                phase[u] = SCENE
                log_add("unit_arrived", env.now, inc.id, uid, None, None, None, {})
                self.on_scene_at[u] = inc
                self._arrive(u, need)  # may release it at once
                if tokens[u] == token:  # on scene: work until released
                    ev = self.freed[u] = env.event()
                    waiting[u] = ON_SCENE
                    yield ev
            except simpy.Interrupt:
                pass  # recalled on its way out (the drill has released it)
            waiting[u] = RUN
            # Released: back to base unless re-dispatched (phase TURNOUT again) meanwhile.
            while phase[u] == RETURN:
                try:
                    waiting[u] = TIMER
                    yield timeout(self.back[u] + self.back_t0[u] - env.now
                                  if self.back_t0[u] != env.now else self.back[u])
                    waiting[u] = RUN
                    phase[u] = BASE
                    self.returning[u] = False
                    tm.lon[u], tm.lat[u] = self.ix.lon[u], self.ix.lat[u]
                    log_add("unit_returned", env.now, None, uid, None, None, None, {})
                except simpy.Interrupt:
                    waiting[u] = RUN  # re-dispatched on the way back: the task is in the store

    def _arrive(self, u: int, need: Need) -> None:
        inc = need.incident
        first = inc.first_arrival is None
        if first:
            inc.first_arrival, inc.first_unit = self.env.now, u
            self.call_in(
                self.p.on_scene.designate_commander.sample(self.dr["command"]), self._designate, inc)
            waiting, inc.video_waiting = inc.video_waiting, []
            for post, ready in waiting:
                reporting.video(self, inc, post, ready)
            reporting.first_report(self, inc)
            if inc.spec.supplies:
                supplies.request(self, inc)
        if need.done or inc.controlled:
            if first:
                self._initial_done(inc, u)
            self.release(u, inc)
            return
        lvl = int(self.ix.cap_level[need.capability][u])
        kb = self.kb[u]
        rate = float(self.ix.headcount[u] * kb.deployable_fraction
                * kb.productivity.sample(self.dr["work"])
                * self.p.on_scene.level_factor.get(lvl, 1.0))
        self.log_add("task_started", self.env.now, inc.id, self.ix.unit_ids[u], None, None, None,
                     {"task": "on_scene_work", "capability": need.capability,
                      "effort": need.effort})
        need.on_scene[u] = rate
        if first and inc.spec.initial_effort is not None and rate > 0:
            self.call_in(inc.spec.initial_effort / rate, self._initial_done, inc, u)
        if not need.started:
            need.started, need.last = True, self.env.now
            wt = self.p.on_scene.work_time
            if wt is not None:
                self.call_in(wt.sample(self.dr["work"]), self._need_done, need)
                return
        if self.p.on_scene.work_time is None:
            self.reschedule(need)

    def _initial_done(self, inc: IncidentState, u: int) -> None:
        """The first team's early-stage handling (先期处置) is done: ``initial_response_completed``.

        Reached when the first unit on scene has put in the incident's ``initial_effort`` at its
        own work rate, or earlier when its requirement is done or the incident is controlled
        (whatever happens first; once per incident)."""
        if inc.initial_done:
            return
        inc.initial_done = True
        self.log_add("initial_response_completed", self.env.now, inc.id, self.ix.unit_ids[u],
                     None, None, None, {"by": "unit"})

    def reschedule(self, need: Need) -> None:
        """Bring ``need``'s progress up to now and schedule its completion at the new rate."""
        now = self.env.now
        need.remaining -= need.rate * (now - need.last)
        need.last = now
        need.rate = sum(need.on_scene.values())
        need.version += 1
        if need.remaining <= 1e-9 * need.effort:
            self._need_done(need)
            return
        if need.rate <= 0:
            return
        self.call_in(need.remaining / need.rate, self._work_done, need, need.version)

    def _work_done(self, need: Need, version: int) -> None:
        if need.version == version:
            self._need_done(need)

    def _need_done(self, need: Need) -> None:
        if need.done:
            return
        need.done = True
        inc = need.incident
        first = inc.first_unit
        if not inc.initial_done and first is not None and (
                first in need.on_scene or all(n.done for n in inc.needs)):
            self._initial_done(inc, first)
        for u in need.on_scene:
            self.log_add("task_finished", self.env.now, inc.id, self.ix.unit_ids[u], None, None,
                         None, {"task": "on_scene_work", "capability": need.capability,
                                "effort": need.effort})
        lead = self.scene_lead(inc)
        for u in list(need.on_scene):
            if u != lead and self.on_scene_at.get(u) is inc:
                self.release(u, inc)
        for u in dict.fromkeys(need.assigned):  # recall units still on the way
            if self.job[u] is need and self.phase[u] in (TURNOUT, TRAVEL):
                self.recall(u)
        if not inc.controlled and all(n.done for n in inc.needs):
            inc.controlled = True
            self.log_add("incident_controlled", self.env.now, inc.id, None, None, None, None, {})
            reporting.final_report(self, inc)
            self._handover(inc)

    def lead(self, inc: IncidentState) -> int | None:
        """The unit leading the scene: the commander's, or the first to arrive."""
        return inc.commander if inc.commander is not None else inc.first_unit

    def scene_lead(self, inc: IncidentState) -> int | None:
        """The lead if it is on scene, else the first unit on scene in dispatch order (after a
        re-opening the original lead may have left)."""
        lead = self.lead(inc)
        if lead is not None and self.on_scene_at.get(lead) is inc:
            return lead
        for u in inc.units:
            if self.on_scene_at.get(u) is inc:
                return u
        return None

    def release(self, u: int, inc: IncidentState) -> None:
        """The unit leaves the incident; it is available again (returning to base from where it
        is)."""
        uid = self.ix.unit_ids[u]
        self.log_add("unit_released", self.env.now, inc.id, uid, None, None, None, {})
        self.available[u] = self.participant[u]
        self.job[u] = None
        self.token[u] += 1
        self.rolling[u] = False
        if self.p.travel.return_to_base:
            back = road_minutes(self.region.travel, float(self.tm.speed[u]),
                                float(self.tm.lon[u]), float(self.tm.lat[u]),
                                float(self.ix.lon[u]), float(self.ix.lat[u]),
                                self.ix.home_terrain[u]) * self.f_travel
            self.phase[u] = RETURN
            self.returning[u] = True
            self.trip_t0[u], self.trip_dur[u] = self.env.now, back
            self.back_t0[u], self.back[u] = self.env.now, back  # as Python floats
        else:
            self.phase[u] = BASE
        self.on_scene_at.pop(u, None)
        self._wake(u)
        self._offer(u)

    def recall(self, u: int) -> None:
        """Release a unit not yet on scene: still turning out (it stays at base) or on the road
        (it turns back from where it is now)."""
        need = self.job[u]
        assert need is not None
        if self.phase[u] == TURNOUT and not self.rolling[u]:
            self.emit("unit_released", incident=need.incident.id, unit=self.ix.unit_ids[u])
            self.available[u] = self.participant[u]
            self.job[u] = None
            self.token[u] += 1
            self.phase[u] = BASE
            self._wake(u)
            self._offer(u)
            return
        self.tm.lon[u], self.tm.lat[u] = self.position(u)
        self.release(u, need.incident)

    # ----- command ------------------------------------------------------------------------
    def _designate(self, inc: IncidentState) -> None:
        if inc.commander is None and inc.first_unit is not None:
            self.designate(inc, inc.first_unit, "first_arrival")

    def designate(self, inc: IncidentState, u: int, reason: str) -> None:
        """Designate the on-scene incident commander (roles are not assigned in advance)."""
        unit = self.ix.units[u]
        suffix = "带队负责人" if reason == "first_arrival" else "现场接替指挥员"
        inc.commander, inc.commander_person = u, f"{unit.name}{suffix}"
        self.log_add("commander_designated", self.env.now, inc.id, unit.id, None, None, None,
                     {"person": inc.commander_person, "reason": reason})

    def _handover(self, inc: IncidentState) -> None:
        lead = self.scene_lead(inc)
        if lead is None:
            self._close(inc, None, inc.rounds)
            return
        self.log_add("task_started", self.env.now, inc.id, self.ix.unit_ids[lead], None, None,
                     None, {"task": "handover"})
        self.call_in(self.kb[lead].handover.sample(self.dr["command"]), self._close, inc, lead,
                         inc.rounds)

    def _close(self, inc: IncidentState, lead: int | None, rounds: int) -> None:
        if lead is not None and self.on_scene_at.get(lead) is inc:
            self.log_add("task_finished", self.env.now, inc.id, self.ix.unit_ids[lead], None,
                         None, None, {"task": "handover"})
        if inc.rounds != rounds:  # re-opened by an escalation during the handover
            return
        for u in dict.fromkeys(inc.units):
            if self.on_scene_at.get(u) is inc:
                self.release(u, inc)
        inc.closed = True
        self.log_add("incident_closed", self.env.now, inc.id, None, None, None, None, {})

    # ----- comms --------------------------------------------------------------------------
    def comms_factor(self, inc: IncidentState, unit: str | None = None) -> float:
        """Slow-down of reports/messages about ``inc`` (and ``unit``) from comms outages now."""
        f = 1.0
        now = self.env.now
        for o in self.outages:
            if o.until > now and (o.township == inc.township or o.incident == inc.id
                                  or (unit is not None and o.unit == unit)):
                f *= o.factor
        return f
