"""Coverage: every exercised unit gets at least one inject that needs it, or a stated reason.

A unit is *needed* by an incident when the incident requires one of the unit's capabilities (at
the required level) and lies in the unit's service area: its own township for a township unit,
its county for a county unit, anywhere for a city unit. Units not yet needed get an extra
incident of a category that needs them, inside their service area, until the plan's limit.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

import numpy as np

from scenarios.catalogue import GRADES
from scenarios.draw import Area, category_rates, draw_grade
from scenarios.plan import DrillPlan
from scenarios.region import Region, Unit

if TYPE_CHECKING:
    from scenarios.generator import Builder


def exercised_units(region: Region, plan: DrillPlan, area: Area) -> list[str]:
    """Ids of the units the plan exercises (listed ids, plus kinds/tiers based in the area)."""
    p = plan.participants
    chosen = list(p.units)
    if p.kinds or p.tiers:
        towns = {t.id for t in area.townships}
        counties = {t.parent for t in area.townships}
        for u in region.units:
            if p.kinds and u.kind not in p.kinds or p.tiers and u.tier not in p.tiers:
                continue
            home = region.jurisdiction_by_id[u.jurisdiction]
            inside = (u.tier == "city" or region.township_of(u.jurisdiction) in towns
                      or home.id in counties or (home.level == "county" and home.id in counties))
            if inside and u.id not in chosen:
                chosen.append(u.id)
    return chosen


def service_townships(region: Region, u: Unit) -> set[str] | None:
    """Townships a unit serves (None = the whole region)."""
    if u.tier == "city":
        return None
    if u.tier == "township":
        t = region.township_of(u.jurisdiction)
        return {t} if t else set()
    county = region.ancestor(u.jurisdiction, "county")
    return {t.id for t in region.of_level("township") if county and t.parent == county.id}


def needs(region: Region, u: Unit, township: str, requires: list[dict[str, Any]]) -> bool:
    """True if an incident in ``township`` requiring ``requires`` needs unit ``u``."""
    serve = service_townships(region, u)
    if serve is not None and township not in serve:
        return False
    return any(u.capabilities.get(r["capability"], 0) >= r.get("min_level", 1) for r in requires)


def fill_coverage(b: Builder, units: list[str], rng: np.random.Generator) -> dict[str, Any]:
    """Add incidents until every unit in ``units`` is needed; return the coverage report."""
    region = b.region
    added = 0
    uncovered: list[dict[str, str]] = []
    for uid in units:
        u = region.unit_by_id[uid]
        if any(needs(region, u, d.township, d.data["incident"]["requires"]) for d in b.incidents):
            continue
        serve = service_townships(region, u)
        towns = {t.id for t in b.area.townships}
        towns = towns if serve is None else towns & serve
        options = []
        for c in b.catalogue.categories:
            grades = [r.from_grade for r in c.requires
                      if u.capabilities.get(r.capability, 0) >= r.min_level]
            if grades and b.plan.hazard_mix.get(c.id, 1.0) > 0:
                options.append((c, min(grades, key=GRADES.index)))
        if not options:
            uncovered.append({"unit": uid, "reason": "no catalogue category needs its capabilities"})
            continue
        if added >= b.plan.participants.max_extra_incidents:
            uncovered.append({"unit": uid, "reason": "participants.max_extra_incidents reached"})
            continue
        t = round(float(rng.uniform(0, b.latest)), 1)
        rates = category_rates(b.catalogue, b.start + timedelta(minutes=t),
                               b.conditions.weather, b.plan.hazard_mix)
        w = np.array([rates[c.id] for c, _ in options])
        if w.sum() <= 0:
            uncovered.append({"unit": uid, "reason": "no category that needs it can happen in "
                              "this weather"})
            continue
        # a category impossible now (e.g. in this weather) is not used to cover a unit
        order = rng.choice(len(options), size=int(np.count_nonzero(w)), replace=False,
                           p=w / w.sum())
        for k in order:
            cat, least = options[int(k)]
            place = b.area.draw_place(cat, rng, townships=towns)
            if place is None:
                continue
            grade = draw_grade(cat, rng, b.preset.grade_boost, at_least=least)
            b.add_incident(cat, t, place, grade, rng)
            added += 1
            break
        else:
            uncovered.append({"unit": uid, "reason": "no place in its service area for a "
                              "category that needs it"})
    return {"units": len(units), "covered": len(units) - len(uncovered),
            "extra_incidents": added, "uncovered": uncovered}
