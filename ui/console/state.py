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
from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import Any

import streamlit as st

from live.accounts import Principal
from live.service import LiveService
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


def keep_choice(key: str, options: Collection[Any]) -> None:
    """Keep the selection of the choice widget ``key`` (a selectbox or radio) when its shown
    labels change: the language is switched, an inject is re-timed, a drill changes state.

    Streamlit sends the browser the *label* of the choice and reads the choice back by label.
    When the labels change between two runs, the browser keeps showing the old label while the
    server falls back to the first option: the director would see one inject and release
    another. Read before the widget is drawn, the value is still decoded with the labels of the
    run before; written back, it makes Streamlit send the browser the new label of the same
    option. Call this right before drawing the widget; a value no longer among ``options`` (an
    inject released meanwhile) is left to the widget's default.
    """
    if key in st.session_state:
        value = st.session_state[key]
        if value in options:
            st.session_state[key] = value


def choice(widget: Callable[..., Any], label: str, options: Sequence[Any], *, key: str,
           **kwargs: Any) -> Any:
    """``widget(label, options, key=key, **kwargs)`` — ``st.selectbox`` or ``st.radio`` (or a
    column's) — with its selection kept when the labels change (:func:`keep_choice`). Every
    choice widget whose labels follow the language or the data is drawn through this."""
    keep_choice(key, options)
    return widget(label, list(options), key=key, **kwargs)


def flash(message: str, kind: str = "success") -> None:
    """Show ``message`` once, on the next run of the page (after a write and ``st.rerun``)."""
    st.session_state["_flash"] = (kind, message)


def show_flash() -> None:
    """Show and forget the pending flash message, if any."""
    item = st.session_state.pop("_flash", None)
    if item is not None:
        kind, message = item
        getattr(st, kind)(message)


# --- the service and the logged-in user ----------------------------------------------------


@st.cache_resource
def service() -> LiveService:
    """The running server's one :class:`live.service.LiveService` on the store.

    Shared by every session on purpose: it holds the in-memory key ring of unlocked drills
    and the login sessions, both thread-safe. It holds no shared connection: each thread gets
    its own from the store, and :func:`end_run` closes the calling thread's after each run.
    """
    return LiveService(db_path(), create=False)


def end_run() -> None:
    """Close this script thread's store connection (reopened on the next use)."""
    service().close()


def current_user() -> Principal | None:
    """The logged-in principal of this browser tab, or None."""
    p = st.session_state.get("principal")
    return p if isinstance(p, Principal) else None


def user() -> Principal:
    """The logged-in principal (pages are only reachable after login)."""
    p = current_user()
    if p is None:
        st.stop()
    assert p is not None
    return p


def login(name: str, password: str) -> Principal:
    """Check the password in the store; remember the principal for this tab."""
    p = service().login(name.strip(), password)
    st.session_state["principal"] = p
    return p


def logout() -> None:
    """End this tab's login (and forget its pending action ids)."""
    p = current_user()
    if p is not None:
        service().logout(p)
    for k in ("principal", "_action_ids", "drill"):
        st.session_state.pop(k, None)


def device() -> str:
    """A short id of this browser tab, recorded with every umpire action."""
    d: str = st.session_state.setdefault("_device", "console-" + uuid.uuid4().hex[:8])
    return d
