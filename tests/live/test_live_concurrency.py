"""Concurrent recording against the real store: 8 threads and 4 processes record a fixed
count each, every call retried once with the same action id; every confirmed action is
stored exactly once, none is lost, seq has no gap and the chain verifies. A recording process
killed with SIGKILL loses nothing it had confirmed, and the clock continues from the stored
start and pauses."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from live import LiveService
from live.clock import Pause, drill_minutes

WORKER = Path(__file__).with_name("live_worker.py")
ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "s3cret-pass"


def _store(tmp_path: Path, sealed: bytes, region_yaml: str) -> tuple[Path, str]:
    path = tmp_path / "drill.db"
    svc = LiveService(path)
    d = svc.init_director("director1", PASSWORD, rounds=4)
    for i in range(8):
        svc.add_user(d, f"umpire{i}", "evaluator", PASSWORD)
    st = svc.import_drill(d, sealed, "correct horse battery staple", region_yaml=region_yaml)
    svc.start(d, st.id)
    svc.close()
    return path, st.id


def _worker(path: Path, user: str, drill: str, count: int, prefix: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, str(WORKER), str(path), user, PASSWORD, drill,
                             str(count), prefix], stdout=subprocess.PIPE, text=True, cwd=ROOT)


@pytest.mark.slow
def test_threads_and_processes_record_each_action_once(tmp_path, sealed_bytes, county_yaml):
    path, drill = _store(tmp_path, sealed_bytes, county_yaml)
    n_thread, n_proc = 40, 40
    svc = LiveService(path)  # one service, one connection per thread
    confirmed: list[tuple[str, int]] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(k: int) -> None:
        try:
            who = svc.login(f"umpire{k}", PASSWORD)
            for i in range(n_thread):
                aid = f"T{k}-{i:06d}"
                r = svc.observe(who, drill, f"thread {k} note {i}", action_id=aid, rating="P")
                again = svc.observe(who, drill, "retry", action_id=aid, rating="P")
                assert again.seq == r.seq and not again.created and r.created
                with lock:
                    confirmed.append((aid, r.seq))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            svc.close()

    procs = [_worker(path, f"umpire{k}", drill, n_proc, f"P{k}") for k in range(4)]
    threads = [threading.Thread(target=run, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for p in procs:
        out, _ = p.communicate(timeout=120)
        assert p.returncode == 0
        confirmed += [(ln.split()[1], int(ln.split()[2])) for ln in out.splitlines()]
    assert not errors, errors
    assert len(confirmed) == 8 * n_thread + 4 * n_proc
    d = svc.login("director1", PASSWORD)
    log = svc.log(d, drill)
    ids = Counter(r["data"].get("action_id") for r in log if r["source"] == "umpire")
    assert len(ids) == len(confirmed) and set(ids.values()) == {1}  # once each, none lost
    by_seq = {r["seq"]: r for r in log}
    for aid, seq in confirmed:
        assert by_seq[seq]["data"]["action_id"] == aid
    assert [r["seq"] for r in log] == list(range(len(log)))
    assert svc.verify(d, drill).ok
    svc.close()


def _started_and_pauses(path: Path, drill: str) -> tuple[float, list[Pause]]:
    import sqlite3

    con = sqlite3.connect(path)
    started = con.execute("SELECT started_wall FROM drills WHERE id = ?", (drill,)).fetchone()[0]
    pauses = [Pause(a, b) for a, b in con.execute(
        "SELECT start_wall, end_wall FROM pauses WHERE drill = ?", (drill,))]
    con.close()
    return started, pauses


@pytest.mark.slow
def test_kill_9_mid_stream_loses_nothing_confirmed(tmp_path, sealed_bytes, county_yaml):
    path, drill = _store(tmp_path, sealed_bytes, county_yaml)
    svc = LiveService(path)
    d = svc.login("director1", PASSWORD)
    time.sleep(0.05)
    svc.hold(d, drill, "before the crash")
    svc.resume(d, drill)
    p = _worker(path, "umpire0", drill, 100000, "K")
    confirmed = []
    assert p.stdout is not None
    for line in p.stdout:
        confirmed.append(line.split()[1])
        if len(confirmed) == 60:
            p.send_signal(signal.SIGKILL)
            break
    p.wait(timeout=30)
    assert p.returncode == -signal.SIGKILL
    svc.close()
    # reopen as after a crash: a new service (new connections, nothing in memory)
    svc2 = LiveService(path, create=False)
    d2 = svc2.login("director1", PASSWORD)
    stored = {r["data"].get("action_id") for r in svc2.log(d2, drill)}
    assert set(confirmed) <= stored
    assert svc2.verify(d2, drill).ok
    started, pauses = _started_and_pauses(path, drill)
    assert len(pauses) == 1 and pauses[0].end is not None
    now = time.time()
    t = svc2.drill_time(drill)
    assert abs(t - drill_minutes(started, pauses, now)) < 0.01  # continues from the rows
    assert t >= max(r["t"] for r in svc2.log(d2, drill)) - 1e-6
    # and recording goes on after the crash, with seq continuing
    u = svc2.login("umpire1", PASSWORD)
    r = svc2.observe(u, drill, "after restart", action_id="after-restart-1")
    assert r.seq == len(svc2.log(d2, drill)) - 1
    svc2.close()
