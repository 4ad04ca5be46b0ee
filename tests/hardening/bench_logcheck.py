"""Benchmark (not a test): check a 1,000,000-event log; prints seconds and the ratio to
``engine.eventlog.read_records`` (plain orjson reading, no checks) measured in the same run.

Run: ``.venv/bin/python tests/hardening/bench_logcheck.py [N]``.
"""

from __future__ import annotations

import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import orjson

from engine.eventlog import encode_record, read_records
from engine.logcheck import check_log


def synthetic_log(path: Path, n: int) -> None:
    """A valid log of ``n`` events: incidents with alarms, dispatches, arrivals, reports."""
    cycle = [("alarm_raised", {"level": "county"}), ("alarm_taken", {"level": "county"}),
             ("unit_dispatched", {"level": "county", "eta_min": 7.5}),
             ("unit_arrived", {}), ("task_started", {"task": "rescue"}),
             ("report_submitted", {"stage": "first", "to": "county", "channel": "phone",
                                   "fields": ["a"], "values": {"a": 1}})]
    with open(path, "wb") as fh:
        fh.write(encode_record({"seq": 0, "t": 0.0, "kind": "drill_started", "incident": None,
                                "unit": None, "inject": None, "depot": None, "post": None,
                                "source": "sim", "data": {"scenario": "bench"}}))
        seq, t, inc = 1, 0.0, 0
        while seq < n:
            inc += 1
            iid = f"I{inc:06d}"
            fh.write(encode_record({"seq": seq, "t": t, "kind": "incident_occurred",
                                    "incident": iid, "unit": None, "inject": None,
                                    "depot": None, "post": None, "source": "sim",
                                    "data": {"category": "flood", "grade": "IV",
                                             "township": "T1", "casualties": {},
                                             "template": "flood"}}))
            seq += 1
            for kind, data in cycle:
                if seq >= n:
                    break
                t = round(t + 0.01, 6)
                unit = "U1" if kind.startswith(("unit", "task")) else None
                fh.write(encode_record({"seq": seq, "t": t, "kind": kind, "incident": iid,
                                        "unit": unit, "inject": None, "depot": None,
                                        "post": None, "source": "sim", "data": data}))
                seq += 1


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "events.jsonl"
        synthetic_log(p, n)
        size = p.stat().st_size
        t0 = time.perf_counter()
        plain = read_records(p)
        t_plain = time.perf_counter() - t0
        del plain
        t0 = time.perf_counter()
        res = check_log(p)
        t_check = time.perf_counter() - t0
        assert res.ok and len(res.records) == n, res.messages()[:3]
        del res
        tracemalloc.start()
        check_log(p)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    print(orjson.dumps({"events": n, "file_mb": round(size / 2**20, 1),
                        "read_records_s": round(t_plain, 2), "check_log_s": round(t_check, 2),
                        "ratio": round(t_check / t_plain, 2),
                        "check_log_peak_mb": round(peak / 2**20)}).decode())


if __name__ == "__main__":
    main()
