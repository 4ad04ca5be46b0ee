"""Helpers of the console tests (a module name of its own: ``conftest`` is ambiguous when
several test folders are collected together): the demo passwords, the :class:`Console` a test
gets, and AppTest runners for the app and for single pages."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

APP = Path(__file__).resolve().parents[2] / "ui" / "console" / "app.py"
PASSWORDS = {"director": "demo-director", "umpire1": "demo-umpire1", "umpire2": "demo-umpire2",
             "controller1": "demo-controller1", "trainer1": "demo-trainer1"}


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


def speak(lang: str, monkeypatch: Any) -> None:
    """Word the widgets in ``lang`` also where AppTest formats their values itself, in the
    test's thread outside any script run (a widget's ``format_func`` calls ``t``); inside a
    run the session's language stays what decides."""
    import importlib
    import pkgutil

    from streamlit.runtime.scriptrunner import get_script_run_ctx

    import ui.console.views
    from ui.console import state

    real = state.lang

    def session_or_test() -> Any:
        return real() if get_script_run_ctx() is not None else lang

    names = ["ui.console.state", "ui.console.common"] + [
        f"ui.console.views.{m.name}" for m in pkgutil.iter_modules(ui.console.views.__path__)]
    for name in names:  # each module that took ``lang`` by name (maybe while patched)
        mod = importlib.import_module(name)
        if callable(getattr(mod, "lang", None)):
            monkeypatch.setattr(mod, "lang", session_or_test)
