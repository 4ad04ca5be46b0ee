"""Benchmark: scoring a 1M-event log must cost no more than loading it.

Generates a synthetic, seeded drill log on the example county (``scenarios/regions/county.yaml``)
with about 1,000,000 events (≈ 50 per incident: alarms, dispatches, arrivals, tasks, reports,
messages, supplies, command posts), writes it as JSON Lines, then in one run times

* **load**  — ``engine.eventlog.read_records`` (orjson per line), and
* **score** — ``evaluators.score_records`` on those records (numpy columns, every clock of every
  shipped rule pack, every metric, rubric, findings, scorecard), and the same with the default
  packs (what ``blinddrill score`` runs),

and prints both and their ratio (goal ≤ 1.0). Usage: ``python bench/bench_score.py [N_EVENTS]``.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from engine.eventlog import read_records, write_jsonl
from evaluators import score_records
from evaluators.rules import builtin_packs
from scenarios.region import load_region

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ["flood", "hazmat", "building_fire", "traffic", "collapse", "forest_fire"]
CAPS = {"flood": "flood_control", "hazmat": "hazmat", "building_fire": "fire_suppression",
        "traffic": "traffic_rescue", "collapse": "structural", "forest_fire": "forest_fire"}


def synthetic_log(n_events: int, seed: int = 20240501) -> list[dict[str, Any]]:
    """A well-formed log of about ``n_events`` events (same seed ⇒ same log)."""
    rng = np.random.default_rng(np.random.SeedSequence(seed))
    region = load_region(ROOT / "scenarios" / "regions" / "county.yaml")
    units = [u.id for u in region.units]
    towns = [j for j in region.jurisdictions if j.level == "township"]
    posts = {p.township: p.id for p in region.command_posts}
    n_inc = max(1, n_events // 50)
    horizon = 7 * 24 * 60.0
    evs: list[tuple[float, str, dict[str, Any], dict[str, Any]]] = []

    def add(t: float, kind: str, ids: dict[str, Any], **data: Any) -> None:
        evs.append((round(float(t), 6), kind, ids, data))

    for i in range(n_inc):
        iid = f"I{i:06d}"
        t0 = rng.uniform(0, horizon)
        town = towns[int(rng.integers(len(towns)))]
        tpl = TEMPLATES[int(rng.integers(len(TEMPLATES)))]
        grade = ["I", "II", "III", "IV"][int(rng.choice(4, p=[0.02, 0.08, 0.2, 0.7]))]
        ids = {"incident": iid}
        add(t0, "incident_occurred", ids, category=tpl, grade=grade, township=town.id,
            template=tpl, casualties={"dead": int(rng.integers(3)), "injured": int(rng.integers(6))},
            lon=town.lon + rng.normal(0, 0.01), lat=town.lat + rng.normal(0, 0.01),
            requires=[{"capability": CAPS[tpl], "units": 3}])
        ta = t0 + rng.exponential(2)
        add(ta, "alarm_raised", ids, level="township")
        tt = ta + rng.exponential(0.8)
        add(tt, "alarm_taken", ids, level="township")
        post = posts[town.id]
        add(tt + rng.exponential(8), "command_post_activated", {"post": post, "incident": iid})
        add(tt + rng.exponential(20), "scene_visible", {"post": post, "incident": iid})
        first_arr = np.inf
        for u in rng.choice(len(units), size=4, replace=False):
            uid = {"incident": iid, "unit": units[int(u)]}
            td = tt + rng.exponential(1.5)
            add(td, "unit_dispatched", uid, level="county", eta_min=8.0, capability=CAPS[tpl])
            add(td + 0.5, "unit_mobilised", uid)
            tr = td + 0.5 + rng.gamma(3, 3)
            first_arr = min(first_arr, tr)
            add(tr, "unit_arrived", uid)
            for k in range(2):
                ts = tr + 1 + 10 * k
                add(ts, "task_started", uid, task="on_scene_work", capability=CAPS[tpl], effort=30)
                add(ts + 9, "task_finished", uid, task="on_scene_work", capability=CAPS[tpl],
                    effort=30)
            add(tr + 40, "unit_released", uid)
            add(tr + 55, "unit_returned", {"unit": units[int(u)]})
            add(td + 0.2, "message_sent", ids, sender="county", recipient=units[int(u)])
        add(first_arr + rng.exponential(1), "commander_designated", ids, person="p",
            reason="first_arrival")
        add(first_arr + rng.gamma(2, 8), "incident_controlled", ids)
        add(first_arr + 60, "incident_closed", ids)
        for k, stage in enumerate(("first", "followup", "final")):
            add(t0 + 5 + 20 * k + rng.exponential(5), "report_submitted", ids, stage=stage,
                to="county", channel="phone" if k == 0 else "written",
                fields=["time", "place", "category", "casualties", "reporter"],
                values={"casualties": {"dead": int(rng.integers(3)), "injured": 2}})
        add(tt + 10, "supplies_requested", ids, item="sandbags", qty=100, request=f"R{i}")
        add(tt + 40, "supplies_delivered", {"incident": iid, "depot": "D-K1"}, item="sandbags",
            qty=100, request=f"R{i}", tier="county")
    evs.append((0.0, "drill_started", {}, {"scenario": "bench", "mode": "sim", "seed": seed}))
    order = np.argsort(np.array([e[0] for e in evs]), kind="stable")
    end = max(e[0] for e in evs)
    recs: list[dict[str, Any]] = []
    for k, j in enumerate(order):
        t, kind, ids, data = evs[j]
        recs.append({"seq": k, "t": t, "kind": kind, "incident": ids.get("incident"),
                     "unit": ids.get("unit"), "inject": None, "depot": ids.get("depot"),
                     "post": ids.get("post"), "source": "sim", "data": data})
    recs.append({"seq": len(recs), "t": end, "kind": "drill_ended", "incident": None,
                 "unit": None, "inject": None, "depot": None, "post": None, "source": "sim",
                 "data": {"reason": "duration"}})
    return recs


def main(n_events: int = 1_000_000, repeat: int = 2) -> None:
    """Generate, write, load and score; print the best of ``repeat`` timings and the ratio.

    Load and score alternate in the same process so that load from other work on the
    machine affects both alike; the best (minimum) of the repeats is reported.
    """
    region = load_region(ROOT / "scenarios" / "regions" / "county.yaml")
    loads, scores, defaults = [], [], []
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "events.jsonl"
        t = time.perf_counter()
        write_jsonl(synthetic_log(n_events), path)
        gen = time.perf_counter() - t
        for _ in range(repeat):
            records: list[dict[str, Any]] = []
            t = time.perf_counter()
            records = read_records(path)
            loads.append(time.perf_counter() - t)
            t = time.perf_counter()
            card = score_records(records, region=region, rules=builtin_packs())
            scores.append(time.perf_counter() - t)
            t = time.perf_counter()
            score_records(records, region=region)
            defaults.append(time.perf_counter() - t)
    load, score, default = min(loads), min(scores), min(defaults)
    print(f"events           {len(records):>10,}")
    print(f"incidents        {card.run.incidents:>10,}")
    print(f"generate+write   {gen:>10.2f} s")
    print(f"load (read_records) {load:>7.2f} s   runs: {', '.join(f'{x:.2f}' for x in loads)}")
    print(f"score (all packs, all metrics) {score:.2f} s   runs: "
          f"{', '.join(f'{x:.2f}' for x in scores)}")
    print(f"score (default packs)          {default:.2f} s   runs: "
          f"{', '.join(f'{x:.2f}' for x in defaults)}")
    print(f"ratio score/load {score / load:>10.2f}  (all packs; goal <= 1.0)")
    print(f"ratio score/load {default / load:>10.2f}  (default packs)")
    print(f"overall          {card.overall.score} {card.overall.level}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
