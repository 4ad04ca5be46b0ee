"""A lean bare-simpy model of the engine's incident lifecycle: the yardstick for its speed.

What it models, per incident (the same steps and the same parameter draws as the engine):
occurrence and alarm (logged) → a queue at the township duty desk (``simpy.Resource`` with the
desk's officers, take-alarm time) → dispatch of the nearest free capable unit commanded at that
level, **escalating** township → county → city after the escalation delays when none is free,
a FIFO per capability when no unit at all is free → the unit's turn-out, travel (ETA computed
for the candidates only, with the region's travel formula), on-scene work (effort ÷ people ×
deployable share × productivity × level factor), control and release → its **return** trip →
next job; the **first report** after the first arrival, **follow-up** and **final** reports
after the report delays. Every step appends a record shaped like the engine's log records
(``seq, t, kind, incident, unit, …, data``).

What it leaves out (the engine does them): several requirements per incident, mutual aid,
recalls of en-route units, re-opened incidents, command posts and scene video, supplies and
depots, messages and relays of reports upward, commanders and handovers, conditions (night /
weekend factors), road blocks, information officers, complications and injects other than
incidents, and validation of records. So the engine doing ≤ 2× this model's time is a fair
goal: it does strictly more per incident.
"""

from __future__ import annotations

from collections import defaultdict, deque
from typing import Any

import numpy as np
import simpy

from engine.params import BehaviourParams
from scenarios.region import Region
from scenarios.schema import Scenario
from scenarios.travel import point_eta_minutes


def reference(region: Region, sc: Scenario, p: BehaviourParams, seed: int) -> list[dict[str, Any]]:
    """Play ``sc`` on ``region`` with the lean model; return its log records."""
    env = simpy.Environment()
    g = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(8)]
    g_take, g_turn, g_work, g_esc, g_rep, g_fup, g_fin = g[:7]
    jur = region.jurisdiction_by_id
    units = region.units
    kb = [p.for_kind(u.kind) for u in units]
    tp = region.travel
    free = [True] * len(units)
    level_of = {j.id: j.level for j in region.jurisdictions}
    # units commanded at each level: township desk → its township's units; county desk → the
    # county's units (and its townships'); city desk → every unit
    by_desk: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, u in enumerate(units):
        for cap in u.capabilities:
            by_desk[("city", cap)].append(i)
            j = u.jurisdiction
            if level_of.get(j) == "township":
                by_desk[(j, cap)].append(i)
                j = jur[j].parent or j
            if level_of.get(j) == "county":
                by_desk[(j, cap)].append(i)
    desks: dict[str, simpy.Resource] = {}
    waiting: dict[str, deque[Any]] = defaultdict(deque)
    log: list[dict[str, Any]] = []
    officers = p.alarm.desk_officers["township"]
    take = p.alarm.take_alarm["township"]
    esc = p.dispatch.escalate_delay
    rp = p.reports

    def rec(kind: str, inc: str | None, unit: str | None = None, **data: Any) -> None:
        log.append({"seq": len(log), "t": env.now, "kind": kind, "incident": inc, "unit": unit,
                    "inject": None, "depot": None, "post": None, "source": "sim", "data": data})

    def nearest(cands: list[int], lon: float, lat: float, terrain: Any) -> tuple[int, float]:
        best, best_eta = -1, float("inf")
        for i in cands:
            if free[i]:
                u = units[i]
                eta = point_eta_minutes(tp, u.kind, u.lon, u.lat, lon, lat, terrain)
                if eta < best_eta:
                    best, best_eta = i, eta
        return best, best_eta

    def serve(i: int, inc: Any, eta: float) -> Any:
        free[i] = False
        u, b = units[i], kb[i]
        rec("unit_dispatched", inc.id, u.id, eta_min=eta)
        yield env.timeout(b.turnout.draw(g_turn))
        rec("unit_mobilised", inc.id, u.id)
        yield env.timeout(eta)
        rec("unit_arrived", inc.id, u.id)
        env.process(reports(inc, b))
        req = inc.requires[0]
        rate = u.headcount * b.deployable_fraction * b.productivity.draw(g_work) * \
            p.on_scene.level_factor.get(u.capabilities.get(req.capability, 1), 1.0)
        rec("task_started", inc.id, u.id, capability=req.capability)
        yield env.timeout(req.effort / rate)
        rec("task_finished", inc.id, u.id, capability=req.capability)
        rec("incident_controlled", inc.id)
        rec("unit_released", inc.id, u.id)
        env.process(closing_reports(inc))
        yield env.timeout(eta)
        rec("unit_returned", None, u.id)
        free[i] = True
        for cap in u.capabilities:
            if waiting[cap]:
                nxt = waiting[cap].popleft()
                loc = nxt.location
                env.process(serve(i, nxt, point_eta_minutes(
                    tp, u.kind, u.lon, u.lat, loc.lon, loc.lat, jur[loc.township].terrain)))
                return

    def reports(inc: Any, b: Any) -> Any:
        yield env.timeout(b.first_report.draw(g_rep))
        rec("report_submitted", inc.id, stage="first")

    def closing_reports(inc: Any) -> Any:
        yield env.timeout(rp.followup_after.draw(g_fup))
        rec("report_submitted", inc.id, stage="followup")
        yield env.timeout(rp.final_after.draw(g_fin))
        rec("report_submitted", inc.id, stage="final")

    def incident(inc: Any, t: float) -> Any:
        yield env.timeout(t)
        loc = inc.location
        rec("incident_occurred", inc.id, township=loc.township)
        rec("alarm_raised", inc.id, level="township")
        desk = desks.get(loc.township)
        if desk is None:
            desk = desks[loc.township] = simpy.Resource(env, capacity=officers)
        with desk.request() as r:
            yield r
            yield env.timeout(take.draw(g_take))
        rec("alarm_taken", inc.id, level="township")
        cap = inc.requires[0].capability
        terrain = jur[loc.township].terrain
        county = jur[loc.township].parent or loc.township
        for level, key, delay in (("township", loc.township, None),
                                  ("county", county, esc["county"]),
                                  ("city", "city", esc["city"])):
            if delay is not None:
                yield env.timeout(delay.draw(g_esc))
                rec("request_escalated", inc.id, level=level)
            i, eta = nearest(by_desk.get((key, cap), []), loc.lon, loc.lat, terrain)
            if i >= 0:
                env.process(serve(i, inc, eta))
                return
        waiting[cap].append(inc)

    for inj in sc.injects:
        env.process(incident(inj.incident, inj.t))
    env.run(until=sc.duration_min)
    return log
