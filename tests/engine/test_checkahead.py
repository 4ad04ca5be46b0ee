"""A log checked on a second core while it is scored gives exactly the sequential verdict.

``engine.checkahead.checked_records`` forks the check of a large log and hands the parsed
records to the caller at once; at the end of the block the child's verdict decides. These
tests force the overlap on small logs (``overlap=True``) and compare it with the check run
first: the same records and scorecard for a valid log, the same problems for a broken one,
the check's verdict over the block's own error, a dead child replaced by the check in the
parent, and no child process left behind in any case.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import orjson
import pytest

from engine import checkahead
from engine.checkahead import checked_records
from engine.logcheck import LogError, check_log, read_checked
from engine.simulation import simulate
from evaluators import score_records
from scenarios import forked
from scenarios.catalogue import load_catalogue
from scenarios.generator import generate
from scenarios.plan import load_plan

pytestmark = pytest.mark.usefixtures("fork_allowed")


@pytest.fixture(scope="module")
def log_path(county: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    sc = generate(county, load_catalogue(), load_plan(None), 5)
    path = tmp_path_factory.mktemp("log") / "events.jsonl"
    simulate(county, sc, seed=3).write_jsonl(path)
    return path


_FORKED: list[int] = []  #: the children forked by the test running (see the fixture)


@pytest.fixture(autouse=True)
def _record_forks(forked_pids: list[int]) -> None:
    global _FORKED
    _FORKED = forked_pids


def _no_children() -> bool:
    """Every child this test forked has been reaped (other tests' processes do not count)."""
    for pid in _FORKED:
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            continue
        return False
    return bool(_FORKED)


def _broken(log_path: Path, tmp_path: Path, how: str) -> Path:
    lines = log_path.read_bytes().splitlines(keepends=True)
    if how == "edited":
        rec = orjson.loads(lines[5])
        rec["t"] = rec["t"] + 0.5
        lines[5] = orjson.dumps(rec) + b"\n"
    elif how == "blank":
        lines.insert(7, b"\n")
    elif how == "cut":
        lines[-1] = lines[-1][:20]
    elif how == "not an object":
        lines[3] = b"[1, 2]\n"
    elif how == "unknown kind":
        rec = orjson.loads(lines[4])
        rec["kind"] = "volcano_erupted"
        lines[4] = orjson.dumps(rec) + b"\n"
    p = tmp_path / f"{how.replace(' ', '_')}.jsonl"
    p.write_bytes(b"".join(lines))
    return p


def test_a_valid_log_gives_the_same_records_and_scorecard(log_path: Path, county: Any) -> None:
    with checked_records(log_path, region=county, overlap=True) as records:
        card = score_records(records, region=county)
    assert records == read_checked(log_path, region=county)
    assert card == score_records(read_checked(log_path, region=county), region=county)
    assert _no_children()


@pytest.mark.parametrize("how", ["edited", "blank", "cut", "not an object", "unknown kind"])
def test_a_broken_log_raises_the_sequential_problems(log_path: Path, county: Any,
                                                    tmp_path: Path, how: str) -> None:
    bad = _broken(log_path, tmp_path, how)
    want = check_log(bad, region=county)
    assert not want.ok
    reached = []
    with pytest.raises(LogError) as got, checked_records(bad, region=county,
                                                        overlap=True) as records:
        reached.append(len(records))
        score_records(records, region=county)  # may fail on the broken records: the verdict wins
    assert got.value.problems == want.messages()
    assert got.value.truncated == want.truncated
    assert _no_children()


def test_the_blocks_own_error_stands_when_the_log_is_valid(log_path: Path) -> None:
    with pytest.raises(ZeroDivisionError), checked_records(log_path, overlap=True):
        _ = 1 / 0
    assert _no_children()


def test_a_dead_child_is_replaced_by_the_check_here(log_path: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    parent = os.getpid()
    real = checkahead.check_bytes

    def dies_in_the_child(*a: Any, **kw: Any) -> Any:
        if os.getpid() != parent:
            os._exit(3)
        return real(*a, **kw)

    monkeypatch.setattr(checkahead, "check_bytes", dies_in_the_child)
    with checked_records(log_path, overlap=True) as records:
        assert records
    bad = _broken(log_path, tmp_path, "edited")
    with pytest.raises(LogError, match="hash chain"), checked_records(bad, overlap=True):
        pass
    assert _no_children()


def test_small_logs_and_threaded_processes_check_first(log_path: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Below the size threshold, or with another thread running, nothing is forked: a broken
    log is refused before the block runs."""
    forks: list[int] = []
    monkeypatch.setattr(checkahead, "_check", lambda *a: forks.append(1))
    bad = _broken(log_path, tmp_path, "edited")
    ran = []
    with pytest.raises(LogError), checked_records(bad):
        ran.append(1)
    monkeypatch.setattr(forked, "can_fork", lambda: False)
    with pytest.raises(LogError), checked_records(bad, overlap=True):
        ran.append(1)
    assert not ran and not forks
