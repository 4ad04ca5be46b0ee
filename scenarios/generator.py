"""The six-no scenario generator: ``generate(region, catalogue, plan, seed)`` → a Scenario.

One candidate is drawn from ``numpy`` streams spawned from ``SeedSequence(seed, spawn_key=(k,))``
for attempt ``k`` (one child stream per purpose) and a faker instance seeded from them, so the
scenario is a pure function of the inputs and the seed (no script). The start is uniform in the
plan's window (no notice); conditions are drawn (no disclosed method); incidents carry roles to
designate during play (no assigned roles); candidates too close to a past drill are redrawn (no
rehearsal); every exercised unit gets an inject that needs it, or the reason is recorded
(coverage); with a difficulty, candidates are simulated and one whose predicted compliance is in
the band is kept. Sealing is :mod:`scenarios.sealing`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import numpy as np

from scenarios.catalogue import Category, HazardCatalogue, require_compatible
from scenarios.complications import add_cascades, add_complications
from scenarios.coverage import exercised_units, fill_coverage
from scenarios.draw import (
    Area,
    Place,
    category_rates,
    draw_casualties,
    draw_conditions,
    draw_grade,
    draw_initial_effort,
    draw_onsets,
    draw_requirements,
    draw_start,
    draw_supplies,
)
from scenarios.messages import Voices
from scenarios.novelty import NoveltyWeights, novelty
from scenarios.plan import Difficulty, DifficultyPreset, DrillPlan, require_plan_compatible
from scenarios.recipients import COUNTY_DESK, EXERCISE_CONTROL, TOWNSHIP_DESK
from scenarios.region import HazardSite, Jurisdiction, Region
from scenarios.schema import Caller, Casualties, Conditions, Grade, Requirement, Scenario

GENERATOR_VERSION = "blinddrill.generator/1"
#: last onset this many minutes before the end, so every incident can be played
ONSET_MARGIN_FRACTION = 0.125
N_STREAMS = 8


@dataclass
class Drawn:
    """An incident drawn for the candidate (before ids are renumbered in time order)."""

    id: str
    t: float
    seq: int
    category: str
    grade: Grade
    township: str
    township_name: str
    lon: float
    lat: float
    place_name: str
    requires: list[Requirement]
    supplies: dict[str, int]
    casualties: Casualties
    message: str
    data: dict[str, Any]
    site: HazardSite | None = None
    caller: Caller | None = None


class Builder:
    """Accumulates one candidate's injects; see :func:`build_candidate`."""

    def __init__(self, region: Region, catalogue: HazardCatalogue, plan: DrillPlan,
                 preset: DifficultyPreset, area: Area, voices: Voices, start_story: Any,
                 conditions: Conditions) -> None:
        self.region, self.catalogue, self.plan, self.preset = region, catalogue, plan, preset
        self.area, self.voices, self.start, self.conditions = area, voices, start_story, conditions
        self.lang = plan.language
        self.latest = plan.duration_min * (1 - ONSET_MARGIN_FRACTION)
        self.items: list[dict[str, Any]] = []
        self.incidents: list[Drawn] = []
        self._cap_names = {c.id: getattr(c, f"name_{self.lang}") for c in region.capabilities}

    def _umpire(self, township: str) -> str:
        county = self.region.ancestor(township, "county")
        counties = sorted({self.region.ancestor(t.id, "county").id  # type: ignore[union-attr]
                           for t in self.area.townships})
        k = counties.index(county.id) if county and county.id in counties else 0
        if self.plan.umpires:
            return self.plan.umpires[k % len(self.plan.umpires)]
        return f"导调组{k + 1}" if self.lang == "zh" else f"Controller team {k + 1}"

    def add_incident(self, cat: Category, t: float, place: Place, grade: Grade,
                     rng: np.random.Generator, cascade_of: str | None = None,
                     second_alarm_of: str | None = None) -> Drawn:
        """Draw an incident's truth, caller and words and add its inject."""
        t = round(t, 1)
        requires = draw_requirements(cat, grade, rng)
        casualties = draw_casualties(cat, grade, rng)
        supplies = draw_supplies(cat, grade, rng)
        caller, who = self.voices.caller(rng, cat, place.township.id, place.site)
        address = self.voices.place_name(place.township, place.site, rng)
        detail = place.site.detail if place.site else ""
        message = self.voices.alarm_message(rng, cat, caller, who, address, detail, casualties)
        initial_effort = draw_initial_effort(cat, grade, rng)
        roles = list(dict.fromkeys([*self.catalogue.roles.common, *cat.roles]))
        role_names = [getattr(self.catalogue.roles.names[r], self.lang) for r in roles]
        sep = "、" if self.lang == "zh" else ", "
        designate = ("现场需临机明确：" if self.lang == "zh" else " Designate during play: ") \
            + sep.join(role_names)
        sender, desk = self.call_ends(caller, place.township)
        iid = f"X{len(self.incidents) + 1:03d}"
        description = ""
        if cascade_of:
            description = f"cascade of {cascade_of}"
        elif second_alarm_of:
            description = f"second alarm during {second_alarm_of}"
        spec = {
            "id": iid, "category": cat.id, "grade": grade,
            "location": {"township": place.township.id, "lon": place.lon, "lat": place.lat,
                         "address": address},
            "site": place.site.id if place.site else None,
            "requires": [r.model_dump() for r in requires], "initial_effort": initial_effort,
            "supplies": supplies, "casualties": casualties.model_dump(), "template": cat.template,
            "caller": caller.model_dump(exclude_none=True), "cascade_of": cascade_of,
            "description": description, "roles_to_designate": roles,
        }
        delivery = {
            "sender": sender, "recipient": desk,
            "method": "app" if caller.source == "system" else "phone",
            "subject": getattr(cat, f"name_{self.lang}"), "message": message,
            "expected_action": getattr(cat.expected, self.lang) + designate,
            "capability": sep.join(self._cap_names.get(r.capability, r.capability)
                                   for r in requires),
            "umpire": self._umpire(place.township.id),
        }
        d = Drawn(iid, t, len(self.items), cat.id, grade, place.township.id, place.township.name,
                  place.lon, place.lat, address, requires, supplies, casualties, message,
                  {"kind": "incident", "incident": spec, "delivery": delivery}, place.site,
                  caller)
        self.items.append({"t": t, "seq": len(self.items), "kind": "incident",
                           "incident": spec, "delivery": delivery})
        self.incidents.append(d)
        return d

    def call_ends(self, caller: Caller, township: Jurisdiction) -> tuple[str, str]:
        """(sender, recipient) of a call to a duty desk: the caller's name and number (or the
        monitoring system) and the desk it reaches (an officer's township, else the county)."""
        zh = self.lang == "zh"
        if caller.source == "info_officer":
            desk = township.name + TOWNSHIP_DESK[self.lang]
        else:
            desk = COUNTY_DESK[self.lang]
        sender = " ".join(x for x in (caller.name, caller.phone) if x) or (
            "监测预警系统" if zh else "Monitoring system")
        return sender, desk

    def add_complication(self, t: float, comp: dict[str, Any], message: str, expected: str,
                         about: Drawn, **delivery_fields: str) -> None:
        """Add a complication inject at ``t`` about incident ``about``; ``delivery_fields``
        replace the default delivery (exercise control to the township command post)."""
        post = self.region.post_by_township.get(about.township)
        recipient = post.name if post else about.township_name
        sender = EXERCISE_CONTROL[self.lang]
        delivery = {"sender": sender, "recipient": recipient,
                    "method": "radio" if comp["type"] in ("comms_lost",) else "phone",
                    "subject": comp["type"], "message": message, "expected_action": expected,
                    "capability": "", "umpire": self._umpire(about.township), **delivery_fields}
        comp = {k: v for k, v in comp.items() if v is not None}
        self.items.append({"t": round(t, 1), "seq": len(self.items), "kind": "complication",
                           "complication": comp, "delivery": delivery})

    def injects(self) -> list[dict[str, Any]]:
        """Injects in time order with ids renumbered (I01…, J001…) and references remapped."""
        items = sorted(self.items, key=lambda x: (x["t"], x["seq"]))
        rename: dict[str, str] = {}
        for it in items:
            if it["kind"] == "incident":
                rename[it["incident"]["id"]] = f"I{len(rename) + 1:02d}"
        out: list[dict[str, Any]] = []
        for n, it in enumerate(items, start=1):
            it = {k: v for k, v in it.items() if k != "seq"}
            if it["kind"] == "incident":
                spec = dict(it["incident"])
                spec["id"] = rename[spec["id"]]
                for key in ("cascade_of",):
                    spec[key] = rename.get(spec[key]) if spec[key] else None
                desc = spec["description"]
                for old, new in rename.items():
                    desc = desc.replace(old, new)
                spec["description"] = desc
                it["incident"] = {k: v for k, v in spec.items() if v is not None}
            else:
                comp = dict(it["complication"])
                if "incident" in comp:
                    comp["incident"] = rename[comp["incident"]]
                if "note" in comp:
                    for old, new in rename.items():
                        comp["note"] = comp["note"].replace(old, new)
                it["complication"] = comp
            out.append({"id": f"J{n:03d}", **it})
        return out


def area_townships(region: Region, plan: DrillPlan, rng: np.random.Generator) -> list[str]:
    """Township ids of the drill area (see :class:`~scenarios.plan.Area`)."""
    towns = region.of_level("township")
    if plan.area.site_kinds:
        kinds = set(plan.area.site_kinds)
        keep = {region.township_of(s.jurisdiction) for s in region.hazard_sites
                if s.kind in kinds}
        towns = [t for t in towns if t.id in keep]
    if plan.area.draw_counties:
        counties = sorted({t.parent for t in towns if t.parent})
        n = min(plan.area.draw_counties, len(counties))
        chosen = set(rng.choice(counties, n, replace=False).tolist())
        return [t.id for t in towns if t.parent in chosen]
    if plan.area.draw_townships:
        n = min(plan.area.draw_townships, len(towns))
        k = sorted(rng.choice(len(towns), n, replace=False).tolist())
        return [towns[i].id for i in k]
    if plan.area.jurisdictions:
        wanted = set(plan.area.jurisdictions)
        out = [t.id for t in towns
               if {t.id, t.parent or "", getattr(region.ancestor(t.id, "city"), "id", "")}
               & wanted]
        for j in plan.area.jurisdictions:  # a village names its township
            tid = region.township_of(j)
            if tid and tid not in out:
                out.append(tid)
        return out
    return [t.id for t in towns]


def build_candidate(region: Region, catalogue: HazardCatalogue, plan: DrillPlan, seed: int,
                    attempt: int, preset: DifficultyPreset, voices: Voices) -> Scenario:
    """Draw one complete candidate scenario for ``(seed, attempt)``."""
    ss = np.random.SeedSequence(seed, spawn_key=(attempt,))
    r_start, r_area, r_onset, r_cat, r_inc, r_more, r_cov, r_misc = (
        np.random.default_rng(s) for s in ss.spawn(N_STREAMS))
    voices.reseed(int(r_misc.integers(2**31)))
    start = draw_start(plan.window, r_start)
    conditions = draw_conditions(catalogue, start, r_misc)
    area = Area.of(region, area_townships(region, plan, r_area))
    b = Builder(region, catalogue, plan, preset, area, voices, start, conditions)
    mix = {c.id: plan.hazard_mix.get(c.id, 1.0) * (1.0 if area.can_host(c) else 0.0)
           for c in catalogue.categories}
    primaries: list[Drawn] = []
    for t in draw_onsets(plan, r_onset, preset.rate_factor, b.latest):
        rates = category_rates(catalogue, start + timedelta(minutes=t), conditions.weather, mix)
        ids = list(rates)
        w = np.array([rates[i] for i in ids])
        if w.sum() <= 0:
            break
        cat = catalogue.by_id[ids[int(r_cat.choice(len(ids), p=w / w.sum()))]]
        place = area.draw_place(cat, r_inc)
        assert place is not None  # mix is 0 where the area cannot host the category
        grade = draw_grade(cat, r_inc, preset.grade_boost)
        primaries.append(b.add_incident(cat, t, place, grade, r_inc))
    for p in primaries:
        if plan.cascades:
            add_cascades(b, p, r_more)
        add_complications(b, p, r_more)
    units = exercised_units(region, plan, area)
    coverage = fill_coverage(b, units, r_cov)
    scenario = Scenario.model_validate({
        "schema": "blinddrill.scenario/1",
        "id": f"drill-{seed % 10**12}-{attempt}",
        "title": plan.name,
        "region": region.name,
        "start": start,
        "duration_min": plan.duration_min,
        "conditions": conditions.model_dump(),
        "participants": units if plan.participants.restrict_response else [],
        "injects": b.injects(),
        "meta": {
            "generator": GENERATOR_VERSION, "seed": seed, "attempt": attempt,
            "plan": plan.name, "language": plan.language,
            "window": {"start": plan.window.start.isoformat(),
                       "end": plan.window.end.isoformat()},
            "area": [t.id for t in area.townships],
            "exercised_units": units, "coverage": coverage,
        },
    })
    return scenario


def generate(region: Region, catalogue: HazardCatalogue, plan: DrillPlan, seed: int, *,
             history: list[Scenario] | None = None, difficulty: Difficulty | None = None,
             band: tuple[float, float] | None = None, source: str = "<inputs>",
             calibrator: Calibrator | None = None) -> Scenario:
    """Generate a six-no scenario; a pure function of the inputs and ``seed``.

    ``history``: past scenarios; candidates nearer than ``plan.novelty.threshold`` to any of
    them are redrawn. ``difficulty`` (or an explicit ``band`` of predicted 1-10-15 compliance):
    candidates are simulated and one inside the band is kept. Simulation is not this layer's
    job: the ``calibrator`` callback does it (``experiments.calibration.calibrator()``), drawing
    candidates through the :class:`CandidateDraw` it is given. Raises
    :class:`~scenarios.loading.InputError` when the catalogue or plan refer to things the region
    lacks, or when a band is asked for without a calibrator.
    """
    from scenarios.loading import InputError

    require_compatible(catalogue, region, f"{source} (catalogue vs region)")
    require_plan_compatible(plan, region, set(catalogue.by_id), f"{source} (plan)")
    preset = plan.difficulty.get(difficulty) if difficulty else None
    if difficulty and preset is None:
        raise InputError(f"{source} (plan)", [f"difficulty.{difficulty}: not defined in the plan"])
    preset = preset or DifficultyPreset(band=(0.0, 1.0))
    if band is None and difficulty:
        band = preset.band
    draw = CandidateDraw(region, catalogue, plan, seed, preset,
                         Voices(catalogue, region, plan.language), history or [],
                         NoveltyWeights())
    if band is None:
        best, nov, tries = draw.novel(0)
        return draw.finish(best, nov, tries, None)
    if calibrator is None:
        raise InputError(source, ["difficulty/band: calibration simulates candidates; pass a "
                                  "calibrator (experiments.calibration.calibrator())"])
    return calibrator(draw, band, difficulty)


@dataclass(frozen=True)
class CandidateDraw:
    """Everything needed to draw candidates the generator's way; handed to a calibrator."""

    region: Region
    catalogue: HazardCatalogue
    plan: DrillPlan
    seed: int
    preset: DifficultyPreset
    voices: Voices
    past: list[Scenario]
    weights: NoveltyWeights

    def novel(self, first: int) -> tuple[Scenario, float, int]:
        """:func:`novel_candidate` from attempt ``first``: (candidate, novelty, attempts)."""
        return novel_candidate(self.region, self.catalogue, self.plan, self.seed, self.preset,
                               self.voices, self.past, self.weights, first)

    def finish(self, s: Scenario, nov: float, tries: int,
               difficulty: dict[str, Any] | None) -> Scenario:
        """:func:`with_meta` for the kept candidate."""
        return with_meta(s, nov, tries, self.plan, len(self.past), difficulty)


#: ``calibrator(draw, band, difficulty_level) -> Scenario``: keeps a candidate in band.
Calibrator = Callable[[CandidateDraw, tuple[float, float], str | None], Scenario]


def novel_candidate(region: Region, catalogue: HazardCatalogue, plan: DrillPlan, seed: int,
                    preset: DifficultyPreset, voices: Voices, past: list[Scenario],
                    weights: NoveltyWeights, first: int) -> tuple[Scenario, float, int]:
    """Redraw from attempt ``first`` until a candidate is novel enough (or attempts run out);
    return (best candidate, its novelty, attempts made)."""
    best: Scenario | None = None
    best_nov = -1.0
    tries = 0
    for attempt in range(first, first + plan.novelty.max_attempts):
        cand = build_candidate(region, catalogue, plan, seed, attempt, preset, voices)
        nov = novelty(cand, past, weights)
        tries += 1
        if nov > best_nov:
            best, best_nov = cand, nov
        if nov >= plan.novelty.threshold:
            break
    assert best is not None
    return best, best_nov, tries


def with_meta(s: Scenario, nov: float, tries: int, plan: DrillPlan, n_history: int,
              difficulty: dict[str, Any] | None) -> Scenario:
    """``s`` with its ``meta.novelty`` (and ``meta.difficulty``, if calibrated) filled in."""
    meta = dict(s.meta)
    meta["novelty"] = {"value": round(nov, 4), "threshold": plan.novelty.threshold,
                       "reached": nov >= plan.novelty.threshold, "attempts": tries,
                       "history": n_history}
    if difficulty is not None:
        meta["difficulty"] = difficulty
    return s.model_copy(update={"meta": meta})
