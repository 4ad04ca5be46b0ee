"""The drill plan: what the organiser decides before the drill (and nothing the players see).

A plan file (YAML, schema ``blinddrill.plan/1``; the shipped default is
``scenarios/plans/default.yaml``) sets the window in which the secret start is drawn, the
duration, the rate (or number) of primary incidents and how often they cluster, the area
(jurisdictions, or a number of counties drawn at random), the units to be exercised, hazard-mix
overrides, difficulty presets with their predicted-compliance bands, the calibration and
novelty settings, and the language of the injects. See ``docs/generator.md``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, model_validator

from scenarios.loading import InputError, StrictModel, load_model
from scenarios.region import Id, ReferenceProblems, Region, SiteKind, UnitKind, UnitTier

PLAN_SCHEMA = "blinddrill.plan/1"
DEFAULT_PLAN = Path(__file__).parent / "plans" / "default.yaml"
Difficulty = Literal["easy", "normal", "hard"]
Lang = Literal["zh", "en"]
Prob = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
Factor = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]
Hour = Annotated[int, Field(ge=0, le=24)]


class Window(StrictModel):
    """When the drill may start: between ``start`` and ``end``, at the allowed hours of day."""

    start: datetime
    end: datetime
    hours: list[tuple[Hour, Hour]] = Field(default_factory=lambda: [(0, 24)])

    @model_validator(mode="after")
    def _order(self) -> Window:
        problems: list[str] = []
        if self.end <= self.start:
            problems.append("window.end: must be after window.start")
        if self.end - self.start > timedelta(days=3660):
            problems.append("window: longer than ten years")
        for k, (a, b) in enumerate(self.hours):
            if a >= b:
                problems.append(f"window.hours[{k}]: [{a}, {b}] is empty (from must be < to)")
        if problems:
            raise ReferenceProblems(problems)
        return self


class IncidentRate(StrictModel):
    """Primary incidents: a Poisson ``rate_per_hour`` of play, or an exact ``count``."""

    rate_per_hour: Annotated[float, Field(gt=0, le=60)] | None = None
    count: Annotated[int, Field(ge=1, le=200)] | None = None
    min_count: Annotated[int, Field(ge=0, le=200)] = 1
    max_count: Annotated[int, Field(ge=1, le=500)] = 20

    @model_validator(mode="after")
    def _one(self) -> IncidentRate:
        if (self.rate_per_hour is None) == (self.count is None):
            raise ValueError("give exactly one of rate_per_hour or count")
        if self.min_count > self.max_count:
            raise ValueError("min_count is above max_count")
        return self


class Clusters(StrictModel):
    """Occasional clusters: with probability ``p`` a primary incident brings ``extra`` more
    unrelated incidents within ``spread_min`` minutes (a bad hour, not a cascade)."""

    p: Prob = 0.0
    extra: tuple[Annotated[int, Field(ge=1, le=20)], Annotated[int, Field(ge=1, le=20)]] = (1, 2)
    spread_min: tuple[Annotated[float, Field(ge=0, le=600)], Annotated[float, Field(ge=0, le=600)]] = (2.0, 15.0)


class Area(StrictModel):
    """Where incidents happen, chosen so that a plan fits any region: nothing given = the whole
    region; ``site_kinds`` keeps the townships with a hazard site of one of those kinds; then
    at most one of ``jurisdictions`` (ids), ``draw_counties`` or ``draw_townships`` (up to that
    many drawn at random among what is left — all of them in a smaller region; the area is
    itself a secret)."""

    jurisdictions: list[Id] = Field(default_factory=list)
    draw_counties: Annotated[int, Field(ge=1, le=100)] | None = None
    draw_townships: Annotated[int, Field(ge=1, le=1000)] | None = None
    site_kinds: list[SiteKind] = Field(default_factory=list)


class Participants(StrictModel):
    """Units exercised (each must get an inject that needs it): ids, or kinds/tiers in the area."""

    units: list[Id] = Field(default_factory=list)
    kinds: list[UnitKind] = Field(default_factory=list)
    tiers: list[UnitTier] = Field(default_factory=list)
    max_extra_incidents: Annotated[int, Field(ge=0, le=50)] = 6
    restrict_response: bool = False  # True: only these units may respond (scenario.participants)


class DifficultyPreset(StrictModel):
    """A difficulty: the band of predicted 1-10-15 compliance and how candidates are biased."""

    band: tuple[Prob, Prob]
    rate_factor: Factor = 1.0
    grade_boost: Factor = 1.0  # multiplies the probabilities of grades III, II, I
    complication_factor: Factor = 1.0

    @model_validator(mode="after")
    def _band(self) -> DifficultyPreset:
        if self.band[0] > self.band[1]:
            raise ValueError("band: low is above high")
        return self


class Calibration(StrictModel):
    """How difficulty is calibrated: replications per candidate, candidates tried, and which
    clocks of which rule pack (the evaluators' own definitions and limits) make up the
    predicted compliance."""

    replications: Annotated[int, Field(ge=1, le=100)] = 3
    max_candidates: Annotated[int, Field(ge=1, le=500)] = 16
    pack: str = "city-1-10-15"
    clocks: list[Id] = Field(default_factory=lambda: ["take_alarm", "arrive", "handle"],
                             min_length=1)


class Novelty(StrictModel):
    """No rehearsal: the minimum distance to every past drill and how many redraws to try."""

    threshold: Prob = 0.35
    max_attempts: Annotated[int, Field(ge=1, le=1000)] = 40


class DrillPlan(StrictModel):
    """The organiser's plan for one drill. Load with :func:`load_plan`."""

    schema_: Literal["blinddrill.plan/1"] = Field(default="blinddrill.plan/1", alias="schema")
    name: str = "drill"
    window: Window
    duration_min: Annotated[float, Field(gt=0, le=7 * 24 * 60)] = 240.0
    incidents: IncidentRate
    clusters: Clusters = Field(default_factory=Clusters)
    area: Area = Field(default_factory=Area)
    participants: Participants = Field(default_factory=Participants)
    hazard_mix: dict[Id, Factor] = Field(default_factory=dict)
    complication_factor: Factor = 1.0
    cascades: bool = True
    difficulty: dict[Difficulty, DifficultyPreset] = Field(default_factory=dict)
    calibration: Calibration = Field(default_factory=Calibration)
    novelty: Novelty = Field(default_factory=Novelty)
    language: Lang = "zh"
    umpires: list[str] = Field(default_factory=list)

    model_config = StrictModel.model_config | {"populate_by_name": True}

    def check_against(self, region: Region, categories: set[str]) -> list[str]:
        """Problems with the plan's references into ``region`` and the catalogue."""
        problems: list[str] = []
        juris = region.jurisdiction_by_id
        for k, j in enumerate(self.area.jurisdictions):
            if j not in juris:
                problems.append(f"area.jurisdictions[{k}]: unknown jurisdiction '{j}'")
        a = self.area
        given = [k for k, v in (("jurisdictions", a.jurisdictions),
                                ("draw_counties", a.draw_counties),
                                ("draw_townships", a.draw_townships)) if v]
        if len(given) > 1:
            problems.append(f"area: give at most one of jurisdictions, draw_counties, "
                            f"draw_townships (got {', '.join(given)})")
        kinds = set(a.site_kinds)
        towns = {region.township_of(x.jurisdiction) for x in region.hazard_sites
                 if x.kind in kinds} if kinds else {t.id for t in region.of_level("township")}
        towns.discard(None)
        if kinds and not towns:
            problems.append(f"area.site_kinds: region '{region.name}' has no hazard site of "
                            f"kinds {sorted(kinds)}")
        for k, u in enumerate(self.participants.units):
            if u not in region.unit_by_id:
                problems.append(f"participants.units[{k}]: unknown unit '{u}'")
        for c in self.hazard_mix:
            if c not in categories:
                problems.append(f"hazard_mix.{c}: unknown category (known: {sorted(categories)})")
        return problems


def load_plan(path: str | Path | None = None) -> DrillPlan:
    """Load a drill plan (``None``: the shipped default); errors name the file and field."""
    return load_model(path or DEFAULT_PLAN, DrillPlan)


def require_plan_compatible(plan: DrillPlan, region: Region, categories: set[str],
                            source: str) -> None:
    """Raise :class:`InputError` if the plan refers to things the region or catalogue lack."""
    problems = plan.check_against(region, categories)
    if problems:
        raise InputError(source, problems)
