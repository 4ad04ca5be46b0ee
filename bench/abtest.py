"""Interleaved timing: A, B (, C …) alternate in one process, the order rotating every round,
with the garbage collector treated the same for every side. Report min and median.

Blocks of runs (all A, then all B) let the machine's load drift between the sides — on a shared
2-core box that alone moved ratios by 2×. Interleaving and rotating puts each side through the
same conditions; the minimum is the least-disturbed run, the median the typical one.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass
class Timing:
    """The runs of one side, in seconds."""

    runs: list[float]

    @property
    def min(self) -> float:
        """Fastest run."""
        return min(self.runs)

    @property
    def median(self) -> float:
        """Median run."""
        return statistics.median(self.runs)

    def fmt(self, scale: float = 1.0, unit: str = "s") -> str:
        """``min X, median Y unit (n runs)``."""
        return (f"min {self.min * scale:.3f} {unit}, median {self.median * scale:.3f} {unit} "
                f"({len(self.runs)} runs)")


def interleaved(sides: dict[str, Callable[[], Any]], rounds: int,
                gc_enabled: bool = False) -> tuple[dict[str, Timing], dict[str, Any]]:
    """Time every side ``rounds`` times, rotating the order each round. Before each run a full
    collection; during each run the collector is off (``gc_enabled=False``) or on, for every
    side alike. Returns the timings and each side's last result."""
    names = list(sides)
    runs: dict[str, list[float]] = {n: [] for n in names}
    last: dict[str, Any] = {}
    was = gc.isenabled()
    try:
        for r in range(rounds):
            order = names[r % len(names):] + names[:r % len(names)]
            for n in order:
                last.pop(n, None)  # the previous result is freed here, outside the timer
                gc.collect()
                if gc_enabled:
                    gc.enable()
                else:
                    gc.disable()
                t = time.perf_counter()
                res = sides[n]()
                runs[n].append(time.perf_counter() - t)
                last[n] = res
    finally:
        if was:
            gc.enable()
        else:
            gc.disable()
    return {n: Timing(v) for n, v in runs.items()}, last


def ratio(a: Timing, b: Timing) -> str:
    """``a/b`` of the minima and of the medians."""
    return f"{a.min / b.min:.2f}x (min), {a.median / b.median:.2f}x (median)"
