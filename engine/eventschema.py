"""What one record of the event log is: the schema id, the event kinds, the ids and data each
kind requires, the :class:`Event` model, and the exact bytes of a record's line.

The log itself (appending, writing, reading) is :mod:`engine.eventlog`; its hash chain is
:mod:`engine.logchain`; the full schema is in ``docs/event-log.md``.
"""

from __future__ import annotations

from typing import Any, Literal, get_args

import orjson
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from engine.eventvalues import data_problems

EVENT_LOG_SCHEMA = "blinddrill.events/2"
#: schema versions the readers accept (/1: the same records without the ``prev`` chain).
KNOWN_SCHEMAS = ("blinddrill.events/1", EVENT_LOG_SCHEMA)

EventKind = Literal[
    "drill_started",
    "drill_ended",
    "inject_released",
    "incident_occurred",
    "alarm_raised",
    "alarm_taken",
    "repeat_call_raised",
    "repeat_call_taken",
    "unit_dispatched",
    "unit_mobilised",
    "unit_arrived",
    "task_started",
    "task_finished",
    "incident_escalated",
    "initial_response_completed",
    "incident_controlled",
    "incident_closed",
    "incident_unresolved",
    "report_submitted",
    "supplies_requested",
    "supplies_delivered",
    "supplies_short",
    "command_post_activated",
    "scene_visible",
    "commander_designated",
    "complication_applied",
    "message_sent",
    "mutual_aid_requested",
    "mutual_aid_granted",
    "unit_released",
    "unit_returned",
    "observation",
    "hotwash",
    "drill_held",
    "drill_resumed",
    "inject_skipped",
    "role_designated",
    "record_corrected",
    "team_mobilised",
    "team_arrived",
    "wakeup_call",
    "alarm_reported",
    "expert_consulted",
    "warning_relayed",
    "patrol_completed",
    "damage_reported",
]
EVENT_KINDS: tuple[str, ...] = get_args(EventKind)
Source = Literal["sim", "umpire", "system"]

#: ids each kind must carry (besides t/kind) and keys its ``data`` must hold.
REQUIRED_IDS: dict[str, tuple[str, ...]] = {
    "inject_released": ("inject",),
    "incident_occurred": ("incident",),
    "alarm_raised": ("incident",),
    "alarm_taken": ("incident",),
    "repeat_call_raised": ("incident", "inject"),
    "repeat_call_taken": ("incident", "inject"),
    "unit_dispatched": ("incident", "unit"),
    "unit_mobilised": ("incident", "unit"),
    "unit_arrived": ("incident", "unit"),
    "task_started": ("incident", "unit"),
    "task_finished": ("incident", "unit"),
    "incident_escalated": ("incident",),
    "initial_response_completed": ("incident",),
    "incident_controlled": ("incident",),
    "incident_closed": ("incident",),
    "incident_unresolved": ("incident",),
    "report_submitted": ("incident",),
    "supplies_requested": ("incident",),
    "supplies_delivered": ("incident", "depot"),
    "supplies_short": ("incident",),
    "command_post_activated": ("post",),
    "scene_visible": ("post", "incident"),
    "commander_designated": ("incident",),
    "complication_applied": ("inject",),
    "message_sent": (),
    "mutual_aid_requested": ("incident",),
    "mutual_aid_granted": ("incident", "unit"),
    "unit_released": ("incident", "unit"),
    "unit_returned": ("unit",),
    "inject_skipped": ("inject",),
    "team_mobilised": ("incident", "unit"),
    "team_arrived": ("incident", "unit"),
    "wakeup_call": ("incident",),
    "alarm_reported": ("incident",),
    "expert_consulted": ("incident",),
    "damage_reported": ("incident",),
}
REQUIRED_DATA: dict[str, tuple[str, ...]] = {
    "drill_started": ("scenario",),
    "incident_occurred": ("category", "grade", "township", "casualties", "template"),
    "alarm_raised": ("level",),
    "alarm_taken": ("level",),
    "repeat_call_raised": ("level",),
    "repeat_call_taken": ("level",),
    "unit_dispatched": ("level", "eta_min"),
    "task_started": ("task",),
    "task_finished": ("task",),
    "incident_escalated": ("grade",),
    "incident_unresolved": ("reason",),
    "report_submitted": ("stage", "to", "channel", "fields", "values"),
    "supplies_requested": ("item", "qty", "request"),
    "supplies_delivered": ("item", "qty", "request", "tier"),
    "supplies_short": ("item", "qty", "request"),
    "complication_applied": ("type",),
    "message_sent": ("sender", "recipient"),
    "mutual_aid_requested": ("from_jurisdiction", "to_level"),
    "observation": ("text",),
    "hotwash": ("section", "text"),
    "drill_held": ("reason",),
    "drill_resumed": ("held_min",),
    "inject_skipped": ("reason",),
    "role_designated": ("role", "person"),
    "record_corrected": ("corrects", "reason"),
    "team_mobilised": ("people",),
    "team_arrived": ("people",),
    "wakeup_call": ("callee", "attempt", "answered"),
    "alarm_reported": ("to", "level"),
    "expert_consulted": ("expert", "field"),
    "warning_relayed": ("township", "weather"),
    "patrol_completed": ("officer", "sites"),
    "damage_reported": ("stage", "officer", "to"),
}

_ID_FIELDS = ("incident", "unit", "inject", "depot", "post")

class Event(BaseModel):
    """One record of the log. Unknown top-level keys are rejected; ``data`` is open, but the
    values the engine writes and the evaluators read must have their type and range
    (:mod:`engine.eventvalues`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    seq: int = Field(ge=0)
    t: float = Field(ge=0, allow_inf_nan=False)
    kind: EventKind
    incident: str | None = None
    unit: str | None = None
    inject: str | None = None
    depot: str | None = None
    post: str | None = None
    source: Source = "sim"
    data: dict[str, Any] = Field(default_factory=dict)
    prev: str | None = None

    @model_validator(mode="after")
    def _check_required(self) -> Event:
        """Check the per-kind required ids and data keys."""
        missing = [f for f in REQUIRED_IDS.get(self.kind, ()) if getattr(self, f) is None]
        missing += [f"data.{k}" for k in REQUIRED_DATA.get(self.kind, ()) if k not in self.data]
        if missing:
            raise ValueError(f"event kind '{self.kind}' needs {', '.join(missing)}")
        bad = data_problems(self.kind, self.data)
        if bad:
            raise ValueError(bad[0])
        return self

_OPT = orjson.OPT_APPEND_NEWLINE | orjson.OPT_SERIALIZE_NUMPY


def encode_record(rec: dict[str, Any]) -> bytes:
    """One JSON line: keys in schema order, data keys in the order written, UTF-8, ``\\n``."""
    return orjson.dumps(rec, option=_OPT)

def check_record(rec: dict[str, Any], where: str = "record") -> Event:
    """Validate one plain record as the reader does; raise :class:`EventLogError` naming the
    field (``where: field: problem``)."""
    try:
        return Event.model_validate(rec)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"]) or "(record)"
        msg = first["msg"]
        err = (first.get("ctx") or {}).get("error")
        if not first["loc"] and str(err).startswith("data."):  # a data value: it names itself
            raise EventLogError(f"{where}: {err}") from None
        raise EventLogError(f"{where}: {loc}: {msg}") from None


class EventLogError(ValueError):
    """A log file is malformed; the message names the file and line."""


def schema_of(first: dict[str, Any]) -> str:
    """The schema of a log from its first record: its ``prev`` (the genesis), or
    ``blinddrill.events/1`` when it has none."""
    prev = first.get("prev")
    if prev is None:
        return "blinddrill.events/1"
    return str(prev)


