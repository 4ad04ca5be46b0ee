"""Random draws of the generator: the secret start, onsets, categories, sites, grades, truth.

Every function takes an explicit ``numpy.random.Generator``; nothing here keeps state between
scenarios except :class:`Area`, a precomputed view of the region (sites by kind, townships by
population) restricted to the drill's area.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np

from scenarios.catalogue import GRADES, Category, HazardCatalogue
from scenarios.plan import DrillPlan, Window
from scenarios.region import HazardSite, Jurisdiction, Region
from scenarios.schema import Casualties, Conditions, Grade, Requirement
from scenarios.travel import haversine_km


def allowed_intervals(window: Window) -> list[tuple[datetime, datetime]]:
    """The window cut to its allowed hours of day: a list of [from, to) datetime intervals."""
    out: list[tuple[datetime, datetime]] = []
    day = datetime(window.start.year, window.start.month, window.start.day)
    while day < window.end:
        for a, b in sorted(window.hours):
            lo = max(day + timedelta(hours=a), window.start)
            hi = min(day + timedelta(hours=b), window.end)
            if hi > lo:
                out.append((lo, hi))
        day += timedelta(days=1)
    return out


def draw_start(window: Window, rng: np.random.Generator) -> datetime:
    """No notice: the start, uniform over the window's allowed time, to the minute."""
    spans = allowed_intervals(window)
    lengths = np.array([(b - a).total_seconds() / 60 for a, b in spans])
    if lengths.sum() < 1:
        raise ValueError("the window has less than one minute of allowed time")
    u = float(rng.uniform(0, lengths.sum()))
    k = int(np.searchsorted(np.cumsum(lengths), u, side="right"))
    k = min(k, len(spans) - 1)
    offset = u - (float(lengths[:k].sum()) if k else 0.0)
    start = spans[k][0] + timedelta(minutes=int(offset))
    return min(start, spans[k][1] - timedelta(minutes=1)) if lengths[k] >= 1 else start


def draw_conditions(catalogue: HazardCatalogue, start: datetime,
                    rng: np.random.Generator) -> Conditions:
    """No disclosed method: weather by season, night/weekend from the start, comms state."""
    wp = catalogue.weather_p(start.month)
    kinds = list(wp)
    p = np.array([wp[k] for k in kinds])
    weather = kinds[int(rng.choice(len(kinds), p=p / p.sum()))]
    a, b = catalogue.night_hours
    h = start.hour
    night = (a <= h or h < b) if a > b else (a <= h < b)
    by_weather = {str(k): v for k, v in catalogue.comms_degraded_weather.items()}
    p_comms = max(catalogue.comms_degraded_p, by_weather.get(weather, 0.0))
    comms = "degraded" if rng.random() < p_comms else "normal"
    return Conditions.model_validate({"night": night, "weekend": start.weekday() >= 5,
                                      "weather": weather, "comms": comms})


def draw_onsets(plan: DrillPlan, rng: np.random.Generator, rate_factor: float = 1.0,
                latest: float | None = None) -> list[float]:
    """Onset minutes of the primary incidents: a Poisson process (or a fixed count), plus
    occasional clusters, clipped to ``[min_count, max_count]`` incidents."""
    spec = plan.incidents
    end = plan.duration_min if latest is None else latest
    if spec.count is not None:
        n = spec.count
    else:
        assert spec.rate_per_hour is not None
        n = int(rng.poisson(spec.rate_per_hour * rate_factor * end / 60.0))
    n = int(np.clip(n, spec.min_count, spec.max_count))
    onsets = sorted(float(x) for x in rng.uniform(0, end, n))
    cl = plan.clusters
    extra: list[float] = []
    for t in onsets:
        if cl.p > 0 and rng.random() < cl.p:
            k = int(rng.integers(cl.extra[0], cl.extra[1] + 1))
            for dt in rng.uniform(cl.spread_min[0], cl.spread_min[1], k):
                if t + dt < end:
                    extra.append(t + float(dt))
    out = sorted(onsets + extra)[: spec.max_count]
    return [round(t, 1) for t in out]


def possible_in(c: Category, weather: str) -> bool:
    """Whether category ``c`` can happen in ``weather`` (its ``weather_only``, if any)."""
    return not c.weather_only or weather in c.weather_only


def category_rates(catalogue: HazardCatalogue, when: datetime, weather: str,
                   mix: dict[str, float] | None = None) -> dict[str, float]:
    """Relative rate of each category at story time ``when`` in ``weather``::

        annual_rate × months[m]/mean(months) × hours[h]/mean(hours) × weather_factor × mix
    """
    out: dict[str, float] = {}
    for c in catalogue.categories:
        r = c.annual_rate
        r *= c.months[when.month - 1] / (sum(c.months) / 12)
        r *= c.hours[when.hour] / (sum(c.hours) / 24)
        r *= {str(k): v for k, v in c.weather_factor.items()}.get(weather, 1.0)
        r *= (mix or {}).get(c.id, 1.0)
        if not possible_in(c, weather):
            r = 0.0  # cannot happen in this weather (conditions are drawn first)
        out[c.id] = r
    return out


@dataclass
class Place:
    """Where an incident is: township, point, site (or None)."""

    township: Jurisdiction
    lon: float
    lat: float
    site: HazardSite | None


@dataclass
class Area:
    """The region restricted to the drill's townships: sites by kind, township weights."""

    region: Region
    townships: list[Jurisdiction]
    sites_by_kind: dict[str, list[HazardSite]] = field(default_factory=dict)

    @classmethod
    def of(cls, region: Region, township_ids: list[str]) -> Area:
        """Build the view for a set of township ids."""
        ids = set(township_ids)
        towns = [region.jurisdiction_by_id[t] for t in township_ids]
        by_kind: dict[str, list[HazardSite]] = {}
        for s in region.hazard_sites:
            if region.township_of(s.jurisdiction) in ids:
                by_kind.setdefault(s.kind, []).append(s)
        return cls(region, towns, by_kind)

    def can_host(self, c: Category) -> bool:
        """True if the area has a place where category ``c`` can occur."""
        if c.sites:
            return any(self.sites_by_kind.get(k) for k in c.sites)
        return any(not c.terrains or t.terrain in c.terrains for t in self.townships)

    def draw_place(self, c: Category, rng: np.random.Generator,
                   near: tuple[float, float, float] | None = None,
                   townships: set[str] | None = None) -> Place | None:
        """A place for category ``c``: a site of its kinds, or a township by population.

        ``near`` = (lon, lat, radius_km) keeps only places within the radius; ``townships``
        keeps only places in those townships. None if there is no such place.
        """
        r = self.region
        if c.sites:
            cands = [s for k in c.sites for s in self.sites_by_kind.get(k, [])]
            if townships is not None:
                cands = [s for s in cands if r.township_of(s.jurisdiction) in townships]
            if near is not None and cands:
                d = haversine_km(np.array([s.lon for s in cands]),
                                 np.array([s.lat for s in cands]), near[0], near[1])
                cands = [s for s, km in zip(cands, d, strict=True) if km <= near[2]]
            if not cands:
                return None
            s = cands[int(rng.integers(len(cands)))]
            town = r.jurisdiction_by_id[r.township_of(s.jurisdiction) or s.jurisdiction]
            return Place(town, s.lon, s.lat, s)
        towns = [t for t in self.townships if not c.terrains or t.terrain in c.terrains]
        if townships is not None:
            towns = [t for t in towns if t.id in townships]
        if near is not None and towns:
            d = haversine_km(np.array([t.lon for t in towns]), np.array([t.lat for t in towns]),
                             near[0], near[1])
            towns = [t for t, km in zip(towns, d, strict=True) if km <= near[2]]
        if not towns:
            return None
        w = np.array([max(t.population, 1) for t in towns], dtype=float)
        t = towns[int(rng.choice(len(towns), p=w / w.sum()))]
        lon = round(t.lon + float(rng.normal(0, 0.01)), 5)
        lat = round(t.lat + float(rng.normal(0, 0.01)), 5)
        return Place(t, lon, lat, None)


def draw_grade(c: Category, rng: np.random.Generator, boost: float = 1.0,
               at_most: Grade | None = None, at_least: Grade | None = None) -> Grade:
    """A grade from the category's probabilities; ``boost`` multiplies III/II/I."""
    allowed = list(GRADES)
    if at_most is not None:
        allowed = allowed[: GRADES.index(at_most) + 1]
    if at_least is not None:
        allowed = [g for g in allowed if GRADES.index(g) >= GRADES.index(at_least)]
    p = np.array([c.grade_p.get(g, 0.0) * (1.0 if g == "IV" else boost) for g in allowed])
    if p.sum() <= 0:
        return allowed[0]
    return allowed[int(rng.choice(len(allowed), p=p / p.sum()))]


def draw_requirements(c: Category, grade: Grade, rng: np.random.Generator) -> list[Requirement]:
    """Capabilities needed at ``grade``, effort drawn uniformly in the range (to 10 p-min)."""
    out: list[Requirement] = []
    for r in c.requires:
        if GRADES.index(grade) < GRADES.index(r.from_grade):
            continue
        lo, hi = r.effort[grade]
        effort = max(10.0, round(float(rng.uniform(lo, hi)) / 10) * 10)
        out.append(Requirement(capability=r.capability, effort=effort, units=r.units[grade],
                               min_level=r.min_level))
    return out


def draw_initial_effort(c: Category, grade: Grade, rng: np.random.Generator) -> float:
    """Person-minutes of the first team's early-stage handling (先期处置), uniform in the
    grade's range (to 5 p-min)."""
    lo, hi = c.initial_response[grade]
    return max(5.0, round(float(rng.uniform(lo, hi)) / 5) * 5)


def draw_casualties(c: Category, grade: Grade, rng: np.random.Generator) -> Casualties:
    """Casualty truth: each count uniform in the grade's inclusive range."""
    cr = c.casualties[grade]
    vals = {f: int(rng.integers(lo, hi + 1)) for f, (lo, hi) in
            (("dead", cr.dead), ("injured", cr.injured), ("trapped", cr.trapped),
             ("missing", cr.missing), ("evacuated", cr.evacuated))}
    return Casualties(**vals)


def draw_supplies(c: Category, grade: Grade, rng: np.random.Generator) -> dict[str, int]:
    """Supplies the incident will need (item → quantity)."""
    return {item: max(1, int(rng.integers(lo, hi + 1)))
            for item, (lo, hi) in c.supplies.get(grade, {}).items()}
