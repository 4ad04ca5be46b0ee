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

The full schema, with the meaning of every kind and key, is in ``docs/event-log.md``; the
record model lives in :mod:`engine.eventschema` and the hash chain in :mod:`engine.logchain`
(both re-exported here). Simulated and live drills use this same module, so the evaluators cannot tell them apart.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from engine.eventschema import (
    _ID_FIELDS,
    _OPT,
    EVENT_KINDS,
    EVENT_LOG_SCHEMA,
    KNOWN_SCHEMAS,
    REQUIRED_DATA,
    REQUIRED_IDS,
    Event,
    EventKind,
    EventLogError,
    Source,
    check_record,
    encode_record,
    schema_of,
)
from engine.logchain import (
    GENESIS,
    ChainReport,
    final_hash_of,
    line_hash,
    read_lines,
    record_hash,
    verify_lines,
    verify_log,
)


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


#: the record schema and the hash chain are re-exported: this module is the log's one entry point
__all__ = [
    "ChainReport", "EVENT_KINDS", "EVENT_LOG_SCHEMA", "Event", "EventKind", "EventLog",
    "EventLogError", "GENESIS", "KNOWN_SCHEMAS", "LogOrderError", "REQUIRED_DATA", "REQUIRED_IDS",
    "Source", "check_record", "encode_record", "final_hash_of", "line_hash", "read_events",
    "read_lines", "read_records", "record_hash", "schema_of", "verify_lines", "verify_log",
    "write_jsonl",
]
