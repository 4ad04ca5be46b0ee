"""Scoring a large log while a second core checks it: :func:`checked_records`.

Checking a log (:func:`engine.logcheck.check_log`: every line parsed, typed, ordered, its
references and its hash chain verified) is a Python pass over every line: ~1 s for a
10,000-incident drill's 188,000 records, as long as scoring them. The two need each other only
at the end: the scorecard may be shown only if the log is valid. So for a large log, where it is
safe, the check runs in a forked child process on the bytes already read while this process
parses the same bytes and does the caller's work with the records; at the end of the ``with``
block the child's verdict decides: a log with a problem raises
:class:`engine.logcheck.LogError` (the same problems, the same order as the sequential check),
whatever the block computed or raised meanwhile. Nothing reaches the user before the verdict:
the block must only compute (the callers score; they write and print after it).

The child is a :class:`scenarios.forked.ForkedCheck`. Safe means: Linux (``fork``), a process running one thread (a command-line run; the console's
Streamlit server has many and checks first), and a log of at least
:data:`OVERLAP_MIN_BYTES` (below that the fork costs more than it saves, e.g. a batch's
replications). Anywhere else the log is checked first, then the block runs. A child that dies
or says nothing is replaced by the check in this process: the verdict is never skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson

from engine.logcheck import LogError, check_bytes, read_checked
from scenarios import forked
from scenarios.forked import ForkedCheck

#: logs smaller than this (~25,000 records) are checked before the block runs
OVERLAP_MIN_BYTES = 8_000_000


@contextmanager
def checked_records(path: str | Path, *, region: Any = None, scenario: Any = None,
                    expect_final: str | None = None, overlap: bool | None = None
                    ) -> Iterator[list[dict[str, Any]]]:
    """The records of the log at ``path``, verified by the end of the ``with`` block.

    ``expect_final``: the log's final hash as recorded (a run's ``inputs/run.json``); the
    check then also refuses a log whose last record was edited or whose end was cut off (the
    hash of the last line, which the chain check computes anyway: no extra hashing).
    ``overlap``: None decides by size and platform (see the module), False checks first,
    True overlaps whenever forking is safe (tests)."""
    p = Path(path)
    size = p.stat().st_size if p.is_file() else 0
    if overlap is False or not forked.can_fork() or (overlap is None and size < OVERLAP_MIN_BYTES):
        yield read_checked(p, region=region, scenario=scenario, expect_final=expect_final)
        return
    raw = p.read_bytes()
    child = _check(raw, str(p), region, scenario, expect_final)
    try:
        try:
            records = _parse(raw)
        except ValueError:  # a line that does not parse: the check says which and why
            records = None
        if records is None:  # a line that is not a JSON object: the check names it
            _verdict(child)
            raise LogError(str(p), [f"{p}: a line is not a JSON object"])  # (the check did)
        try:
            yield records
        except BaseException:
            _verdict(child)  # a bad log explains a failure in the block better than its error
            raise
        _verdict(child)
    finally:
        child.stop()


def _parse(raw: bytes) -> list[dict[str, Any]] | None:
    """Every line's record, or None if one is not a JSON object (the check then explains)."""
    lines = raw.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    records = list(map(orjson.loads, lines))
    return records if all(type(r) is dict for r in records) else None


def _verdict(check: ForkedCheck) -> None:
    """Raise the forked check's :class:`LogError`, if the log has problems."""
    got = check.result()
    if got["problems"]:
        raise LogError(got["name"], got["problems"], truncated=got["truncated"]) from None


def _check(raw: bytes, name: str, region: Any, scenario: Any,
           expect_final: str | None) -> ForkedCheck:
    def run() -> dict[str, Any]:
        res = check_bytes(raw, name, region=region, scenario=scenario,
                          expect_final=expect_final)
        return {"name": name, "problems": res.messages(), "truncated": res.truncated}

    return ForkedCheck(run)
