"""Complications applied while a simulated drill runs (道路中断, 通信中断, 升级, 伤亡更新 …).

Each complication inject logs ``complication_applied`` with its type and fields, then changes
the run: road blocks slow travel into a township (a cut road costs ``travel.cutoff_factor`` ×
the road time), a comms outage slows reports and messages, an escalation raises the grade and
adds requirements (dispatched at once by the incident's desk), a casualty update changes the
truth later reports draw from, a shortage empties a depot, an unavailable commander is
replaced after a delay, and a repeat call is taken by a duty desk (:mod:`engine.desks`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from engine.state import CommsOutage, IncidentState
from scenarios.schema import ComplicationInject

if TYPE_CHECKING:
    from engine.context import DrillContext

_GRADE_RANK = {"IV": 0, "III": 1, "II": 2, "I": 3}


def apply(d: DrillContext, inj: ComplicationInject) -> None:
    """Log and apply one complication inject."""
    c = inj.complication
    fields = c.model_dump(mode="json", exclude_none=True,
                          exclude={"requires", "incident", "unit", "depot"})
    if c.requires:
        fields["requires"] = [r.model_dump() for r in c.requires]
    d.log_add("complication_applied", d.env.now, c.incident, c.unit, inj.id, c.depot, None,
              fields)
    until = d.env.now + c.duration_min if c.duration_min is not None else float("inf")
    inc = d.incidents.get(c.incident) if c.incident else None
    if c.type == "road_blocked":
        assert c.township is not None
        factor = c.factor if c.factor is not None else d.p.travel.cutoff_factor
        d.tm.blocks.block(c.township, factor, unit=c.unit)
        if c.duration_min is not None:
            d.call_in(c.duration_min, d.tm.blocks.unblock, c.township, factor, c.unit)
    elif c.type == "comms_lost":
        d.outages.append(CommsOutage(
            factor=c.factor if c.factor is not None else d.p.reports.comms_lost_factor,
            until=until, township=c.township, unit=c.unit, incident=c.incident))
    elif c.type == "escalation" and inc is not None:
        _escalate(d, inc, c.grade or inc.grade, inj)
    elif c.type == "casualty_update" and inc is not None and c.casualties is not None:
        inc.casualties = c.casualties
    elif c.type == "resource_shortage":
        dep = d.region.depot_by_id[c.depot or ""]
        from engine.supplies import stock_of

        stock = stock_of(d, dep)
        stock[c.item or ""] = min(stock.get(c.item or "", 0), c.qty or 0)
    elif c.type == "repeat_call" and inc is not None:
        d.desks.repeat_call(inc, inj)  # a desk takes it; no new incident, no dispatch
    elif c.type == "commander_unavailable":
        targets = [i for i in d.incidents.values() if not i.closed and (
            i is inc or (c.township is not None and i.township == c.township)
            or (c.unit is not None and i.commander is not None
                and d.ix.unit_ids[i.commander] == c.unit))]
        for i in targets:
            if i.commander is not None:
                d.call_in(d.p.on_scene.replace_commander.sample(d.dr["command"]),
                              _replace, d, i, i.commander)


def _escalate(d: DrillContext, inc: IncidentState, grade: str, inj: ComplicationInject) -> None:
    c = inj.complication
    reopen = inc.controlled and bool(c.requires)
    if _GRADE_RANK[grade] > _GRADE_RANK[inc.grade] or reopen:
        new = grade if _GRADE_RANK[grade] > _GRADE_RANK[inc.grade] else inc.grade
        if reopen:
            d.log_add("incident_escalated", d.env.now, inc.id, None, inj.id, None, None,
                      {"grade": new, "grade_from": inc.grade, "reopened": True})
        else:
            d.log_add("incident_escalated", d.env.now, inc.id, None, inj.id, None, None,
                      {"grade": new, "grade_from": inc.grade})
        inc.grade = new
        for need in inc.needs:  # waiting requirements move up with the grade
            d.dispatch.queue.resort(need)
    if reopen:  # new work after control: the incident is open again until it is done
        inc.controlled = inc.closed = False
        inc.rounds += 1
    for r in c.requires:
        need = d.scene.need(inc, r.capability, r.effort, r.units, r.min_level)
        inc.needs.append(need)
        if inc.desk_jurisdiction:
            d.dispatch.request(need, inc.desk_level, inc.desk_jurisdiction)


def _replace(d: DrillContext, inc: IncidentState, old: int | None) -> None:
    if inc.closed:
        return
    others = [u for u, i in d.units.on_scene_at.items() if i is inc and u != old]
    new = min(others) if others else old
    if new is not None:
        d.scene.designate(inc, new, "replacement")
