"""The scorecard: a typed, JSON-serialisable result for one drill (schema ``blinddrill.scorecard/2``).

``Scorecard.model_dump_json()`` and ``Scorecard.model_validate_json()`` round-trip. The schema is
documented field by field in ``docs/scoring.md``. Minutes are floats rounded to 1e-6; ratios are
in [0, 1]; scores are 0–100; capabilities are rated with the HSEEP letters P/S/M/U; the drill
as a whole gets a Chinese evaluation conclusion level (优秀/良好/合格/不合格) beside its score,
never a letter. Clock instances and waits are ``met`` / ``breached`` / ``open`` (not assessable
yet); open ones are excluded from compliance and counted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field
from typing_extensions import TypedDict

SCORECARD_SCHEMA = "blinddrill.scorecard/2"
Rating = Literal["P", "S", "M", "U"]
Status = Literal["met", "breached", "open"]


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


_M = TypeVar("_M", bound=BaseModel)


def construct_all(cls: type[_M], values: dict[str, Any]) -> _M:
    """``cls.model_construct(**values)`` for ``values`` that hold every field of ``cls``,
    already valid (built by the scorer from typed values): the same instance without the
    per-field default and alias lookups (~10 µs an incident card; a large drill builds
    hundreds of thousands of cards and statistics)."""
    m = cls.__new__(cls)
    object.__setattr__(m, "__dict__", values)
    object.__setattr__(m, "__pydantic_fields_set__", set(values))
    object.__setattr__(m, "__pydantic_extra__", None)
    object.__setattr__(m, "__pydantic_private__", None)
    return m


class Stats(_Out):
    """Summary of some clock instances: assessable count ``n`` (met + breached), met count,
    open count (not assessable, excluded), compliance = n_met / n, and percentiles (minutes)
    of the assessable ones. ``n_unstopped``: breached instances whose stop event never came;
    their elapsed time is a lower bound, so the percentiles are too (``lower_bound``)."""

    n: int = 0
    n_met: int = 0
    n_open: int = 0
    n_unstopped: int = 0
    compliance: float | None = None
    p50: float | None = None
    p90: float | None = None
    mean: float | None = None
    max: float | None = None
    lower_bound: bool = False


class ClockSummary(Stats):
    """One clock over the drill, with breakdowns by incident and unit attributes."""

    pack: str
    name_zh: str
    name_en: str
    scope: Literal["incident", "unit"]
    limit_min: float
    available: bool = True
    reason: str = ""
    censor_time: float = 0.0
    by_grade: dict[str, Stats] = Field(default_factory=dict)
    by_category: dict[str, Stats] = Field(default_factory=dict)
    by_township: dict[str, Stats] = Field(default_factory=dict)
    by_unit_kind: dict[str, Stats] = Field(default_factory=dict)
    by_unit: dict[str, Stats] = Field(default_factory=dict)


class MetricSummary(_Out):
    """One metric over the drill. ``value`` None: not exercised (or unavailable, see reason)."""

    name_zh: str
    name_en: str
    unit: Literal["min", "ratio", "count"]
    higher_is_better: bool
    available: bool = True
    reason: str = ""
    value: float | None = None
    n: int = 0
    n_open: int = 0
    n_unstopped: int = 0
    n_excluded: int = 0
    limit_min: float | None = None
    open: list[str] = Field(default_factory=list)
    unstopped: list[str] = Field(default_factory=list)
    excluded: dict[str, str] = Field(default_factory=dict)
    by_group: dict[str, dict[str, float]] = Field(default_factory=dict)
    evidence: list[int] = Field(default_factory=list)


class RatedScore(_Out):
    """A 0–100 score and its HSEEP rating (both None when nothing could be rated)."""

    score: float | None = None
    rating: Rating | None = None


class Overall(_Out):
    """The drill's 0–100 score and its evaluation conclusion level (评估结论), not a letter:
    HSEEP rates capabilities, never the exercise as a whole."""

    score: float | None = None
    level: str | None = None
    level_zh: str | None = None
    level_en: str | None = None
    scheme: str = ""


class ItemScore(_Out):
    """One rubric item: a metric value mapped to 0–100."""

    metric: str
    weight: float
    value: float | None = None
    score: float | None = None


class CapabilityScore(RatedScore):
    """A capability's score (weighted mean of its items' scores) and rating."""

    id: str
    name_zh: str
    name_en: str
    weight: float
    items: list[ItemScore] = Field(default_factory=list)
    critical: list[str] = Field(default_factory=list)
    performed: float | None = None
    reason_zh: str = ""
    reason_en: str = ""


class Finding(_Out):
    """A strength or an area for improvement, with the seqs of the events behind it.

    ``cause`` groups findings: one finding per cause per capability (e.g. ``late``: stopped
    after the limit; ``not_done``: the limit passed and the event never came; ``missing_fields``
    for report completeness). ``incidents`` lists the incidents it covers; ``details`` one line
    per incident (value against the limit, missing fields …)."""

    kind: Literal["strength", "improvement"]
    capability: str
    metric: str
    text_zh: str
    text_en: str
    cause: str = ""
    incidents: list[str] = Field(default_factory=list)
    details: list[dict[str, Any]] = Field(default_factory=list)
    evidence: list[int] = Field(default_factory=list)


class Findings(_Out):
    """Strengths and areas for improvement."""

    strengths: list[Finding] = Field(default_factory=list)
    improvements: list[Finding] = Field(default_factory=list)


class IncidentClock(TypedDict):
    """A clock on one incident: the worst instance (one per unit for unit-scoped clocks).

    ``status`` met / breached / open; ``value`` the measured minutes, None if the stop event
    has not come (``censored``); ``elapsed`` minutes so far (a lower bound when censored);
    ``deadline`` the time the limit passes (a live countdown). A typed dict rather than a
    model: a large drill has hundreds of thousands of them.
    """

    n: int
    n_met: int
    n_open: int
    status: Status
    value: float | None
    elapsed: float
    deadline: float
    met: bool
    censored: bool
    evidence: list[int]


class IncidentCard(_Out):
    """Per incident: its attributes, clocks and per-incident metric values."""

    category: str = ""
    grade: str = ""
    worst_grade: str = ""
    township: str = ""
    template: str = ""
    clocks: dict[str, IncidentClock] = Field(default_factory=dict)
    metrics: dict[str, float] = Field(default_factory=dict)


class UnitCard(_Out):
    """Per unit: kind (with a region), dispatches, arrivals, busy minutes, unit-scoped clocks."""

    kind: str = ""
    dispatches: int = 0
    arrivals: int = 0
    busy_min: float = 0.0
    clocks: dict[str, Stats] = Field(default_factory=dict)
    metrics: dict[str, float] = Field(default_factory=dict)


class RatingDef(_Out):
    """Definition of an HSEEP rating and the minimum score that earns it (U: critical tasks
    not performed, whatever the score)."""

    min_score: float
    name_zh: str
    name_en: str


class LevelDef(_Out):
    """An evaluation conclusion level (评估结论等级) and the minimum overall score for it."""

    min_score: float
    name_zh: str
    name_en: str


class RunInfo(_Out):
    """What was scored."""

    scenario: str = ""
    mode: str = ""
    seed: int | None = None
    events: int = 0
    sources: dict[str, int] = Field(default_factory=dict)
    duration_min: float = 0.0
    incidents: int = 0
    region: bool = False
    packs: list[str] = Field(default_factory=list)
    rubric: str = ""
    as_of: float | None = None
    censor_time: float = 0.0
    #: hash of the log's last record (``engine.eventlog.final_hash_of``): it seals the whole
    #: hash-chained log (``blinddrill verify RUN_DIR --expect`` checks it); None for a log
    #: without a hash chain (``blinddrill.events/1``).
    log_hash: str | None = None


def value_higher_is_better(key: str, metric_direction: Callable[[str], bool | None]) -> bool:
    """Whether a larger value of a value key is better, the one rule every comparison uses.

    A clock's compliance is (``clock.<id>[.by_<attr>.<label>].compliance``); its durations
    (p50, p90, mean, max) are not; any other key (a metric, a capability's or the overall
    score) as ``metric_direction(key)`` says, better-when-larger if it does not know the key
    (None). Readers pass what they hold: a scorecard's metrics, a batch summary's names."""
    if key.startswith("clock."):
        return key.endswith(".compliance")
    known = metric_direction(key)
    return True if known is None else bool(known)


class Scorecard(_Out):
    """The result of scoring one drill."""

    schema_: Literal["blinddrill.scorecard/2"] = Field(default="blinddrill.scorecard/2",
                                                      alias="schema")
    run: RunInfo = Field(default_factory=RunInfo)
    overall: Overall = Field(default_factory=Overall)
    rating_scheme: str = ""
    ratings: dict[str, RatingDef] = Field(default_factory=dict)
    levels: dict[str, LevelDef] = Field(default_factory=dict)
    capabilities: list[CapabilityScore] = Field(default_factory=list)
    clocks: dict[str, ClockSummary] = Field(default_factory=dict)
    metrics: dict[str, MetricSummary] = Field(default_factory=dict)
    incidents: dict[str, IncidentCard] = Field(default_factory=dict)
    units: dict[str, UnitCard] = Field(default_factory=dict)
    findings: Findings = Field(default_factory=Findings)
    notes: list[str] = Field(default_factory=list)

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    def values(self) -> dict[str, float]:
        """Flat numeric values keyed as rubric items and baselines name them.

        ``clock.<id>.<stat>`` (stat: compliance, p50, p90, mean, max),
        ``clock.<id>.by_<attr>.<label>.<stat>`` for breakdowns, and metric ids.
        """
        out: dict[str, float] = {}
        stats = ("compliance", "p50", "p90", "mean", "max")
        for cid, c in self.clocks.items():
            for s in stats:
                v = getattr(c, s)
                if v is not None:
                    out[f"clock.{cid}.{s}"] = float(v)
            for attr in ("by_grade", "by_category", "by_township", "by_unit_kind", "by_unit"):
                for label, st in getattr(c, attr).items():
                    for s in stats:
                        v = getattr(st, s)
                        if v is not None:
                            out[f"clock.{cid}.{attr}.{label}.{s}"] = float(v)
        for mid, m in self.metrics.items():
            if m.value is not None:
                out[mid] = float(m.value)
        return out
