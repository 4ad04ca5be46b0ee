"""The simulated drill: one scenario on one region with one seed, on a simpy clock.

:class:`Drill` builds the shared :class:`~engine.context.DrillContext` and the parts that work
on it, then plays the inject timeline and appends everything that happens to an
:class:`~engine.eventlog.EventLog`. The flow of an incident, and the module doing each step:

1. the inject fires → ``incident_occurred`` (truth) and ``alarm_raised`` at a duty desk (here);
2. a duty officer takes it → ``alarm_taken``; the township command post is told
   (:mod:`engine.desks`, :mod:`engine.reporting`);
3. each requirement is dispatched through the policy; a shortfall waits in the dispatch queue
   and is escalated one level up at the same time (:mod:`engine.dispatcher`,
   :mod:`engine.dispatch`, :mod:`engine.dispatch_queue`);
4. each unit is a simpy process serving its own task queue: turn-out, travel, on scene until
   released, back to base (:mod:`engine.units`);
5. on-scene work shared by the people on scene, the early-stage handling milestone, command,
   control, handover and close (:mod:`engine.scene`);
6. reports, supplies, complications and comms outages (:mod:`engine.reporting`,
   :mod:`engine.supplies`, :mod:`engine.complications`, :mod:`engine.comms`);
7. wake-up calls at night and alarms phoned upward on receipt (:mod:`engine.waking`);
8. information officers acting first, reporting damage, experts consulted
   (:mod:`engine.officers`);
9. a weather warning in force: relayed to villages, hazard points patrolled
   (:mod:`engine.early_warning`).
"""

from __future__ import annotations

import simpy

from engine import complications
from engine.comms import Comms
from engine.context import DrillContext, Factors
from engine.desks import Desks
from engine.dispatch import DispatchPolicy
from engine.dispatch_queue import QueueOrder
from engine.dispatcher import Dispatcher
from engine.early_warning import EarlyWarning
from engine.eventlog import EventLog
from engine.officers import Officers
from engine.params import BehaviourParams
from engine.rng import PURPOSES, Streams
from engine.scene import Scene
from engine.state import IncidentState
from engine.units import Units
from engine.waking import Waking
from engine.world import region_index
from scenarios.region import Region
from scenarios.schema import ComplicationInject, IncidentInject, Scenario


class Drill:
    """One simulation run. Build it, call :meth:`run`, read ``log``."""

    def __init__(
        self, region: Region, scenario: Scenario, seed: int, params: BehaviourParams, log: EventLog,
        policy: DispatchPolicy | None = None, queue_order: QueueOrder | None = None,
    ) -> None:
        self.seed = seed
        ix = region_index(region)
        rng = Streams(seed)
        self.ctx = ctx = DrillContext(
            env=simpy.Environment(initial_time=0.0), region=region, scenario=scenario,
            p=params, log=log, ix=ix, tm=ix.travel_model(),
            dr={p: rng.draws(p) for p in PURPOSES},  # buffered draws per purpose
            kb=[params.for_kind(k) for k in ix.kinds], f=Factors.of(params, scenario))
        ctx.units = Units(ctx)
        ctx.desks = Desks(ctx)
        ctx.dispatch = Dispatcher(ctx, policy, queue_order)
        ctx.scene = Scene(ctx)
        ctx.comms = Comms(ctx)
        ctx.waking = Waking(ctx)
        ctx.officers = Officers(ctx)
        ctx.warning = EarlyWarning(ctx)

    @property
    def log(self) -> EventLog:
        """The drill's event log."""
        return self.ctx.log

    # ----- the run ------------------------------------------------------------------------
    def run(self) -> EventLog:
        """Play the whole drill and return the log."""
        ctx = self.ctx
        sc = ctx.scenario
        ctx.log_add("drill_started", 0.0, None, None, None, None, None, {
            "scenario": sc.id, "commitment": sc.meta.get("commitment"),
            "start": sc.start.isoformat() if sc.start else None, "region": ctx.region.name,
            "seed": self.seed, "mode": "sim", "conditions": sc.conditions.model_dump(mode="json")})
        ctx.warning.start()
        self._injects_from(0)
        env, end = ctx.env, sc.duration_min
        if end > env.now:
            env.run(until=end)
        while env.peek() <= end:  # events due exactly at the end still happen (as always)
            env.step()
        for inc in ctx.incidents.values():
            if not inc.controlled:
                reason = "no unit arrived" if inc.first_arrival is None else "not controlled"
                ctx.log_add("incident_unresolved", env.now, inc.id, None, None, None, None,
                            {"reason": f"drill ended: {reason}"})
        ctx.log_add("drill_ended", env.now, None, None, None, None, None, {"reason": "duration"})
        return ctx.log

    def _injects_from(self, k: int) -> None:
        """Release every inject from ``k`` on that is due now; schedule the next one."""
        ctx = self.ctx
        injects = ctx.scenario.injects
        while k < len(injects) and injects[k].t <= ctx.env.now:
            self._release_inject(injects[k])
            k += 1
        if k < len(injects):
            ctx.call_in(injects[k].t - ctx.env.now, self._injects_from, k)

    def _release_inject(self, inj: IncidentInject | ComplicationInject) -> None:
        ctx = self.ctx
        d = inj.delivery
        kind = "incident" if isinstance(inj, IncidentInject) else "complication"
        ctx.log_add(
            "inject_released", ctx.env.now,
            inj.incident.id if isinstance(inj, IncidentInject) else inj.complication.incident,
            None, inj.id, None, None, {"inject_kind": kind, "method": d.method,
                                       "sender": d.sender, "recipient": d.recipient,
                                       "message": d.message})
        if isinstance(inj, IncidentInject):
            self._occur(inj)
        elif isinstance(inj, ComplicationInject):
            complications.apply(ctx, inj)

    def _occur(self, inj: IncidentInject) -> None:
        ctx = self.ctx
        spec = inj.incident
        t = spec.location.township
        inc = IncidentState(
            spec=spec, inject=inj.id, township=t, county=ctx.ix.county_of.get(t),
            terrain=ctx.region.jurisdiction_by_id[t].terrain, grade=spec.grade,
            casualties=spec.casualties,
        )
        inc.needs = [Scene.need(inc, r.capability, r.effort, r.units, r.min_level)
                     for r in spec.requires]
        ctx.incidents[spec.id] = inc
        ctx.log_add("incident_occurred", ctx.env.now, spec.id, None, inj.id, None, None, {
            "category": spec.category, "grade": spec.grade, "township": t,
            "casualties": inc.truth(), "template": spec.template, "lon": spec.location.lon,
            "lat": spec.location.lat, "site": spec.site,
            "requires": [r.model_dump() for r in spec.requires], "supplies": dict(spec.supplies),
            "cascade_of": spec.cascade_of})
        ctx.desks.alarm(inc)
        ctx.officers.occurred(inc)
