"""The rubric: weights and thresholds mapping metric values to 0–100 scores and HSEEP ratings.

A rubric file (YAML, schema ``blinddrill.rubric/2``) defines the HSEEP ratings, the capabilities
to rate, and per capability the items: a metric key (a registered metric id such as
``report.accuracy``, or ``clock.<clock id>.<stat>`` with stat in compliance/p50/p90/mean/max),
a weight, and the values scoring 100 (``best``) and 0 (``worst``), linear in between and
clamped. A capability's score is the weighted mean of its scored items. Items whose value is
unavailable drop out (weights renormalised).

Ratings have HSEEP's meaning: **U** (unable to be performed) only when the capability's
``critical`` tasks were not performed — less than ``critical_performed_min`` of their
assessable instances happened at all; a performed capability is P, S or M by its score
(``ratings.<P|S|M>.min_score``, M's being 0: done late is not "unable"). The drill as a whole
gets no letter: its overall score (weighted mean of the capabilities') is given an evaluation
conclusion level (``levels``, e.g. 优秀/良好/合格/不合格). ``wait_limits`` say, per waiting
metric, after how many minutes a wait whose event never came counts as failed (breached)
rather than open. The shipped default is ``evaluators/rubric.yaml``.
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
    critical: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(
        default_factory=list, description="critical tasks: clock.<id> or a metric id whose "
        "instances must happen at all (U when they mostly did not)")


class FindingRules(StrictModel):
    """When an item becomes a strength or an area for improvement."""

    strength_min: Annotated[float, Field(ge=0, le=100)] = 90
    improvement_max: Annotated[float, Field(ge=0, le=100)] = 60
    max_evidence: Annotated[int, Field(ge=1, le=1000)] = 20


class Rubric(StrictModel):
    """A complete rubric."""

    schema_: Literal["blinddrill.rubric/2"] = Field(default="blinddrill.rubric/2", alias="schema")
    id: Id
    name_zh: Name
    name_en: Name
    ratings: dict[Literal["P", "S", "M", "U"], RatingSpec]
    critical_performed_min: Annotated[float, Field(gt=0, le=1)] = Field(
        default=0.5, description="U when fewer than this share of a capability's critical-task "
        "instances (among those assessable) were performed at all")
    levels: dict[Id, RatingSpec] = Field(
        min_length=1, description="evaluation conclusion levels of the overall score, best first")
    scheme_zh: str = "能力评级采用HSEEP四级(P/S/M/U)；总体给出评估结论等级，不评字母等级"
    scheme_en: str = ("Capabilities rated with HSEEP P/S/M/U; the drill as a whole gets an "
                      "evaluation conclusion level beside its 0-100 score, never a letter")
    wait_limits: dict[str, Annotated[float, Field(gt=0)]] = Field(
        default_factory=dict, description="metric id → minutes after which a wait whose event "
        "never came is breached (before that it is open)")
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
            mins = [self.ratings[r].min_score for r in RATING_ORDER[:3]]
            if any(a <= b for a, b in zip(mins, mins[1:], strict=False)):
                problems.append("ratings: min_score must decrease strictly from P to S to M")
            if mins[-1] != 0:
                problems.append("ratings.M.min_score: must be 0 (a performed capability is at "
                                "least M; U is for critical tasks not performed)")
        lv = [v.min_score for v in self.levels.values()]
        if any(a <= b for a, b in zip(lv, lv[1:], strict=False)):
            problems.append("levels: min_score must decrease strictly, best level first")
        if lv and lv[-1] != 0:
            problems.append("levels: the last level's min_score must be 0 (every score gets one)")
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
            for k, task in enumerate(cap.critical):
                if task.startswith("clock."):
                    if len(task.split(".")) != 2:
                        problems.append(f"capabilities[{i}].critical[{k}]: '{task}' should be "
                                        "clock.<clock id>")
                elif task not in known:
                    problems.append(f"capabilities[{i}].critical[{k}]: unknown metric '{task}'")
        for mid in self.wait_limits:
            if mid not in known:
                problems.append(f"wait_limits: unknown metric '{mid}'")
        if problems:
            raise ReferenceProblems(problems)
        return self

    def rating_for(self, score: float, performed: float | None = None
                   ) -> Literal["P", "S", "M", "U"]:
        """U if ``performed`` (share of critical-task instances done) is below
        :attr:`critical_performed_min`; else the best of P/S/M whose minimum ``score`` reaches."""
        if performed is not None and performed < self.critical_performed_min - 1e-9:
            return "U"
        for r in RATING_ORDER[:3]:
            if score >= self.ratings[r].min_score - 1e-9:
                return r
        return "M"

    def level_for(self, score: float) -> str:
        """The best evaluation conclusion level whose minimum ``score`` reaches."""
        for k, v in self.levels.items():
            if score >= v.min_score - 1e-9:
                return k
        return next(reversed(self.levels))

    def check_clocks(self, clock_ids: set[str], source: str) -> None:
        """Raise :class:`InputError` for non-optional items naming clocks not loaded."""
        problems = []
        for i, cap in enumerate(self.capabilities):
            for k, task in enumerate(cap.critical):
                cid = task.split(".")[1] if task.startswith("clock.") else ""
                if cid and cid not in clock_ids and not any(
                        it.optional and it.metric.split(".")[1] == cid for it in cap.items
                        if it.metric.startswith("clock.")):
                    problems.append(f"capabilities[{i}].critical[{k}]: clock '{cid}' is in no "
                                    f"loaded rule pack (loaded: {', '.join(sorted(clock_ids))})")
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
