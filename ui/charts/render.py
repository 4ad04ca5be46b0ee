"""Drawing a report's charts to PNG bytes, on forked worker processes when that is safe.

Matplotlib draws on one core, and a report's charts are independent of one another, so
:func:`render_pngs` shares them out over the machine's cores: each forked worker inherits the
already scored drill (no pickling of the log, the scorecard or the region), draws its charts and
sends back PNG bytes. The bytes are the same as drawn in-process (Agg is deterministic), in the
same order. Forking is used only where it is safe: on Linux, from a process running a single
thread (a command-line run). Anywhere else -- the console's Streamlit server runs many threads,
macOS and Windows spawn instead of forking -- the charts are drawn one after another here.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence

from matplotlib.figure import Figure

from scenarios import forked
from ui.charts.fonts import to_png

#: A chart to draw: returns its figure, or None when the drill has nothing for it.
Draw = Callable[[], Figure | None]

# The draws of the render in progress, read by the forked workers (set before the fork, so
# each child inherits them; nothing is sent to a worker but an index).
_PENDING: Sequence[Draw] = ()


def _render(i: int) -> bytes | None:
    fig = _PENDING[i]()
    return None if fig is None else to_png(fig)


def usable_cores() -> int:
    """Cores this process may run on (its CPU affinity where the OS reports one)."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity else (os.cpu_count() or 1)


def can_fork() -> bool:
    """Whether forking chart workers is safe here (:func:`scenarios.forked.can_fork`: Linux,
    one thread running) and multiprocessing can fork."""
    return forked.can_fork() and "fork" in multiprocessing.get_all_start_methods()


def render_pngs(draws: Sequence[Draw], workers: int | None = None) -> list[bytes | None]:
    """PNG bytes of each chart of ``draws`` (None where a draw gives no figure), in order.

    ``workers``: processes to draw on (None: every usable core; 1: in this process). More than
    one is used only when :func:`can_fork`."""
    n = min(usable_cores() if workers is None else workers, len(draws))
    if n <= 1 or not can_fork():
        return [_draw_here(d) for d in draws]
    global _PENDING
    _PENDING = draws
    try:
        with multiprocessing.get_context("fork").Pool(n) as pool:
            return pool.map(_render, range(len(draws)), chunksize=1)
    finally:
        _PENDING = ()


def _draw_here(draw: Draw) -> bytes | None:
    fig = draw()
    return None if fig is None else to_png(fig)
