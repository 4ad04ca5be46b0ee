"""The append-only event log: the contract between the engine, live umpires and the evaluators.

One drill = one log = one JSON Lines file (``events.jsonl``). Each line is one :class:`Event`:

``{"seq": 0, "t": 0.0, "kind": "drill_started", "incident": null, "unit": null, "inject": null,
"depot": null, "post": null, "source": "sim", "data": {...}}``

* ``seq`` — 0-based position, assigned on append; ``t`` — minutes since drill start (float,
  rounded to 1e-6), never decreasing along the log;
* ``kind`` — one of :data:`EVENT_KINDS`; the ids of what is involved; ``source`` — who wrote it
  (``sim`` for the engine, ``umpire`` for live input, ``system`` for the tooling);
* ``data`` — a small payload whose required keys per kind are :data:`REQUIRED_DATA`;
* ``prev`` — the hash chain: ``sha256:<hex>`` of the previous record's line (its exact bytes
  without the newline); the first record's ``prev`` is the schema id (``blinddrill.events/2``),
  so the version is written in every log and checked by every reader. A log of the older
  ``blinddrill.events/1`` has no ``prev`` keys: it is read as before and reported as having
  no hash chain.

The full schema, with the meaning of every kind and key, is in ``docs/event-log.md``.
Simulated and live drills use this same module, so the evaluators cannot tell them apart.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Literal, get_args

import orjson
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

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
    prev: str | None = None

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
    """An append-only, in-order, hash-chained event log, optionally streamed to a JSONL file.

    ``append`` (keyword ids) and ``add`` (positional, for the engine's hot path) are the only
    ways to add; ``append_checked`` also validates the record like the reader does (umpire
    input). Times must never decrease. With ``path`` each record is chained and written as it
    is appended; ``durable=True`` flushes and fsyncs each line before ``append`` returns (nothing
    is acknowledged before it is on disk). ``resume=True`` reopens an existing file and appends
    after its last record (seq and chain continue; the file is never truncated); without it an
    existing file is replaced. An in-memory log is chained lazily (:meth:`chain`), so the
    simulator pays for hashing only when the log is written.
    """

    def __init__(
        self, path: str | Path | None = None, *, durable: bool = False, resume: bool = False
    ) -> None:
        self.records: list[dict[str, Any]] = []
        self._durable = durable
        self._fh: BinaryIO | None = None
        self._chained = 0  # records[:_chained] carry their ``prev``
        self._last_hash = GENESIS
        self.path = Path(path) if path is not None else None
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if resume and self.path.exists():
                self._load_for_resume(self.path)
                self._fh = open(self.path, "ab")  # noqa: SIM115 - closed in close()
            else:
                self._fh = open(self.path, "wb")  # noqa: SIM115 - closed in close()

    def _load_for_resume(self, path: Path) -> None:
        raw = path.read_bytes()
        if raw and not raw.endswith(b"\n"):
            n = raw.count(b"\n") + 1
            raise EventLogError(f"{path}:{n}: the last line is incomplete (a write was cut "
                                "off); move the file aside or repair it before resuming")
        lines = [ln for ln in raw.split(b"\n") if ln.strip()]
        report = verify_lines(lines, str(path))
        if not report.ok:
            raise EventLogError(f"{path}: cannot resume, the log does not verify: "
                                f"{report.problems[0]}")
        if report.schema != EVENT_LOG_SCHEMA:
            raise EventLogError(f"{path}: cannot resume a {report.schema} log (no hash chain); "
                                f"only {EVENT_LOG_SCHEMA} logs can be appended to")
        self.records = [orjson.loads(ln) for ln in lines]
        self._chained = len(self.records)
        self._last_hash = report.final_hash or GENESIS

    @property
    def last_t(self) -> float:
        """Time of the last record (0 if empty)."""
        return float(self.records[-1]["t"]) if self.records else 0.0

    @property
    def final_hash(self) -> str:
        """The hash of the last record's line (the schema id for an empty log): it seals the
        whole log, because each record carries the hash of the one before it."""
        self.chain()
        return self._last_hash

    def chain(self) -> None:
        """Give every record not yet chained its ``prev`` (in-memory logs chain lazily)."""
        recs, h = self.records, self._last_hash
        for i in range(self._chained, len(recs)):
            rec = recs[i]
            rec["prev"] = h
            h = line_hash(encode_record(rec))
        self._chained = len(recs)
        self._last_hash = h

    def _write(self, rec: dict[str, Any]) -> None:
        assert self._fh is not None
        rec["prev"] = self._last_hash
        line = encode_record(rec)
        self._last_hash = line_hash(line)
        self._chained = len(self.records)
        self._fh.write(line)
        if self._durable:
            self._fh.flush()
            os.fsync(self._fh.fileno())

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
            self._write(rec)
        return rec

    def append_checked(
        self,
        kind: str,
        t: float,
        *,
        incident: str | None = None,
        unit: str | None = None,
        inject: str | None = None,
        depot: str | None = None,
        post: str | None = None,
        source: Source = "umpire",
        **data: Any,
    ) -> dict[str, Any]:
        """:meth:`append` for input from people: the record is validated as the reader does
        (known kind, per-kind ids and data keys, finite time) before anything is written;
        a bad record raises :class:`EventLogError` naming the field and leaves the log as it
        was."""
        rec = _record(len(self.records), t, kind,
                      {"incident": incident, "unit": unit, "inject": inject, "depot": depot,
                       "post": post}, source, data)
        check_record(rec)
        return self.append(kind, t, incident=incident, unit=unit, inject=inject, depot=depot,
                           post=post, source=source, **data)

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
            self._write(rec)
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
        """Write the whole log to ``path`` as JSON Lines (byte-identical for identical logs),
        chaining it on the way (each record encoded and hashed once)."""
        self._last_hash = write_jsonl(self.records, path)
        self._chained = len(self.records)


_KIND_SET = frozenset(EVENT_KINDS)


_OPT = orjson.OPT_APPEND_NEWLINE | orjson.OPT_SERIALIZE_NUMPY


def encode_record(rec: dict[str, Any]) -> bytes:
    """One JSON line: keys in schema order, data keys in the order written, UTF-8, ``\\n``."""
    return orjson.dumps(rec, option=_OPT)


#: ``prev`` of a log's first record: the schema id (the version is written in every log).
GENESIS = EVENT_LOG_SCHEMA


def line_hash(line: bytes) -> str:
    """``sha256:<hex>`` of one record's line, its exact bytes without the trailing newline."""
    return "sha256:" + hashlib.sha256(line.rstrip(b"\n")).hexdigest()


def record_hash(rec: dict[str, Any]) -> str:
    """The hash of a (chained) record as :func:`encode_record` writes it."""
    return line_hash(encode_record(rec))


def final_hash_of(records: Sequence[dict[str, Any]]) -> str | None:
    """The hash sealing a chained log (that of its last record); None for an unchained
    (``blinddrill.events/1``) or empty log."""
    if not records or "prev" not in records[-1]:
        return None
    return record_hash(records[-1])


def check_record(rec: dict[str, Any], where: str = "record") -> Event:
    """Validate one plain record as the reader does; raise :class:`EventLogError` naming the
    field (``where: field: problem``)."""
    try:
        return Event.model_validate(rec)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"]) or "(record)"
        raise EventLogError(f"{where}: {loc}: {first['msg']}") from None


def write_jsonl(records: Iterable[dict[str, Any]], path: str | Path) -> str:
    """Write records as JSON Lines, fsynced, via a temporary file renamed into place, and
    return the final hash. The records are (re)chained in the order given: each gets the
    ``prev`` of the one before."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_name(p.name + ".tmp")
    h = GENESIS
    dumps, opt, sha = orjson.dumps, _OPT, hashlib.sha256
    with open(tmp, "wb") as fh:
        write = fh.write
        for rec in records:
            rec["prev"] = h
            line = dumps(rec, option=opt)
            h = "sha256:" + sha(line[:-1]).hexdigest()
            write(line)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, p)
    return h


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
    """Read and validate a JSONL log: each line an :class:`Event`, times non-decreasing, the
    schema version known (the first record's ``prev``). The hash chain itself is checked by
    :func:`verify_log`."""
    events: list[Event] = []
    last = 0.0
    with open(path, "rb") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                raw = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                raise EventLogError(f"{path}:{lineno}: not valid JSON ({exc})") from None
            if not events and isinstance(raw, dict):
                schema = schema_of(raw)
                if schema not in KNOWN_SCHEMAS:
                    raise EventLogError(f"{path}:{lineno}: prev: unknown log schema '{schema}' "
                                        f"(this version reads {', '.join(KNOWN_SCHEMAS)})")
            ev = check_record(raw, f"{path}:{lineno}")
            if ev.t < last:
                raise EventLogError(f"{path}:{lineno}: t={ev.t} is earlier than the line before")
            last = ev.t
            events.append(ev)
    return events


def schema_of(first: dict[str, Any]) -> str:
    """The schema of a log from its first record: its ``prev`` (the genesis), or
    ``blinddrill.events/1`` when it has none."""
    prev = first.get("prev")
    if prev is None:
        return "blinddrill.events/1"
    return str(prev)


@dataclass
class ChainReport:
    """The result of checking a log's hash chain.

    ``ok`` — every record verified; ``chained`` — the log has a hash chain at all (False for
    ``blinddrill.events/1`` logs); ``problems`` — one sentence per break, naming the record
    (by ``seq`` and line) that was edited, removed, inserted or reordered; ``final_hash`` — the
    hash of the last record as found.
    """

    source: str
    schema: str = EVENT_LOG_SCHEMA
    records: int = 0
    chained: bool = True
    final_hash: str | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True if nothing was found wrong."""
        return not self.problems


def verify_lines(
    lines: Sequence[bytes], source: str = "<log>", expect_final: str | None = None
) -> ChainReport:
    """Check the hash chain of a log's lines (exact bytes, as stored).

    Each record's ``prev`` must be the hash of the line before (the first: the schema id).
    Where it is not, the break is named: a record whose ``seq`` is out of order was moved
    (reordered), a gap in ``seq`` is a removed record, otherwise the record before the break
    was edited after it was written. ``expect_final`` (from the scorecard, the run's
    ``run.json`` or the drill store) also seals the last record, so an edit of the last line
    or a cut-off tail is caught too.
    """
    rep = ChainReport(source=source, records=len(lines))
    if not lines:
        rep.final_hash = GENESIS
        if expect_final is not None and expect_final != GENESIS:
            rep.problems.append("the log is empty, but records were expected")
        return rep
    recs: list[dict[str, Any]] = []
    for i, ln in enumerate(lines, start=1):
        try:
            r = orjson.loads(ln)
            if not isinstance(r, dict):
                raise TypeError
        except (orjson.JSONDecodeError, TypeError):
            rep.problems.append(f"line {i}: not a JSON record (edited or truncated)")
            r = {}
        recs.append(r)
    rep.schema = schema_of(recs[0])
    if rep.schema not in KNOWN_SCHEMAS:
        rep.problems.append(f"line 1: unknown log schema '{rep.schema}'")
        return rep
    hashes = [line_hash(ln) for ln in lines]
    rep.final_hash = hashes[-1]
    if rep.schema == "blinddrill.events/1":
        rep.chained = False
        rep.final_hash = None
        _check_seq_only(recs, rep)
        return rep
    where = {h: i for i, h in enumerate(hashes)}
    for i, r in enumerate(recs):
        want = GENESIS if i == 0 else hashes[i - 1]
        if r.get("prev") == want:
            continue
        seq = r.get("seq")
        prev_seq = recs[i - 1].get("seq") if i else -1
        name = f"record seq {seq} (line {i + 1})"
        moved = where.get(str(r.get("prev")))
        if isinstance(seq, int) and isinstance(prev_seq, int) and seq < prev_seq:
            rep.problems.append(f"{name}: reordered - it comes after seq {prev_seq}")
        elif moved is not None and moved != i - 1:
            rep.problems.append(f"{name}: reordered - it belongs after the record on line "
                                f"{moved + 1} (seq {recs[moved].get('seq')})")
        elif isinstance(seq, int) and isinstance(prev_seq, int) and seq > prev_seq + 1:
            gone = (f"seq {prev_seq + 1}" if seq == prev_seq + 2
                    else f"seq {prev_seq + 1}..{seq - 1}")
            rep.problems.append(f"record {gone} removed (missing before line {i + 1})")
        elif i == 0:
            rep.problems.append(f"{name}: the first record was edited or records before it "
                                "were removed")
        else:
            rep.problems.append(f"record seq {prev_seq} (line {i}): edited after it was "
                                "written (its hash no longer matches the next record's prev)")
    if expect_final is not None and expect_final != rep.final_hash:
        last = recs[-1].get("seq")
        if expect_final in where:
            k = where[expect_final]
            rep.problems.append(f"records after seq {recs[k].get('seq')} (line {k + 1}) are "
                                "not part of the sealed log (appended later or reordered)")
        else:
            rep.problems.append(f"record seq {last} (line {len(lines)}): the last record was "
                                "edited or the log was cut short (the final hash does not "
                                "match)")
    return rep


def _check_seq_only(recs: list[dict[str, Any]], rep: ChainReport) -> None:
    for i, r in enumerate(recs):
        if r.get("seq") != i:
            rep.problems.append(f"line {i + 1}: seq {r.get('seq')} where {i} was expected "
                                "(a record removed, inserted or moved)")
            return


def read_lines(path: str | Path) -> list[bytes]:
    """A log file's record lines, exact bytes (blank lines skipped)."""
    with open(path, "rb") as fh:
        return [ln.rstrip(b"\n") for ln in fh if ln.strip()]


def verify_log(path: str | Path, expect_final: str | None = None) -> ChainReport:
    """Check the hash chain of a JSONL log file (see :func:`verify_lines`)."""
    return verify_lines(read_lines(path), str(path), expect_final)
