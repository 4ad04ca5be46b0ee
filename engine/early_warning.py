"""A weather warning in force: relayed to the villages (预警叫应), hazard points patrolled (巡查).

A warning is in force from the start of play when the scenario's weather
(``conditions.weather``) is listed in ``officers.warned_sites``, with the hazard-site kinds it
puts at risk (rain and storms: geohazard points, rivers, reservoirs; wind and heat: forests;
snow: key roads). Nothing is scheduled otherwise — a clear day costs nothing.

**预警叫应.** Each township with warned points calls the responsible persons of its villages
and points and has each call answered: one ``warning_relayed`` event per township after
``officers.warning_relay`` (× the report factor of night and weekend), listing whom it called
(the officers who patrol its points), how many villages it told, and the points nobody there
can patrol (``unpatrolled``).

**巡查.** Each warned point is assigned to an information officer of its township whose role
patrols that kind of point (``officers.patrol_roles``, in order of preference; the villages'
officers before the township's own; points of one role spread over its officers in turn).
From the relay on, every such officer starts a round of their points every
``officers.patrol_interval`` minutes while play lasts; a round takes ``officers.patrol``
minutes and ends with ``patrol_completed`` (officer, township, sites, round, ``found``: the
incidents under way at those points). Patrols are one-shot calls on the simpy clock, not
processes.
"""

from __future__ import annotations

from collections import Counter

from engine.context import DrillContext, desk_id


class EarlyWarning:
    """Warnings relayed and hazard points patrolled while a weather warning is in force."""

    def __init__(self, ctx: DrillContext) -> None:
        self.ctx = ctx

    def start(self) -> None:
        """At the start of play: schedule each warned township's relay (if a warning is in
        force at all)."""
        ctx = self.ctx
        op = ctx.p.officers
        weather = ctx.scenario.conditions.weather
        kinds = set(op.warned_sites.get(weather, ()))
        if not kinds:
            return
        dr = ctx.dr["warning"]
        for township, sites in ctx.ix.sites_by_township().items():
            warned = [s for s in sites if s.kind in kinds]
            if not warned:
                continue
            routes: dict[str, list[str]] = {}
            unpatrolled: list[str] = []
            turn: Counter[str] = Counter()
            officers = ctx.ix.officers_in(township)
            for s in warned:
                for role in op.patrol_roles.get(s.kind, ()):
                    able = [o for o in officers if o.role == role]
                    if able:
                        o = able[turn[role] % len(able)]
                        turn[role] += 1
                        routes.setdefault(o.id, []).append(s.id)
                        break
                else:
                    unpatrolled.append(s.id)
            delay = op.warning_relay.sample(dr) * ctx.f.report
            ctx.call_in(delay, self._relayed, township, weather, routes, unpatrolled,
                        ctx.ix.villages_in(township), delay)

    def _relayed(self, township: str, weather: str, routes: dict[str, list[str]],
                 unpatrolled: list[str], villages: int, delay: float) -> None:
        ctx = self.ctx
        ctx.log_add("warning_relayed", ctx.env.now, None, None, None, None, None, {
            "township": township, "weather": weather, "sender": desk_id(township),
            "called": list(routes), "villages": villages, "unpatrolled": unpatrolled,
            "delay_min": round(delay, 4)})
        for officer, sites in routes.items():
            self._round(officer, township, sites, 1)

    def _round(self, officer: str, township: str, sites: list[str], k: int) -> None:
        ctx = self.ctx
        op = ctx.p.officers
        took = op.patrol.sample(ctx.dr["warning"])
        ctx.call_in(took, self._patrolled, officer, township, sites, k, took)
        if ctx.env.now + op.patrol_interval <= ctx.scenario.duration_min:
            ctx.call_in(op.patrol_interval, self._round, officer, township, sites, k + 1)

    def _patrolled(self, officer: str, township: str, sites: list[str], k: int,
                   took: float) -> None:
        ctx = self.ctx
        found = [i.id for i in ctx.incidents.values()
                 if i.spec.site is not None and i.spec.site in sites and not i.closed]
        ctx.log_add("patrol_completed", ctx.env.now, None, None, None, None, None, {
            "officer": officer, "township": township, "sites": sites, "round": k,
            "found": found, "duration_min": round(took, 4)})
