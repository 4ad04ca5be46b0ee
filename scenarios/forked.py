"""A check run on a second core: :class:`ForkedCheck` computes a verdict in a forked child.

Some checks of an input need nothing but the bytes already in memory and take as long as the
work that follows them (a sealed scenario's commitment, an event log's line-by-line check), while
that work needs their verdict only before anything is written or shown. A forked child computes
the verdict meanwhile and sends it back as JSON through a pipe; :meth:`ForkedCheck.result`
waits for it. A child that dies or sends nothing is replaced by the same check in this process,
so a verdict is never skipped; :meth:`ForkedCheck.stop` ends a child whose verdict is no longer
wanted (an interrupt), so none is left behind.

Forking is used only where it is safe (:func:`can_fork`: Linux, one thread running, i.e. a
command-line run); callers check first, in this process, anywhere else.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable
from contextlib import suppress
from typing import Any

import orjson


def can_fork() -> bool:
    """Whether a check may run in a forked child here: Linux, one thread running."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


class ForkedCheck:
    """``check()`` (returning JSON-serialisable data) run in a forked child."""

    def __init__(self, check: Callable[[], Any]) -> None:
        self.check = check
        self.done = False
        rfd, wfd = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: check, send the verdict, leave without any cleanup
            code = 1
            try:
                os.close(rfd)
                msg = orjson.dumps(check())
                with os.fdopen(wfd, "wb") as out:
                    out.write(msg)
                code = 0
            finally:
                os._exit(code)
        os.close(wfd)
        self.pid, self.rfd = pid, rfd

    def result(self) -> Any:
        """The check's result (waits for the child; computed here if the child died)."""
        if self.done:
            raise RuntimeError("the result of a forked check was already taken")
        with os.fdopen(self.rfd, "rb") as inp:
            msg = inp.read()
        self.done = True
        _, status = os.waitpid(self.pid, 0)
        if status == 0:
            try:
                return orjson.loads(msg)
            except orjson.JSONDecodeError:
                pass
        return orjson.loads(orjson.dumps(self.check()))  # the same JSON form as the child's

    def stop(self) -> None:
        """End the child if its result was not taken (no orphan is left)."""
        if self.done:
            return
        self.done = True
        with suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        os.close(self.rfd)
