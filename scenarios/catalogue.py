"""The hazard catalogue: what can happen in a drill, where, how badly, and what it needs.

A catalogue file (YAML, schema ``blinddrill.hazards/1``; the shipped one is
``scenarios/catalogue/hazards.yaml``) holds one :class:`HazardCatalogue`: categories with a base
rate and season/time-of-day/weather profiles, the hazard-site kinds where each occurs, grade
probabilities, required capabilities with effort and casualty ranges per grade, the report
template, cascades and likely complications, plus the words callers use. Every number is data;
:mod:`scenarios.generator` only draws from it. Field meanings and sources: ``docs/generator.md``.
"""

from __future__ import annotations

import string
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, model_validator

from scenarios.loading import InputError, StrictModel, load_model
from scenarios.region import Id, OfficerRole, ReferenceProblems, Region, SiteKind
from scenarios.schema import AlarmSource, ComplicationType, Grade, IncidentInject, Scenario
from scenarios.travel import Terrain

CATALOGUE_SCHEMA = "blinddrill.hazards/1"
DEFAULT_CATALOGUE = Path(__file__).parent / "catalogue" / "hazards.yaml"
GRADES: tuple[Grade, ...] = ("IV", "III", "II", "I")  # mildest first
Weather = Literal["clear", "rain", "storm", "snow", "fog", "wind", "heat"]

Positive = Annotated[float, Field(ge=0, le=1e9, allow_inf_nan=False)]
Prob = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
Range = tuple[Positive, Positive]
IntRange = tuple[Annotated[int, Field(ge=0)], Annotated[int, Field(ge=0)]]
UnitCount = Annotated[int, Field(ge=1, le=50)]


def _check_range(path: str, r: tuple[float, float], problems: list[str]) -> None:
    if r[0] > r[1]:
        problems.append(f"{path}: low {r[0]} is above high {r[1]}")


def _placeholders(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


class Texts(StrictModel):
    """Alternative phrasings in Chinese and English; one is drawn per use."""

    zh: list[str] = Field(min_length=1)
    en: list[str] = Field(min_length=1)


class Text(StrictModel):
    """One text in Chinese and English."""

    zh: str
    en: str


class RequirementSpec(StrictModel):
    """A capability a category needs: effort range (person-minutes) and units, per grade."""

    capability: Id
    effort: dict[Grade, Range]
    units: dict[Grade, UnitCount]
    min_level: Annotated[int, Field(ge=1, le=3)] = 1
    from_grade: Grade = "IV"


class CasualtyRanges(StrictModel):
    """Ranges (inclusive) of each casualty count for one grade."""

    dead: IntRange = (0, 0)
    injured: IntRange = (0, 0)
    trapped: IntRange = (0, 0)
    missing: IntRange = (0, 0)
    evacuated: IntRange = (0, 0)


class CascadeSpec(StrictModel):
    """A secondary incident a primary one may trigger (e.g. earthquake → collapse)."""

    category: Id
    p: Prob
    delay_min: Range
    radius_km: Annotated[float, Field(gt=0, le=200)] = 5.0


Criterion = Literal["dead", "injured"]
UpperGrade = Literal["III", "II", "I"]
#: the least dead (incl. missing) / injured making an incident of each grade above IV
GradeThresholds = dict[Criterion, dict[UpperGrade, Annotated[int, Field(ge=1)]]]


def implied_grade(th: GradeThresholds, dead: int, injured: int) -> str:
    """The grade the casualties alone make (the highest whose threshold one criterion meets)."""
    counts = {"dead": dead, "injured": injured}
    for g in ("I", "II", "III"):
        if any(counts[c] >= t[g] for c, t in th.items() if g in t):
            return g
    return "IV"


class Category(StrictModel):
    """One event category of the catalogue (matches one of the city's report templates)."""

    id: Id
    name_zh: str
    name_en: str
    template: Id
    annual_rate: Annotated[float, Field(gt=0, le=1e6)]
    months: list[Positive] = Field(min_length=12, max_length=12)
    hours: list[Positive] = Field(min_length=24, max_length=24)
    weather_factor: dict[Weather, Positive] = Field(default_factory=dict)
    #: the weathers it can happen in at all (empty = any): no waterlogging on a hot dry day
    weather_only: list[Weather] = Field(default_factory=list)
    sites: list[SiteKind]
    terrains: list[Terrain] = Field(default_factory=list)
    grade_p: dict[Grade, Prob]
    #: this category's own casualty thresholds of the grades (default: the catalogue's)
    grade_thresholds: GradeThresholds | None = None
    #: effort (person-minutes) of the first team's early-stage handling (先期处置: cordon set,
    #: people in immediate danger removed, spread checked), per grade: the 15 of 1-10-15
    initial_response: dict[Grade, Range]
    requires: list[RequirementSpec] = Field(min_length=1)
    supplies: dict[Grade, dict[Id, IntRange]] = Field(default_factory=dict)
    casualties: dict[Grade, CasualtyRanges]
    callers: dict[AlarmSource, Prob]
    officer_roles: list[OfficerRole] = Field(default_factory=list)
    says: Texts
    expected: Text
    roles: list[Id] = Field(default_factory=list)
    cascades: list[CascadeSpec] = Field(default_factory=list)
    complications: dict[ComplicationType, Prob] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> Category:
        problems: list[str] = []
        if abs(sum(self.grade_p.values()) - 1.0) > 1e-6:
            problems.append(f"grade_p: probabilities sum to {sum(self.grade_p.values()):.4f}, not 1")
        if abs(sum(self.callers.values()) - 1.0) > 1e-6:
            problems.append(f"callers: probabilities sum to {sum(self.callers.values()):.4f}, not 1")
        if sum(self.months) <= 0 or sum(self.hours) <= 0:
            problems.append("months/hours: a profile must have a positive value")
        for g in GRADES:
            if g not in self.casualties:
                problems.append(f"casualties.{g}: missing")
        for g in GRADES:
            if g not in self.initial_response:
                problems.append(f"initial_response.{g}: missing")
        for g, rg in self.initial_response.items():
            _check_range(f"initial_response.{g}", rg, problems)
        for k, r in enumerate(self.requires):
            for g in GRADES[GRADES.index(r.from_grade):]:
                if g not in r.effort:
                    problems.append(f"requires[{k}].effort.{g}: missing (needed from {r.from_grade})")
                if g not in r.units:
                    problems.append(f"requires[{k}].units.{g}: missing (needed from {r.from_grade})")
            for g, rg in r.effort.items():
                _check_range(f"requires[{k}].effort.{g}", rg, problems)
        for g, cr in self.casualties.items():
            for f in ("dead", "injured", "trapped", "missing", "evacuated"):
                _check_range(f"casualties.{g}.{f}", getattr(cr, f), problems)
        for g, items in self.supplies.items():
            for item, rg in items.items():
                _check_range(f"supplies.{g}.{item}", rg, problems)
        for k, c in enumerate(self.cascades):
            _check_range(f"cascades[{k}].delay_min", c.delay_min, problems)
        allowed = {"place", "detail"}
        for lang in ("zh", "en"):
            for k, s in enumerate(getattr(self.says, lang)):
                bad = _placeholders(s) - allowed
                if bad:
                    problems.append(f"says.{lang}[{k}]: unknown placeholder(s) {sorted(bad)}; "
                                    f"allowed {sorted(allowed)}")
        if problems:
            raise ReferenceProblems([f"{self.id}: {p}" for p in problems])
        return self


class ComplicationSpec(StrictModel):
    """How a complication type is drawn and announced."""

    delay_min: Range
    factor: Range | None = None
    cut_off_p: Prob = 0.0
    duration_min: Range | None = None
    radius_km: Annotated[float, Field(gt=0, le=500)] = 25.0
    zh: list[str] = Field(default_factory=list)
    en: list[str] = Field(default_factory=list)
    causes: Texts | None = None
    what: Texts | None = None
    expected: Text


class WeatherSeason(StrictModel):
    """Weather probabilities for a set of months."""

    months: list[Annotated[int, Field(ge=1, le=12)]] = Field(min_length=1)
    p: dict[Weather, Prob]


class RolesSpec(StrictModel):
    """Roles to designate during the drill (no assigned roles) and their display names."""

    common: list[Id]
    names: dict[Id, Text]


class PeopleHints(StrictModel):
    """What a caller says about people, per situation (placeholder ``{n}``)."""

    trapped: Text
    injured: Text
    dead: Text
    missing: Text
    none: Text  # only when nobody is dead, hurt, trapped or missing
    unknown: Text  # people are affected but the caller does not say how


class HazardCatalogue(StrictModel):
    """The whole catalogue. Load with :func:`load_catalogue`."""

    schema_: Literal["blinddrill.hazards/1"] = Field(default="blinddrill.hazards/1",
                                                     alias="schema")
    roles: RolesSpec
    weather: list[WeatherSeason] = Field(min_length=1)
    night_hours: tuple[Annotated[int, Field(ge=0, le=23)], Annotated[int, Field(ge=0, le=23)]]
    comms_degraded_p: Prob
    comms_degraded_weather: dict[Weather, Prob] = Field(default_factory=dict)
    callers: dict[AlarmSource, Texts]
    #: how an information officer introduces themself, per role (placeholder ``{role}``)
    officer_role_names: dict[OfficerRole, Text]
    people_hints: PeopleHints
    closings: Texts
    complications: dict[ComplicationType, ComplicationSpec]
    grade_thresholds: GradeThresholds
    categories: list[Category] = Field(min_length=1)

    model_config = StrictModel.model_config | {"populate_by_name": True}

    @model_validator(mode="after")
    def _references(self) -> HazardCatalogue:
        from scenarios.templates import load_templates

        problems: list[str] = []
        templates = load_templates().by_id
        ids: set[str] = set()
        months: dict[int, int] = {}
        for i, s in enumerate(self.weather):
            if abs(sum(s.p.values()) - 1.0) > 1e-6:
                problems.append(f"weather[{i}].p: probabilities sum to {sum(s.p.values()):.4f}")
            for m in s.months:
                if m in months:
                    problems.append(f"weather[{i}].months: month {m} already in weather[{months[m]}]")
                months[m] = i
        missing = sorted(set(range(1, 13)) - set(months))
        if missing:
            problems.append(f"weather: months {missing} have no weather probabilities")
        for i, c in enumerate(self.categories):
            if c.id in ids:
                problems.append(f"categories[{i}].id: duplicate category '{c.id}'")
            ids.add(c.id)
            if c.template not in templates:
                problems.append(f"categories[{i}].template: unknown report template "
                                f"'{c.template}' (known: {sorted(templates)})")
            for src in c.callers:
                if src not in self.callers:
                    problems.append(f"categories[{i}].callers.{src}: no opening words in callers")
            for r in [*c.roles, *self.roles.common]:
                if r not in self.roles.names:
                    problems.append(f"categories[{i}].roles: '{r}' has no entry in roles.names")
            for t in c.complications:
                if t not in self.complications:
                    problems.append(f"categories[{i}].complications.{t}: not described under "
                                    "complications")
        for i, c in enumerate(self.categories):
            problems += [f"categories[{i}].casualties.{p}" for p in _grade_problems(
                c, c.grade_thresholds or self.grade_thresholds)]
        for i, c in enumerate(self.categories):
            for k, cas in enumerate(c.cascades):
                if cas.category not in ids:
                    problems.append(f"categories[{i}].cascades[{k}].category: unknown category "
                                    f"'{cas.category}'")
        if problems:
            raise ReferenceProblems(problems)
        return self

    @cached_property
    def by_id(self) -> dict[str, Category]:
        """Categories keyed by id."""
        return {c.id: c for c in self.categories}

    def weather_p(self, month: int) -> dict[str, float]:
        """Weather probabilities for a month (1–12)."""
        for s in self.weather:
            if month in s.months:
                return {str(k): v for k, v in s.p.items()}
        raise KeyError(month)  # pragma: no cover - validated

    def check_against(self, region: Region) -> list[str]:
        """Capabilities and items the catalogue uses that ``region`` does not declare, for
        the categories that can happen there (a category tied to site kinds the region has
        none of is never drawn: a region without mines needs no mine-rescue capability)."""
        caps = {c.id for c in region.capabilities}
        items = {i.id for i in region.items}
        kinds = {s.kind for s in region.hazard_sites}
        problems: list[str] = []
        for i, c in enumerate(self.categories):
            if c.sites and not kinds & set(c.sites):
                continue
            for k, r in enumerate(c.requires):
                if r.capability not in caps:
                    problems.append(f"categories[{i}].requires[{k}].capability: '{r.capability}' "
                                    f"is not a capability of region '{region.name}'")
            for g, sup in c.supplies.items():
                for item in sup:
                    if item not in items:
                        problems.append(f"categories[{i}].supplies.{g}.{item}: item not declared "
                                        f"by region '{region.name}'")
        return problems


def unknown_categories(catalogue: HazardCatalogue, scenario: Scenario) -> list[str]:
    """Problems for incidents of ``scenario`` whose hazard category ``catalogue`` lacks
    (``injects[i].incident.category: 'x' is not a category of the hazard catalogue``)."""
    known = catalogue.by_id
    return [f"injects[{i}].incident.category: '{inj.incident.category}' is not a category of "
            f"the hazard catalogue (known: {', '.join(sorted(known))})"
            for i, inj in enumerate(scenario.injects)
            if isinstance(inj, IncidentInject) and inj.incident.category not in known]


def require_known_categories(catalogue: HazardCatalogue, scenario: Scenario,
                             scenario_source: str) -> None:
    """Raise :class:`InputError` naming ``scenario_source`` and the field of each incident whose
    hazard category is not in ``catalogue``."""
    problems = unknown_categories(catalogue, scenario)
    if problems:
        raise InputError(scenario_source, problems)


def _grade_problems(c: Category, th: GradeThresholds) -> list[str]:
    """Casualty ranges that contradict their grade: every draw must make exactly that grade
    (dead counts the missing)."""
    out: list[str] = []
    for g, cr in c.casualties.items():
        lo = implied_grade(th, cr.dead[0] + cr.missing[0], cr.injured[0])
        hi = implied_grade(th, cr.dead[1] + cr.missing[1], cr.injured[1])
        if lo != g:
            out.append(f"{g}: the fewest casualties ({cr.dead[0] + cr.missing[0]} dead or "
                       f"missing, {cr.injured[0]} injured) make grade {lo}, not {g}")
        if hi != g:
            out.append(f"{g}: the most casualties ({cr.dead[1] + cr.missing[1]} dead or "
                       f"missing, {cr.injured[1]} injured) make grade {hi}, not {g}")
    return out


def load_catalogue(path: str | Path | None = None) -> HazardCatalogue:
    """Load a hazard catalogue (``None``: the shipped one); errors name the file and field."""
    return load_model(path or DEFAULT_CATALOGUE, HazardCatalogue)


def require_compatible(catalogue: HazardCatalogue, region: Region, source: str) -> None:
    """Raise :class:`InputError` if the catalogue refers to things the region lacks."""
    problems = catalogue.check_against(region)
    if problems:
        raise InputError(source, problems)
