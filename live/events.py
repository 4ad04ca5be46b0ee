"""The drill's event log in the store: the SQLite sink beside the JSONL one.

Each record is one ``events`` row holding the record's exact JSONL line (``line``) and its
hash; ``seq`` and ``prev`` are assigned *inside* the writer's transaction (``BEGIN
IMMEDIATE``), from the drill's head (``drills.n_events`` and ``drills.head_hash``, updated in
the same transaction), so concurrent writers — threads or processes — never take the same
``seq`` and the chain never forks. The records are built and validated by
:mod:`engine.eventlog` (same schema, same bytes, same hash chain as a simulated log), so an
exported live log is scored, reported and verified like a simulated one.

An umpire action carries a client-generated ``action_id``: ``UNIQUE (drill, action_id)`` and
``INSERT OR IGNORE`` make a double tap or a retry record once; the second call gets the first
call's record back with ``created=False``.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

import orjson

from engine.eventlog import (
    GENESIS,
    ChainReport,
    LogOrderError,
    check_record,
    encode_record,
    line_hash,
    verify_lines,
)

_ID_FIELDS = ("incident", "unit", "inject", "depot", "post")


@dataclass(frozen=True)
class Appended:
    """The outcome of an append: the record as stored and whether this call created it."""

    record: dict[str, Any]
    created: bool


def append_event(
    conn: sqlite3.Connection, drill: str, kind: str, t: float, *, wall: float,
    ids: dict[str, str | None] | None = None, source: str = "umpire",
    data: dict[str, Any] | None = None, author: str | None = None, device: str | None = None,
    action_id: str | None = None, clamp: bool = True,
) -> Appended:
    """Append one record to ``drill``'s log. Call it inside :func:`live.store.write`.

    The record is validated like the reader does (:func:`engine.eventlog.check_record`,
    raising :class:`engine.eventlog.EventLogError`). ``t`` below the last record's time (a
    wall clock stepped back, or two writers' clocks a few microseconds apart) is stamped with
    the last time, so times never decrease; with ``clamp=False`` it raises
    :class:`engine.eventlog.LogOrderError` instead. With an ``action_id`` already recorded for
    this drill nothing is written and the stored record is returned (``created=False``).
    """
    if action_id is not None:
        old = conn.execute("SELECT line FROM events WHERE drill = ? AND action_id = ?",
                           (drill, action_id)).fetchone()
        if old is not None:
            return Appended(orjson.loads(old[0]), False)
    head = conn.execute("SELECT n_events, head_hash FROM drills WHERE id = ?",
                        (drill,)).fetchone()
    if head is None:
        raise KeyError(f"no drill '{drill}'")
    seq, prev = int(head[0]), head[1] or GENESIS
    last = conn.execute("SELECT t FROM events WHERE drill = ? AND seq = ?",
                        (drill, seq - 1)).fetchone()
    t = round(float(t), 6)
    if last is not None and t < float(last[0]):
        if not clamp:
            raise LogOrderError(f"event '{kind}' at t={t} precedes the last event at "
                                f"t={last[0]}")
        t = float(last[0])
    ids = ids or {}
    rec: dict[str, Any] = {"seq": seq, "t": t, "kind": kind}
    for f in _ID_FIELDS:
        rec[f] = ids.get(f)
    rec["source"] = source
    rec["data"] = dict(data or {})
    rec["prev"] = prev
    check_record(rec, f"{kind} record")
    line = encode_record(rec).rstrip(b"\n")
    h = line_hash(line)
    cur = conn.execute(
        "INSERT OR IGNORE INTO events(drill, seq, t, kind, source, author, device, action_id, "
        "wall, line, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (drill, seq, t, kind, source, author, device, action_id, wall, line, h))
    if cur.rowcount == 0:  # only possible for a duplicate action id (seq is ours: we hold the lock)
        old = conn.execute("SELECT line FROM events WHERE drill = ? AND action_id = ?",
                           (drill, action_id)).fetchone()
        return Appended(orjson.loads(old[0]), False)
    conn.execute("UPDATE drills SET n_events = ?, head_hash = ? WHERE id = ?",
                 (seq + 1, h, drill))
    return Appended(rec, True)


def last_t(conn: sqlite3.Connection, drill: str) -> float:
    """The time of the drill's last record (0 for an empty log)."""
    row = conn.execute("SELECT max(t) FROM events WHERE drill = ?", (drill,)).fetchone()
    return float(row[0]) if row and row[0] is not None else 0.0


def read_lines(conn: sqlite3.Connection, drill: str, after: int = -1) -> list[bytes]:
    """The drill's record lines (exact bytes), in ``seq`` order, from ``after + 1`` on."""
    return [bytes(r[0]) for r in conn.execute(
        "SELECT line FROM events WHERE drill = ? AND seq > ? ORDER BY seq", (drill, after))]


def read_records(conn: sqlite3.Connection, drill: str, after: int = -1) -> list[dict[str, Any]]:
    """The drill's records as plain dicts (as :func:`engine.eventlog.read_records` gives)."""
    return [orjson.loads(ln) for ln in read_lines(conn, drill, after)]


def verify_drill(conn: sqlite3.Connection, drill: str) -> ChainReport:
    """Check a drill's stored log: the hash chain over the stored lines (naming an edited,
    removed or reordered record), each row's ``seq``/``hash`` columns against its line, and
    the drill's head (count and final hash) against the last record."""
    rows = conn.execute("SELECT seq, line, hash FROM events WHERE drill = ? ORDER BY seq",
                        (drill,)).fetchall()
    head = conn.execute("SELECT n_events, head_hash FROM drills WHERE id = ?",
                        (drill,)).fetchone()
    if head is None:
        raise KeyError(f"no drill '{drill}'")
    lines = [bytes(r["line"]) for r in rows]
    rep = verify_lines(lines, f"drill {drill}", expect_final=head["head_hash"] or GENESIS)
    for r, ln in zip(rows, lines, strict=True):
        try:
            inner = orjson.loads(ln).get("seq")
        except (orjson.JSONDecodeError, AttributeError):
            inner = None
        if inner != r["seq"]:
            rep.problems.append(f"row seq {r['seq']}: its record says seq {inner} (moved)")
        elif line_hash(ln) != r["hash"]:
            rep.problems.append(f"record seq {r['seq']}: edited after it was written (its "
                                "stored hash does not match its bytes)")
    if int(head["n_events"]) != len(rows):
        rep.problems.append(f"the drill recorded {head['n_events']} events, {len(rows)} are "
                            "stored (records removed)")
    return rep
