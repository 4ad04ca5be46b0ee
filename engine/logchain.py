"""The event log's hash chain: each record's ``prev`` is the hash of the line before, so an edited,
removed, inserted or reordered record is found and named (:func:`verify_log`).

Part of the log contract of :mod:`engine.eventlog` (which chains records as it writes them).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from engine.eventschema import EVENT_LOG_SCHEMA, KNOWN_SCHEMAS, encode_record, schema_of

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
