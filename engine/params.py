"""Behaviour parameters of the simulated players: delays, productivities, error rates.

Loaded from YAML (schema ``blinddrill.behaviour/1``) through :func:`load_params`; the shipped
defaults are ``engine/data/behaviour.yaml`` and every value is documented in ``docs/engine.md``.
Per-unit-kind behaviour lives under ``units:`` with a complete ``default`` entry; other kinds
override any subset of its fields. Every random quantity is a distribution spec from
:mod:`engine.distributions`, so ``{dist: fixed, value: ...}`` everywhere makes a drill's event
times exactly predictable.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal, get_args

from pydantic import Field, model_validator

from engine.distributions import Dist, Probability
from scenarios.loading import StrictModel, dump_yaml, load_model
from scenarios.region import ExpertField, OfficerRole, ReferenceProblems, SiteKind, UnitKind
from scenarios.schema import AlarmSource, Grade

BEHAVIOUR_SCHEMA = "blinddrill.behaviour/1"
DEFAULT_PARAMS = Path(__file__).parent / "data" / "behaviour.yaml"

DeskLevel = Literal["township", "county", "city"]
UpperLevel = Literal["county", "city"]
Factor = Annotated[float, Field(gt=0, le=100, allow_inf_nan=False)]


class AlarmParams(StrictModel):
    """Which duty desk an alarm reaches, how long taking it takes, how many officers staff it."""

    desk_for_source: dict[AlarmSource, DeskLevel]
    take_alarm: dict[DeskLevel, Dist]
    desk_officers: dict[DeskLevel, Annotated[int, Field(ge=1, le=50)]]

    @model_validator(mode="after")
    def _complete(self) -> AlarmParams:
        problems = [
            f"take_alarm.{lv}: missing" for lv in ("township", "county", "city")
            if lv not in self.take_alarm
        ] + [
            f"desk_officers.{lv}: missing" for lv in ("township", "county", "city")
            if lv not in self.desk_officers
        ] + [
            f"desk_for_source.{s}: missing"
            for s in ("info_officer", "public", "enterprise", "unit", "system")
            if s not in self.desk_for_source
        ]
        if problems:
            raise ReferenceProblems([f"alarm.{p}" for p in problems])
        return self


class DispatchParams(StrictModel):
    """Dispatch policy, queue order, specialists and the delay for a request to be acted on one
    level up (see :mod:`engine.dispatch` and :mod:`engine.dispatch_queue`)."""

    policy: Literal["nearest_eta", "specialist_first", "own_site_first", "dispatcher"]
    queue: Literal["grade_then_time", "fifo"]
    #: a specialist goes first if it is at most this many road minutes further than the nearest
    specialist_tolerance_min: Annotated[float, Field(ge=0, le=1440)] = 0.0
    #: capability → unit kinds that specialise in it
    specialists: dict[str, list[UnitKind]] = Field(default_factory=dict)
    escalate_delay: dict[UpperLevel, Dist]


class ConditionFactors(StrictModel):
    """Multipliers applied to delays under a condition (night, weekend)."""

    take_alarm: Factor = 1.0
    turnout: Factor = 1.0  # a whole team's (or the rest of a team's) turn-out
    duty_turnout: Factor = 1.0  # the duty crew's turn-out (on standby, awake)
    report: Factor = 1.0
    travel: Factor = 1.0


class ConditionParams(StrictModel):
    """Night and weekend effects (they multiply when both apply)."""

    night: ConditionFactors = Field(default_factory=ConditionFactors)
    weekend: ConditionFactors = Field(default_factory=ConditionFactors)


class UnitBehaviour(StrictModel):
    """Behaviour of one unit kind; in a non-default entry every field is optional."""

    turnout: Dist | None = None
    productivity: Dist | None = None
    deployable_fraction: Annotated[float, Field(gt=0, le=1)] | None = None
    duty_crew: Annotated[float, Field(gt=0, le=1)] | None = None
    full_turnout: Dist | None = None
    first_report: Dist | None = None
    report_missed: Probability | None = None
    missing_field: Probability | None = None
    undercount: Dist | None = None
    handover: Dist | None = None


@dataclass(frozen=True)
class ResolvedUnitBehaviour:
    """A unit kind's behaviour with the ``default`` entry filled in (see :class:`UnitBehaviour`)."""

    turnout: Dist
    productivity: Dist
    deployable_fraction: float
    duty_crew: float
    full_turnout: Dist
    first_report: Dist
    report_missed: float
    missing_field: float
    undercount: Dist
    handover: Dist


class OnSceneParams(StrictModel):
    """On-scene work: capability-level factors, commander designation, optional fixed work time."""

    level_factor: dict[Annotated[int, Field(ge=1, le=3)], Factor]
    work_time: Dist | None = None
    designate_commander: Dist
    replace_commander: Dist


class ReportParams(StrictModel):
    """Reporting by the township post after the on-scene first report, and relays upward."""

    upward: dict[Grade, list[UpperLevel]]
    relay: dict[UpperLevel, Dist]
    followup_after: Dist
    final_after: Dist
    followup_missed: Probability
    final_missed: Probability
    missing_field: Probability
    followup_count_error: Probability
    final_count_error: Probability
    channel: dict[Literal["first", "followup", "final"], Literal["phone", "written"]]
    #: 接报即报: the desk that took an alarm phones it upward at once, each hop after this
    alarm_relay: dict[UpperLevel, Dist]
    comms_lost_factor: Annotated[float, Field(ge=1, le=100)] = 3.0


class CommandPostParams(StrictModel):
    """Command-post activation: the region's minutes × ``variability``; video after arrival."""

    notify: Dist
    variability: Dist
    video_setup: Dist


class TravelBehaviour(StrictModel):
    """Road-time noise and what a cut-off road costs."""

    factor: Dist
    cutoff_factor: Annotated[float, Field(ge=1, le=100)] = 3.0
    return_to_base: bool = True


class SupplyParams(StrictModel):
    """Supply requests: delay after first arrival, loading at the depot, truck speed kind."""

    request_delay: Dist
    loading: Dist
    truck_kind: str = "default"


class WakingParams(StrictModel):
    """叫应叫醒 at night: phone calls that wake the responsible leader and the off-duty team."""

    answer: Dist  # ring → answered
    no_answer: Probability  # P(a call goes unanswered)
    timeout: Dist  # minutes before the caller gives up and calls the next in the chain
    leader_chain: list[str] = Field(min_length=1)  # who is called for a township, in order
    team_chain: list[str] = Field(min_length=1)  # who is called for a unit's off-duty team


Weather = Literal["clear", "rain", "storm", "snow", "fog", "wind", "heat"]


class OfficerParams(StrictModel):
    """Information officers (灾害信息员): first actions before any team arrives (grade IV, small
    effort); warnings relayed to villages and patrols of hazard points while a weather warning
    is in force (预警叫应, 巡查); damage reports upward after a natural disaster (灾情报告)."""

    first_action: Dist  # alarm → the officer's early-stage handling is done
    max_effort: Annotated[float, Field(ge=0, le=10_000)]  # person-minutes one officer can do
    #: weather of the scenario's conditions → hazard-site kinds under a warning (none: no
    #: warning in force, nothing is relayed or patrolled)
    warned_sites: dict[Weather, list[SiteKind]] = Field(default_factory=dict)
    #: hazard-site kind → officer roles that patrol it, in order of preference
    patrol_roles: dict[SiteKind, list[OfficerRole]] = Field(default_factory=dict)
    warning_relay: Dist  # play start → the township has called its responsible persons
    patrol: Dist  # one patrol round of an officer's warned points
    patrol_interval: Annotated[float, Field(gt=0, le=7 * 24 * 60)]  # a round starts this often
    #: report templates of natural disasters (自然灾害情况统计调查制度's scope)
    damage_templates: list[str] = Field(default_factory=list)
    damage_report: Dist  # incident occurred → the reporting officer has the first facts
    #: 初报 limit for the township (minutes after the disaster): see docs/engine.md
    damage_report_limit_min: Annotated[float, Field(gt=0, le=7 * 24 * 60)]
    damage_report_late: Probability  # P(the officer misses the limit: reports when known)


class ExpertParams(StrictModel):
    """Experts consulted by the desk: category → expert fields, and the delay of advice."""

    fields: dict[str, list[ExpertField]]
    consult: Dist


class BehaviourParams(StrictModel):
    """All behaviour parameters of one simulation. Load with :func:`load_params`."""

    schema_: Literal["blinddrill.behaviour/1"] = Field(
        default="blinddrill.behaviour/1", alias="schema"
    )
    alarm: AlarmParams
    dispatch: DispatchParams
    conditions: ConditionParams = Field(default_factory=ConditionParams)
    units: dict[str, UnitBehaviour]
    on_scene: OnSceneParams
    reports: ReportParams
    command_post: CommandPostParams
    travel: TravelBehaviour
    supplies: SupplyParams
    waking: WakingParams
    officers: OfficerParams
    experts: ExpertParams

    model_config = StrictModel.model_config | {"populate_by_name": True}

    @model_validator(mode="after")
    def _default_complete(self) -> BehaviourParams:
        kinds = set(get_args(UnitKind))
        unknown = [f"units.{k}: unknown unit kind (known: default, {', '.join(sorted(kinds))})"
                   for k in self.units if k != "default" and k not in kinds]
        if unknown:
            raise ReferenceProblems(unknown)
        d = self.units.get("default")
        if d is None:
            raise ReferenceProblems(["units.default: missing (needed for unit kinds not listed)"])
        missing = [f"units.default.{k}: missing" for k, v in d if v is None]
        if missing:
            raise ReferenceProblems(missing)
        return self

    @cached_property
    def _resolved(self) -> dict[str, ResolvedUnitBehaviour]:
        return {}

    def for_kind(self, kind: str) -> ResolvedUnitBehaviour:
        """Behaviour of unit ``kind``: its own entry over ``default``."""
        cache = self._resolved
        got = cache.get(kind)
        if got is None:
            base = self.units["default"]
            own = self.units.get(kind, base)
            vals = {k: (getattr(own, k) if getattr(own, k) is not None else v) for k, v in base}
            got = ResolvedUnitBehaviour(**vals)
            cache[kind] = got
        return got

    def to_yaml(self) -> str:
        """Serialise to YAML that :func:`load_params` reads back into an equal model."""
        return dump_yaml(self.model_dump(mode="json", by_alias=True, exclude_none=True))


_DEFAULT: BehaviourParams | None = None


def load_params(path: str | Path | None = None) -> BehaviourParams:
    """Load behaviour parameters; ``None`` gives the shipped defaults (cached)."""
    global _DEFAULT
    if path is None:
        if _DEFAULT is None:
            _DEFAULT = load_model(DEFAULT_PARAMS, BehaviourParams)
        return _DEFAULT
    return load_model(path, BehaviourParams)
