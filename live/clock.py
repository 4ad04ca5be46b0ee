"""The drill clock: drill time from the stored start and pauses, and the secret real start.

Drill time (minutes, the log's ``t``) = wall time since the start − the time spent on hold.
It is *derived*, never kept in memory: the start and every hold (a ``pauses`` row with its
start and, once resumed, its end) are rows of the store, so a restarted service, another
process or the CLI computes the same drill time. An inject planned at drill time 30 is due
when drill time reaches 30 — after a 10-minute hold that is 40 wall minutes after the start,
and releasing it then logs it at t = 30, not late by the hold.

The wall clock is a plug-in: :class:`SystemClock` in production, :class:`ManualClock` in
tests (advanced by hand, so pause/resume timing is checked exactly).

:func:`draw_real_start` draws the real start inside the plan's window with the operating system's
randomness (not the scenario's seed: a seed shared with the scenario would let anyone holding
it recompute the start). Only the director reads it.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

import numpy as np

from scenarios.draw import draw_start
from scenarios.plan import Window


class Clock(Protocol):
    """A source of wall time in seconds since the epoch."""

    def now(self) -> float:
        """The current wall time (seconds since the epoch)."""
        ...


class SystemClock:
    """The machine's wall clock."""

    def now(self) -> float:
        """``time.time()``."""
        return time.time()


class ManualClock:
    """A wall clock moved by hand (tests, replays). Thread-safe."""

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self._t = float(start)
        self._lock = threading.Lock()

    def now(self) -> float:
        """The current manual time."""
        with self._lock:
            return self._t

    def advance(self, seconds: float) -> float:
        """Move the clock forward by ``seconds`` (>= 0); return the new time."""
        if seconds < 0:
            raise ValueError("a clock never goes back")
        with self._lock:
            self._t += seconds
            return self._t


@dataclass(frozen=True)
class Pause:
    """One hold: from ``start`` to ``end`` (wall seconds; ``end`` None while it lasts)."""

    start: float
    end: float | None


def drill_minutes(started: float | None, pauses: Sequence[Pause], now: float,
                  ended: float | None = None) -> float:
    """Drill time in minutes at wall time ``now``: wall time since ``started`` minus the
    holds (an open hold counts up to ``now``); frozen at ``ended`` once the drill ended.
    0 before the start."""
    if started is None:
        return 0.0
    stop = min(now, ended) if ended is not None else now
    held = 0.0
    for p in pauses:
        a = max(p.start, started)
        b = stop if p.end is None else min(p.end, stop)
        if b > a:
            held += b - a
    return max(0.0, (stop - started - held) / 60.0)


def wall_at(started: float, pauses: Sequence[Pause], t_min: float) -> float:
    """The wall time at which drill time reaches ``t_min`` given the holds so far (closed
    ones; an open hold means "not yet": the result assumes it ends now — callers compare
    drill times instead where they can)."""
    wall = started + t_min * 60.0
    for p in sorted(pauses, key=lambda q: q.start):
        if p.start < wall:
            wall += (p.end if p.end is not None else wall) - p.start
    return wall


def draw_real_start(window: Window) -> datetime:
    """The real start, drawn like the generator draws a scenario's start (uniform over the
    window's allowed minutes, :func:`scenarios.draw.draw_start`) but from fresh OS entropy,
    never from the scenario's seed."""
    rng = np.random.default_rng(secrets.randbits(128))
    return draw_start(window, rng)
