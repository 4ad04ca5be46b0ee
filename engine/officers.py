"""Information officers and experts in a simulated drill: first actions, damage reports and
expert advice.

**Information officers act first.** A disaster information officer who raises an alarm is on
the spot: for a grade-IV incident whose early-stage effort is within what one trained person
can do (``officers.max_effort`` person-minutes) the officer cordons, warns and moves people
out of danger before any team arrives — ``initial_response_completed`` with ``by: "officer"``
(no unit) after ``officers.first_action`` minutes from the alarm, unless a team has done it
first.

**Damage reports (灾情报告).** After a natural disaster (an incident whose report template is
in ``officers.damage_templates``: flood, forest fire, earthquake, geohazard, severe weather)
the township's information officer reports the damage to the county (the township is the
statistical unit of 《自然灾害情况统计调查制度》): the township's own officer, else the officer
who raised the alarm, else one of its villages' officers. The first facts are known after
``officers.damage_report`` (× night/weekend report factor × comms slow-down) from the
occurrence; an officer who has them within ``officers.damage_report_limit_min`` (the 初报
limit) reports them then (``damage_reported``, stage ``first``, complete); one who has not
reports what is known at the limit (stage ``first``, ``complete: false``) and the facts when
known (stage ``followup``) — unless, with probability ``officers.damage_report_late``, the
limit is missed and the first report comes only with the facts.

**Experts are consulted.** For the report templates in ``experts.fields`` (hazmat, geohazard,
earthquake, production safety: a mine accident) the desk that took the alarm phones an expert
of a matching field from the region's pool (专家库; the incident's county first, then anyone)
and has the advice after
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

    # ----- 灾情报告 ---------------------------------------------------------------------------
    def occurred(self, inc: IncidentState) -> None:
        """A natural disaster occurred: schedule its damage report(s) to the county."""
        ctx = self.ctx
        op = ctx.p.officers
        if inc.spec.template not in op.damage_templates:
            return
        officer = self._reporter(inc)
        upper = ctx.region.ancestor(inc.township, "county") or ctx.region.ancestor(
            inc.township, "city")
        if officer is None or upper is None:
            return
        to, t0, dr = desk_id(upper.id), ctx.env.now, ctx.dr["damage"]
        known = op.damage_report.sample(dr) * ctx.f.report * ctx.comms.factor(inc)
        late = dr.uniform() < op.damage_report_late
        limit = op.damage_report_limit_min
        if known <= limit or late:
            ctx.call_in(known, self._damage, inc, "first", officer, to, True, t0)
        else:
            ctx.call_in(limit, self._damage, inc, "first", officer, to, False, t0)
            ctx.call_in(known, self._damage, inc, "followup", officer, to, True, t0)

    def _reporter(self, inc: IncidentState) -> str | None:
        """The township's own officer, else the caller (an officer), else a village's."""
        officers = self.ctx.ix.officers_in(inc.township)
        for o in officers:
            if o.level == "township":
                return o.id
        caller = inc.spec.caller
        if caller.source == "info_officer" and caller.id is not None:
            return caller.id
        return officers[0].id if officers else None

    def _damage(self, inc: IncidentState, stage: str, officer: str, to: str, complete: bool,
                t0: float) -> None:
        ctx = self.ctx
        now = ctx.env.now
        ctx.log_add("damage_reported", now, inc.id, None, None, None, None, {
            "stage": stage, "officer": officer, "to": to, "complete": complete,
            "casualties": inc.truth() if complete else None,
            "delay_min": round(now - t0, 4)})

    # ----- 专家库 ----------------------------------------------------------------------------
    def alarm_taken(self, inc: IncidentState) -> None:
        """The desk consults an expert for the report templates that need one."""
        ctx = self.ctx
        ep = ctx.p.experts
        fields = ep.fields.get(inc.spec.template)
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
