"""The console's simulation lab (experiments.lab): a batch whose replication logs are kept as
the review's baseline; its headline is the calibration's compliance, recomputed here from the
kept logs; its result is read back from lab.json; a second, shorter run replaces the first."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.eventlog import read_records, write_jsonl
from engine.rundir import replication_dir
from engine.simulation import simulate
from evaluators.score import replication_dirs
from experiments.batch import Alternative, make_spec, run_batch
from experiments.calibration import calibration_clocks, compliance_from_records, wilson
from experiments.lab import LAB_FILE, read_lab, run_lab
from experiments.seeds import replication_seed
from scenarios.plan import Calibration
from scenarios.seed_city import default_region
from tests.experiments.helpers import demo_scenario

N, SEED = 3, 11


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, Path]:
    out = tmp_path_factory.mktemp("lab") / "baseline"
    seen: list[tuple[int, int]] = []
    res = run_lab(default_region(), demo_scenario(), N, SEED, out,
                  progress=lambda k, n: seen.append((k, n)))
    assert seen == [(k, N) for k in range(1, N + 1)]
    return res, out


def test_the_logs_are_the_batch_replications(lab: tuple[object, Path], tmp_path: Path) -> None:
    _, out = lab
    dirs = replication_dirs(out)
    assert [d.name for d in dirs] == [f"rep-{k:03d}" for k in range(1, N + 1)]
    region, scenario = default_region(), demo_scenario()
    for i, d in enumerate(dirs):  # replication i: the batch's seed, byte for byte
        log = simulate(region, scenario, seed=replication_seed(SEED, i))
        write_jsonl(log.records, tmp_path / f"{i}.jsonl")
        assert (d / "events.jsonl").read_bytes() == (tmp_path / f"{i}.jsonl").read_bytes()


def test_the_headline_is_the_calibration_compliance_of_those_logs(
        lab: tuple[object, Path]) -> None:
    res, out = lab
    clocks = calibration_clocks(Calibration())
    n = ok = 0
    for d in replication_dirs(out):
        a, b = compliance_from_records(read_records(d / "events.jsonl"), clocks)
        n, ok = n + a, ok + b
    assert n > 0
    assert (res.instances, res.met) == (n, ok)  # type: ignore[attr-defined]
    assert res.mean == ok / n and (res.low, res.high) == wilson(ok, n)  # type: ignore[attr-defined]


def test_every_clock_equals_the_batch_aggregate(lab: tuple[object, Path]) -> None:
    res, _ = lab
    batch = run_batch(make_spec(demo_scenario(), [Alternative("drill", default_region())]),
                      N, SEED)
    doc = batch.aggregates[0].result(batch.limits, batch.clock_names)["clocks"]
    got = {c.clock: c for c in res.clocks}  # type: ignore[attr-defined]
    assert set(got) == set(doc) and "arrive" in got
    for cid, c in doc.items():
        g = got[cid]
        assert (g.instances, g.met, g.p_meet, g.p_all_met) == \
            (c["instances"], c["met"], c["p_meet"], c["p_all_met"])
        assert g.by_township == {t: (v["p_meet"], v["instances"])
                                 for t, v in c["by_township"].items()}
        assert (g.low, g.high) == tuple(round(x, 6) for x in wilson(c["met"], c["instances"]))


def test_the_result_is_read_back(lab: tuple[object, Path]) -> None:
    res, out = lab
    assert read_lab(out) == res
    assert read_lab(out.parent / "nowhere") is None


def test_a_broken_or_foreign_lab_file_reads_as_none(tmp_path: Path) -> None:
    d = tmp_path / "b"
    d.mkdir()
    for text in (b"{", b'{"schema": "other/1"}', b'{"schema": "blinddrill.lab/1"}'):
        (d / LAB_FILE).write_bytes(text)
        assert read_lab(d) is None


def test_a_shorter_run_replaces_the_whole_baseline(tmp_path: Path) -> None:
    out = tmp_path / "baseline"
    run_lab(default_region(), demo_scenario(), 2, 1, out)
    (out / "scorecards.json").write_text("{}")  # the review's cache of the old logs
    res = run_lab(default_region(), demo_scenario(), 1, 2, out)
    assert sorted(p.name for p in out.iterdir()) == [LAB_FILE, "rep-001"]
    assert read_lab(out) == res and res.replications == 1


def test_a_failed_run_leaves_the_previous_one(tmp_path: Path) -> None:
    out = tmp_path / "baseline"
    first = run_lab(default_region(), demo_scenario(), 1, 1, out)
    before = (replication_dir(out, 1) / "events.jsonl").read_bytes()

    def boom(k: int, n: int) -> None:
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        run_lab(default_region(), demo_scenario(), 2, 5, out, progress=boom)
    assert read_lab(out) == first
    assert (replication_dir(out, 1) / "events.jsonl").read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == [LAB_FILE, "rep-001"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
