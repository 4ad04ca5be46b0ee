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
)


class Streams:
    """Named generators for one run; ``streams.get('travel')`` or ``streams['travel']``."""

    def __init__(self, seed: int) -> None:
        children = np.random.SeedSequence(seed).spawn(len(PURPOSES))
        self._gens = {p: np.random.default_rng(c) for p, c in zip(PURPOSES, children, strict=True)}

    def __getitem__(self, purpose: str) -> np.random.Generator:
        return self._gens[purpose]
