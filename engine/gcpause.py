"""The cyclic garbage collector paused for log-sized work (one helper for every layer).

The engine pauses it for a run (:func:`engine.simulation.simulate`), the scorer for scoring
(:func:`evaluators.score.score_records`) and the commands for their whole length.

``simulate``, ``score`` and ``report`` hold a whole event log in memory as plain dicts (a
10,000-incident drill: ~190,000 records) and allocate little garbage that only the cyclic
collector could free. With the collector running, every generation-2 collection rescans all of
those records: measured, reading and checking a 188,000-record log took ~1.7x as long with it
on. The commands pause it for their whole length (loading, checking, writing), and restores it after, so a caller running commands
in-process (the tests' ``CliRunner``) keeps its collector.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


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
