"""Benchmark the scenario generator on the seed city: plain, with history, with calibration.

Run: ``.venv/bin/python bench/bench_generate.py`` - prints figures measured in this run.
"""

from __future__ import annotations

import time

from experiments.calibration import calibrator
from scenarios.catalogue import load_catalogue
from scenarios.generator import generate
from scenarios.plan import load_plan
from scenarios.sealing import seal
from scenarios.seed_city import default_region


def _time(fn: object, n: int) -> float:
    t = time.perf_counter()
    for i in range(n):
        fn(i)  # type: ignore[operator]
    return (time.perf_counter() - t) / n


def main() -> None:
    """Print per-scenario times."""
    region, catalogue, plan = default_region(), load_catalogue(), load_plan()
    generate(region, catalogue, plan, 0)  # warm caches
    plain = _time(lambda i: seal(generate(region, catalogue, plan, i)), 50)
    print(f"generate + seal, seed city, no calibration: {plain * 1000:.1f} ms/scenario (n=50)")
    history = [generate(region, catalogue, plan, 1000 + k) for k in range(50)]
    hist = _time(lambda i: generate(region, catalogue, plan, i, history=history), 20)
    print(f"with a history of 50 past drills: {hist * 1000:.1f} ms/scenario (n=20)")
    for level in ("easy", "normal", "hard"):
        t = time.perf_counter()
        tried = []
        for i in range(5):
            s = generate(region, catalogue, plan, i, difficulty=level,  # type: ignore[arg-type]
                         calibrator=calibrator())
            tried.append(s.meta["difficulty"]["candidates"])
        dt = (time.perf_counter() - t) / 5
        print(f"calibrated --difficulty {level}: {dt:.2f} s/scenario, candidates simulated "
              f"{tried} (x{plan.calibration.replications} replications)")


if __name__ == "__main__":
    main()
