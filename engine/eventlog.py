"""The append-only event log: the contract between the engine, live umpires and the evaluators.

One drill = one log = one JSON Lines file (``events.jsonl``). Each line is one :class:`Event`:

``{"seq": 0, "t": 0.0, "kind": "drill_started", "incident": null, "unit": null, "inject": null,
"depot": null, "post": null, "source": "sim", "data": {...}}``

* ``seq`` — 0-based position, assigned on append; ``t`` — minutes since drill start (float,
  rounded to 1e-6), never decreasing along the log;
* ``kind`` — one of :data:`EVENT_KINDS`; the ids of what is involved; ``source`` — who wrote it
  (``sim`` for the engine, ``umpire`` for live input, ``system`` for the tooling);
* ``data`` — a small payload whose required keys per kind are :data:`REQUIRED_DATA`.

The full schema, with the meaning of every kind and key, is in ``docs/event-log.md``.
Simulated and live drills use this same module, so the evaluators cannot tell them apart.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO, Literal, get_args

import orjson
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

EVENT_LOG_SCHEMA = "blinddrill.events/1"

EventKind = Literal[
    "drill_started",
    "drill_ended",
    "inject_released",
    "incident_occurred",
    "alarm_raised",
    "alarm_taken",
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
    "team_mobilised",
    "team_arrived",
    "wakeup_call",
    "alarm_reported",
    "expert_consulted",
]
EVENT_KINDS: tuple[str, ...] = get_args(EventKind)
Source = Literal["sim", "umpire", "system"]

#: ids each kind must carry (besides t/kind) and keys its ``data`` must hold.
REQUIRED_IDS: dict[str, tuple[str, ...]] = {
    "inject_released": ("inject",),
    "incident_occurred": ("incident",),
    "alarm_raised": ("incident",),
    "alarm_taken": ("incident",),
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
    "team_mobilised": ("incident", "unit"),
    "team_arrived": ("incident", "unit"),
    "wakeup_call": ("incident",),
    "alarm_reported": ("incident",),
    "expert_consulted": ("incident",),
}
REQUIRED_DATA: dict[str, tuple[str, ...]] = {
    "drill_started": ("scenario",),
    "incident_occurred": ("category", "grade", "township", "casualties", "template"),
    "alarm_raised": ("level",),
    "alarm_taken": ("level",),
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
    "team_mobilised": ("people",),
    "team_arrived": ("people",),
    "wakeup_call": ("callee", "attempt", "answered"),
    "alarm_reported": ("to", "level"),
    "expert_consulted": ("expert", "field"),
}

_ID_FIELDS = ("incident", "unit", "inject", "depot", "post")


class Event(BaseModel):
    """One record of the log. Unknown top-level keys are rejected; ``data`` is open."""

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

    @model_validator(mode="after")
    def _check_required(self) -> Event:
        """Check the per-kind required ids and data keys."""
        missing = [f for f in REQUIRED_IDS.get(self.kind, ()) if getattr(self, f) is None]
        missing += [f"data.{k}" for k in REQUIRED_DATA.get(self.kind, ()) if k not in self.data]
        if missing:
            raise ValueError(f"event kind '{self.kind}' needs {', '.join(missing)}")
        return self


class LogOrderError(ValueError):
    """An append would make the log's times decrease."""


def _record(
    seq: int,
    t: float,
    kind: str,
    ids: dict[str, str | None],
    source: str,
    data: dict[str, Any],
) -> dict[str, Any]:
    rec: dict[str, Any] = {"seq": seq, "t": round(float(t), 6), "kind": kind}
    for f in _ID_FIELDS:
        rec[f] = ids.get(f)
    rec["source"] = source
    rec["data"] = data
    return rec


class EventLog:
    """An append-only, in-order event log, optionally streamed to a JSONL file.

    ``append`` is the only way to add; times must never decrease. With ``path`` each record is
    written as it is appended; ``durable=True`` flushes and fsyncs each line before ``append``
    returns (live drills: nothing is acknowledged to an umpire before it is on disk).
    """

    def __init__(self, path: str | Path | None = None, *, durable: bool = False) -> None:
        self.records: list[dict[str, Any]] = []
        self._durable = durable
        self._fh: BinaryIO | None = None
        self.path = Path(path) if path is not None else None
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fh = open(self.path, "wb")  # noqa: SIM115 - closed in close()

    @property
    def last_t(self) -> float:
        """Time of the last record (0 if empty)."""
        return float(self.records[-1]["t"]) if self.records else 0.0

    def append(
        self,
        kind: str,
        t: float,
        *,
        incident: str | None = None,
        unit: str | None = None,
        inject: str | None = None,
        depot: str | None = None,
        post: str | None = None,
        source: Source = "sim",
        **data: Any,
    ) -> dict[str, Any]:
        """Append one event and return its record (a plain dict, as written)."""
        if kind not in _KIND_SET:
            raise ValueError(f"unknown event kind '{kind}'")
        rec = _record(
            len(self.records),
            t,
            kind,
            {"incident": incident, "unit": unit, "inject": inject, "depot": depot, "post": post},
            source,
            data,
        )
        if self.records and rec["t"] < self.records[-1]["t"]:
            raise LogOrderError(
                f"event '{kind}' at t={rec['t']} precedes the last event at t={self.last_t}"
            )
        self.records.append(rec)
        if self._fh is not None:
            self._fh.write(encode_record(rec))
            if self._durable:
                self._fh.flush()
                os.fsync(self._fh.fileno())
        return rec

    def add(
        self,
        kind: str,
        t: float,
        incident: str | None,
        unit: str | None,
        inject: str | None,
        depot: str | None,
        post: str | None,
        data: dict[str, Any],
        source: Source = "sim",
    ) -> dict[str, Any]:
        """:meth:`append` with the ids positional and ``data`` given as a ready dict (kept by
        the record, not copied): the same record and the same checks, for hot paths such as
        the simulation engine."""
        if kind not in _KIND_SET:
            raise ValueError(f"unknown event kind '{kind}'")
        t = round(float(t), 6)
        records = self.records
        if records and t < records[-1]["t"]:
            raise LogOrderError(
                f"event '{kind}' at t={t} precedes the last event at t={self.last_t}"
            )
        rec = {"seq": len(records), "t": t, "kind": kind, "incident": incident, "unit": unit,
               "inject": inject, "depot": depot, "post": post, "source": source, "data": data}
        records.append(rec)
        if self._fh is not None:
            self._fh.write(encode_record(rec))
            if self._durable:
                self._fh.flush()
                os.fsync(self._fh.fileno())
        return rec

    def close(self) -> None:
        """Flush and close the file sink, if any."""
        if self._fh is not None:
            self._fh.flush()
            os.fsync(self._fh.fileno())
            self._fh.close()
            self._fh = None

    def __enter__(self) -> EventLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __len__(self) -> int:
        return len(self.records)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.records)

    def write_jsonl(self, path: str | Path) -> None:
        """Write the whole log to ``path`` as JSON Lines (byte-identical for identical logs)."""
        write_jsonl(self.records, path)


_KIND_SET = frozenset(EVENT_KINDS)


def encode_record(rec: dict[str, Any]) -> bytes:
    """One JSON line: keys in schema order, data keys in the order written, UTF-8, ``\\n``."""
    return orjson.dumps(rec, option=orjson.OPT_APPEND_NEWLINE | orjson.OPT_SERIALIZE_NUMPY)


def write_jsonl(records: Iterable[dict[str, Any]], path: str | Path) -> None:
    """Write records as JSON Lines, fsynced, via a temporary file renamed into place."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_name(p.name + ".tmp")
    with open(tmp, "wb") as fh:
        for rec in records:
            fh.write(encode_record(rec))
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, p)


def read_records(path: str | Path) -> list[dict[str, Any]]:
    """Read a JSONL log into plain dicts quickly (no validation). Blank lines are skipped."""
    out: list[dict[str, Any]] = []
    with open(path, "rb") as fh:
        for line in fh:
            if line.strip():
                out.append(orjson.loads(line))
    return out


class EventLogError(ValueError):
    """A log file is malformed; the message names the file and line."""


def read_events(path: str | Path) -> list[Event]:
    """Read and validate a JSONL log: each line an :class:`Event`, times non-decreasing."""
    events: list[Event] = []
    last = 0.0
    with open(path, "rb") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                ev = Event.model_validate(orjson.loads(line))
            except orjson.JSONDecodeError as exc:
                raise EventLogError(f"{path}:{lineno}: not valid JSON ({exc})") from None
            except ValidationError as exc:
                first = exc.errors()[0]
                loc = ".".join(str(p) for p in first["loc"]) or "(record)"
                raise EventLogError(f"{path}:{lineno}: {loc}: {first['msg']}") from None
            if ev.t < last:
                raise EventLogError(f"{path}:{lineno}: t={ev.t} is earlier than the line before")
            last = ev.t
            events.append(ev)
    return events
