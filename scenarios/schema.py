"""The scenario schema: a drill's timed injects (the MSEL), hand-written or generated.

A scenario file (YAML or JSON, schema ``blinddrill.scenario/1``) lists injects in time order.
An inject either **creates an incident** (``kind: incident``) carrying the hidden truth the
players must discover (grade, casualties, required capabilities and effort), or **changes the
drill** (``kind: complication``): a road blocked, communications lost, an escalation, a
casualty update, a resource shortage, a second alarm, the commander unavailable.

Times are minutes since the (secret) drill start. Each inject also carries the HSEEP MSEL
delivery fields (from, to, method, message, expected action, capability, umpire) so that the
same object is the MSEL an organiser prints and the input the engine plays.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, Tag, model_validator

from scenarios import limits
from scenarios.loading import StrictModel, dump_yaml, load_model, validate_data
from scenarios.region import Id, Lat, Lon, ReferenceProblems, Region

SCENARIO_SCHEMA = "blinddrill.scenario/1"

Grade = Literal["I", "II", "III", "IV"]
#: Chinese names of the four grades: I 特别重大, II 重大, III 较大, IV 一般.
GRADE_ZH: dict[str, str] = {"I": "特别重大", "II": "重大", "III": "较大", "IV": "一般"}
Minutes = Annotated[float, Field(ge=0, le=7 * 24 * 60, allow_inf_nan=False)]
AlarmSource = Literal["info_officer", "public", "enterprise", "unit", "system"]
DeliveryMethod = Literal["phone", "radio", "sms", "app", "in_person", "email", "video"]
ComplicationType = Literal[
    "road_blocked",
    "comms_lost",
    "escalation",
    "casualty_update",
    "resource_shortage",
    "second_alarm",
    "commander_unavailable",
    "repeat_call",
]


class Casualties(StrictModel):
    """Hidden truth about people: dead, injured, trapped, missing, evacuated."""

    dead: Annotated[int, Field(ge=0, le=limits.MAX_CASUALTIES)] = 0
    injured: Annotated[int, Field(ge=0, le=limits.MAX_CASUALTIES)] = 0
    trapped: Annotated[int, Field(ge=0, le=limits.MAX_CASUALTIES)] = 0
    missing: Annotated[int, Field(ge=0, le=limits.MAX_CASUALTIES)] = 0
    evacuated: Annotated[int, Field(ge=0, le=limits.MAX_EVACUATED)] = 0


class Requirement(StrictModel):
    """A capability the incident needs: ``effort`` person-minutes, by at least ``units`` units."""

    capability: Id
    effort: Annotated[float, Field(gt=0, le=1_000_000)]
    units: Annotated[int, Field(ge=1, le=50)] = 1
    min_level: Annotated[int, Field(ge=1, le=3)] = 1


class Caller(StrictModel):
    """Who raises the alarm and how to reach them."""

    source: AlarmSource = "public"
    id: Id | None = None  # e.g. an info officer's id
    name: str = ""
    phone: str = ""


class Location(StrictModel):
    """Where an incident is: a point in a township, optionally a named address."""

    township: Id
    lon: Lon
    lat: Lat
    address: str = ""


class Delivery(StrictModel):
    """HSEEP MSEL delivery fields for an inject (what an umpire reads out, to whom, how)."""

    sender: str = ""
    recipient: str = ""
    method: DeliveryMethod = "phone"
    subject: str = ""
    message: str = ""
    expected_action: str = ""
    capability: str = ""
    umpire: str = ""


class IncidentSpec(StrictModel):
    """An incident's truth, revealed to players only through the alarm and what they find."""

    id: Id
    category: Id
    grade: Grade
    location: Location
    site: Id | None = None
    requires: list[Requirement] = Field(min_length=1)
    #: person-minutes of the first team's early-stage handling (先期处置: cordon, people in
    #: immediate danger removed, spread checked); the engine logs ``initial_response_completed``
    #: when the first team on scene has done it. None: not distinguished, the milestone is
    #: reached when the first team's requirement is done (or the incident is controlled).
    initial_effort: Annotated[float, Field(gt=0, le=1_000_000)] | None = None
    supplies: dict[Id, Annotated[int, Field(ge=1, le=limits.MAX_QUANTITY)]] = Field(
        default_factory=dict)
    casualties: Casualties = Field(default_factory=Casualties)
    template: Id
    caller: Caller = Field(default_factory=Caller)
    cascade_of: Id | None = None
    description: str = ""
    #: roles nobody holds in advance (no assigned roles): designated by the players during play,
    #: e.g. ``incident_commander``, ``safety_officer``, ``information_officer``.
    roles_to_designate: list[Id] = Field(default_factory=list)


class Complication(StrictModel):
    """A change to the drill while it runs; which fields apply depends on ``type``.

    * ``road_blocked``: ``township`` (destination) and ``factor`` (>1 slows; omit = cut off),
      optionally ``unit``; ``duration_min`` (omit = until the end).
    * ``comms_lost``: ``township`` (or ``unit``); reports and messages delayed by ``factor``
      × normal, for ``duration_min``.
    * ``escalation``: ``incident`` to ``grade``, with ``requires`` added.
    * ``casualty_update``: ``incident`` and the new ``casualties`` truth.
    * ``resource_shortage``: ``depot`` and ``item`` whose stock drops to ``qty``.
    * ``second_alarm``: handled as a new incident inject; here only a note.
    * ``commander_unavailable``: ``incident`` (or ``township``): the designated commander leaves
      and a new one must be designated.
    * ``repeat_call``: ``incident`` (an earlier one) and optionally the ``caller``: another
      person phones about the same incident, at the same place; a duty desk takes the call and
      logs it against that incident (no new incident, no dispatch).
    """

    type: ComplicationType
    incident: Id | None = None
    township: Id | None = None
    unit: Id | None = None
    depot: Id | None = None
    item: Id | None = None
    qty: Annotated[int, Field(ge=0, le=limits.MAX_QUANTITY)] | None = None
    factor: Annotated[float, Field(ge=1)] | None = None
    duration_min: Minutes | None = None
    grade: Grade | None = None
    requires: list[Requirement] = Field(default_factory=list)
    casualties: Casualties | None = None
    caller: Caller | None = None
    note: str = ""

    @model_validator(mode="after")
    def _fields_for_type(self) -> Complication:
        need: dict[str, tuple[str, ...]] = {
            "road_blocked": ("township",),
            "escalation": ("incident", "grade"),
            "casualty_update": ("incident", "casualties"),
            "resource_shortage": ("depot", "item", "qty"),
            "commander_unavailable": (),
            "comms_lost": (),
            "second_alarm": (),
            "repeat_call": ("incident",),
        }
        missing = [f for f in need[self.type] if getattr(self, f) is None]
        if missing:
            raise ValueError(f"a '{self.type}' complication needs {', '.join(missing)}")
        if self.type in ("comms_lost", "commander_unavailable") and not (
            self.township or self.unit or self.incident
        ):
            raise ValueError(f"a '{self.type}' complication needs a township, unit or incident")
        if self.caller is not None and self.type != "repeat_call":
            raise ValueError(f"a '{self.type}' complication has no caller (only a repeat_call)")
        return self


class IncidentInject(StrictModel):
    """An inject that starts an incident at time ``t``."""

    id: Id
    t: Minutes
    kind: Literal["incident"] = "incident"
    incident: IncidentSpec
    delivery: Delivery = Field(default_factory=Delivery)


class ComplicationInject(StrictModel):
    """An inject that changes the drill at time ``t``."""

    id: Id
    t: Minutes
    kind: Literal["complication"] = "complication"
    complication: Complication
    delivery: Delivery = Field(default_factory=Delivery)


def _inject_tag(value: Any) -> str | None:
    kind = value.get("kind", "incident") if isinstance(value, dict) else getattr(value, "kind", None)
    return f"@{kind}" if kind in ("incident", "complication") else None


#: An inject of either kind. Tags start with "@" so that error paths can leave them out.
Inject = Annotated[
    Annotated[IncidentInject, Tag("@incident")] | Annotated[ComplicationInject, Tag("@complication")],
    Discriminator(
        _inject_tag,
        custom_error_type="inject_kind",
        custom_error_message="kind must be 'incident' or 'complication'",
    ),
]


class Conditions(StrictModel):
    """Conditions drawn for the drill (no disclosed method): light, weather, communications."""

    night: bool = False
    weekend: bool = False
    weather: Literal["clear", "rain", "storm", "snow", "fog", "wind", "heat"] = "clear"
    comms: Literal["normal", "degraded"] = "normal"


class Scenario(StrictModel):
    """A complete drill scenario: when it starts, how long it lasts, and its injects."""

    schema_: Literal["blinddrill.scenario/1"] = Field(
        default="blinddrill.scenario/1", alias="schema"
    )
    id: Id
    title: str = ""
    region: str = ""  # the region's name, for humans; the engine is given the region itself
    start: datetime | None = None  # story (wall-clock) time of t = 0
    duration_min: Annotated[float, Field(gt=0, le=7 * 24 * 60)] = 240.0
    conditions: Conditions = Field(default_factory=Conditions)
    participants: list[Id] = Field(default_factory=list)  # unit ids; empty = every unit
    injects: list[Inject] = Field(max_length=limits.MAX_INJECTS)
    meta: dict[str, Any] = Field(default_factory=dict)  # generator provenance, novelty, etc.

    model_config = StrictModel.model_config | {"populate_by_name": True}

    @model_validator(mode="after")
    def _check_injects(self) -> Scenario:
        problems: list[str] = []
        seen: set[str] = set()
        incidents: set[str] = set()
        last = 0.0
        for i, inj in enumerate(self.injects):
            if inj.id in seen:
                problems.append(f"injects[{i}].id: duplicate inject id '{inj.id}'")
            seen.add(inj.id)
            if inj.t < last:
                problems.append(f"injects[{i}].t: {inj.t} is earlier than the inject before")
            last = max(last, inj.t)
            if inj.t > self.duration_min:
                problems.append(f"injects[{i}].t: {inj.t} is after the drill ends")
            if isinstance(inj, IncidentInject):
                if inj.incident.id in incidents:
                    problems.append(f"injects[{i}].incident.id: duplicate '{inj.incident.id}'")
                incidents.add(inj.incident.id)
                c = inj.incident.cascade_of
                if c is not None and c not in incidents:
                    problems.append(f"injects[{i}].incident.cascade_of: unknown incident '{c}'")
            else:
                ref = inj.complication.incident
                if ref is not None and ref not in incidents:
                    problems.append(
                        f"injects[{i}].complication.incident: '{ref}' is not an earlier incident"
                    )
        if problems:
            raise ReferenceProblems(problems)
        return self

    @property
    def incidents(self) -> list[IncidentSpec]:
        """The incident specs, in inject order."""
        return [i.incident for i in self.injects if isinstance(i, IncidentInject)]

    def check_against(self, region: Region) -> list[str]:
        """Problems with references into ``region`` (townships, sites, units, capabilities)."""
        problems: list[str] = []
        juris = region.jurisdiction_by_id
        caps = {c.id for c in region.capabilities}
        items = {it.id for it in region.items}
        units = region.unit_by_id
        for i, inj in enumerate(self.injects):
            base = f"injects[{i}]"
            if isinstance(inj, IncidentInject):
                spec = inj.incident
                t = juris.get(spec.location.township)
                if t is None or t.level != "township":
                    problems.append(
                        f"{base}.incident.location.township: no township '{spec.location.township}'"
                    )
                if spec.site is not None and spec.site not in region.site_by_id:
                    problems.append(f"{base}.incident.site: unknown hazard site '{spec.site}'")
                for k, r in enumerate(spec.requires):
                    if r.capability not in caps:
                        problems.append(
                            f"{base}.incident.requires[{k}].capability: "
                            f"'{r.capability}' is not a capability of region '{region.name}'"
                        )
                for item in spec.supplies:
                    if item not in items:
                        problems.append(f"{base}.incident.supplies.{item}: item not declared")
            else:
                c = inj.complication
                if c.township is not None and c.township not in juris:
                    problems.append(f"{base}.complication.township: unknown '{c.township}'")
                if c.unit is not None and c.unit not in units:
                    problems.append(f"{base}.complication.unit: unknown unit '{c.unit}'")
                if c.depot is not None and c.depot not in region.depot_by_id:
                    problems.append(f"{base}.complication.depot: unknown depot '{c.depot}'")
                if c.item is not None and c.item not in items:
                    problems.append(f"{base}.complication.item: item not declared")
                for k, r in enumerate(c.requires):
                    if r.capability not in caps:
                        problems.append(f"{base}.complication.requires[{k}].capability: unknown")
        for k, u in enumerate(self.participants):
            if u not in units:
                problems.append(f"participants[{k}]: unknown unit '{u}'")
        return problems

    def to_yaml(self) -> str:
        """Serialise to YAML that :func:`load_scenario` reads back into an equal model."""
        return dump_yaml(self.model_dump(mode="json", by_alias=True, exclude_none=True))


def load_scenario(path: str | Path) -> Scenario:
    """Load a scenario file (YAML/JSON); a sealed file's inner scenario is handled by the seal."""
    return load_model(path, Scenario)


def scenario_from_data(data: Any, source: str = "<scenario>", also: tuple[str, ...] = ()
                       ) -> Scenario:
    """Validate already-parsed scenario data (``also``: as in
    :func:`scenarios.loading.validate_data`)."""
    return validate_data(data, Scenario, source, also)
