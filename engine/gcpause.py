"""The cyclic garbage collector paused for log-sized work (one helper for every layer).

The engine pauses it for a run (:func:`engine.simulation.simulate`), the scorer for scoring
(:func:`evaluators.score.score_records`) and the commands for their whole length.

``simulate``, ``score`` and ``report`` hold a whole event log in memory as plain dicts (a
10,000-incident drill: ~190,000 records) and allocate little garbage that only the cyclic
collector could free. With the collector running, every generation-2 collection rescans all of
those records: measured, reading and checking a 188,000-record log took ~1.7x as long with it
on. The commands pause it for their whole length (loading, checking, writing), and restores it after, so a caller running commands
in-process (the tests' ``CliRunner``) keeps its collector.

At the end of such a command the log is no longer needed, but freeing it is not free: the
~1 million objects of a 10,000-incident drill's records took ~0.2 s to deallocate, and the
interpreter's teardown another ~0.06 s (measured in ``score``). A one-shot process (the ``blinddrill`` entry point,
never the console or the tests) declares itself with :func:`one_shot_process`; the log-sized
code then hands its large data to :func:`keep_until_exit`, and the entry point ends with
:func:`exit_without_teardown` once every output is written and flushed -- the operating system
reclaims the memory at once (the same idea as clang's ``-disable-free``). Anywhere else
:func:`keep_until_exit` does nothing and the data is freed as usual.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import NoReturn

# the large data of a one-shot process, kept so that it is never deallocated (None: this
# process frees as usual, e.g. the console's server or the tests)
_kept: list[object] | None = None


@contextmanager
def paused_gc() -> Iterator[None]:
    """Disable the cyclic collector inside the block; re-enable it after if it was on."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def freeze_for_exit() -> None:
    """For a process about to exit: move every live object to the collector's permanent
    generation, so the interpreter's last collection does not rescan them (after a command
    that held a 190,000-record log, that collection took ~0.5 s). Only for a process's
    entry point, never for library code: frozen objects are never collected."""
    gc.freeze()


def one_shot_process() -> None:
    """Declare this process a one-shot command that ends with :func:`exit_without_teardown`:
    from now on :func:`keep_until_exit` keeps what it is given. Only for an entry point."""
    global _kept
    if _kept is None:
        _kept = []


def keep_until_exit(*objs: object) -> None:
    """In a one-shot process, keep ``objs`` alive until the process exits, so their memory
    is reclaimed by the operating system instead of being freed object by object; elsewhere
    (no :func:`one_shot_process`), do nothing."""
    if _kept is not None:
        _kept.extend(objs)


def exit_without_teardown(code: int) -> NoReturn:
    """End a one-shot process now with ``code``: flush stdout and stderr, then leave without
    the interpreter's teardown (no deallocation of what is alive, no atexit handlers), so
    the caller must have closed its files and stopped its child processes. A flush that
    fails (a closed pipe) exits 120, as the interpreter would."""
    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        code = code or 120
    with suppress(OSError, ValueError):
        sys.stderr.flush()
    os._exit(code)
