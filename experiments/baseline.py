"""A drill's simulated baseline: replications of its scenario written as run directories.

``RUN/baseline/rep-001/events.jsonl`` … (layout: :mod:`engine.rundir`), simulated on an
executor in chunks; the files written do not depend on the executor or the worker count.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from engine.eventlog import write_jsonl
from engine.params import BehaviourParams
from engine.rundir import EVENTS, replication_dir
from engine.simulation import simulate
from experiments.executors import Executor, SerialExecutor
from scenarios.region import Region
from scenarios.schema import Scenario


def replication_seed(seed: int, k: int) -> int:
    """Seed of the ``k``-th baseline replication of a drill simulated with ``seed``."""
    return int(np.random.SeedSequence([seed, k]).generate_state(1)[0])


def _write_reps(shared: tuple[Region, Scenario, BehaviourParams | None, Path, int],
                ks: list[int]) -> int:
    region, scenario, params, root, seed = shared
    for k in ks:
        log = simulate(region, scenario, seed=replication_seed(seed, k), params=params)
        write_jsonl(log.records, replication_dir(root, k) / EVENTS)
    return len(ks)


def write_baseline(root: Path, region: Region, scenario: Scenario, seed: int,
                   replications: int, params: BehaviourParams | None = None,
                   executor: Executor | None = None, chunk: int = 4) -> list[Path]:
    """Simulate ``replications`` runs of ``scenario`` (seeds from ``seed``) into ``root``;
    return their run directories in order."""
    ks = list(range(1, replications + 1))
    chunks = [ks[i:i + chunk] for i in range(0, len(ks), chunk)]
    ex = executor or SerialExecutor()
    if chunks:
        for _ in ex.run(_write_reps, (region, scenario, params, root, seed), chunks):
            pass
    return [replication_dir(root, k) for k in ks]
