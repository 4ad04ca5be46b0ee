"""Dispatch policies: which available units a duty desk sends to a requirement.

A policy sees only what a real desk would: the candidate units it commands (capable, available,
in scope), their road ETAs to the scene from where they are now, and how many units are wanted. The
default, :class:`NearestEta`, sends the nearest capable available units by ETA; escalation
township → county → city and mutual aid are handled by the engine, which calls the policy once
per level with that level's scope.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.intp]
FloatArray = npt.NDArray[np.float64]


class DispatchPolicy(Protocol):
    """Chooses units for one requirement at one level."""

    def choose(self, candidates: IntArray, eta: FloatArray, wanted: int) -> list[int]:
        """Up to ``wanted`` unit indices from ``candidates`` (capable, available, in scope, in
        region order); ``eta[k]`` is candidate ``k``'s road minutes (``inf`` = unreachable)."""
        ...


class NearestEta:
    """Nearest capable available units by ETA; ties broken by unit order in the region."""

    def choose(self, candidates: IntArray, eta: FloatArray, wanted: int) -> list[int]:
        """The ``wanted`` reachable candidates with the smallest ETA, nearest first."""
        if wanted <= 0 or candidates.size == 0:
            return []
        if wanted == 1:
            k = int(np.argmin(eta))
            return [int(candidates[k])] if np.isfinite(eta[k]) else []
        order = np.argsort(eta, kind="stable")[:wanted]
        return [int(candidates[k]) for k in order if np.isfinite(eta[k])]


POLICIES: dict[str, type[NearestEta]] = {"nearest_eta": NearestEta}


def make_policy(name: str) -> DispatchPolicy:
    """The policy registered under ``name`` (see ``dispatch.policy`` in the parameters)."""
    return POLICIES[name]()
