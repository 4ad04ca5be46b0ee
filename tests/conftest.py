"""Shared fixtures: the example county and the built-in seed city (built once per session)."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from scenarios.region import Region, load_region

# the seed city's disk cache (scenarios.region_cache) in a directory of this test session, not
# in the user's home; CLI subprocesses inherit it
if "BLINDDRILL_CACHE_DIR" not in os.environ:
    _cache = tempfile.mkdtemp(prefix="blinddrill-cache-")
    os.environ["BLINDDRILL_CACHE_DIR"] = _cache
    atexit.register(shutil.rmtree, _cache, ignore_errors=True)

ROOT = Path(__file__).resolve().parent.parent
COUNTY_YAML = ROOT / "scenarios" / "regions" / "county.yaml"


@pytest.fixture(scope="session")
def county() -> Region:
    """The hand-written example county (20 units)."""
    return load_region(COUNTY_YAML)


@pytest.fixture(scope="session")
def county_sim_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A simulated run directory of the hardening corpus's county scenario (seed 1): its log
    and ``inputs/run.json`` with the log's final hash. Read it; copy it to change it."""
    from click.testing import CliRunner

    from ui.cli import cli

    run = tmp_path_factory.mktemp("sim") / "run"
    scenario = ROOT / "tests" / "hardening" / "data" / "county_scenario.yaml"
    res = CliRunner().invoke(cli, ["simulate", str(scenario), "--region", str(COUNTY_YAML),
                                   "--seed", "1", "-o", str(run)])
    assert res.exit_code == 0, res.output
    return run


@pytest.fixture(scope="session")
def seed_city() -> Region:
    """The built-in seed city (default seed)."""
    from scenarios.seed_city import default_region

    return default_region()


@pytest.fixture()
def forked_pids(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The pids of the children ``os.fork`` makes during the test (to check each was
    reaped: ``os.waitpid(pid, os.WNOHANG)`` raises ``ChildProcessError``)."""
    pids: list[int] = []
    real_fork = os.fork

    def fork() -> int:
        pid = real_fork()
        if pid:
            pids.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", fork)
    return pids


@pytest.fixture()
def fork_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let ``scenarios.forked`` fork although the test process runs other threads (earlier
    tests leave some: a Dask cluster's, a server's); the child only checks and exits."""
    import sys

    from scenarios import forked

    if not sys.platform.startswith("linux"):
        pytest.skip("needs fork")
    monkeypatch.setattr(forked, "can_fork", lambda: True)
