"""The simulation lab: replications of a drill's scenario with a progress bar, and the
predicted 1-10-15 compliance, computed exactly as the generator's calibration does it.

No new logic: each replication is :func:`engine.simulation.simulate` with the seed
:func:`experiments.baseline.replication_seed` gives ``blinddrill demo``'s baseline;
compliance per replication is :func:`experiments.calibration.compliance_from_records` (the
evaluators' clock code) and the interval :func:`experiments.calibration.wilson`. The replications are
written as a baseline directory (``rep-NNN/events.jsonl``) that the review compares with.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class LabResult:
    """What a lab run predicts."""

    replications: int
    instances: int
    met: int
    mean: float
    low: float
    high: float
    baseline_dir: Path


def run_lab(region: Any, scenario: Any, n: int, seed: int, out_dir: Path,
            progress: Callable[[int, int], None] | None = None) -> LabResult:
    """Simulate ``scenario`` ``n`` times into ``out_dir/rep-NNN``; ``progress(k, n)`` after
    each replication."""
    from engine.eventlog import write_jsonl
    from engine.rundir import EVENTS, replication_dir
    from engine.simulation import simulate
    from experiments.baseline import replication_seed
    from experiments.calibration import calibration_clocks, compliance_from_records, wilson
    from scenarios.plan import Calibration

    clocks = calibration_clocks(Calibration())
    total = ok = 0
    out_dir.mkdir(parents=True, exist_ok=True)
    for k in range(1, n + 1):
        log = simulate(region, scenario, seed=replication_seed(seed, k))
        write_jsonl(log.records, replication_dir(out_dir, k) / EVENTS)
        a, b = compliance_from_records(log.records, clocks)
        total, ok = total + a, ok + b
        if progress is not None:
            progress(k, n)
    lo, hi = wilson(ok, total)
    return LabResult(n, total, ok, ok / total if total else 0.0, lo, hi, out_dir)
