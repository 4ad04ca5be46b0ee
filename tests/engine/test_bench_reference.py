"""The speed goal's yardstick (bench/reference.py) models the engine's incident lifecycle.

``make bench`` divides the engine's run time by the bare-simpy reference model's; that ratio
means something only while the model does the same work. These tests hold it to that: on a
seed-city drill it logs the lifecycle's kinds, about as many records of each as the engine,
and incidents as fast (its arrival times are of the same size).
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

from bench_engine import incident_stream, make_scenario  # noqa: E402
from reference import reference  # noqa: E402

from engine.params import load_params  # noqa: E402
from engine.simulation import simulate  # noqa: E402
from scenarios.seed_city import default_region  # noqa: E402

#: kinds that are not the incident lifecycle (the drill's frame; incidents still open at the end)
FRAME = {"drill_started", "drill_ended", "incident_unresolved"}


@pytest.fixture(scope="module")
def logs() -> tuple[list[dict], list[dict]]:
    city = default_region()
    sc = make_scenario(incident_stream(city, 200, 12, 3), 12)
    return list(simulate(city, sc, seed=2).records), reference(city, sc, load_params(), 2)


def test_the_reference_logs_every_lifecycle_kind_the_engine_logs(logs):
    eng, ref = logs
    missing = {r["kind"] for r in eng} - FRAME - {r["kind"] for r in ref}
    assert not missing, f"the reference model leaves out {sorted(missing)}"


def test_the_reference_logs_about_as_many_records_of_each_kind(logs):
    eng, ref = logs
    ce, cr = Counter(r["kind"] for r in eng), Counter(r["kind"] for r in ref)
    assert abs(len(ref) - len(eng)) <= 0.05 * len(eng)
    for kind, n in ce.items():
        if kind in FRAME or n < 40:
            continue
        assert abs(cr[kind] - n) <= 0.15 * n + 5, (kind, n, cr[kind])


def test_the_reference_responds_like_the_engine(logs):
    """Same parameters, same lifecycle: the mean alarm-to-arrival time agrees within 15 %."""
    def arrival(log: list[dict]) -> float:
        alarm = {r["incident"]: r["t"] for r in log if r["kind"] == "alarm_raised"}
        first: dict[str, float] = {}
        for r in log:
            if r["kind"] == "unit_arrived":
                first.setdefault(r["incident"], r["t"] - alarm[r["incident"]])
        return float(np.mean(list(first.values())))

    eng, ref = logs
    assert arrival(ref) == pytest.approx(arrival(eng), rel=0.15)
