"""Live-store benchmark: prints figures measured in one run (not a timed test).

1. Recording throughput: W writer threads (one service, a connection each) record
   observations into one drill of a real store on disk (WAL, synchronous=FULL); confirmed
   actions per second overall, and the p50 / p95 / max time from the call to its return
   (= after the commit). Also with W writer *processes*.
2. Live-score refresh: ``LiveService.live_score`` (read the log from SQLite, score it with the
   evaluators, audit the read) on a 1,000- and a 10,000-event log (a simulated seed-city drill
   stored in the live store), and the scoring part alone.

Usage: ``.venv/bin/python bench/bench_live.py [--writers 8] [--count 100]``.
Figures are recorded in docs/performance.md ("Live store").
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import statistics
import tempfile
import threading
import time
from pathlib import Path

from live import LiveService, ManualClock
from live.events import append_event
from live.store import write

PASSWORD = "bench-password"
PASSPHRASE = "bench passphrase 123"


def _seed_store(path: Path, writers: int) -> str:
    from scenarios.sealing import seal

    svc = LiveService(path)
    d = svc.init_director("director", PASSWORD, rounds=4)
    for k in range(writers):
        svc.add_user(d, f"umpire{k}", "evaluator", PASSWORD)
    sealed = seal(_scenario(40)).to_bytes()
    drill = svc.import_drill(d, sealed, PASSPHRASE).id
    svc.start(d, drill)
    svc.close()
    return drill


def _scenario(n: int):  # type: ignore[no-untyped-def]
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from bench_engine import incident_stream, make_scenario  # type: ignore[import-not-found]

    from scenarios.seed_city import default_region

    return make_scenario(incident_stream(default_region(), n, 8, 1), 8)


def _record(svc: LiveService, user: str, drill: str, count: int, tag: str) -> list[float]:
    who = svc.login(user, PASSWORD)
    lat = []
    for i in range(count):
        t0 = time.perf_counter()
        svc.observe(who, drill, f"{tag} note {i}", action_id=f"{tag}-{i:08d}", rating="S")
        lat.append(time.perf_counter() - t0)
    svc.close()
    return lat


def _proc(args: tuple[str, str, str, int, str]) -> list[float]:
    path, user, drill, count, tag = args
    return _record(LiveService(path, create=False), user, drill, count, tag)


def _report(name: str, lat: list[float], wall: float) -> None:
    lat.sort()
    p95 = lat[int(0.95 * (len(lat) - 1))]
    print(f"{name}: {len(lat)} confirmed actions in {wall:.2f} s = {len(lat) / wall:.0f}/s; "
          f"call->commit p50 {statistics.median(lat) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms, "
          f"max {lat[-1] * 1000:.1f} ms")


def bench_writers(tmp: Path, writers: int, count: int) -> None:
    path = tmp / "writers.db"
    drill = _seed_store(path, writers)
    svc = LiveService(path)
    lats: list[list[float]] = [[] for _ in range(writers)]

    def run(k: int) -> None:
        lats[k] = _record(svc, f"umpire{k}", drill, count, f"T{k}")

    ts = [threading.Thread(target=run, args=(k,)) for k in range(writers)]
    t0 = time.perf_counter()
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    _report(f"{writers} writer threads", [x for lat in lats for x in lat],
            time.perf_counter() - t0)
    ctx = mp.get_context("spawn")
    with ctx.Pool(writers) as pool:
        pool.map(_proc, [(str(path), f"umpire{k}", drill, 1, f"W{k}") for k in range(writers)])
        t0 = time.perf_counter()
        res = pool.map(_proc, [(str(path), f"umpire{k}", drill, count, f"P{k}")
                               for k in range(writers)])
        wall = time.perf_counter() - t0
    _report(f"{writers} writer processes", [x for lat in res for x in lat], wall)
    d = svc.login("director", PASSWORD)
    assert svc.verify(d, drill).ok
    svc.close()


def bench_score(tmp: Path) -> None:
    from engine.simulation import simulate
    from scenarios.sealing import seal
    from scenarios.seed_city import default_region

    sc = _scenario(400)
    records = simulate(default_region(), sc, seed=1).records
    for n in (1000, 10000):
        path = tmp / f"score{n}.db"
        clock = ManualClock()
        svc = LiveService(path, clock=clock)
        d = svc.init_director("director", PASSWORD, rounds=4)
        drill = svc.import_drill(d, seal(sc).to_bytes(), PASSPHRASE, drill_id=f"s{n}").id
        svc.start(d, drill)
        conn = svc.store.conn()
        with write(conn):
            for r in records[1:n]:
                append_event(conn, drill, r["kind"], r["t"], wall=time.time(),
                             ids={f: r[f] for f in ("incident", "unit", "inject", "depot",
                                                    "post")},
                             source=r["source"], data=r["data"])
        clock.advance(records[n - 1]["t"] * 60)  # "now" = the time of the last record
        svc.live_score(d, drill)  # warm: region and rule packs loaded once per service
        total, scoring = [], []
        for _ in range(5):
            t0 = time.perf_counter()
            s = svc.live_score(d, drill)
            total.append(time.perf_counter() - t0)
            scoring.append(s.seconds)
        print(f"live score on {s.events} events: refresh {min(total) * 1000:.0f} ms "
              f"(median {statistics.median(total) * 1000:.0f} ms), of which scoring "
              f"{min(scoring) * 1000:.0f} ms")
        svc.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--writers", type=int, default=8)
    ap.add_argument("--count", type=int, default=100, help="actions per writer")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        bench_writers(Path(tmp), a.writers, a.count)
        bench_score(Path(tmp))


if __name__ == "__main__":
    main()
