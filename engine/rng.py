"""Per-run random streams: one ``numpy.random.Generator`` per purpose, from one seed.

Streams are children of ``SeedSequence(seed)`` in the fixed order of :data:`PURPOSES`, so a
draw for one purpose (say, report delays) never shifts the draws of another (travel), and the
same seed gives the same numbers in any process. New purposes are only ever appended.
"""

from __future__ import annotations

import numpy as np

PURPOSES: tuple[str, ...] = (
    "alarm",  # taking alarms
    "dispatch",  # escalation delays
    "turnout",  # unit mobilisation
    "travel",  # road-time noise
    "work",  # on-scene productivity / work time
    "report",  # report delays and errors
    "post",  # command-post activation and video
    "command",  # commander designation and handover
    "supplies",  # supply requests and deliveries
    "waking",  # night wake-up calls (叫应叫醒) and the rest of a team's turn-out
    "receipt",  # alarms phoned upward on receipt (接报即报)
    "officers",  # information officers' first actions, expert consultations
    "warning",  # warnings relayed to villages (预警叫应), patrols of hazard points (巡查)
    "damage",  # information officers' damage reports (灾情报告)
)


class Draws:
    """Buffered draws from one purpose's generator: standard normals and uniforms [0, 1) are
    drawn in blocks of ``block`` (one numpy call each) and handed out one by one.

    The sequence depends only on the generator's seed and the order of the calls, so runs stay
    reproducible; it is not the sequence of scalar ``Generator`` calls.
    """

    __slots__ = ("gen", "block", "_z", "_u")

    def __init__(self, gen: np.random.Generator, block: int = 256) -> None:
        self.gen, self.block = gen, block
        self._z: list[float] = []
        self._u: list[float] = []

    def normal(self) -> float:
        """One standard normal draw."""
        z = self._z
        if not z:
            z.extend(self.gen.standard_normal(self.block).tolist())
        return z.pop()

    def uniform(self) -> float:
        """One uniform draw on [0, 1)."""
        u = self._u
        if not u:
            u.extend(self.gen.random(self.block).tolist())
        return u.pop()


class Streams:
    """Named generators for one run; ``streams.get('travel')`` or ``streams['travel']``."""

    def __init__(self, seed: int) -> None:
        children = np.random.SeedSequence(seed).spawn(len(PURPOSES))
        self._gens = {p: np.random.default_rng(c) for p, c in zip(PURPOSES, children, strict=True)}
        self._draws: dict[str, Draws] = {}

    def __getitem__(self, purpose: str) -> np.random.Generator:
        return self._gens[purpose]

    def draws(self, purpose: str) -> Draws:
        """Buffered draws (:class:`Draws`) from ``purpose``'s generator (one per purpose)."""
        got = self._draws.get(purpose)
        if got is None:
            got = self._draws[purpose] = Draws(self._gens[purpose])
        return got
