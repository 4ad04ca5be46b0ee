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

Safe means: Linux (``fork``), a process running one thread (a command-line run; the console's
Streamlit server has many and checks first), and a log of at least
:data:`OVERLAP_MIN_BYTES` (below that the fork costs more than it saves, e.g. a batch's
replications). Anywhere else the log is checked first, then the block runs. A child that dies
or says nothing is replaced by the check in this process: the verdict is never skipped.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import orjson

from engine.logcheck import LogError, check_bytes, read_checked

#: logs smaller than this (~25,000 records) are checked before the block runs
OVERLAP_MIN_BYTES = 8_000_000


def can_fork() -> bool:
    """Whether a check may run in a forked child here: Linux, one thread running."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


@contextmanager
def checked_records(path: str | Path, *, region: Any = None, scenario: Any = None,
                    overlap: bool | None = None) -> Iterator[list[dict[str, Any]]]:
    """The records of the log at ``path``, verified by the end of the ``with`` block.

    ``overlap``: None decides by size and platform (see the module), False checks first,
    True overlaps whenever forking is safe (tests)."""
    p = Path(path)
    size = p.stat().st_size if p.is_file() else 0
    if overlap is False or not can_fork() or (overlap is None and size < OVERLAP_MIN_BYTES):
        yield read_checked(p, region=region, scenario=scenario)
        return
    raw = p.read_bytes()
    child = _Check(raw, str(p), region, scenario)
    try:
        try:
            records = _parse(raw)
        except ValueError:  # a line that does not parse: the check says which and why
            records = None
        if records is None:
            child.verdict()  # raises: such a log always has problems
            raise LogError(str(p), [f"{p}: not a drill log"])  # (never reached)
        try:
            yield records
        except BaseException:
            child.verdict()  # a bad log explains a failure in the block better than its error
            raise
        child.verdict()
    finally:
        child.stop()


def _parse(raw: bytes) -> list[dict[str, Any]] | None:
    """Every line's record, or None if one is not a JSON object (the check then explains)."""
    lines = raw.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    records = list(map(orjson.loads, lines))
    return records if all(type(r) is dict for r in records) else None


class _Check:
    """:func:`engine.logcheck.check_bytes` in a forked child; :meth:`verdict` raises its
    :class:`LogError` (or returns when the log is valid)."""

    def __init__(self, raw: bytes, name: str, region: Any, scenario: Any) -> None:
        self.raw, self.name, self.region, self.scenario = raw, name, region, scenario
        self.done = False
        rfd, wfd = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: check, send the verdict, leave without any cleanup
            code = 1
            try:
                os.close(rfd)
                res = check_bytes(raw, name, region=region, scenario=scenario)
                msg = orjson.dumps({"problems": res.messages(), "truncated": res.truncated})
                with os.fdopen(wfd, "wb") as out:
                    out.write(msg)
                code = 0
            finally:
                os._exit(code)
        os.close(wfd)
        self.pid, self.rfd = pid, rfd

    def verdict(self) -> None:
        """Wait for the child's verdict; raise :class:`LogError` if the log has problems."""
        if self.done:
            return
        with os.fdopen(self.rfd, "rb") as inp:
            msg = inp.read()
        self.done = True
        _, status = os.waitpid(self.pid, 0)
        try:
            got = orjson.loads(msg) if status == 0 else None
        except orjson.JSONDecodeError:
            got = None
        if got is None:  # the child died: check here (never skip the verdict)
            res = check_bytes(self.raw, self.name, region=self.region, scenario=self.scenario)
            got = {"problems": res.messages(), "truncated": res.truncated}
        if got["problems"]:
            raise LogError(self.name, got["problems"], truncated=got["truncated"]) from None

    def stop(self) -> None:
        """End the child if its verdict was not read (an interrupt): no orphan is left."""
        if self.done:
            return
        self.done = True
        with suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        os.close(self.rfd)
