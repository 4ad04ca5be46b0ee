"""Small inputs for the experiments tests: the demo scenario on the seed city, and an M/M/c
configuration whose scenario (Poisson arrivals) is drawn per replication."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

from scenarios.region import Region
from scenarios.schema import Scenario, scenario_from_data

DEMO_PLAN = Path(__file__).resolve().parents[2] / "scenarios" / "plans" / "demo.yaml"


@lru_cache(maxsize=1)
def demo_scenario() -> Scenario:
    """The demo's scenario (seed 4) on the seed city."""
    from scenarios.catalogue import load_catalogue
    from scenarios.generator import generate
    from scenarios.plan import load_plan
    from scenarios.seed_city import default_region

    return generate(default_region(), load_catalogue(), load_plan(DEMO_PLAN), 4)


C, LAM, MU = 2, 1.0, 1.0  # ρ = λ / (c μ) = 0.5
N_CUSTOMERS = 400
LON, LAT = 117.0, 31.5

#: a rule pack whose clock is the M/M/c wait (alarm raised → unit dispatched)
WAIT_PACK = """schema: blinddrill.rules/1
id: mmc-wait
name_zh: 等待
name_en: wait
clocks:
  - id: wait
    name_zh: 等待
    name_en: wait in queue
    start: {kind: alarm_raised}
    end: {kind: unit_dispatched}
    limit_min: 0.000001
"""


def mmc_region() -> Region:
    """c identical units at the incidents' own location (zero travel): the engine tests' own
    M/M/c region with this module's c."""
    from tests.engine.test_mmc import mmc_region as engine_mmc_region

    return engine_mmc_region(C)


def poisson_scenario(seed: int) -> Scenario:
    """A scenario source: N_CUSTOMERS Poisson alarms drawn from the replication's seed."""
    arrivals = np.cumsum(np.random.default_rng([seed, 99]).exponential(1 / LAM, N_CUSTOMERS))
    injects = [{"id": f"J{i}", "t": float(t), "kind": "incident", "incident": {
        "id": f"I{i}", "category": "q", "grade": "IV",
        "location": {"township": "T", "lon": LON, "lat": LAT},
        "requires": [{"capability": "x", "effort": 1.0}], "template": "building_fire"}}
        for i, t in enumerate(arrivals)]
    return scenario_from_data({"id": "mmc", "duration_min": float(arrivals[-1]) + 60,
                               "injects": injects})
