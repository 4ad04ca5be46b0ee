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


def test_baseline_plays_the_batch_and_lab_replications(tmp_path: Path) -> None:
    """One seed scheme: ``demo``'s baseline for a drill seeded S holds exactly the logs the
    console's simulation lab keeps (and ``blinddrill batch --seed S`` plays) for the same S,
    replication k being the batch's replication k - 1; two root seeds differ."""
    from experiments.lab import run_lab

    region, sc = default_region(), demo_scenario()
    base = write_baseline(tmp_path / "base", region, sc, 9, 3)
    run_lab(region, sc, 3, 9, tmp_path / "lab")
    for d in base:
        assert (d / "events.jsonl").read_bytes() == \
            (tmp_path / "lab" / d.name / "events.jsonl").read_bytes(), d.name
    [other] = write_baseline(tmp_path / "other", region, sc, 10, 1)
    assert (other / "events.jsonl").read_bytes() != (base[0] / "events.jsonl").read_bytes()


def test_baseline_scorecards_cached_only_while_unchanged(tmp_path: Path) -> None:
    """The baseline's scorecards come from RUN/baseline/scorecards.json only when the logs
    and the region are the ones it was written for; any change rescored, never stale."""
    import orjson

    from evaluators import score_replications
    from experiments.baseline import SCORECARDS, baseline_scorecards

    region, sc = default_region(), demo_scenario()
    root = tmp_path / "baseline"
    write_baseline(root, region, sc, 4, 3)
    fresh = score_replications(root, region=region)
    assert not (root / SCORECARDS).exists()
    assert baseline_scorecards(root, region=region) == fresh  # scored, cache written
    assert (root / SCORECARDS).is_file()
    cached = orjson.loads((root / SCORECARDS).read_bytes())
    cached["cards"][0]["overall"]["score"] = -1.0  # a hit is visible by this mark
    (root / SCORECARDS).write_bytes(orjson.dumps(cached))
    hit = baseline_scorecards(root, region=region)
    assert hit[0].overall.score == -1.0 and hit[1:] == fresh[1:]
    # another log in a replication's place: rescored (and the cache rewritten)
    (root / "rep-002" / "events.jsonl").write_bytes((root / "rep-001" / "events.jsonl")
                                                     .read_bytes())
    changed = score_replications(root, region=region)
    assert baseline_scorecards(root, region=region) == changed != fresh
    assert baseline_scorecards(root, region=region) == changed
    # another region: a miss too; a broken cache file: rescored
    cached = orjson.loads((root / SCORECARDS).read_bytes())
    cached["cards"][0]["overall"]["score"] = -1.0
    (root / SCORECARDS).write_bytes(orjson.dumps(cached))
    assert baseline_scorecards(root, region=None)[0].overall.score != -1.0
    (root / SCORECARDS).write_bytes(b"{not json")
    assert baseline_scorecards(root, region=region) == changed


def test_percentiles_against_cached_for_that_scorecard_only(tmp_path: Path) -> None:
    """against_baseline gives percentiles_against's very result, from the cache only for the
    scorecard it was computed for."""
    import orjson

    from evaluators import percentiles_against, score_replications, score_run
    from experiments.baseline import SCORECARDS, against_baseline

    region, sc = default_region(), demo_scenario()
    root = tmp_path / "baseline"
    write_baseline(root, region, sc, 4, 3)
    reps = score_replications(root, region=region)
    card, other = score_run(root / "rep-001", region=region), score_run(root / "rep-002",
                                                                         region=region)
    assert against_baseline(card, root, region=region) == (reps, percentiles_against(card, reps))
    cached = orjson.loads((root / SCORECARDS).read_bytes())
    cached["against"]["baseline"]["replications"] = 99  # a hit is visible by this mark
    (root / SCORECARDS).write_bytes(orjson.dumps(cached))
    assert against_baseline(card, root, region=region)[1].replications == 99
    assert against_baseline(other, root, region=region) == (reps,
                                                             percentiles_against(other, reps))
    assert against_baseline(other, root, region=region)[1].replications == 3


def test_a_baseline_of_few_runs_is_marked_few() -> None:
    """Below FEW_REPLICATIONS one run is worth 10 percentile points or more: readers flag it."""
    from evaluators.baseline import FEW_REPLICATIONS, Baseline

    assert FEW_REPLICATIONS == 10
    assert Baseline(replications=9).few and Baseline(replications=1).few
    assert not Baseline(replications=10).few and not Baseline(replications=20).few
