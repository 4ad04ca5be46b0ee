"""Benchmark: re-scoring a live drill "as of now" every few seconds must be cheap.

Simulates the demo drill on the seed city (demo plan, seed 4, and more seeds until the log
has at least 1,000 events), then times ``evaluators.score_records(records, region=…,
as_of=now)`` at ten "now"s through the drill (the live scoreboard's call: the log so far,
default packs and rubric), and prints the median and worst time per call in milliseconds
and the ratio to the 2-second refresh interval. Usage: ``python bench/bench_score_live.py``.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from engine.params import load_params
from engine.simulation import simulate
from evaluators import score_records
from evaluators.rubric import load_rubric
from evaluators.rules import load_packs
from scenarios.catalogue import load_catalogue
from scenarios.generator import generate
from scenarios.plan import load_plan
from scenarios.seed_city import default_region
from scenarios.templates import load_templates

ROOT = Path(__file__).resolve().parents[1]
REFRESH_S = 2.0


def main() -> None:
    """Run the benchmark and print its figures."""
    region, cat, params = default_region(), load_catalogue(), load_params()
    plan = load_plan(ROOT / "scenarios" / "plans" / "demo.yaml")
    seed = 4
    while True:
        recs = list(simulate(region, generate(region, cat, plan, seed), seed=seed,
                             params=params).records)
        if len(recs) >= 1000:
            break
        seed += 1
    end = recs[-1]["t"]
    print(f"log: {len(recs)} events (seed {seed}), drill {end:g} min")
    loaded = {"rules": load_packs(), "rubric": load_rubric(), "templates": load_templates()}
    for label, kw in (("inputs loaded per call", {}), ("packs/rubric/templates passed", loaded)):
        times = []
        for k in range(1, 11):
            now = end * k / 10
            best = float("inf")
            for _ in range(3):
                t0 = time.perf_counter()
                score_records(recs, region=region, as_of=now, **kw)  # type: ignore[arg-type]
                best = min(best, time.perf_counter() - t0)
            times.append(best)
        med, worst = statistics.median(times), max(times)
        print(f"score_records(as_of=now), {label}: median {med * 1e3:.1f} ms, "
              f"worst {worst * 1e3:.1f} ms; worst / {REFRESH_S:g} s refresh = "
              f"{worst / REFRESH_S:.3f}")


if __name__ == "__main__":
    main()
