"""Information officers and experts in a simulated drill: first actions and expert advice.

**Information officers act first.** A disaster information officer who raises an alarm is on
the spot: for a grade-IV incident whose early-stage effort is within what one trained person
can do (``officers.max_effort`` person-minutes) the officer cordons, warns and moves people
out of danger before any team arrives — ``initial_response_completed`` with ``by: "officer"``
(no unit) after ``officers.first_action`` minutes from the alarm, unless a team has done it
first.

**Experts are consulted.** For the categories in ``experts.fields`` (hazmat, geohazard,
earthquake) the desk that took the alarm phones an expert of a matching field from the
region's pool (专家库; the incident's county first, then anyone) and has the advice after
``experts.consult`` minutes: ``expert_consulted`` (expert, field, delay_min, desk).
"""

from __future__ import annotations

from engine.context import DrillContext, desk_id
from engine.state import IncidentState
from scenarios.region import Expert


class Officers:
    """First actions of information officers and expert consultations of one drill."""

    def __init__(self, ctx: DrillContext) -> None:
        self.ctx = ctx
        self._experts: dict[str, list[Expert]] = {}
        for e in ctx.region.experts:
            self._experts.setdefault(e.field, []).append(e)

    def alarm_raised(self, inc: IncidentState) -> None:
        """The alarm is raised: an officer on the spot may act first."""
        ctx = self.ctx
        caller, spec = inc.spec.caller, inc.spec
        op = ctx.p.officers
        if (caller.source == "info_officer" and inc.grade == "IV"
                and spec.initial_effort is not None and spec.initial_effort <= op.max_effort):
            ctx.call_in(op.first_action.sample(ctx.dr["officers"]), self._acted, inc,
                        caller.id)

    def _acted(self, inc: IncidentState, officer: str | None) -> None:
        if inc.initial_done:
            return
        inc.initial_done = True
        ctx = self.ctx
        ctx.log_add("initial_response_completed", ctx.env.now, inc.id, None, None, None, None,
                    {"by": "officer", "officer": officer})

    def alarm_taken(self, inc: IncidentState) -> None:
        """The desk consults an expert for the categories that need one."""
        ctx = self.ctx
        ep = ctx.p.experts
        fields = ep.fields.get(inc.spec.category)
        if not fields:
            return
        pool = [e for f in fields for e in self._experts.get(f, [])]
        if not pool:
            return
        region = ctx.region
        local = [e for e in pool
                 if getattr(region.ancestor(e.jurisdiction, "county"), "id", None) == inc.county]
        pick = local or pool
        dr = ctx.dr["officers"]
        expert = pick[min(int(dr.uniform() * len(pick)), len(pick) - 1)]
        delay = ep.consult.sample(dr) * ctx.comms.factor(inc)
        ctx.call_in(delay, self._advised, inc, expert, delay)

    def _advised(self, inc: IncidentState, expert: Expert, delay: float) -> None:
        ctx = self.ctx
        ctx.log_add("expert_consulted", ctx.env.now, inc.id, None, None, None, None, {
            "expert": expert.id, "field": expert.field, "delay_min": round(delay, 4),
            "desk": desk_id(inc.desk_jurisdiction)})
