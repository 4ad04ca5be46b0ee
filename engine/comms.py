"""Communications during a simulated drill: outages that slow reports and messages.

A ``comms_lost`` complication adds a :class:`~engine.state.CommsOutage`; while it lasts, every
report or message about the township, unit or incident it names takes ``factor`` times longer.
"""

from __future__ import annotations

from engine.context import DrillContext
from engine.state import IncidentState


class Comms:
    """The comms state of one drill (its outages)."""

    def __init__(self, ctx: DrillContext) -> None:
        self.ctx = ctx

    def factor(self, inc: IncidentState, unit: str | None = None) -> float:
        """Slow-down of reports/messages about ``inc`` (and ``unit``) from comms outages now."""
        f = 1.0
        now = self.ctx.env.now
        for o in self.ctx.outages:
            if o.until > now and (o.township == inc.township or o.incident == inc.id
                                  or (unit is not None and o.unit == unit)):
                f *= o.factor
        return f
