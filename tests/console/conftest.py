"""Fixtures for the console tests: a demo store per test and the console's service with a
manual clock (helpers in :mod:`consolehelp`).

The demo store (seed city, sealed demo drill, demo accounts with bcrypt cost 4) is made once
per session and copied for each test. ``st.cache_resource`` (the console's one service per
process) is cleared around every test, so each test gets a fresh service on its own copy.
"""

from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from consolehelp import Console  # noqa: E402

if TYPE_CHECKING:
    from browser import Server


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo store made once (copied per test)."""
    from ui.console.demo import make_demo

    db = tmp_path_factory.mktemp("demo") / "drill.db"
    make_demo(db, rounds=4)
    return db


@pytest.fixture
def console(demo_template: Path, tmp_path: Path,
            monkeypatch: pytest.MonkeyPatch) -> Iterator[Console]:
    """A fresh copy of the demo store and the console's service on it (manual clock)."""
    import streamlit as st

    from live.clock import ManualClock
    from ui.console import state

    db = tmp_path / "drill.db"
    shutil.copy(demo_template, db)
    monkeypatch.setenv(state.DB_ENV, str(db))
    st.cache_resource.clear()
    svc = state.service()
    clock = ManualClock(time.time())
    svc.clock = clock
    yield Console(db, svc, clock)
    svc.close()
    st.cache_resource.clear()




@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian chromium through Playwright, one per test module (browser tests only)."""
    from browser import launch
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


@pytest.fixture
def server(demo_template: Path, tmp_path: Path) -> Iterator[Server]:
    """``blinddrill console`` on a copy of the demo store (browser tests only)."""
    from browser import start_server

    db = tmp_path / "drill.db"
    shutil.copy(demo_template, db)
    srv = start_server(db, tmp_path / "console.log")
    yield srv
    srv.stop()
