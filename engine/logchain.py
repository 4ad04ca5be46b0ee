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
    or a cut-off tail is caught too; a log with no chain at all (no ``prev`` keys) cannot
    match a final hash, so with ``expect_final`` it is a problem, not an unchained /1 log.
    A line that is not a JSON record is named as such, and only it: the break it makes in
    the next record's ``prev`` is not blamed on a neighbour.
    """
    rep = ChainReport(source=source, records=len(lines))
    if not lines:
        rep.final_hash = GENESIS
        if expect_final is not None and expect_final != GENESIS:
            rep.problems.append("the log is empty, but records were expected")
        return rep
    recs: list[dict[str, Any] | None] = []  # None: the line is not a JSON record
    for i, ln in enumerate(lines, start=1):
        try:
            r = orjson.loads(ln)
            if not isinstance(r, dict):
                raise TypeError
        except (orjson.JSONDecodeError, TypeError):
            rep.problems.append(f"line {i}: not a JSON record (edited or truncated)")
            r = None
        recs.append(r)
    first = next((r for r in recs if r is not None), {})
    rep.schema = schema_of(first)
    if rep.schema not in KNOWN_SCHEMAS:
        rep.problems.append(f"line 1: unknown log schema '{rep.schema}'")
        return rep
    hashes = [line_hash(ln) for ln in lines]
    rep.final_hash = hashes[-1]
    if rep.schema == "blinddrill.events/1":
        rep.chained = False
        rep.final_hash = None
        _check_seq_only(recs, rep)
        if expect_final is not None:
            # a final hash was sealed, so the log had a chain: its ``prev`` keys were removed
            rep.problems.append(no_chain_problem(expect_final))
        return rep
    where = {h: i for i, h in enumerate(hashes)}
    for i, r in enumerate(recs):
        if r is None or (i and recs[i - 1] is None):
            # an unparseable line is named above; the next record's prev cannot match the
            # hash of that damaged line, which says nothing more about the next record
            continue
        want = GENESIS if i == 0 else hashes[i - 1]
        if r.get("prev") == want:
            continue
        seq = r.get("seq")
        before = recs[i - 1] if i else None
        prev_seq = before.get("seq") if before is not None else -1
        name = _name(r, i + 1)
        moved = where.get(str(r.get("prev")))
        if isinstance(seq, int) and isinstance(prev_seq, int) and seq < prev_seq:
            rep.problems.append(f"{name}: reordered - it comes after seq {prev_seq}")
        elif moved is not None and moved != i - 1:
            rep.problems.append(f"{name}: reordered - it belongs after the record on line "
                                f"{moved + 1}{_seq_of(recs[moved])}")
        elif isinstance(seq, int) and isinstance(prev_seq, int) and seq > prev_seq + 1:
            gone = (f"seq {prev_seq + 1}" if seq == prev_seq + 2
                    else f"seq {prev_seq + 1}..{seq - 1}")
            rep.problems.append(f"record {gone} removed (missing before line {i + 1})")
        elif i == 0:
            rep.problems.append(f"{name}: the first record was edited or records before it "
                                "were removed")
        else:
            rep.problems.append(f"{_name(before, i)}: edited after it was written (its hash "
                                "no longer matches the next record's prev)")
    if expect_final is not None and expect_final != rep.final_hash:
        if expect_final in where:
            k = where[expect_final]
            rep.problems.append(f"records after {_name(recs[k], k + 1, 'seq')} are not part "
                                "of the sealed log (appended later or reordered)")
        else:
            rep.problems.append(f"{_name(recs[-1], len(lines))}: the last record was edited or "
                                "the log was cut short (the final hash does not match)")
    return rep


def no_chain_problem(expect_final: str) -> str:
    """The problem of a log with no hash chain checked against a final hash: a sealed log had
    a chain, so its ``prev`` keys were removed and no edit can be ruled out."""
    return (f"the log has no hash chain (no record has a prev key), but its final hash is "
            f"known ({expect_final}): the chain was removed, so an edit cannot be ruled out")


def no_chain_warning(source: str, records: int, schema: str | None) -> str:
    """What ``verify`` and ``checklog`` say of a log with no hash chain and no final hash to
    hold it to: in order, but not verified."""
    return (f"WARNING {source}: {records} records in order, but NOT verified: no hash chain "
            f"({schema} log, written before hash chains; an edit cannot be detected)")


def _name(rec: dict[str, Any] | None, lineno: int, word: str = "record seq") -> str:
    """How a problem names a record: ``record seq 7 (line 8)`` (``word`` then the seq), or just
    ``line 8`` when the line holds no record or no integer ``seq`` (never a Python ``None``)."""
    seq = rec.get("seq") if rec is not None else None
    if isinstance(seq, int) and not isinstance(seq, bool):
        return f"{word} {seq} (line {lineno})"
    return f"line {lineno}"


def _seq_of(rec: dict[str, Any] | None) -> str:
    """`` (seq 7)`` of a record with an integer seq, else nothing."""
    seq = rec.get("seq") if rec is not None else None
    return f" (seq {seq})" if isinstance(seq, int) and not isinstance(seq, bool) else ""


def _check_seq_only(recs: list[dict[str, Any] | None], rep: ChainReport) -> None:
    for i, r in enumerate(recs):
        if r is None:
            continue  # named as not a JSON record
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
