"""The console's pages, one module each, and which roles see which (``st.navigation`` lists).

The lists only hide pages from the navigation; every read of secret data and every write is
checked again for the user's role in :mod:`live`.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from ui.console.state import t

#: page id → (module under ui.console.views, material icon)
PAGES: dict[str, str] = {
    "director": ":material/sports:",
    "injects": ":material/campaign:",
    "controller": ":material/call:",
    "evaluator": ":material/edit_note:",
    "scoreboard": ":material/timer:",
    "users": ":material/group:",
    "review": ":material/insights:",
    "simlab": ":material/science:",
    "login": ":material/login:",
}

#: role → its pages, first is the landing page. Players have no account: no role sees the
#: scoreboard but the director and the evaluators.
ROLE_PAGES: dict[str, list[str]] = {
    "director": ["director", "injects", "scoreboard", "users", "review", "simlab"],
    "controller": ["controller"],
    "evaluator": ["evaluator", "scoreboard"],
    "trainer": ["review", "simlab"],
    "observer": ["director"],
}


def _runner(page_id: str) -> Callable[[], None]:
    def run() -> None:
        import importlib

        importlib.import_module(f"ui.console.views.{page_id}").page()

    run.__name__ = f"page_{page_id}"
    return run


def for_role(role: str | None) -> list[st.Page]:
    """The navigation pages of ``role`` (the login page only when nobody is logged in)."""
    ids = ROLE_PAGES.get(role, []) if role is not None else ["login"]
    return [st.Page(_runner(p), title=t("page_" + p), icon=PAGES[p], url_path=p,
                    default=(k == 0)) for k, p in enumerate(ids)]
