"""Measure the P/S/M/U rating distribution the way docs/scoring.md reports it ("Ratings over 50
normal drills"): generated ``normal`` drills on the seed city (default plan), each simulated
with its own seed and the shipped behaviour, scored with the default packs and rubric.

    .venv/bin/python -m tests.tools.rating_distribution --seeds 50
    .venv/bin/python -m tests.tools.rating_distribution --seeds 50 \\
        --scenario scenarios/samples/seed_city_demo.yaml        # one scenario, 50 engine seeds
    ... --rules city-1-10-15 --rules incident-control ...        # other packs (repeatable)

Prints a Markdown table (capability × rating), the conclusion levels and the mean compliance
of the 1-10-15 clocks; ``--json`` prints the counts as one JSON object instead.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
CLOCKS = ("take_alarm", "arrive", "handle", "damage_first_report")


def measure(seeds: int, scenario: Path | None, rules: list[str] | None,
            difficulty: str = "normal") -> dict[str, Any]:
    """Counts of ratings per capability, conclusion levels and mean clock compliance."""
    from engine.params import load_params
    from engine.simulation import simulate
    from evaluators import score_records
    from experiments.calibration import calibrator
    from scenarios.catalogue import load_catalogue
    from scenarios.generator import generate
    from scenarios.loading import load_model
    from scenarios.plan import load_plan
    from scenarios.schema import Scenario
    from scenarios.seed_city import default_region

    region, params = default_region(), load_params()
    fixed = load_model(scenario, Scenario) if scenario else None
    cat = load_catalogue()
    plan = load_plan(ROOT / "scenarios/plans/default.yaml")
    calibrate = calibrator() if fixed is None else None
    per_cap: dict[str, Counter[str]] = {}
    names: dict[str, str] = {}
    levels: Counter[str] = Counter()
    compliance: dict[str, list[float]] = {c: [] for c in CLOCKS}
    for seed in range(seeds):
        scen = fixed or generate(region, cat, plan, seed, difficulty=difficulty,
                                 calibrator=calibrate)
        recs = list(simulate(region, scen, seed=seed, params=params).records)
        card = score_records(recs, region=region, rules=rules or None)
        levels[str(card.overall.level)] += 1
        for c in card.capabilities:
            per_cap.setdefault(c.id, Counter())[str(c.rating)] += 1
            names[c.id] = c.name_zh
        for cid in CLOCKS:
            cl = card.clocks.get(cid)
            if cl is not None and cl.compliance is not None:
                compliance[cid].append(cl.compliance)
    return {"seeds": seeds, "scenario": str(scenario) if scenario else None,
            "per_capability": {k: dict(v) for k, v in per_cap.items()}, "names": names,
            "levels": dict(levels),
            "mean_compliance": {k: (sum(v) / len(v) if v else None)
                                for k, v in compliance.items()}}


def markdown(res: dict[str, Any]) -> str:
    """The docs/scoring.md table for a measurement."""
    lines = ["| capability | P | S | M | U |", "|---|---|---|---|---|"]
    total: Counter[str] = Counter()
    for cid, cnt in res["per_capability"].items():
        total.update(cnt)
        lines.append(f"| {res['names'][cid]} {cid} | "
                     + " | ".join(str(cnt.get(r, 0)) for r in "PSMU") + " |")
    n = sum(total.values())
    lines.append(f"| all {n} ratings | " + " | ".join(
        f"{total.get(r, 0)} ({100 * total.get(r, 0) / n:.0f} %)" for r in "PSMU") + " |")
    lv = res["levels"]
    lines.append("")
    lines.append("levels: " + ", ".join(f"{k} {lv.get(k, 0)}"
                                        for k in ("excellent", "good", "pass", "fail")))
    lines.append("mean compliance: " + ", ".join(
        f"{k} {100 * v:.0f} %" for k, v in res["mean_compliance"].items() if v is not None))
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=50)
    ap.add_argument("--scenario", type=Path, help="one scenario file played with every seed")
    ap.add_argument("--rules", action="append", help="rule pack (repeatable; default packs)")
    ap.add_argument("--difficulty", default="normal")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    res = measure(a.seeds, a.scenario, a.rules, a.difficulty)
    print(json.dumps(res, ensure_ascii=False) if a.json else markdown(res))


if __name__ == "__main__":
    main()
