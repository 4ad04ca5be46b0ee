"""The console's simulation lab: a batch of the drill's scenario, kept as the review's baseline.

:func:`run_lab` is ``blinddrill batch`` on one scenario (the same :func:`~experiments.batch.
run_batch`, seeds, scoring, streaming aggregation and progress feed) run in the calling process,
with each replication's log also written to ``rep-NNN/events.jsonl`` of a baseline directory
that the review compares the drill with. The directory is replaced as a whole when the batch has
finished (a shorter second run leaves no replication of the first behind; a failed run leaves
the previous one). What the page shows is kept beside the logs as ``lab.json`` and read back by
:func:`read_lab`, so it survives a rerun of the page and is there for the next person.

The headline is the predicted 1-10-15 compliance exactly as the generator's calibration defines
it (instances met over assessable instances of the calibration clocks, pooled over the
replications, with a 95 % Wilson interval); then every clock's probability of meeting its limit,
overall and per township.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import orjson

from experiments.batch import Alternative, Progress, make_spec, run_batch
from experiments.calibration import wilson
from scenarios.outputs import atomic_write, staged_dir
from scenarios.plan import Calibration
from scenarios.region import Region
from scenarios.schema import Scenario

#: the file of the lab's result inside its baseline directory
LAB_FILE = "lab.json"
LAB_SCHEMA = "blinddrill.lab/1"


@dataclass(frozen=True)
class ClockOutlook:
    """One clock over the lab's replications: the probability that an instance meets the
    limit (pooled instances) with its 95 % Wilson interval, the share of replications in which
    every instance met it, median and 90th-percentile durations (minutes), and per township
    (id → (probability, instances))."""

    clock: str
    name_zh: str
    name_en: str
    limit_min: float | None
    instances: int
    met: int
    p_meet: float | None
    low: float
    high: float
    p_all_met: float | None
    p50: float | None
    p90: float | None
    by_township: dict[str, tuple[float | None, int]]


@dataclass(frozen=True)
class LabResult:
    """What a lab run predicts (the headline: the calibration clocks pooled)."""

    replications: int
    seed: int
    instances: int
    met: int
    mean: float
    low: float
    high: float
    clocks: list[ClockOutlook]
    headline: list[str]
    baseline_dir: Path


def run_lab(region: Region, scenario: Scenario, n: int, seed: int, out_dir: Path,
            progress: Progress | None = None) -> LabResult:
    """Simulate and score ``scenario`` ``n`` times (batch seeds from ``seed``), write the
    replications' logs and ``lab.json`` as the baseline directory ``out_dir``; ``progress(k,
    n)`` after each replication."""
    cal = Calibration()
    with staged_dir(out_dir, discard=_entries(out_dir)) as new:
        spec = make_spec(scenario, [Alternative("drill", region)], keep_logs=new)
        res = run_batch(spec, n, seed, progress=progress)
        doc = res.aggregates[0].result(res.limits, res.clock_names)
        result = _result(doc, n, seed, cal.clocks, list(res.limits), out_dir)
        atomic_write(new / LAB_FILE, _dump(result))
    return result


def read_lab(out_dir: Path) -> LabResult | None:
    """The last lab run kept in ``out_dir`` (None: none, or not one this version wrote)."""
    try:
        doc = orjson.loads((out_dir / LAB_FILE).read_bytes())
        if doc.pop("schema", None) != LAB_SCHEMA:
            return None
        clocks = [ClockOutlook(**{**c, "by_township": {t: (v[0], v[1]) for t, v in
                                                       c["by_township"].items()}})
                  for c in doc.pop("clocks")]
        return LabResult(**{**doc, "clocks": clocks, "baseline_dir": out_dir})
    except (OSError, ValueError, TypeError, KeyError, IndexError):
        return None


def _entries(d: Path) -> list[str]:
    """Everything in the old baseline directory: the lab owns it whole."""
    return [p.name for p in d.iterdir()] if d.is_dir() else []


def _result(doc: dict[str, Any], n: int, seed: int, headline: list[str],
            order: list[str], out_dir: Path) -> LabResult:
    """``order``: the packs' clock ids in their order (the aggregate's are sorted)."""
    clocks = []
    for cid in (c for c in order if c in doc["clocks"]):
        c = doc["clocks"][cid]
        lo, hi = wilson(c["met"], c["instances"])
        dur = c["duration_min"]
        clocks.append(ClockOutlook(
            clock=cid, name_zh=c["name_zh"], name_en=c["name_en"], limit_min=c["limit_min"],
            instances=c["instances"], met=c["met"], p_meet=c["p_meet"], low=round(lo, 6),
            high=round(hi, 6), p_all_met=c["p_all_met"], p50=dur.get("p50"), p90=dur.get("p90"),
            by_township={t: (g["p_meet"], g["instances"]) for t, g in c["by_township"].items()}))
    total = sum(c.instances for c in clocks if c.clock in headline)
    ok = sum(c.met for c in clocks if c.clock in headline)
    lo, hi = wilson(ok, total)
    return LabResult(n, seed, total, ok, ok / total if total else 0.0, lo, hi, clocks,
                     list(headline), out_dir)


def _dump(r: LabResult) -> bytes:
    doc = asdict(r)
    doc.pop("baseline_dir")
    return orjson.dumps({"schema": LAB_SCHEMA, **doc}, option=orjson.OPT_INDENT_2)


__all__ = ["LAB_FILE", "ClockOutlook", "LabResult", "read_lab", "run_lab"]
