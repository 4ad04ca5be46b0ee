"""On scene: the work, the early-stage handling milestone, command, control and handover.

Effort (person-minutes) is shared by the people on scene: a unit works at headcount ×
``deployable_fraction`` × a ``productivity`` draw × ``on_scene.level_factor[level]``, and a
requirement's finish is recomputed whenever a unit joins (``on_scene.work_time``, if set,
replaces this by one draw per requirement). The first team on scene does the incident's
early-stage handling (先期处置, ``initial_effort``) at its own rate →
``initial_response_completed``. When a requirement is done its units are released except the
scene's lead and those still on the way are recalled; when all are done the incident is
controlled, the commander hands over to the post and the incident closes.
"""

from __future__ import annotations

from engine import reporting, supplies
from engine.context import DrillContext
from engine.state import IncidentState, Need
from engine.units import TRAVEL, TURNOUT


class Scene:
    """On-scene work and command of every incident of one drill."""

    def __init__(self, ctx: DrillContext) -> None:
        self.ctx = ctx

    @staticmethod
    def need(inc: IncidentState, cap: str, effort: float, units: int, lvl: int) -> Need:
        """A new requirement of ``inc``."""
        return Need(incident=inc, capability=cap, effort=effort, wanted=units, min_level=lvl,
                    remaining=effort)

    def arrive(self, u: int, need: Need) -> None:
        """Unit ``u`` is on scene for ``need``: the first arrival starts command, reports and
        supplies; the unit starts work (or is released at once if nothing is left)."""
        ctx = self.ctx
        inc = need.incident
        first = inc.first_arrival is None
        if first:
            inc.first_arrival, inc.first_unit = ctx.env.now, u
            ctx.call_in(ctx.p.on_scene.designate_commander.sample(ctx.dr["command"]),
                        self._designate, inc)
            waiting, inc.video_waiting = inc.video_waiting, []
            for post, ready in waiting:
                reporting.video(ctx, inc, post, ready)
            reporting.first_report(ctx, inc)
            if inc.spec.supplies:
                supplies.request(ctx, inc)
        if need.done or inc.controlled:
            if first:
                self._initial_done(inc, u)
            ctx.units.release(u, inc)
            return
        ix, units = ctx.ix, ctx.units
        lvl = int(ix.cap_level[need.capability][u])
        kb = ctx.kb[u]
        prod = kb.productivity.sample(ctx.dr["work"])
        lf = ctx.p.on_scene.level_factor.get(lvl, 1.0)
        rate = units.full_rate[u] = float(ix.headcount[u] * kb.deployable_fraction * prod * lf)
        if units.split[u]:  # only the duty crew is here: all of them work
            rate = float(min(units.duty_people[u], ix.headcount[u] * kb.deployable_fraction)
                         * prod * lf)
        ctx.log_add("task_started", ctx.env.now, inc.id, ix.unit_ids[u], None, None, None,
                    {"task": "on_scene_work", "capability": need.capability,
                     "effort": need.effort})
        need.on_scene[u] = rate
        if first and inc.spec.initial_effort is not None and rate > 0:
            inc.initial_left, inc.initial_rate, inc.initial_t = (
                inc.spec.initial_effort, rate, ctx.env.now)
            self._initial_schedule(inc, u)
        if not need.started:
            need.started, need.last = True, ctx.env.now
            wt = ctx.p.on_scene.work_time
            if wt is not None:
                ctx.call_in(wt.sample(ctx.dr["work"]), self.need_done, need)
                return
        if ctx.p.on_scene.work_time is None:
            self.reschedule(need)

    def team_joined(self, u: int, need: Need) -> None:
        """The rest of unit ``u``'s team has joined its duty crew on scene: it works at the
        whole team's rate from now (and so does the early-stage handling it leads)."""
        ctx = self.ctx
        inc = need.incident
        if need.done or u not in need.on_scene or ctx.units.on_scene_at.get(u) is not inc:
            return
        rate = ctx.units.full_rate[u]
        need.on_scene[u] = rate
        if inc.first_unit == u and not inc.initial_done and inc.initial_rate > 0:
            now = ctx.env.now
            inc.initial_left -= inc.initial_rate * (now - inc.initial_t)
            inc.initial_rate, inc.initial_t = rate, now
            self._initial_schedule(inc, u)
        if ctx.p.on_scene.work_time is None:
            self.reschedule(need)

    def _initial_schedule(self, inc: IncidentState, u: int) -> None:
        inc.initial_ver += 1
        self.ctx.call_in(max(0.0, inc.initial_left) / inc.initial_rate, self._initial_due,
                         inc, u, inc.initial_ver)

    def _initial_due(self, inc: IncidentState, u: int, ver: int) -> None:
        if inc.initial_ver == ver:
            self._initial_done(inc, u)

    def _initial_done(self, inc: IncidentState, u: int) -> None:
        """The first team's early-stage handling (先期处置) is done: ``initial_response_completed``.

        Reached when the first unit on scene has put in the incident's ``initial_effort`` at its
        own work rate, or earlier when its requirement is done or the incident is controlled
        (whatever happens first; once per incident)."""
        if inc.initial_done:
            return
        inc.initial_done = True
        ctx = self.ctx
        ctx.log_add("initial_response_completed", ctx.env.now, inc.id, ctx.ix.unit_ids[u],
                    None, None, None, {"by": "unit"})

    def reschedule(self, need: Need) -> None:
        """Bring ``need``'s progress up to now and schedule its completion at the new rate."""
        ctx = self.ctx
        now = ctx.env.now
        need.remaining -= need.rate * (now - need.last)
        need.last = now
        need.rate = sum(need.on_scene.values())
        need.version += 1
        if need.remaining <= 1e-9 * need.effort:
            self.need_done(need)
            return
        if need.rate <= 0:
            return
        ctx.call_in(need.remaining / need.rate, self._work_done, need, need.version)

    def _work_done(self, need: Need, version: int) -> None:
        if need.version == version:
            self.need_done(need)

    def need_done(self, need: Need) -> None:
        """``need`` is done: release its units but the lead, recall those on the way; control
        the incident when every requirement is done."""
        if need.done:
            return
        ctx = self.ctx
        units = ctx.units
        need.done = True
        inc = need.incident
        first = inc.first_unit
        if not inc.initial_done and first is not None and (
                first in need.on_scene or all(n.done for n in inc.needs)):
            self._initial_done(inc, first)
        now, log_add, unit_ids = ctx.env.now, ctx.log_add, ctx.ix.unit_ids
        for u in need.on_scene:
            log_add("task_finished", now, inc.id, unit_ids[u], None, None, None,
                    {"task": "on_scene_work", "capability": need.capability,
                     "effort": need.effort})
        lead = self.scene_lead(inc)
        for u in list(need.on_scene):
            if u != lead and units.on_scene_at.get(u) is inc:
                units.release(u, inc)
        for u in dict.fromkeys(need.assigned):  # recall units still on the way
            if units.job[u] is need and units.phase[u] in (TURNOUT, TRAVEL):
                units.recall(u)
        if not inc.controlled and all(n.done for n in inc.needs):
            inc.controlled = True
            log_add("incident_controlled", ctx.env.now, inc.id, None, None, None, None, {})
            reporting.final_report(ctx, inc)
            self._handover(inc)

    # ----- command ------------------------------------------------------------------------
    def lead(self, inc: IncidentState) -> int | None:
        """The unit leading the scene: the commander's, or the first to arrive."""
        return inc.commander if inc.commander is not None else inc.first_unit

    def scene_lead(self, inc: IncidentState) -> int | None:
        """The lead if it is on scene, else the first unit on scene in dispatch order (after a
        re-opening the original lead may have left)."""
        on_scene_at = self.ctx.units.on_scene_at
        lead = self.lead(inc)
        if lead is not None and on_scene_at.get(lead) is inc:
            return lead
        for u in inc.units:
            if on_scene_at.get(u) is inc:
                return u
        return None

    def _designate(self, inc: IncidentState) -> None:
        if inc.commander is None and inc.first_unit is not None:
            self.designate(inc, inc.first_unit, "first_arrival")

    def designate(self, inc: IncidentState, u: int, reason: str) -> None:
        """Designate the on-scene incident commander (roles are not assigned in advance)."""
        ctx = self.ctx
        unit = ctx.ix.units[u]
        suffix = "带队负责人" if reason == "first_arrival" else "现场接替指挥员"
        inc.commander, inc.commander_person = u, f"{unit.name}{suffix}"
        ctx.log_add("commander_designated", ctx.env.now, inc.id, unit.id, None, None, None,
                    {"person": inc.commander_person, "reason": reason})

    def _handover(self, inc: IncidentState) -> None:
        ctx = self.ctx
        lead = self.scene_lead(inc)
        if lead is None:
            self._close(inc, None, inc.rounds)
            return
        ctx.log_add("task_started", ctx.env.now, inc.id, ctx.ix.unit_ids[lead], None, None,
                    None, {"task": "handover"})
        ctx.call_in(ctx.kb[lead].handover.sample(ctx.dr["command"]), self._close, inc, lead,
                    inc.rounds)

    def _close(self, inc: IncidentState, lead: int | None, rounds: int) -> None:
        ctx = self.ctx
        on_scene_at = ctx.units.on_scene_at
        if lead is not None and on_scene_at.get(lead) is inc:
            ctx.log_add("task_finished", ctx.env.now, inc.id, ctx.ix.unit_ids[lead], None,
                        None, None, {"task": "handover"})
        if inc.rounds != rounds:  # re-opened by an escalation during the handover
            return
        for u in dict.fromkeys(inc.units):
            if on_scene_at.get(u) is inc:
                ctx.units.release(u, inc)
        inc.closed = True
        ctx.log_add("incident_closed", ctx.env.now, inc.id, None, None, None, None, {})
