"""Response units of a simulated drill: each a simpy process serving its own task queue.

Dispatch commits a unit (``unit_dispatched``) and puts a task in its ``simpy.PriorityStore``
(the most severe grade first, then the earliest dispatch, then dispatch order); the unit's
process turns out, travels, works on scene until released and returns to base. The
bookkeeping (phase, job, token, position) is updated synchronously where things are decided;
the process owns the timed steps and re-reads that state whenever it wakes. Release from the
scene succeeds the unit's ``freed`` event; a recall on the way out or a re-dispatch on the way
back interrupts the process (``Process.interrupt``). Every order and release bumps the unit's
token, so a task superseded before the process took it is skipped.

**Where a unit is:** at its base, at the scene, or — while travelling — at the linear
interpolation (lon/lat, by the elapsed fraction of the trip's time) between the trip's start
and end. Road times come from one formula, :func:`scenarios.travel.road_minutes`.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import numpy as np
import simpy
from simpy.events import Event
from simpy.resources.store import PriorityItem

from engine.context import DrillContext
from engine.dispatch_queue import SEVERITY
from engine.state import IncidentState, Need
from engine.world import FloatArray, IntArray, block_factor, road_minutes_between

# Phases of a unit. A unit is committed to an incident from dispatch to release.
BASE, TURNOUT, TRAVEL, SCENE, RETURN = 0, 1, 2, 3, 4
# What a unit's process is waiting for: its task store, an interruptible timeout, its release
# from the scene; RUN = running, or a wake-up is already on its way.
IDLE, TIMER, ON_SCENE, RUN = 0, 1, 2, 3

ProcessGen = Generator[Event, Any, None]


class Units:
    """Every unit's state and process in one drill (arrays indexed by the region's units)."""

    def __init__(self, ctx: DrillContext) -> None:
        self.ctx = ctx
        ix, sc = ctx.ix, ctx.scenario
        n = len(ix.units)
        if sc.participants:
            part = set(sc.participants)
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
        self.on_scene_at: dict[int, IncidentState] = {}
        # the road ETA computed at dispatch and the road-block version it was computed under:
        # a unit does not move between its dispatch and its departure, so unless a block
        # changed meanwhile the trip takes that ETA (no second computation)
        self.eta_at_order = [0.0] * n
        self.eta_blocks = [-1] * n
        # a team with a duty crew (units.<kind>.duty_crew < 1): the crew leaves at once, the
        # rest assemble and follow; split[u] while only the duty crew is out
        self.split = [False] * n
        self.duty_people = [max(1, round(float(h) * kb.duty_crew))
                            for h, kb in zip(ix.headcount, ctx.kb, strict=True)]
        self.full_rate = [0.0] * n  # work rate once the whole team is on scene

    # ----- where units are ----------------------------------------------------------------
    def etas(self, inc: IncidentState, idx: IntArray) -> FloatArray:
        """Road minutes from units ``idx``'s current positions to the incident (blocks applied).

        A unit on its way back to base is where linear interpolation along its return trip
        puts it now."""
        ctx = self.ctx
        loc = inc.spec.location
        tm, ix = ctx.tm, ctx.ix
        lon, lat = tm.lon[idx], tm.lat[idx]
        r = self.returning[idx]
        if r.any():
            k = idx[r]
            f = np.minimum(1.0, (ctx.env.now - self.trip_t0[k])
                           / np.maximum(self.trip_dur[k], 1e-12))
            lon[r] += (ix.lon[k] - lon[r]) * f
            lat[r] += (ix.lat[k] - lat[r]) * f
        return ix.etas(tm, idx, loc.lon, loc.lat, inc.terrain, inc.township, lon, lat)

    def position(self, u: int) -> tuple[float, float]:
        """Where unit ``u`` is now (interpolated along a trip in progress)."""
        tm = self.ctx.tm
        lon, lat = float(tm.lon[u]), float(tm.lat[u])
        ph = self.phase[u]
        if ph == RETURN:
            tlon, tlat = float(self.ctx.ix.lon[u]), float(self.ctx.ix.lat[u])
        elif ph == TRAVEL:
            job = self.job[u]
            assert job is not None
            loc = job.incident.spec.location
            tlon, tlat = loc.lon, loc.lat
        else:
            return lon, lat
        dur = float(self.trip_dur[u])
        f = min(1.0, (self.ctx.env.now - float(self.trip_t0[u])) / dur) if dur > 0 else 1.0
        return lon + (tlon - lon) * f, lat + (tlat - lat) * f

    def eta_unit(self, u: int, inc: IncidentState) -> float:
        """Road minutes for unit ``u`` from where it is to the incident (blocks applied)."""
        ctx = self.ctx
        loc = inc.spec.location
        lon, lat = self.position(u)
        return road_minutes_between(ctx.region.travel, float(ctx.tm.speed[u]), lon, lat,
                                    loc.lon, loc.lat, inc.terrain) * block_factor(
                                        ctx.tm.blocks, ctx.ix.unit_ids[u], inc.township)

    # ----- orders -------------------------------------------------------------------------
    def order(self, u: int, need: Need, eta: float) -> None:
        """Give unit ``u`` (just committed, ``eta`` road minutes away) its task for ``need``."""
        ctx = self.ctx
        self.job[u] = need
        self.eta_at_order[u], self.eta_blocks[u] = eta, ctx.tm.blocks.version
        self.token[u] += 1
        self.split[u] = False
        if self.phase[u] != BASE:  # on its way back: it turns round where it is, no turn-out
            ctx.tm.lon[u], ctx.tm.lat[u] = self.position(u)
            self.returning[u] = False
            self.rolling[u] = True
            turnout = 0.0
        elif ctx.kb[u].duty_crew < 1.0:  # the duty crew leaves at once, the rest follow
            turnout = ctx.kb[u].turnout.sample(ctx.dr["turnout"]) * ctx.f.duty_turnout
            self.split[u] = True
            self._rest(u, need)
        else:  # drawn with the order, so draws follow dispatch order whenever processes run
            turnout = ctx.kb[u].turnout.sample(ctx.dr["turnout"]) * ctx.f.turnout
        self.phase[u] = TURNOUT
        store = self.stores[u]
        if store is None:
            store = self.stores[u] = simpy.PriorityStore(ctx.env)
            self.procs[u] = ctx.env.process(self._unit(u, store))
        self.task_seq += 1
        store.put(PriorityItem((SEVERITY.get(need.incident.grade, 9), ctx.env.now,
                                self.task_seq), (need, self.token[u], turnout)))
        self._wake(u)

    def _rest(self, u: int, need: Need) -> None:
        """The off-duty rest of unit ``u``'s team: woken at night (叫醒, the team's call chain),
        assemble (``full_turnout``), leave base (``team_mobilised``) and join the duty crew on
        scene (``team_arrived``). A release or recall of the unit stands them down."""
        ctx = self.ctx
        token = self.token[u]

        def assemble() -> None:
            if self.token[u] == token:
                full = ctx.kb[u].full_turnout.sample(ctx.dr["waking"]) * ctx.f.turnout
                ctx.call_in(full, self._rest_leaves, u, need, token)

        if ctx.waking.night:
            ctx.waking.call(need.incident, ctx.ix.unit_ids[u], ctx.p.waking.team_chain,
                            assemble)
        else:
            assemble()

    def _rest_leaves(self, u: int, need: Need, token: int) -> None:
        if self.token[u] != token:
            return
        ctx = self.ctx
        ix, inc = ctx.ix, need.incident
        loc = inc.spec.location
        ctx.log_add("team_mobilised", ctx.env.now, inc.id, ix.unit_ids[u], None, None, None,
                    {"people": int(ix.headcount[u]) - self.duty_people[u]})
        road = road_minutes_between(ctx.region.travel, float(ctx.tm.speed[u]),
                                    float(ix.lon[u]), float(ix.lat[u]), loc.lon, loc.lat,
                                    inc.terrain) * block_factor(ctx.tm.blocks, ix.unit_ids[u],
                                                                inc.township)
        dur = road * ctx.p.travel.factor.sample(ctx.dr["waking"]) * ctx.f.travel
        ctx.call_in(dur, self._rest_arrives, u, need, token)

    def _rest_arrives(self, u: int, need: Need, token: int) -> None:
        if self.token[u] != token:
            return
        ctx = self.ctx
        self.split[u] = False
        ctx.log_add("team_arrived", ctx.env.now, need.incident.id, ctx.ix.unit_ids[u], None,
                    None, None, {"people": int(ctx.ix.headcount[u]) - self.duty_people[u]})
        ctx.scene.team_joined(u, need)

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
        ctx = self.ctx
        env, waiting, phase, tokens, rolling = (
            ctx.env, self.waiting, self.phase, self.token, self.rolling)
        timeout, log_add, get = ctx.timeout, ctx.log_add, store.get
        uid, tm, ix = ctx.ix.unit_ids[u], ctx.tm, ctx.ix
        travel_factor, f_travel, dr_travel = ctx.p.travel.factor, ctx.f.travel, ctx.dr["travel"]
        arrive, blocks = ctx.scene.arrive, tm.blocks
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
                # from its position (base, or where it turned): unchanged since the order
                road = (self.eta_at_order[u] if self.eta_blocks[u] == blocks.version
                        else self.eta_unit(u, inc))
                phase[u] = TRAVEL
                dur = road * travel_factor.sample(dr_travel) * f_travel
                self.trip_t0[u], self.trip_dur[u] = env.now, dur
                waiting[u] = TIMER
                yield timeout(dur)
                waiting[u] = RUN
                loc = inc.spec.location
                tm.lon[u], tm.lat[u] = loc.lon, loc.lat
                phase[u] = SCENE
                log_add("unit_arrived", env.now, inc.id, uid, None, None, None, {})
                self.on_scene_at[u] = inc
                arrive(u, need)  # may release it at once
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
                    tm.lon[u], tm.lat[u] = ix.lon[u], ix.lat[u]
                    log_add("unit_returned", env.now, None, uid, None, None, None, {})
                except simpy.Interrupt:
                    waiting[u] = RUN  # re-dispatched on the way back: the task is in the store

    # ----- release ------------------------------------------------------------------------
    def release(self, u: int, inc: IncidentState) -> None:
        """The unit leaves the incident; it is available again (returning to base from where it
        is) and is offered to the dispatch queue."""
        ctx = self.ctx
        ix, tm = ctx.ix, ctx.tm
        uid = ix.unit_ids[u]
        ctx.log_add("unit_released", ctx.env.now, inc.id, uid, None, None, None, {})
        self.available[u] = self.participant[u]
        self.job[u] = None
        self.token[u] += 1
        self.rolling[u] = False
        if ctx.p.travel.return_to_base:
            back = road_minutes_between(ctx.region.travel, float(tm.speed[u]),
                                        float(tm.lon[u]), float(tm.lat[u]),
                                        float(ix.lon[u]), float(ix.lat[u]),
                                        ix.home_terrain[u]) * ctx.f.travel
            self.phase[u] = RETURN
            self.returning[u] = True
            self.trip_t0[u], self.trip_dur[u] = ctx.env.now, back
            self.back_t0[u], self.back[u] = ctx.env.now, back  # as Python floats
        else:
            self.phase[u] = BASE
        self.on_scene_at.pop(u, None)
        self._wake(u)
        ctx.dispatch.offer(u)

    def recall(self, u: int) -> None:
        """Release a unit not yet on scene: still turning out (it stays at base) or on the road
        (it turns back from where it is now)."""
        ctx = self.ctx
        need = self.job[u]
        assert need is not None
        if self.phase[u] == TURNOUT and not self.rolling[u]:
            ctx.log_add("unit_released", ctx.env.now, need.incident.id, ctx.ix.unit_ids[u],
                        None, None, None, {})
            self.available[u] = self.participant[u]
            self.job[u] = None
            self.token[u] += 1
            self.phase[u] = BASE
            self._wake(u)
            ctx.dispatch.offer(u)
            return
        ctx.tm.lon[u], ctx.tm.lat[u] = self.position(u)
        self.release(u, need.incident)
