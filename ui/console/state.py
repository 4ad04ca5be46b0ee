"""Per-session console state: language, the logged-in user, the store, one-shot action ids.

What lives in ``st.session_state`` is only what a browser tab may lose on refresh: the
language, the login token and the next client action ids. Every truth (drills, clock, injects,
records) is in the SQLite store and is read through :mod:`live` on each run; a store handle is
opened per script run (or fragment run) and closed after it, never cached across sessions.
"""

from __future__ import annotations

import os
import sys
import uuid
from pathlib import Path
from typing import Any

import streamlit as st

from ui.console.strings import LANGS, Lang, text

DB_ENV = "BLINDDRILL_CONSOLE_DB"


def db_path() -> Path:
    """The store's path: ``--db`` after ``--`` on the command line, else the environment."""
    argv = sys.argv
    if "--db" in argv[:-1]:
        return Path(argv[argv.index("--db") + 1])
    return Path(os.environ.get(DB_ENV, "blinddrill.db"))


def lang() -> Lang:
    """The session's language (Chinese unless switched)."""
    value = st.session_state.get("lang", "zh")
    return value if value in LANGS else "zh"


def t(key: str, **fmt: object) -> str:
    """:func:`ui.console.strings.text` in the session's language."""
    return text(key, lang(), **fmt)


def language_switch(where: Any = None) -> None:
    """The 中文 / English switch (shown on every page)."""
    box = where if where is not None else st
    labels = {"zh": "中文", "en": "English"}
    box.radio(text("lang_label", lang()), options=list(LANGS), format_func=labels.__getitem__,
              horizontal=True, key="lang", label_visibility="collapsed")


def action_id(slot: str) -> str:
    """The client-generated id of the next action of ``slot`` (a button), stable until used.

    Streamlit may deliver one tap in two reruns or retry after a reconnect; both carry the same
    id, so the store records the tap once. :func:`used` draws a fresh id after a confirmed write.
    """
    ids: dict[str, str] = st.session_state.setdefault("_action_ids", {})
    if slot not in ids:
        ids[slot] = uuid.uuid4().hex
    return ids[slot]


def used(slot: str) -> None:
    """Forget ``slot``'s action id after its write was confirmed (the next tap is a new one)."""
    st.session_state.setdefault("_action_ids", {}).pop(slot, None)


def flash(message: str, kind: str = "success") -> None:
    """Show ``message`` once, on the next run of the page (after a write and ``st.rerun``)."""
    st.session_state["_flash"] = (kind, message)


def show_flash() -> None:
    """Show and forget the pending flash message, if any."""
    item = st.session_state.pop("_flash", None)
    if item is not None:
        kind, message = item
        getattr(st, kind)(message)
