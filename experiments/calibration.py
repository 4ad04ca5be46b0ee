"""Difficulty calibrated by simulation: keep a candidate whose predicted compliance is in band.

Each candidate scenario (already novel enough) is played by the engine
(:func:`engine.simulation.simulate`) for a few replications with seeds from the scenario's own
stream. Its **predicted 1-10-15 compliance** is the share of clock instances met, over all
incidents and replications, of the plan's ``calibration.clocks`` of rule pack
``calibration.pack`` — by default take_alarm, arrive and handle of ``city-1-10-15``, computed by
the evaluators' own clock code, so the prediction means exactly what ``blinddrill score``
reports. A clock that never stopped is not met. The first candidate whose mean falls in the band
is kept; otherwise the one nearest the band, marked as such.

This module sits above the engine and the evaluators (see ``docs/architecture.md``); the
generator reaches it only through the callback :func:`calibrator` returns. Candidates are drawn
in order (their sequence needs no simulation), simulated a round at a time on an executor
(``workers`` candidates per round), and the first in band in candidate order is kept: the result
is the same for any executor or worker count.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from engine.params import BehaviourParams
from engine.simulation import simulate
from evaluators.clocks import compute_clock
from evaluators.rules import load_pack
from evaluators.table import LogTable
from scenarios.generator import Calibrator, CandidateDraw
from scenarios.loading import InputError
from scenarios.plan import Calibration
from scenarios.region import Region
from scenarios.schema import Scenario

if TYPE_CHECKING:
    from evaluators.rules import ClockRule
    from experiments.executors import Executor

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
    evaluators' clock code. Open instances (not stopped, limit not yet passed at the end of the
    simulated drill) are not assessable and are left out, as the scorecard's compliance does;
    a breached one counts as not met."""
    kinds = {k for _, c in clocks for k in (c.start.kind, c.end.kind)} | {"incident_occurred"}
    tab = LogTable.from_records(records, "<calibration>", kinds=kinds)
    n = ok = 0
    for pack, rule in clocks:
        res = compute_clock(tab, rule, pack)
        keep = res.assessable
        n += int(keep.sum())
        ok += int(res.met[keep].sum())
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


def prediction_seeds(seed: int, replications: int) -> list[int]:
    """Simulation seeds of a candidate's replications (from its own calibration stream)."""
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(SIM_STREAM,)))
    return [int(s) for s in rng.integers(0, 2**31, replications)]


def _count(shared: tuple[Region, BehaviourParams | None, list[tuple[str, ClockRule]]],
           item: tuple[Scenario, list[int]]) -> tuple[int, int]:
    """(instances, met) of one candidate over its replications (an executor task)."""
    region, params, clocks = shared
    scenario, seeds = item
    n = ok = 0
    for s in seeds:
        log = simulate(region, scenario, seed=s, params=params)
        a, b = compliance_from_records(log.records, clocks)
        n, ok = n + a, ok + b
    return n, ok


def _prediction(n: int, ok: int, replications: int) -> Prediction:
    lo, hi = wilson(ok, n)
    return Prediction(ok / n if n else 0.0, lo, hi, n, ok, replications)


def predict(region: Region, scenario: Scenario, limits: Calibration, seed: int,
            params: BehaviourParams | None = None) -> Prediction:
    """Simulate ``scenario`` ``limits.replications`` times and predict its compliance."""
    n, ok = _count((region, params, calibration_clocks(limits)),
                   (scenario, prediction_seeds(seed, limits.replications)))
    return _prediction(n, ok, limits.replications)


def calibrator(params: BehaviourParams | None = None,
               executor: Executor | None = None) -> Calibrator:
    """The generator's calibration callback: candidates simulated with ``params`` (default: the
    shipped behaviour) on ``executor`` (default: in this process)."""
    from experiments.executors import SerialExecutor

    ex = executor or SerialExecutor()

    def calibrate(draw: CandidateDraw, band: tuple[float, float],
                  difficulty: str | None) -> Scenario:
        return _calibrate(draw, band, difficulty, params, ex)

    return calibrate


def _calibrate(draw: CandidateDraw, band: tuple[float, float], difficulty: str | None,
               params: BehaviourParams | None, ex: Executor) -> Scenario:
    """Try novel candidates (a round of ``ex.workers`` at a time) until one is in ``band``."""
    limits = draw.plan.calibration
    clocks = calibration_clocks(limits)
    shared = (draw.region, params, clocks)
    best: tuple[float, Scenario, float, int, Prediction] | None = None
    attempt = 0
    tried = 0
    remaining = limits.max_candidates
    while remaining > 0 and (best is None or best[0] > 0.0):
        round_: list[tuple[Scenario, float, int, int]] = []
        for _ in range(min(max(1, ex.workers), remaining)):
            cand, nov, tries = draw.novel(attempt)
            attempt = int(cand.meta["attempt"]) + 1
            round_.append((cand, nov, tries, int(cand.meta["seed"]) * 1000 + attempt))
        remaining -= len(round_)
        items = [(c, prediction_seeds(s, limits.replications)) for c, _, _, s in round_]
        counts = dict(ex.run(_count, shared, items))
        for k, (cand, nov, tries, _s) in enumerate(round_):
            tried += 1
            n, ok = counts[k]
            pred = _prediction(n, ok, limits.replications)
            gap = max(band[0] - pred.mean, pred.mean - band[1], 0.0)
            if best is None or gap < best[0]:
                best = (gap, cand, nov, tries, pred)
            if gap == 0.0:
                break
    assert best is not None
    gap, cand, nov, tries, pred = best
    info = {"level": difficulty, "band": [band[0], band[1]], "predicted": pred.as_dict(),
            "in_band": gap == 0.0, "candidates": tried}
    return draw.finish(cand, nov, tries, info)
