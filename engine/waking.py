"""叫应叫醒 and 接报即报 in a simulated drill: wake-up calls at night, upward calls on receipt.

**Wake-up calls (叫应叫醒).** At night a duty desk must reach people who are asleep before they
act: the township's responsible leader before its command post can be activated (叫应), and the
off-duty part of a team before it can assemble (叫醒). A call rings until answered (a draw of
``waking.answer``), or — with probability ``waking.no_answer`` — goes unanswered until the
caller gives up after ``waking.timeout`` and calls the next person of the chain
(``waking.leader_chain`` / ``waking.team_chain``). Each call is one ``wakeup_call`` event when
it ends (``callee``, ``attempt``, ``answered``, ``delay_min``). When nobody of the chain
answers, someone is sent in person: the step goes ahead after the last call (logged
``answered: false``). By day nobody needs waking and the steps follow at once.

**Phoning upward on receipt (接报即报).** The desk that took an alarm phones it to the levels
above it that the incident's grade must reach (``reports.upward``), hop by hop after
``reports.alarm_relay[level]`` (× comms slow-downs): ``alarm_reported`` and ``message_sent``
(channel phone) when the next desk has it. This is before any report from the scene.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from engine.context import DrillContext, desk_id
from engine.state import IncidentState

_ABOVE: dict[str, tuple[Literal["county", "city"], ...]] = {
    "township": ("county", "city"), "county": ("city",), "city": ()}


class Waking:
    """Wake-up call chains and upward calls on receipt of one drill."""

    def __init__(self, ctx: DrillContext) -> None:
        self.ctx = ctx
        self.night = bool(ctx.scenario.conditions.night)
        #: township → incidents waiting for its leader's answer (absent: not called yet;
        #: None: answered or the chain is over)
        self._leader: dict[str, list[IncidentState] | None] = {}

    # ----- 叫应: the township's responsible leader ------------------------------------------
    def leader_then(self, inc: IncidentState, then: Callable[[IncidentState], None]) -> None:
        """Run ``then(inc)`` once the township's leader is awake (at once by day or when the
        leader has answered already)."""
        if not self.night or self.ctx.ix.post_for(inc.township) is None:
            then(inc)
            return
        t = inc.township
        if t not in self._leader:
            waiting: list[IncidentState] = [inc]
            self._leader[t] = waiting

            def woken() -> None:
                self._leader[t] = None
                for i in waiting:
                    then(i)

            self.call(inc, None, self.ctx.p.waking.leader_chain, woken)
            return
        pending = self._leader[t]
        if pending is None:
            then(inc)
        else:
            pending.append(inc)

    # ----- the chain ----------------------------------------------------------------------
    def call(self, inc: IncidentState, unit: str | None, chain: list[str],
             then: Callable[[], None]) -> None:
        """Call ``chain`` in order until someone answers, then ``then()``."""
        self._attempt(inc, unit, chain, 0, then)

    def _attempt(self, inc: IncidentState, unit: str | None, chain: list[str], k: int,
                 then: Callable[[], None]) -> None:
        ctx = self.ctx
        w, dr = ctx.p.waking, ctx.dr["waking"]
        answered = dr.uniform() >= w.no_answer
        delay = (w.answer if answered else w.timeout).sample(dr) * ctx.comms.factor(inc, unit)
        ctx.call_in(delay, self._ended, inc, unit, chain, k, answered, delay, then)

    def _ended(self, inc: IncidentState, unit: str | None, chain: list[str], k: int,
               answered: bool, delay: float, then: Callable[[], None]) -> None:
        ctx = self.ctx
        ctx.log_add("wakeup_call", ctx.env.now, inc.id, unit, None, None, None, {
            "callee": chain[k], "attempt": k + 1, "answered": answered,
            "delay_min": round(delay, 4), "caller": desk_id(inc.desk_jurisdiction)})
        if answered or k + 1 >= len(chain):
            then()
        else:
            self._attempt(inc, unit, chain, k + 1, then)

    # ----- 接报即报 ---------------------------------------------------------------------------
    def report_upward(self, inc: IncidentState) -> None:
        """The desk that took the alarm phones it upward at once (levels by grade)."""
        ctx = self.ctx
        wanted = ctx.p.reports.upward[inc.grade]  # type: ignore[index]
        levels: list[str] = [lv for lv in _ABOVE.get(inc.desk_level, ()) if lv in wanted
                             and ctx.region.ancestor(inc.township, lv) is not None]
        if levels:
            self._hop(inc, levels, 0, desk_id(inc.desk_jurisdiction))

    def _hop(self, inc: IncidentState, levels: list[str], k: int, sender: str) -> None:
        ctx = self.ctx
        delay = (ctx.p.reports.alarm_relay[levels[k]].sample(ctx.dr["receipt"])  # type: ignore[index]
                 * ctx.f.report * ctx.comms.factor(inc))
        ctx.call_in(delay, self._hopped, inc, levels, k, sender, delay)

    def _hopped(self, inc: IncidentState, levels: list[str], k: int, sender: str,
                delay: float) -> None:
        ctx = self.ctx
        j = ctx.region.ancestor(inc.township, levels[k])  # type: ignore[arg-type]
        assert j is not None
        recipient, now = desk_id(j.id), ctx.env.now
        ctx.log_add("alarm_reported", now, inc.id, None, None, None, None, {
            "level": levels[k], "to": recipient, "sender": sender, "channel": "phone",
            "delay_min": round(delay, 4)})
        ctx.log_add("message_sent", now, inc.id, None, None, None, None, {
            "sender": sender, "recipient": recipient, "channel": "phone",
            "delay_min": round(delay, 4)})
        if k + 1 < len(levels):
            self._hop(inc, levels, k + 1, recipient)
