"""A drill's baseline replications written on a pool equal those written in process, and use
the behaviour parameters given (demo --params)."""

from __future__ import annotations

from pathlib import Path

from engine.eventlog import read_records
from engine.params import load_params
from experiments.baseline import write_baseline
from experiments.executors import PoolExecutor
from scenarios.seed_city import default_region
from tests.experiments.helpers import demo_scenario


def test_pool_baseline_is_byte_identical_and_honours_params(tmp_path: Path) -> None:
    region, sc = default_region(), demo_scenario()
    serial = write_baseline(tmp_path / "s", region, sc, 4, 5)
    pooled = write_baseline(tmp_path / "p", region, sc, 4, 5, executor=PoolExecutor(2), chunk=2)
    assert [d.name for d in pooled] == [f"rep-{k:03d}" for k in range(1, 6)]
    for a, b in zip(serial, pooled, strict=True):
        assert (a / "events.jsonl").read_bytes() == (b / "events.jsonl").read_bytes()
    data = load_params().model_dump(mode="json")
    data["alarm"]["take_alarm"] = {k: {"dist": "fixed", "value": 2.5}
                                   for k in data["alarm"]["take_alarm"]}
    slow = type(load_params()).model_validate(data)
    [d] = write_baseline(tmp_path / "slow", region, sc, 4, 1, params=slow)
    recs = read_records(d / "events.jsonl")
    raised = {r["incident"]: r["t"] for r in recs if r["kind"] == "alarm_raised"}
    taken = [r["t"] - raised[r["incident"]] for r in recs if r["kind"] == "alarm_taken"]
    assert taken and min(taken) >= 2.5 - 1e-6, "the given take-alarm time was used"
