"""Difficulty calibrated by simulation: keep a candidate whose predicted compliance is in band.

Each candidate scenario (already novel enough) is played by the engine
(:func:`engine.simulation.simulate`) for a few replications with seeds from the scenario's own
stream. Its **predicted 1-10-15 compliance** is the share of clock instances met, over all
incidents and replications, of the plan's ``calibration.clocks`` of rule pack
``calibration.pack`` — by default take_alarm, arrive and handle of ``city-1-10-15``, computed by
the evaluators' own clock code, so the prediction means exactly what ``blinddrill score``
reports. A clock that never stopped is not met. The first candidate whose mean falls in the band
is kept; otherwise the one nearest the band, marked as such.

The engine and the evaluators are imported only here, lazily: the rest of :mod:`scenarios`
never needs them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from scenarios.loading import InputError
from scenarios.plan import Calibration, DifficultyPreset, DrillPlan
from scenarios.region import Region
from scenarios.schema import Scenario

if TYPE_CHECKING:
    from evaluators.rules import ClockRule
    from scenarios.catalogue import HazardCatalogue
    from scenarios.messages import Voices
    from scenarios.novelty import NoveltyWeights

#: spawn key of the simulation-seed stream under the scenario seed
SIM_STREAM = 2**31 - 2


@dataclass(frozen=True)
class Prediction:
    """Predicted compliance of one scenario: mean share and a 95 % Wilson interval."""

    mean: float
    low: float
    high: float
    instances: int
    met: int
    replications: int

    def as_dict(self) -> dict[str, Any]:
        """Plain form for ``scenario.meta`` and ``--json``."""
        return {"mean": round(self.mean, 4), "ci95": [round(self.low, 4), round(self.high, 4)],
                "instances": self.instances, "met": self.met,
                "replications": self.replications}


def calibration_clocks(limits: Calibration) -> list[tuple[str, ClockRule]]:
    """The (pack id, clock rule) pairs that make up the predicted compliance."""
    from evaluators.rules import load_pack

    pack = load_pack(limits.pack)
    rules = {c.id: c for c in pack.clocks}
    missing = [c for c in limits.clocks if c not in rules]
    if missing:
        raise InputError(f"rule pack {limits.pack}",
                         [f"calibration.clocks: no clock {missing} (it has {sorted(rules)})"])
    return [(pack.id, rules[c]) for c in limits.clocks]


def compliance_from_records(
    records: list[dict[str, Any]], clocks: list[tuple[str, ClockRule]]
) -> tuple[int, int]:
    """(clock instances, instances met) of ``clocks`` in plain event records, computed by the
    evaluators' clock code (an instance whose clock never stopped is not met)."""
    from evaluators.clocks import compute_clock
    from evaluators.table import LogTable

    kinds = {k for _, c in clocks for k in (c.start.kind, c.end.kind)} | {"incident_occurred"}
    tab = LogTable.from_records(records, "<calibration>", kinds=kinds)
    n = ok = 0
    for pack, rule in clocks:
        res = compute_clock(tab, rule, pack)
        n += len(res.met)
        ok += int(res.met.sum())
    return n, ok


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """95 % Wilson score interval of a proportion k/n."""
    if n == 0:
        return 0.0, 1.0
    p = k / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return max(0.0, c - h), min(1.0, c + h)


def predict(region: Region, scenario: Scenario, limits: Calibration, seed: int) -> Prediction:
    """Simulate ``scenario`` ``limits.replications`` times and predict its compliance."""
    from engine.simulation import simulate

    seeds = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(SIM_STREAM,))) \
        .integers(0, 2**31, limits.replications)
    clocks = calibration_clocks(limits)
    n = ok = 0
    for s in seeds:
        log = simulate(region, scenario, seed=int(s))
        a, b = compliance_from_records(log.records, clocks)
        n, ok = n + a, ok + b
    lo, hi = wilson(ok, n)
    return Prediction(ok / n if n else 0.0, lo, hi, n, ok, limits.replications)


def calibrate(region: Region, catalogue: HazardCatalogue, plan: DrillPlan, seed: int,
              preset: DifficultyPreset, band: tuple[float, float], difficulty: str | None,
              voices: Voices, past: list[Scenario], weights: NoveltyWeights) -> Scenario:
    """Try novel candidates until one's predicted compliance is inside ``band``."""
    from scenarios.generator import _novel, _with_meta

    best: tuple[float, Scenario, float, int, Prediction] | None = None
    attempt = 0
    tried = 0
    for _ in range(plan.calibration.max_candidates):
        cand, nov, tries = _novel(region, catalogue, plan, seed, preset, voices, past, weights,
                                  attempt)
        attempt = int(cand.meta["attempt"]) + 1
        tried += 1
        pred = predict(region, cand, plan.calibration, int(cand.meta["seed"]) * 1000 + attempt)
        gap = max(band[0] - pred.mean, pred.mean - band[1], 0.0)
        if best is None or gap < best[0]:
            best = (gap, cand, nov, tries, pred)
        if gap == 0.0:
            break
    assert best is not None
    gap, cand, nov, tries, pred = best
    info = {"level": difficulty, "band": [band[0], band[1]], "predicted": pred.as_dict(),
            "in_band": gap == 0.0, "candidates": tried}
    return _with_meta(cand, nov, tries, plan, len(past), info)
