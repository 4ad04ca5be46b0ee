"""Cascades and complications drawn for a primary incident (what goes wrong during play).

Cascades are secondary incidents (earthquake → collapse, fire, landslide) near the primary one.
Complications change the drill: a road into the township blocked, communications degraded, an
escalation, more casualties found, a depot out of an item, a second alarm that draws resources
away, the commander unavailable (a new one must be designated), a repeat call (another person
phoning about the same incident, which the desk must recognise as one). Probabilities, delays
and words are catalogue data; this module only draws and words them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from scenarios.catalogue import GRADES, Category
from scenarios.draw import draw_grade, draw_requirements, possible_in
from scenarios.messages import fill, pick
from scenarios.schema import Casualties
from scenarios.travel import haversine_km

if TYPE_CHECKING:
    from scenarios.generator import Builder, Drawn


def add_cascades(b: Builder, parent: Drawn, rng: np.random.Generator) -> None:
    """Draw the cascades of ``parent`` (one level deep) and add them as incidents."""
    cat = b.catalogue.by_id[parent.category]
    for spec in cat.cascades:
        if rng.random() >= spec.p:
            continue
        t = parent.t + float(rng.uniform(*spec.delay_min))
        if t >= b.latest:
            continue
        child = b.catalogue.by_id[spec.category]
        if not possible_in(child, b.conditions.weather):
            continue  # conditions come first: no flood cascade on a dry, windy day
        place = b.area.draw_place(child, rng, near=(parent.lon, parent.lat, spec.radius_km))
        if place is None:
            continue
        grade = draw_grade(child, rng, b.preset.grade_boost, at_most=parent.grade)
        b.add_incident(child, t, place, grade, rng, cascade_of=parent.id)


def add_complications(b: Builder, parent: Drawn, rng: np.random.Generator) -> None:
    """Draw the complications of ``parent`` in a fixed type order and add them."""
    cat = b.catalogue.by_id[parent.category]
    factor = b.plan.complication_factor * b.preset.complication_factor
    # a repeat call comes last, so that its caller's words follow the truth at that time
    for ctype, p in sorted(cat.complications.items(), key=lambda kv: kv[0] == "repeat_call"):
        u = rng.random()
        spec = b.catalogue.complications[ctype]
        t = round(parent.t + float(rng.uniform(*spec.delay_min)), 1)
        if u >= min(1.0, p * factor) or t >= b.latest:
            continue
        _ADDERS[ctype](b, parent, cat, t, rng)


def _words(b: Builder, ctype: str, rng: np.random.Generator, **values: Any) -> tuple[str, str]:
    spec = b.catalogue.complications[ctype]  # type: ignore[index]
    lang = b.lang
    texts = getattr(spec, lang) or [""]
    return fill(pick(rng, texts), **values), getattr(spec.expected, lang)


def _road(b: Builder, parent: Drawn, cat: Category, t: float, rng: np.random.Generator) -> None:
    spec = b.catalogue.complications["road_blocked"]
    cut = rng.random() < spec.cut_off_p
    lo, hi = spec.factor or (2.0, 2.0)
    factor = None if cut else round(float(rng.uniform(lo, hi)), 2)
    dur = round(float(rng.uniform(*spec.duration_min)), 1) if spec.duration_min else None
    cause = pick(rng, getattr(spec.causes, b.lang)) if spec.causes else ""
    msg, exp = _words(b, "road_blocked", rng, township=parent.township_name, cause=cause)
    b.add_complication(t, {"type": "road_blocked", "township": parent.township,
                           "factor": factor, "duration_min": dur, "incident": parent.id},
                       msg, exp, parent)


def _comms(b: Builder, parent: Drawn, cat: Category, t: float, rng: np.random.Generator) -> None:
    spec = b.catalogue.complications["comms_lost"]
    lo, hi = spec.factor or (3.0, 3.0)
    dur = round(float(rng.uniform(*spec.duration_min)), 1) if spec.duration_min else None
    msg, exp = _words(b, "comms_lost", rng, township=parent.township_name)
    b.add_complication(t, {"type": "comms_lost", "township": parent.township,
                           "factor": round(float(rng.uniform(lo, hi)), 2), "duration_min": dur,
                           "incident": parent.id}, msg, exp, parent)


def _escalation(b: Builder, parent: Drawn, cat: Category, t: float,
                rng: np.random.Generator) -> None:
    if parent.grade == "I":
        return
    new = GRADES[GRADES.index(parent.grade) + 1]
    old = {r.capability: r for r in parent.requires}
    extra = []
    for r in draw_requirements(cat, new, rng):
        before = old.get(r.capability)
        effort = r.effort - (before.effort if before else 0.0)
        units = r.units - (before.units if before else 0)
        extra.append({"capability": r.capability, "effort": max(effort, round(r.effort * 0.1)),
                      "units": max(units, 1), "min_level": r.min_level})
    spec = b.catalogue.complications["escalation"]
    what = pick(rng, getattr(spec.what, b.lang)) if spec.what else ""
    msg, exp = _words(b, "escalation", rng, place=parent.place_name, what=what)
    b.add_complication(t, {"type": "escalation", "incident": parent.id, "grade": new,
                           "requires": extra}, msg, exp, parent)


def _casualties(b: Builder, parent: Drawn, cat: Category, t: float,
                rng: np.random.Generator) -> None:
    c = parent.casualties
    more_trapped = int(rng.integers(1, max(2, c.trapped) + 1))
    more_injured = int(rng.integers(0, max(1, c.injured) + 1))
    new = c.model_copy(update={"trapped": c.trapped + more_trapped,
                               "injured": c.injured + more_injured})
    msg, exp = _words(b, "casualty_update", rng, place=parent.place_name, trapped=more_trapped,
                      injured=more_injured)
    b.add_complication(t, {"type": "casualty_update", "incident": parent.id,
                           "casualties": new.model_dump()}, msg, exp, parent)


def _shortage(b: Builder, parent: Drawn, cat: Category, t: float,
              rng: np.random.Generator) -> None:
    items = sorted(parent.supplies)
    if not items:
        return
    item = items[int(rng.integers(len(items)))]
    county = b.region.ancestor(parent.township, "county")
    near = [d for d in b.region.depots if d.stock.get(item, 0) > 0 and d.tier in ("township", "county")
            and (d.jurisdiction == parent.township or (county and d.jurisdiction == county.id))]
    if not near:
        return
    km = haversine_km(np.array([d.lon for d in near]), np.array([d.lat for d in near]),
                      parent.lon, parent.lat)
    depot = near[int(np.argmin(km))]
    names = {v.id: getattr(v, f"name_{b.lang}") for v in b.region.items}
    msg, exp = _words(b, "resource_shortage", rng, depot=depot.name, item=names.get(item, item))
    b.add_complication(t, {"type": "resource_shortage", "depot": depot.id, "item": item, "qty": 0,
                           "incident": parent.id}, msg, exp, parent)


def _second_alarm(b: Builder, parent: Drawn, cat: Category, t: float,
                  rng: np.random.Generator) -> None:
    spec = b.catalogue.complications["second_alarm"]
    caps = {r.capability for r in parent.requires}
    options = [c for c in b.catalogue.categories if c.id != cat.id
               and caps & {r.capability for r in c.requires if r.from_grade == "IV"}
               and b.area.can_host(c) and possible_in(c, b.conditions.weather)]
    if not options:
        return
    w = np.array([c.annual_rate for c in options])
    child = options[int(rng.choice(len(options), p=w / w.sum()))]
    place = b.area.draw_place(child, rng, near=(parent.lon, parent.lat, spec.radius_km))
    if place is None:
        return
    grade = draw_grade(child, rng, b.preset.grade_boost)
    new = b.add_incident(child, t, place, grade, rng, second_alarm_of=parent.id)
    msg, exp = new.message, getattr(spec.expected, b.lang)
    b.add_complication(t, {"type": "second_alarm", "incident": new.id,
                           "note": f"second alarm while {parent.id} is being handled"},
                       msg, exp, new)


def _commander(b: Builder, parent: Drawn, cat: Category, t: float,
               rng: np.random.Generator) -> None:
    title = getattr(b.catalogue.roles.names["incident_commander"], b.lang) \
        if "incident_commander" in b.catalogue.roles.names else ""
    msg, exp = _words(b, "commander_unavailable", rng, name=title)
    b.add_complication(t, {"type": "commander_unavailable", "incident": parent.id,
                           "township": parent.township}, msg, exp, parent)


def _repeat_call(b: Builder, parent: Drawn, cat: Category, t: float,
                 rng: np.random.Generator) -> None:
    """Another person phones about the same incident, at the same place, minutes after the
    first alarm; what they say follows the truth at that time (the latest casualty update)."""
    spec = b.catalogue.complications["repeat_call"]
    truth = parent.casualties
    for it in b.items:  # casualty updates of this incident drawn before the call
        comp = it.get("complication", {})
        if (comp.get("type") == "casualty_update" and comp.get("incident") == parent.id
                and it["t"] <= t):
            truth = Casualties.model_validate(comp["casualties"])
    caller, who = b.voices.caller(rng, cat, parent.township, parent.site, other=parent.caller)
    lead = pick(rng, getattr(spec, b.lang)) if getattr(spec, b.lang) else ""
    detail = parent.site.detail if parent.site else ""
    msg = b.voices.alarm_message(rng, cat, caller, who, parent.place_name, detail, truth, lead)
    sender, desk = b.call_ends(caller, b.region.jurisdiction_by_id[parent.township])
    name = getattr(cat, f"name_{b.lang}")
    b.add_complication(t, {"type": "repeat_call", "incident": parent.id,
                           "caller": caller.model_dump(exclude_none=True),
                           "note": f"repeat call about {parent.id}"},
                       msg, getattr(spec.expected, b.lang), parent, sender=sender,
                       recipient=desk, method="phone",
                       subject=f"{name}（重复来电）" if b.lang == "zh" else f"{name} (repeat call)")


_ADDERS = {
    "road_blocked": _road,
    "comms_lost": _comms,
    "escalation": _escalation,
    "casualty_update": _casualties,
    "resource_shortage": _shortage,
    "second_alarm": _second_alarm,
    "commander_unavailable": _commander,
    "repeat_call": _repeat_call,
}
