"""Duty desks (值班室) of a simulated drill: alarms raised, queued, taken by duty officers.

An alarm reaches the desk of the level its caller calls (an information officer the desk of
their own level, a village officer the township's; others per ``alarm.desk_for_source``) and
joins that desk's queue, first come, first served. Each desk is staffed by
``alarm.desk_officers[level]`` duty officers, each a simpy process started with the desk's
first alarm: an officer takes the oldest waiting alarm (a draw of ``alarm.take_alarm[level]`` ×
the condition factor), logs ``alarm_taken``, phones it upward at once (接报即报), tells the
township command post (at night once its leader has answered the wake-up call, 叫应) and has
every requirement dispatched; an idle officer waits to be woken by the next alarm.

A **repeat call** (a ``repeat_call`` complication: another person phoning about an incident
already reported) reaches the desk its caller calls and joins the same queue: an officer spends
the same ``take_alarm`` time on it, logs ``repeat_call_taken`` against the existing incident and
opens no incident and dispatches nothing (a real desk recognises the place and merges the call).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Generator, Mapping
from typing import Any

from simpy.events import Event

from engine import reporting
from engine.context import DrillContext, desk_id
from engine.state import IncidentState
from scenarios.region import Region
from scenarios.schema import AlarmSource, Caller, ComplicationInject

ProcessGen = Generator[Event, Any, None]



def desk_for_caller(caller: Caller, township: str, region: Region,
                    officer_level: Mapping[str, str],
                    desk_for_source: Mapping[AlarmSource, str]) -> tuple[str, str]:
    """``(level, jurisdiction id)`` of the duty desk ``caller`` phones about an incident in
    ``township``: an information officer calls the desk of their own level (a village officer
    the township's), others per ``desk_for_source`` (``alarm.desk_for_source``); in a region
    without that level, the highest desk it has. One rule for simulated and live drills."""
    level: str = desk_for_source[caller.source]
    if caller.source == "info_officer" and caller.id is not None:
        olevel = officer_level.get(caller.id)
        if olevel is not None:
            level = "township" if olevel in ("village", "township") else olevel
    j = region.ancestor(township, level)  # type: ignore[arg-type]
    while j is None and level != "township":
        level = "county" if level == "city" else "township"
        j = region.ancestor(township, level)  # type: ignore[arg-type]
    return level, (j.id if j is not None else township)

class RepeatCall:
    """A repeat call waiting at a desk: the incident it is about and the inject that made it."""

    __slots__ = ("inc", "inject")

    def __init__(self, inc: IncidentState, inject: str) -> None:
        self.inc, self.inject = inc, inject


class Desk:
    """A duty desk: its waiting calls (alarms and repeat calls, first come, first served) and
    the wake-up events of its idle duty-officer processes."""

    __slots__ = ("alarms", "idle")

    def __init__(self) -> None:
        self.alarms: deque[IncidentState | RepeatCall] = deque()
        self.idle: deque[Event] = deque()


class Desks:
    """Every duty desk of one drill (created at its first alarm)."""

    def __init__(self, ctx: DrillContext) -> None:
        self.ctx = ctx
        self.by_jurisdiction: dict[str, Desk] = {}

    def desk_for(self, inc: IncidentState, caller: Caller | None = None) -> tuple[str, str]:
        """(level, jurisdiction id) of the desk the alarm of ``inc`` reaches first (or the
        desk ``caller`` phones about it)."""
        ctx = self.ctx
        return desk_for_caller(caller or inc.spec.caller, inc.township, ctx.region,
                               ctx.ix.officer_level, ctx.p.alarm.desk_for_source)

    def alarm(self, inc: IncidentState) -> None:
        """The alarm of ``inc`` reaches its desk (``alarm_raised``) and waits for an officer."""
        ctx = self.ctx
        level, jid = self.desk_for(inc)
        caller = inc.spec.caller
        ctx.log_add("alarm_raised", ctx.env.now, inc.id, None, None, None, None, {
            "level": level, "caller_source": caller.source,
            "caller": caller.id or caller.name or None, "desk": desk_id(jid)})
        ctx.officers.alarm_raised(inc)
        self._enqueue(level, jid, inc)

    def repeat_call(self, inc: IncidentState, inj: ComplicationInject) -> None:
        """A repeat call about ``inc`` reaches its caller's desk (``repeat_call_raised``) and
        waits for an officer like an alarm; no incident is opened."""
        ctx = self.ctx
        caller = inj.complication.caller or Caller()
        level, jid = self.desk_for(inc, caller)
        ctx.log_add("repeat_call_raised", ctx.env.now, inc.id, None, inj.id, None, None, {
            "level": level, "caller_source": caller.source,
            "caller": caller.id or caller.name or None, "desk": desk_id(jid)})
        self._enqueue(level, jid, RepeatCall(inc, inj.id))

    def _enqueue(self, level: str, jid: str, call: IncidentState | RepeatCall) -> None:
        ctx = self.ctx
        desk = self.by_jurisdiction.get(jid)
        if desk is None:
            desk = self.by_jurisdiction[jid] = Desk()
            for _ in range(ctx.p.alarm.desk_officers[level]):  # type: ignore[index]
                ctx.env.process(self._officer(desk, level, jid))
        desk.alarms.append(call)
        if desk.idle:  # wake the officer idle longest
            desk.idle.popleft().succeed()

    def _officer(self, desk: Desk, level: str, jid: str) -> ProcessGen:
        """A duty officer of a desk (a simpy process): takes the oldest waiting alarm, which
        takes a draw of ``alarm.take_alarm[level]``, records it and dispatches; repeats. With
        no alarm waiting the officer waits to be woken by the next one."""
        ctx = self.ctx
        take_alarm = ctx.p.alarm.take_alarm[level]  # type: ignore[index]
        draws, alarms, f_take = ctx.dr["alarm"], desk.alarms, ctx.f.take
        timeout = ctx.timeout
        while True:
            if not alarms:
                wake = ctx.env.event()
                desk.idle.append(wake)
                yield wake
                continue  # (another officer may have taken it meanwhile)
            call = alarms.popleft()
            yield timeout(take_alarm.sample(draws) * f_take)
            if isinstance(call, RepeatCall):
                self._repeat_taken(call, level, jid)
            else:
                self._taken(call, level, jid)

    def _repeat_taken(self, call: RepeatCall, level: str, jid: str) -> None:
        """Log a repeat call against its incident; ``alarm_known``: whether the incident's first
        alarm had been taken by then (the call adds to what the desks know; nothing is sent)."""
        ctx = self.ctx
        ctx.log_add("repeat_call_taken", ctx.env.now, call.inc.id, None, call.inject, None,
                    None, {"level": level, "desk": desk_id(jid),
                           "alarm_known": bool(call.inc.desk_jurisdiction)})

    def _notify(self, inc: IncidentState) -> None:
        reporting.notify_post(self.ctx, inc)

    def _taken(self, inc: IncidentState, level: str, jid: str) -> None:
        ctx = self.ctx
        inc.desk_level, inc.desk_jurisdiction = level, jid
        ctx.log_add("alarm_taken", ctx.env.now, inc.id, None, None, None, None,
                    {"level": level, "desk": desk_id(jid)})
        ctx.waking.report_upward(inc)  # 接报即报
        ctx.officers.alarm_taken(inc)  # an expert for the categories that need one
        ctx.waking.leader_then(inc, self._notify)  # 叫应 at night, then the post is told
        request = ctx.dispatch.request
        for need in list(inc.needs):
            request(need, level, jid)
