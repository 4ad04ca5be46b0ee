"""Dispatch and escalation of a simulated drill: requirements → units, shortfalls upward.

For each requirement the desk's policy (:mod:`engine.dispatch`) picks among the capable,
available units the desk commands; a shortfall stays on the desk's board in the dispatch queue
(:mod:`engine.dispatch_queue`) and is escalated one level up at the same time
(``mutual_aid_requested``, after ``dispatch.escalate_delay[level]`` the higher desk acts on it
with its wider scope). A unit freed takes the most urgent waiting requirement it can serve.
Committing a unit logs ``unit_dispatched`` and the desk's ``message_sent`` (and
``mutual_aid_granted`` for a unit from outside the incident's jurisdiction) and orders it.
"""

from __future__ import annotations

import numpy as np

from engine.context import DrillContext, desk_id
from engine.dispatch import DispatchPolicy, DispatchRequest, make_policy
from engine.dispatch_queue import QUEUE_ORDERS, DispatchQueue, QueueOrder
from engine.state import Need

_PARENT = {"township": "county", "county": "city"}


class Dispatcher:
    """The dispatch policy and queue of one drill."""

    def __init__(self, ctx: DrillContext, policy: DispatchPolicy | None = None,
                 queue_order: QueueOrder | None = None) -> None:
        self.ctx = ctx
        dp = ctx.p.dispatch
        self.policy = policy if policy is not None else make_policy(
            dp.policy, dp.specialist_tolerance_min, dp.specialists)
        self.queue = DispatchQueue(ctx.ix, queue_order or QUEUE_ORDERS[dp.queue])

    def request(self, need: Need, level: str, jid: str) -> None:
        """Dispatch units for ``need`` from the desk at ``level``/``jid``. A shortfall stays on
        that desk's board (the dispatch queue, served by the next capable unit freed in its
        scope) and is escalated one level up at the same time."""
        ctx = self.ctx
        inc = need.incident
        if need.done or inc.controlled or need.short <= 0:
            return
        if not need.requested:
            need.requested, need.since = True, ctx.env.now
        ix, units = ctx.ix, ctx.units
        cand = ix.scope(level, jid) & units.available & ix.capable(need.capability,
                                                                   need.min_level)
        idx = np.flatnonzero(cand)
        if idx.size:
            eta = units.etas(inc, idx)
            req = DispatchRequest(idx, eta, need.short, need.capability, inc.spec.site, ix.units)
            for u in self.policy.choose(req):  # idx is sorted
                self.commit(u, need, level, jid, float(eta[int(np.searchsorted(idx, u))]))
        if need.short <= 0:
            return
        self.queue.put(need, level, jid)
        up = _PARENT.get(level)
        anc = ctx.region.ancestor(jid, up) if up is not None else None  # type: ignore[arg-type]
        if up is None or anc is None:  # the top desk (a region without a city: the county)
            return
        ctx.log_add("mutual_aid_requested", ctx.env.now, inc.id, None, None, None, None, {
            "from_jurisdiction": jid, "to_level": up, "capability": need.capability,
            "units": need.short})
        delay = ctx.p.dispatch.escalate_delay[up].sample(ctx.dr["dispatch"])  # type: ignore[index]
        ctx.call_in(delay, self.request, need, up, anc.id)

    def commit(self, u: int, need: Need, level: str, jid: str, eta: float) -> None:
        """Commit unit ``u`` to ``need`` for the desk ``level``/``jid`` and order it."""
        ctx = self.ctx
        inc = need.incident
        ix = ctx.ix
        uid = ix.unit_ids[u]
        ctx.units.available[u] = False
        need.assigned.append(u)
        inc.units.append(u)
        mutual = not ix.contains(u, inc.township)
        desk = desk_id(jid)
        now = ctx.env.now
        log_add = ctx.log_add
        log_add("unit_dispatched", now, inc.id, uid, None, None, None, {
            "level": level, "eta_min": round(eta, 4), "capability": need.capability,
            "mutual_aid": mutual, "desk": desk})
        log_add("message_sent", now, inc.id, uid, None, None, None, {
            "sender": desk, "recipient": uid, "channel": "phone", "delay_min": 0.0})
        if mutual:
            log_add("mutual_aid_granted", now, inc.id, uid, None, None, None,
                    {"from_jurisdiction": ix.serving[u]})
        ctx.units.order(u, need, eta)

    def offer(self, u: int) -> None:
        """A unit became free: give it to the most urgent waiting requirement it can serve
        (the dispatch queue's order)."""
        queue = self.queue
        if not queue or not self.ctx.units.available[u]:
            return
        got = queue.take(u)
        if got is not None:
            need, level, jid = got
            self.commit(u, need, level, jid, self.ctx.units.eta_unit(u, need.incident))
