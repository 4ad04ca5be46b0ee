"""The log-sized commands end without freeing their data (engine.gcpause): what they print and
write is complete, their exit codes are kept, and library callers free as usual."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from engine import gcpause
from tests.engine.conftest import COUNTY
from tests.engine.test_determinism_cli import SMALL, run_cli

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def run_dir(tmp_path: Path) -> Path:
    scen = tmp_path / "small.yaml"
    scen.write_text(SMALL, encoding="utf-8")
    out = tmp_path / "run"
    res = run_cli(["simulate", str(scen), "--region", str(COUNTY), "--seed", "3", "-o", str(out), "--json"])
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["run_dir"] == str(out)  # the whole summary reached the pipe
    return out


def test_keep_until_exit_is_a_no_op_outside_a_one_shot_process() -> None:
    assert gcpause._kept is None  # the tests' process never declared itself one-shot
    data = [object()]
    gcpause.keep_until_exit(data)
    assert gcpause._kept is None


def test_score_prints_the_whole_card_and_writes_out(run_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "card.json"
    res = run_cli(["score", str(run_dir), "--json", "--out", str(out)])
    assert res.returncode == 0, res.stderr
    printed = json.loads(res.stdout)  # fails on a card cut short by an unflushed buffer
    written = json.loads(out.read_text(encoding="utf-8"))
    assert printed == written
    assert printed["run"]["events"] > 20
    assert res.stderr == ""


def test_a_log_sized_command_keeps_its_error_exit_code(tmp_path: Path) -> None:
    res = run_cli(["score", str(tmp_path / "missing")])
    assert res.returncode == 2
    assert "not a directory" in res.stderr


def test_report_is_complete(run_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "aar.html"
    res = run_cli(["report", str(run_dir), "-o", str(out)])
    assert res.returncode == 0, res.stderr
    assert str(out) in res.stdout
    assert out.read_text(encoding="utf-8").rstrip().endswith("</html>")


def test_output_that_cannot_be_flushed_exits_120() -> None:
    # stdout's reader has gone (a closed pipe): the last flush fails, as the interpreter's own
    # would, and the code says so instead of a success with the output lost
    code = """
import os, sys
from engine.gcpause import exit_without_teardown, one_shot_process
r, w = os.pipe()
os.close(r)
sys.stdout = open(w, "w")
one_shot_process()
print("card")
exit_without_teardown(0)
"""
    res = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         timeout=60)
    assert res.returncode == 120, res.stderr
    assert "Traceback" not in res.stderr


def test_a_one_shot_process_keeps_what_it_is_given() -> None:
    code = """
from engine import gcpause
gcpause.one_shot_process()
data = [1, 2]
gcpause.keep_until_exit(data)
assert gcpause._kept == [data]
gcpause.exit_without_teardown(7)
"""
    res = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         timeout=60)
    assert res.returncode == 7, res.stderr
