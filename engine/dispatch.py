"""Dispatch policies: which available units a duty desk sends to a requirement.

A policy sees only what a real desk would: the candidate units it commands (a boolean mask),
their road ETAs to the scene from where they are now, and how many units are wanted. The
default, :class:`NearestEta`, sends the nearest capable available units by ETA; escalation
township → county → city and mutual aid are handled by the engine, which calls the policy once
per level with that level's scope.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np
import numpy.typing as npt

BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]


class DispatchPolicy(Protocol):
    """Chooses units for one requirement at one level."""

    def choose(self, candidates: BoolArray, eta: FloatArray, wanted: int) -> list[int]:
        """Indices of up to ``wanted`` units among ``candidates`` (True = capable, available,
        in scope); ``eta`` holds every unit's road minutes (``inf`` = unreachable)."""
        ...


class NearestEta:
    """Nearest capable available units by ETA; ties broken by unit order in the region."""

    def choose(self, candidates: BoolArray, eta: FloatArray, wanted: int) -> list[int]:
        """The ``wanted`` reachable candidates with the smallest ETA, nearest first."""
        idx = np.flatnonzero(candidates & np.isfinite(eta))
        if idx.size == 0 or wanted <= 0:
            return []
        order = np.argsort(eta[idx], kind="stable")[:wanted]
        return [int(i) for i in idx[order]]


POLICIES: dict[str, type[NearestEta]] = {"nearest_eta": NearestEta}


def make_policy(name: str) -> DispatchPolicy:
    """The policy registered under ``name`` (see ``dispatch.policy`` in the parameters)."""
    return POLICIES[name]()
