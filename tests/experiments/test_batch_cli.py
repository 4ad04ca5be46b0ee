"""``blinddrill batch`` end to end: files written, --json, refusal to overwrite, and Ctrl-C
(SIGINT to the process group, as a terminal sends it) stops the workers — no orphan process —
and keeps the finished replications."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from scenarios.sealing import seal, write_sealed
from tests.experiments.helpers import demo_scenario
from ui.cli import cli

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def sealed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    p = tmp_path_factory.mktemp("sealed") / "sealed.json"
    write_sealed(seal(demo_scenario()), p)
    return p


def test_batch_cli_writes_summary_parquet_and_inputs(sealed: Path, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    out = tmp_path / "b"
    res = CliRunner().invoke(cli, ["batch", str(sealed), "-n", "4", "--workers", "1",
                                   "--seed", "3", "-o", str(out), "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    assert doc["schema"] == "blinddrill.batch/1" and doc["replications"] == 4
    assert doc["alternatives"][0]["clocks"]["arrive"]["limit_min"] == 10
    assert json.loads((out / "summary.json").read_text()) == doc
    assert pq.read_table(out / "replications.parquet").num_rows == 4
    assert (out / "inputs" / "sealed.json").read_bytes() == sealed.read_bytes()
    assert json.loads((out / "inputs" / "run.json").read_text())["replications"] == 4
    again = CliRunner().invoke(cli, ["batch", str(sealed), "-n", "2", "-o", str(out)])
    assert again.exit_code == 2 and "already holds a batch" in again.output
    text = CliRunner().invoke(cli, ["batch", str(sealed), "-n", "2", "--workers", "1", "-o",
                                    str(out), "--force", "--lang", "en"])
    assert text.exit_code == 0, text.output
    assert "Monte Carlo batch: 2/2 replications" in text.output
    assert "P(meet limit)" in text.output and "First unit on scene within 10 minutes" in text.output
    # townships romanised as in the console, no Chinese left in the English summary
    assert "townships least likely to meet it" in text.output
    assert not [c for c in text.output if "\u4e00" <= c <= "\u9fff"], text.output


def test_a_clock_no_replication_exercised_reads_as_such() -> None:
    """A clock with no case in any replication (a grade-I report limit in a drill of minor
    incidents) gets one line saying so, not a row of dashes; exercised clocks keep theirs."""
    from ui.commands.batch import render

    group = {"instances": 0, "met": 0, "p_meet": None, "p_all_met": None, "replications": 0,
             "compliance": {"n": 0, "mean": None, "sd": None, "ci95": None},
             "duration_min": {"p50": None, "p90": None}, "by_township": {}}
    used = {**group, "instances": 8, "met": 6, "p_meet": 0.75, "p_all_met": 0.5,
            "compliance": {"n": 4, "mean": 0.75, "sd": 0.1, "ci95": [0.6, 0.9]},
            "duration_min": {"p50": 8.0, "p90": 11.0}}
    doc = {"replications": 4, "requested": 4, "seconds": 1.0, "executor": "serial",
           "interrupted": False, "alternatives": [{"clocks": {
               "phone": {**group, "name_zh": "重大及以上15分钟电话报告",
                         "name_en": "Phone report within 15 min (grade I-II)"},
               "arrive": {**used, "name_zh": "10分钟到场", "name_en": "On scene in 10 min"}}}]}
    zh = render(doc, "zh", Path("b")).splitlines()
    assert "  重大及以上15分钟电话报告: 各次重复均未涉及(没有这类情形,不计达标率)" in zh
    assert not any("—" in ln for ln in zh)
    assert any(ln.startswith("  10分钟到场: 达标概率 0.75;") for ln in zh)
    en = render(doc, "en", Path("b"))
    assert "Phone report within 15 min (grade I-II): not exercised in any replication" in en


def test_batch_rejects_workers_with_scheduler(sealed: Path, tmp_path: Path) -> None:
    res = CliRunner().invoke(cli, ["batch", str(sealed), "-n", "2", "--workers", "2",
                                   "--scheduler", "tcp://127.0.0.1:1", "-o", str(tmp_path)])
    assert res.exit_code == 2 and "exclude each other" in res.output


def _session_pids(sid: int) -> set[int]:
    pids = set()
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            stat = (d / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[3]) == sid and fields[0] != "Z":  # fields: state ppid pgrp session
            pids.add(int(d.name))
    return pids


@pytest.mark.slow
def test_ctrl_c_stops_workers_and_keeps_finished_replications(sealed: Path,
                                                              tmp_path: Path) -> None:
    out = tmp_path / "b"
    proc = subprocess.Popen(
        [sys.executable, "-m", "ui.cli", "batch", str(sealed), "-n", "5000", "--workers", "2",
         "-o", str(out), "--json"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        deadline = time.monotonic() + 60
        while len(_session_pids(proc.pid)) < 3 and time.monotonic() < deadline:
            time.sleep(0.1)  # the parent and its two workers
        workers = _session_pids(proc.pid) - {proc.pid}
        assert len(workers) >= 2, "the pool started"
        time.sleep(3)  # let some chunks finish
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
        stdout, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 130, stderr.decode()
    doc = json.loads(stdout)
    assert doc["interrupted"] is True and 0 < doc["replications"] < 5000
    assert json.loads((out / "summary.json").read_text())["replications"] == doc["replications"]
    import pyarrow.parquet as pq

    assert pq.read_table(out / "replications.parquet").num_rows == doc["replications"]
    time.sleep(0.2)
    assert not _session_pids(proc.pid), "no orphan worker processes"
