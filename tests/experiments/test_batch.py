"""Batches: the same numbers on 1 worker, 2 workers and a Dask LocalCluster; aggregation equal
to a direct computation; the M/M/c batch CI covers Erlang C; seeds are SeedSequence.spawn."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from engine.simulation import simulate
from evaluators import score_records
from evaluators.rules import load_pack, load_packs
from experiments.batch import Alternative, make_spec, run_batch
from experiments.executors import PoolExecutor, SerialExecutor
from experiments.seeds import replication_seed
from experiments.sketch import t975
from scenarios.seed_city import default_region
from tests.engine.test_mmc import erlang_c, mmc_params
from tests.experiments.helpers import WAIT_PACK, demo_scenario, mmc_region, poisson_scenario

N = 6


def _numbers(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k not in ("seconds", "executor", "chunk")}


@pytest.fixture(scope="module")
def spec() -> Any:
    return make_spec(demo_scenario(), [Alternative("base", default_region())])


@pytest.fixture(scope="module")
def serial(spec: Any, tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Path]:
    out = tmp_path_factory.mktemp("serial")
    return run_batch(spec, N, 5, executor=SerialExecutor(), out=out).document(5), out


def test_seeds_are_seedsequence_spawn_children() -> None:
    kids = np.random.SeedSequence(5).spawn(4)
    assert [replication_seed(5, i) for i in range(4)] == \
        [int(k.generate_state(1)[0]) for k in kids]


@pytest.mark.parametrize(("n", "size"), [(1, 3), (2, 3), (10, 3), (10, 1), (10, 20)])
def test_chunks_cover_every_replication_once(n: int, size: int) -> None:
    from experiments.batch import Chunks

    ch = Chunks(1, n, size, 5)
    flat = [pair for c in ch for pair in c]
    assert flat == [(i, replication_seed(5, i)) for i in range(1, n)]
    assert len(ch) == len(list(ch)) and all(0 < len(c) <= size for c in ch)


def test_two_workers_give_identical_aggregates(spec: Any, serial: tuple[Any, Path],
                                               tmp_path: Path) -> None:
    progress: list[tuple[int, int]] = []
    doc = run_batch(spec, N, 5, executor=PoolExecutor(2), out=tmp_path, chunk=2,
                    progress=lambda d, t: progress.append((d, t))).document(5)
    assert _numbers(doc) == _numbers(serial[0])
    assert progress == [(i, N) for i in range(1, N + 1)]
    assert (tmp_path / "replications.parquet").read_bytes() == \
        (serial[1] / "replications.parquet").read_bytes()


def test_dask_local_cluster_gives_identical_aggregates(spec: Any,
                                                       serial: tuple[Any, Path]) -> None:
    distributed = pytest.importorskip("distributed")
    from experiments.executors import DaskExecutor

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster, \
            distributed.Client(cluster) as client:
        ex = DaskExecutor(client=client)
        assert ex.workers == 2 and ex.describe().startswith("dask tcp://")
        doc = run_batch(spec, N, 5, executor=ex, chunk=1).document(5)
    assert _numbers(doc) == _numbers(serial[0])


def test_aggregation_equals_direct_computation(serial: tuple[Any, Path]) -> None:
    import pyarrow.parquet as pq

    doc, out = serial
    region, scenario, packs = default_region(), demo_scenario(), load_packs(None)
    cards = [score_records(simulate(region, scenario, seed=replication_seed(5, i)).records,
                           region=region, rules=packs) for i in range(N)]
    alt = doc["alternatives"][0]
    assert doc["replications"] == alt["replications"] == N
    overall = np.array([c.overall.score for c in cards])
    got = alt["values"]["overall.score"]
    assert got["mean"] == pytest.approx(overall.mean(), abs=1e-6)
    half = t975(N - 1) * overall.std(ddof=1) / math.sqrt(N)
    assert got["ci95"] == pytest.approx([overall.mean() - half, overall.mean() + half], abs=1e-6)
    for q in (0.05, 0.5, 0.95):  # the sketch's quantiles are within its relative accuracy
        exact = float(np.quantile(overall, q, method="lower"))
        assert got[f"p{round(q * 100)}"] == pytest.approx(exact, rel=0.006)
    for cid in ("arrive", "take_alarm"):
        n = sum(c.clocks[cid].n for c in cards)
        met = sum(c.clocks[cid].n_met for c in cards)
        clock = alt["clocks"][cid]
        assert (clock["instances"], clock["met"]) == (n, met)
        assert clock["p_meet"] == pytest.approx(met / n, abs=1e-6)
        comp = np.array([c.clocks[cid].n_met / c.clocks[cid].n for c in cards])
        assert clock["compliance"]["mean"] == pytest.approx(comp.mean(), abs=1e-6)
        assert clock["p_all_met"] == pytest.approx(float((comp == 1).mean()), abs=1e-6)
        durations = sorted(ic["value"] for c in cards for ic in
                           (i.clocks[cid] for i in c.incidents.values() if cid in i.clocks)
                           if ic["value"] is not None and ic["status"] != "open")
        exact = float(np.quantile(durations, 0.9, method="lower"))
        assert clock["duration_min"]["p90"] == pytest.approx(exact, rel=0.006)
        for town, g in clock["by_township"].items():
            tn = sum(c.clocks[cid].by_township[town].n for c in cards
                     if town in c.clocks[cid].by_township)
            assert g["instances"] == tn
    table = pq.read_table(out / "replications.parquet").to_pydict()
    assert table["rep"] == list(range(N))
    assert table["overall.score"] == pytest.approx(list(overall))


def test_mmc_batch_ci_covers_erlang_c(tmp_path: Path) -> None:
    (tmp_path / "wait.yaml").write_text(WAIT_PACK, encoding="utf-8")
    spec = make_spec(poisson_scenario, [Alternative("mmc", mmc_region(), mmc_params())],
                     packs=[load_pack(tmp_path / "wait.yaml")])
    doc = run_batch(spec, 30, 2024, executor=PoolExecutor(2)).document(2024)
    p_wait, wq = erlang_c(2, 1.0, 1.0)
    wait = doc["alternatives"][0]["values"]["clock.wait.mean"]
    lo, hi = wait["ci95"]
    assert lo <= wq <= hi, f"mean wait CI [{lo:.4f}, {hi:.4f}] misses Erlang C {wq:.4f}"
    assert hi - lo < 0.1, "the interval is informative"
    comp = doc["alternatives"][0]["clocks"]["wait"]["compliance"]  # met = did not wait
    lo, hi = comp["ci95"]
    assert lo <= 1 - p_wait <= hi, f"P(no wait) CI [{lo:.4f}, {hi:.4f}] misses {1 - p_wait:.4f}"
