"""Dispatch policies: which available units a duty desk sends to a requirement.

A policy sees only what a real desk would: the candidate units it commands (capable, available,
in scope), their road ETAs to the scene from where they are now, how many units are wanted, the
capability and the hazard site of the incident. Policies are plug-ins: pass one to
:func:`engine.simulation.simulate` (``policy=``) or name one in the behaviour parameters
(``dispatch.policy``). Escalation township → county → city, mutual aid and the waiting queue
are the engine's (:mod:`engine.dispatch_queue`); the policy is called once per level with that
level's scope.

Shipped policies (the default, ``dispatcher``, is documented in docs/engine.md):

- :class:`NearestEta` — the nearest capable available units by ETA;
- :class:`SpecialistFirst` — a specialist team for the capability (the forest brigade to a
  forest fire, a hazmat team to a chemical leak) first when it is at most ``tolerance_min``
  road minutes further than the nearest candidate; the rest by ETA;
- :class:`OwnSiteFirst` — the enterprise (or mine) team whose own site is burning goes first,
  wherever the others are; then another policy for the rest;
- ``dispatcher`` — own site first, then specialist first, then nearest: what a duty desk does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from scenarios.region import Unit

IntArray = npt.NDArray[np.intp]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class DispatchRequest:
    """What the desk knows when it chooses units for one requirement at one level."""

    candidates: IntArray  # unit indices (capable, available, in scope), in region order
    eta: FloatArray  # eta[k]: candidate k's road minutes (inf = unreachable)
    wanted: int
    capability: str
    site: str | None  # the incident's hazard site, if any
    units: Sequence[Unit]  # every unit of the region, by index


class DispatchPolicy(Protocol):
    """Chooses units for one requirement at one level."""

    def choose(self, req: DispatchRequest) -> list[int]:
        """Up to ``req.wanted`` unit indices from ``req.candidates`` (never an unreachable
        one), in the order they are dispatched."""
        ...


def _by_eta(req: DispatchRequest, ks: npt.NDArray[np.intp] | None = None) -> list[int]:
    """Positions ``ks`` (default: all) of reachable candidates, nearest first (stable)."""
    eta = req.eta
    order = np.argsort(eta, kind="stable") if ks is None else ks[np.argsort(eta[ks],
                                                                            kind="stable")]
    return order[np.isfinite(eta[order])].tolist()  # type: ignore[no-any-return]


class NearestEta:
    """Nearest capable available units by ETA; ties broken by unit order in the region."""

    def choose(self, req: DispatchRequest) -> list[int]:
        """The ``wanted`` reachable candidates with the smallest ETA, nearest first."""
        wanted, cand, eta = req.wanted, req.candidates, req.eta
        if wanted <= 0 or cand.size == 0:
            return []
        if wanted == 1:
            k = int(np.argmin(eta))
            return [int(cand[k])] if np.isfinite(eta[k]) else []
        return [int(cand[k]) for k in _by_eta(req)[:wanted]]


class SpecialistFirst:
    """Specialist teams first when they are at most ``tolerance_min`` further than the nearest.

    ``specialists`` maps a capability to the unit kinds that are its specialists (e.g.
    ``forest_fire: [forest_fire]``); a capability not listed has no specialists and is served
    nearest first."""

    def __init__(self, tolerance_min: float, specialists: Mapping[str, Sequence[str]]) -> None:
        self.tolerance_min = tolerance_min
        self.specialists = {c: frozenset(k) for c, k in specialists.items()}

    def choose(self, req: DispatchRequest) -> list[int]:
        """Specialists within the tolerance (nearest first), then everyone else by ETA.

        Only the candidates within the tolerance of the nearest are looked at one by one (a
        province's city desk has thousands of candidates; the rest is taken in ETA order)."""
        if req.wanted <= 0 or req.candidates.size == 0:
            return []
        kinds = self.specialists.get(req.capability)
        eta, cand, wanted = req.eta, req.candidates, req.wanted
        order = np.argsort(eta, kind="stable")
        order = order[np.isfinite(eta[order])]  # reachable, nearest first
        if not kinds or not order.size:
            return cand[order[:wanted]].tolist()  # type: ignore[no-any-return]
        limit = float(eta[order[0]]) + self.tolerance_min
        p = int(np.searchsorted(eta[order], limit, side="right"))  # within the tolerance
        near, units = order[:p], req.units
        spec = np.fromiter((units[int(u)].kind in kinds for u in cand[near]), bool, p)
        first = near[spec]
        if first.size >= wanted:
            return cand[first[:wanted]].tolist()  # type: ignore[no-any-return]
        others = np.ones(order.size, dtype=bool)
        others[:p] = ~spec
        rest = order[others][:wanted - first.size]
        return cand[np.concatenate([first, rest])].tolist()  # type: ignore[no-any-return]


class OwnSiteFirst:
    """The team whose own site the incident is at goes first; ``then`` chooses the rest."""

    def __init__(self, then: DispatchPolicy) -> None:
        self.then = then

    def choose(self, req: DispatchRequest) -> list[int]:
        """Own-site teams (by ETA), then ``then``'s choice among the other candidates."""
        if req.wanted <= 0 or req.candidates.size == 0:
            return []
        if req.site is None:
            return self.then.choose(req)
        units, cand = req.units, req.candidates
        own = np.flatnonzero([units[int(u)].site == req.site for u in cand]).astype(np.intp)
        if own.size == 0:
            return self.then.choose(req)
        first = [int(cand[k]) for k in _by_eta(req, own)][:req.wanted]
        left = req.wanted - len(first)
        if left <= 0:
            return first
        others = np.setdiff1d(np.arange(cand.size), own).astype(np.intp)
        rest = self.then.choose(DispatchRequest(cand[others], req.eta[others], left,
                                                req.capability, req.site, units))
        return first + rest


POLICY_NAMES = ("nearest_eta", "specialist_first", "own_site_first", "dispatcher")


def make_policy(name: str, tolerance_min: float = 0.0,
                specialists: Mapping[str, Sequence[str]] | None = None) -> DispatchPolicy:
    """The shipped policy called ``name`` (see ``dispatch.policy`` in the parameters)."""
    spec = specialists or {}
    if name == "nearest_eta":
        return NearestEta()
    if name == "specialist_first":
        return SpecialistFirst(tolerance_min, spec)
    if name == "own_site_first":
        return OwnSiteFirst(NearestEta())
    if name == "dispatcher":
        return OwnSiteFirst(SpecialistFirst(tolerance_min, spec))
    raise ValueError(f"unknown dispatch policy '{name}'; known: {', '.join(POLICY_NAMES)}")
