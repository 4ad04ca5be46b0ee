"""The rubric: weights and thresholds mapping metric values to 0–100 scores and HSEEP ratings.

A rubric file (YAML, schema ``blinddrill.rubric/1``) defines the four ratings (minimum score
and definition), the capabilities to rate, and per capability the items: a metric key (a
registered metric id such as ``report.accuracy``, or ``clock.<clock id>.<stat>`` with stat in
compliance/p50/p90/mean/max), a weight, and the values scoring 100 (``best``) and 0 (``worst``),
linear in between and clamped. A capability's score is the weighted mean of its scored items;
the overall score the weighted mean of the capabilities'. Items whose value is unavailable
drop out (weights renormalised). The shipped default is ``evaluators/rubric.yaml``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, model_validator

from scenarios.loading import InputError, StrictModel, load_model
from scenarios.region import Id, Name, ReferenceProblems

DEFAULT_RUBRIC = Path(__file__).parent / "rubric.yaml"
CLOCK_STATS = ("compliance", "p50", "p90", "mean", "max")
RatingLetter = Literal["P", "S", "M", "U"]
RATING_ORDER: tuple[RatingLetter, ...] = ("P", "S", "M", "U")


class RatingSpec(StrictModel):
    """One HSEEP rating: the minimum score that earns it and its definition."""

    min_score: Annotated[float, Field(ge=0, le=100)]
    name_zh: Name
    name_en: Name


class RubricItem(StrictModel):
    """A metric and how its value maps to 0–100."""

    metric: Annotated[str, Field(min_length=1, max_length=200)]
    weight: Annotated[float, Field(gt=0)] = 1.0
    best: Annotated[float, Field(allow_inf_nan=False)]
    worst: Annotated[float, Field(allow_inf_nan=False)]
    optional: bool = Field(default=False, description="no error if its clock is not loaded")

    @model_validator(mode="after")
    def _distinct(self) -> RubricItem:
        if self.best == self.worst:
            raise ValueError("best and worst must differ")
        if self.metric.startswith("clock."):
            parts = self.metric.split(".")
            if len(parts) != 3 or parts[2] not in CLOCK_STATS:
                raise ValueError(
                    f"metric '{self.metric}': clock keys are clock.<id>.<{'|'.join(CLOCK_STATS)}>"
                )
        return self

    def score(self, value: float) -> float:
        """Linear 0–100 between ``worst`` and ``best``, clamped."""
        frac = (value - self.worst) / (self.best - self.worst)
        return round(100.0 * min(1.0, max(0.0, frac)), 6)


class Capability(StrictModel):
    """A capability rated on the scorecard (e.g. 接警调度 alarm & dispatch)."""

    id: Id
    name_zh: Name
    name_en: Name
    weight: Annotated[float, Field(gt=0)] = 1.0
    items: list[RubricItem] = Field(min_length=1)


class FindingRules(StrictModel):
    """When an item becomes a strength or an area for improvement."""

    strength_min: Annotated[float, Field(ge=0, le=100)] = 90
    improvement_max: Annotated[float, Field(ge=0, le=100)] = 60
    max_evidence: Annotated[int, Field(ge=1, le=1000)] = 20


class Rubric(StrictModel):
    """A complete rubric."""

    schema_: Literal["blinddrill.rubric/1"] = Field(default="blinddrill.rubric/1", alias="schema")
    id: Id
    name_zh: Name
    name_en: Name
    ratings: dict[Literal["P", "S", "M", "U"], RatingSpec]
    findings: FindingRules = Field(default_factory=FindingRules)
    capabilities: list[Capability] = Field(min_length=1)

    model_config = StrictModel.model_config | {"populate_by_name": True}

    @model_validator(mode="after")
    def _check(self) -> Rubric:
        from evaluators.metrics import METRICS

        problems: list[str] = []
        missing = [r for r in RATING_ORDER if r not in self.ratings]
        if missing:
            problems.append(f"ratings: missing {', '.join(missing)} (need P, S, M and U)")
        else:
            mins = [self.ratings[r].min_score for r in RATING_ORDER]
            if any(a <= b for a, b in zip(mins, mins[1:], strict=False)):
                problems.append("ratings: min_score must decrease strictly from P to S to M to U")
            if mins[-1] != 0:
                problems.append("ratings.U.min_score: must be 0 (every score gets a rating)")
        if self.findings.improvement_max >= self.findings.strength_min:
            problems.append("findings: improvement_max must be below strength_min")
        known = {m.id for m in METRICS}
        seen: set[str] = set()
        for i, cap in enumerate(self.capabilities):
            if cap.id in seen:
                problems.append(f"capabilities[{i}].id: duplicate capability '{cap.id}'")
            seen.add(cap.id)
            metrics: set[str] = set()
            for k, item in enumerate(cap.items):
                if item.metric in metrics:
                    problems.append(f"capabilities[{i}].items[{k}].metric: '{item.metric}' is "
                                    "already an item of this capability (use weight instead)")
                metrics.add(item.metric)
                if not item.metric.startswith("clock.") and item.metric not in known:
                    problems.append(
                        f"capabilities[{i}].items[{k}].metric: unknown metric '{item.metric}' "
                        f"(known: {', '.join(sorted(known))}, or clock.<id>.<stat>)"
                    )
        if problems:
            raise ReferenceProblems(problems)
        return self

    def rating_for(self, score: float) -> Literal["P", "S", "M", "U"]:
        """The best rating whose minimum score ``score`` reaches."""
        for r in RATING_ORDER:
            if score >= self.ratings[r].min_score - 1e-9:
                return r
        return "U"

    def check_clocks(self, clock_ids: set[str], source: str) -> None:
        """Raise :class:`InputError` for non-optional items naming clocks not loaded."""
        problems = []
        for i, cap in enumerate(self.capabilities):
            for k, item in enumerate(cap.items):
                if item.metric.startswith("clock.") and not item.optional:
                    cid = item.metric.split(".")[1]
                    if cid not in clock_ids:
                        problems.append(
                            f"capabilities[{i}].items[{k}].metric: clock '{cid}' is in no loaded "
                            f"rule pack (loaded: {', '.join(sorted(clock_ids))})"
                        )
        if problems:
            raise InputError(source, problems)


def load_rubric(path: str | Path | None = None) -> Rubric:
    """Load a rubric (default: the shipped one); errors name the file and field."""
    return load_model(path or DEFAULT_RUBRIC, Rubric)
