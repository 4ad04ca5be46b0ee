"""Engine benchmark: prints ratios measured in one run (not a timed test).

1. A bare-simpy reference model of the same incident stream (nearest free capable unit, same
   take-alarm, turn-out, travel and on-scene work draws; no reports, posts, supplies or log)
   against the engine on a seed-city drill. Goal: engine ≤ 2× the reference's wall time.
2. The engine's events per second.
3. Per-incident cost on a 10-city "province" (10 shifted copies of the seed city, 10× the
   incidents) against the city. Goal: ≤ 1.3×.

Usage: ``.venv/bin/python bench/bench_engine.py [--incidents 400] [--repeat 3]``.
Figures are recorded in docs/performance.md ("Engine").
"""

from __future__ import annotations

import argparse
import time
from collections import deque
from typing import Any

import numpy as np
import simpy

from engine.eventlog import EventLog
from engine.params import BehaviourParams, load_params
from engine.simulation import simulate
from scenarios.region import Region
from scenarios.schema import Scenario, scenario_from_data
from scenarios.seed_city import default_region


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
            "id": f"I{i}", "category": "bench", "grade": "IV", "template": "building_fire",
            "location": {"township": j.id, "lon": j.lon + float(rng.uniform(-0.01, 0.01)),
                         "lat": j.lat + float(rng.uniform(-0.01, 0.01))},
            "requires": [{"capability": caps[int(rng.integers(len(caps)))],
                          "effort": float(rng.uniform(200, 1500))}]}})
    return out


def make_scenario(injects: list[dict[str, Any]], hours: float) -> Scenario:
    return scenario_from_data({"id": "bench", "duration_min": hours * 60 + 600,
                               "injects": injects})


def reference(region: Region, sc: Scenario, p: BehaviourParams, seed: int) -> int:
    """Bare simpy: nearest free capable unit, same delay draws; returns #state changes."""
    env = simpy.Environment()
    ss = np.random.SeedSequence(seed).spawn(5)
    g_alarm, g_turn, g_work = (np.random.default_rng(s) for s in ss[:3])
    tm = region.travel_model()
    units = region.units
    free = np.ones(len(units), dtype=bool)
    caps = {c.id: np.array([u.capabilities.get(c.id, 0) for u in units]) for c in region.capabilities}
    head = np.array([u.headcount for u in units], dtype=float)
    kb = [p.for_kind(u.kind) for u in units]
    terrain = {j.id: j.terrain for j in region.jurisdictions}
    pending: deque[Any] = deque()
    trace: list[tuple[float, int]] = []

    def serve(u: int, spec: Any, eta: float) -> Any:
        free[u] = False
        trace.append((env.now, 1))
        yield env.timeout(kb[u].turnout.draw(g_turn) + eta)
        trace.append((env.now, 2))
        req = spec.requires[0]
        rate = head[u] * kb[u].deployable_fraction * kb[u].productivity.draw(g_work) * \
            p.on_scene.level_factor.get(int(caps[req.capability][u]), 1.0)
        yield env.timeout(req.effort / rate)
        trace.append((env.now, 3))
        free[u] = True
        for k, (spec2, eta2) in enumerate(pending):
            if caps[spec2.requires[0].capability][u] > 0:
                del pending[k]
                env.process(serve(u, spec2, float(eta2[u])))
                break

    def alarm(spec: Any, t: float) -> Any:
        yield env.timeout(t)
        yield env.timeout(p.alarm.take_alarm["county"].draw(g_alarm))
        loc = spec.location
        eta = tm.eta_minutes(loc.lon, loc.lat, terrain[loc.township], loc.township)
        cand = free & (caps[spec.requires[0].capability] > 0)
        if cand.any():
            idx = np.flatnonzero(cand)
            u = int(idx[np.argmin(eta[idx])])
            env.process(serve(u, spec, float(eta[u])))
        else:
            pending.append((spec, eta))

    for inj in sc.injects:
        env.process(alarm(inj.incident, inj.t))  # type: ignore[union-attr]
    env.run(until=sc.duration_min)
    return len(trace)


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
    print(f"  reference (bare simpy): {t_ref * 1e3:8.1f} ms  ({n_ref} state changes)")
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
