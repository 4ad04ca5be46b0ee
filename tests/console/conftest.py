"""Fixtures for the console tests: a demo store per test, the console's service with a manual
clock, and AppTest runners for the app and for single pages.

The demo store (seed city, sealed demo drill, demo accounts with bcrypt cost 4) is made once
per session and copied for each test. ``st.cache_resource`` (the console's one service per
process) is cleared around every test, so each test gets a fresh service on its own copy.
"""

from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

APP = Path(__file__).resolve().parents[2] / "ui" / "console" / "app.py"
PASSWORDS = {"director": "demo-director", "umpire1": "demo-umpire1", "umpire2": "demo-umpire2",
             "controller1": "demo-controller1", "trainer1": "demo-trainer1"}


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo store made once (copied per test)."""
    from ui.console.demo import make_demo

    db = tmp_path_factory.mktemp("demo") / "drill.db"
    make_demo(db, rounds=4)
    return db


@dataclass
class Console:
    """A test's console: its store, its service (manual clock) and helpers."""

    db: Path
    svc: Any
    clock: Any

    def who(self, name: str) -> Any:
        """Log ``name`` in through the console's service."""
        return self.svc.login(name, PASSWORDS[name])

    def director(self) -> Any:
        """The director, logged in."""
        return self.who("director")

    def start(self) -> Any:
        """Unlock and start the demo drill; return the director."""
        boss = self.director()
        self.svc.unlock(boss, "DEMO", "demo-passphrase")
        self.svc.start(boss, "DEMO")
        return boss

    def records(self, kind: str | None = None) -> list[dict[str, Any]]:
        """The demo drill's stored records (optionally of one kind)."""
        recs = self.svc.log(self.director(), "DEMO")
        return [r for r in recs if kind is None or r["kind"] == kind]


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


def app_test(principal: Any = None, lang: str = "zh") -> Any:
    """The whole app (frame, navigation, landing page) as ``principal``."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=60)
    if principal is not None:
        at.session_state["principal"] = principal
    at.session_state["lang"] = lang
    return at


def _page_script(page_id: str) -> None:
    import importlib

    from ui.console.state import end_run, language_switch

    language_switch()
    try:
        importlib.import_module(f"ui.console.views.{page_id}").page()
    finally:
        end_run()


def page_test(page_id: str, principal: Any, lang: str = "zh") -> Any:
    """One page (with the language switch) as ``principal``."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_page_script, args=(page_id,), default_timeout=90)
    at.session_state["principal"] = principal
    at.session_state["lang"] = lang
    return at


def texts(at: Any) -> str:
    """Every text an AppTest run shows (markdown, text, captions, alerts, metrics, tables)."""
    out: list[str] = []
    for group in ("markdown", "text", "caption", "code", "title", "header", "subheader",
                  "success", "info", "warning", "error"):
        out += [str(e.value) for e in getattr(at, group)]
    out += [f"{m.label} {m.value}" for m in at.metric]
    for df in at.dataframe:
        out.append(df.value.to_csv())
    for b in at.button:
        out.append(str(b.label))
    return "\n".join(out)
