"""Engine benchmark: prints ratios measured in one run (not a timed test).

1. The bare-simpy model of the same incident lifecycle (``bench/reference.py``: desk queues,
   command posts, every requirement with escalation, duty crews and teams, shared on-scene
   work, commanders, handover, returns, the three reports relayed upward; a log record per
   step, about as many as the engine's; its docstring lists what it leaves out) against the
   engine on a seed-city drill. Goal: engine ≤ 2× the reference's wall time.
2. The engine's events per second.
3. Per-incident cost on a 10-city "province" (10 shifted copies of the seed city, 10× the
   incidents) against the city. Goal: ≤ 1.3×.

Usage: ``.venv/bin/python bench/bench_engine.py [--incidents 400] [--repeat 3]``. Blocks of
runs, best of each: for the interleaved figures of every goal use ``bench/bench_goals.py``
(``make bench``). Figures are recorded in docs/performance.md.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from engine.eventlog import EventLog
from engine.params import load_params
from engine.simulation import simulate
from scenarios.region import Region
from scenarios.schema import Scenario, scenario_from_data
from scenarios.seed_city import default_region

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reference import reference  # noqa: E402


def incident_stream(region: Region, n: int, hours: float, seed: int) -> list[dict[str, Any]]:
    """``n`` single-requirement incidents spread uniformly over ``hours``, on random townships."""
    rng = np.random.default_rng(seed)
    towns = region.of_level("township")
    caps = sorted({c for u in region.units for c in u.capabilities})
    times = np.sort(rng.uniform(0, hours * 60, n))
    out = []
    for i, t in enumerate(times):
        j = towns[int(rng.integers(len(towns)))]
        out.append({"id": f"J{i}", "t": round(float(t), 3), "kind": "incident", "incident": {
            "id": f"I{i}", "category": "building_fire", "grade": "IV", "template": "building_fire",
            "location": {"township": j.id, "lon": j.lon + float(rng.uniform(-0.01, 0.01)),
                         "lat": j.lat + float(rng.uniform(-0.01, 0.01))},
            "requires": [{"capability": caps[int(rng.integers(len(caps)))],
                          "effort": float(rng.uniform(200, 1500))}]}})
    return out


def make_scenario(injects: list[dict[str, Any]], hours: float) -> Scenario:
    return scenario_from_data({"id": "bench", "duration_min": hours * 60 + 600,
                               "injects": injects})


def province(city: Region, copies: int = 10) -> Region:
    """``copies`` shifted copies of ``city`` under one top city (bench only; not validated)."""
    def ren(s: str | None, k: int) -> str | None:
        return None if s is None else f"P{k:02d}-{s}"

    top = city.of_level("city")[0]
    jur, units, depots, posts, officers = [top], [], [], [], []
    for k in range(copies):
        dx = 1.2 * k
        for j in city.jurisdictions:
            if j.level == "city":
                continue
            parent = j.parent if j.level != "county" else None
            jur.append(j.model_copy(update={"id": ren(j.id, k), "lon": j.lon + dx,
                                            "parent": ren(parent, k) if parent else top.id}))
        units += [u.model_copy(update={"id": ren(u.id, k), "lon": u.lon + dx,
                                       "jurisdiction": ren(u.jurisdiction, k)
                                       if u.jurisdiction != top.id else top.id})
                  for u in city.units]
        depots += [d.model_copy(update={"id": ren(d.id, k), "lon": d.lon + dx,
                                        "jurisdiction": ren(d.jurisdiction, k)
                                        if d.jurisdiction != top.id else top.id})
                   for d in city.depots if d.tier != "city" or k == 0]
        posts += [c.model_copy(update={"id": ren(c.id, k), "lon": c.lon + dx,
                                       "township": ren(c.township, k)})
                  for c in city.command_posts]
        officers += [o.model_copy(update={"id": ren(o.id, k), "jurisdiction": ren(o.jurisdiction, k)
                                          if o.jurisdiction != top.id else top.id})
                     for o in city.info_officers]
    return Region.model_construct(
        name="province", capabilities=city.capabilities, items=city.items, travel=city.travel,
        jurisdictions=jur, units=units, depots=depots, command_posts=posts, hazard_sites=[],
        experts=[], info_officers=officers, seed=None, schema_="blinddrill.region/1")


def best_of(fn: Any, repeat: int) -> tuple[float, Any]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--incidents", type=int, default=400)
    ap.add_argument("--hours", type=float, default=24.0)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    p = load_params()
    city = default_region()
    sc = make_scenario(incident_stream(city, a.incidents, a.hours, 1), a.hours)
    simulate(city, sc, seed=1)  # warm caches (region index, templates)

    t_ref, n_ref = best_of(lambda: reference(city, sc, p, 1), a.repeat)
    t_eng, log = best_of(lambda: simulate(city, sc, seed=1, log=EventLog()), a.repeat)
    n_ev = len(log)
    print(f"seed city, {a.incidents} incidents over {a.hours:g} h")
    print(f"  reference (bare simpy): {t_ref * 1e3:8.1f} ms  ({len(n_ref)} records)")
    print(f"  engine:                 {t_eng * 1e3:8.1f} ms  ({n_ev} log events)")
    print(f"  engine / reference:     {t_eng / t_ref:8.2f}x   (goal <= 2x)")
    print(f"  engine events per second: {n_ev / t_eng:,.0f}")
    print(f"  engine per incident:    {t_eng / a.incidents * 1e3:8.3f} ms")

    prov = province(city)
    psc = make_scenario(incident_stream(prov, a.incidents * 10, a.hours, 2), a.hours)
    simulate(prov, make_scenario(incident_stream(prov, 5, 1, 3), 1), seed=1)  # warm caches
    t_prov, plog = best_of(lambda: simulate(prov, psc, seed=1, log=EventLog()), max(1, a.repeat - 1))
    per_city = t_eng / a.incidents
    per_prov = t_prov / (a.incidents * 10)
    print(f"province (10 x seed city, {len(prov.units)} units), {a.incidents * 10} incidents")
    print(f"  engine:                 {t_prov * 1e3:8.1f} ms  ({len(plog)} log events)")
    print(f"  per-incident cost vs city: {per_prov / per_city:5.2f}x   (goal <= 1.3x)")


if __name__ == "__main__":
    main()
