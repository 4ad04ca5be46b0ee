"""Umpire corrections: a ``record_corrected`` record withdraws the umpire record it names.

The log is never edited (it is hash-chained): an umpire who tapped the wrong button records a
``record_corrected`` naming the wrong record's ``seq`` (and, if needed, the right action as a
new record). Scoring reads the log *as corrected*: the named umpire record is left out, the
correction itself stays in the log for the record. Only umpire records can be withdrawn, and
only by a correction made at or before the censoring time.
"""

from __future__ import annotations

from typing import Any


def corrected_seqs(records: list[dict[str, Any]], as_of: float | None = None) -> set[int]:
    """The ``seq`` numbers of the umpire records withdrawn by corrections (up to ``as_of``)."""
    out: set[int] = set()
    for r in records:
        if r.get("kind") != "record_corrected":
            continue
        if as_of is not None and r.get("t", 0.0) > as_of + 1e-9:
            continue
        data = r.get("data")
        seq = data.get("corrects") if isinstance(data, dict) else None
        if isinstance(seq, int) and not isinstance(seq, bool):
            out.add(seq)
    if not out:
        return out
    return {r["seq"] for r in records if r.get("seq") in out and r.get("source") == "umpire"}


def apply_corrections(records: list[dict[str, Any]],
                      as_of: float | None = None) -> list[dict[str, Any]]:
    """``records`` without the umpire records that a correction withdrew (the same list object
    when nothing was corrected, so a simulated log costs one pass)."""
    gone = corrected_seqs(records, as_of)
    if not gone:
        return records
    return [r for r in records if r.get("seq") not in gone]
