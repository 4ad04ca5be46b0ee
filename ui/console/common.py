"""Pieces every page uses: the drill picker, the clock line, service errors, formatting.

All of it reads through :class:`live.service.LiveService`; nothing here computes a score,
a due time or a clock (the service does).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import streamlit as st

from live.accounts import AuthError
from live.audit import describe
from live.errors import Refusal
from live.injects import InjectView
from live.recording import RecordingError
from live.secrecy import WrongPassphrase
from live.service import DrillStatus, Forbidden, LiveError
from live.upload import UploadRefused
from scenarios.catalogue import load_catalogue
from scenarios.loading import InputError
from ui.console.state import choice, lang, logout, service, t, user
from ui.console.strings import STRINGS, refusal

#: seconds between two refreshes of a page's read-only fragment (clock, board, scoreboard).
REFRESH_S = 5.0

#: errors of the service a page shows as a message (never a traceback).
SERVICE_ERRORS = (LiveError, RecordingError, WrongPassphrase, ValueError, InputError)


@contextmanager
def guarded() -> Iterator[None]:
    """Show a service refusal or error as a message; a lost login sends back to the login."""
    try:
        yield
    except Forbidden:
        st.error(t("refused"))
    except AuthError:
        logout()
        st.rerun()
    except UploadRefused as exc:  # a file the director uploaded: why, in the user's words
        st.error(t(f"upload_{exc.reason}", file=exc.source))
    except Refusal as exc:  # a refusal of the service: its code, in the user's words
        st.error(t("error", msg=refusal(exc.why.value, exc.params, lang())))
    except WrongPassphrase:
        st.error(t("wrong_passphrase"))
    except SERVICE_ERRORS as exc:  # no code: its detail is English, shown in English only
        st.error(t("error_other") if lang() == "zh" else t("error", msg=str(exc)))


def minutes(t_min: float) -> str:
    """Drill time as ``M 分 SS 秒`` / ``M min SS s``."""
    total = max(0, int(round(t_min * 60)))
    return t("clock_value", m=total // 60, s=total % 60)


def method_name(method: str) -> str:
    """A delivery method in words."""
    key = f"method_{method}"
    return t(key) if key in STRINGS else method


@functools.cache
def _category_names() -> dict[str, tuple[str, str]]:
    return {c.id: (c.name_zh, c.name_en) for c in load_catalogue().categories}


def category_name(category: str | None) -> str:
    """An event category's name in the page's language, from the shipped catalogue (the one
    live drills are checked against); '' for a category it does not know."""
    names = _category_names().get(category or "")
    return "" if names is None else names[0] if lang() == "zh" else names[1]


def subject_of(v: InjectView) -> str:
    """An inject's subject in the page's language: an incident's category, a repeat call's
    category marked so, another complication's type; else the subject the scenario was
    written with (in its own language)."""
    name = category_name(v.category)
    if name and v.kind == "incident":
        return name
    if name and v.complication == "repeat_call":
        return t("subject_repeat_call", name=name)
    for key in (f"cx_{v.complication}", f"cx_{v.subject}"):
        if key in STRINGS:
            return t(key)
    return str(v.subject or v.message[:60])


def audit_action(action: str) -> str:
    """An audit trail action in words."""
    key = f"audit_{action}"
    return t(key) if key in STRINGS else action


def audit_detail(action: str, target: str) -> str:
    """What an audit entry's stored target says, in the page's language: the shapes
    :func:`live.audit.describe` reads back are worded here, anything else (ids, a reason, a
    file) is shown as stored. ``tests/console`` checks every shape the service writes."""
    d = describe(action, target)
    if d is None:
        return target
    v = d.values
    if d.kind == "injects":
        return t("audit_d_injects_1") if v["n"] == 1 else t("audit_d_injects", n=v["n"])
    if d.kind == "log":
        one = "_1" if v["n"] == 1 else ""
        return t("audit_d_log_all" + one, n=v["n"]) if v["after"] < 0 else \
            t("audit_d_log_after" + one, seq=v["after"], n=v["n"])
    if d.kind == "live_score":
        return t("audit_d_live_score")
    if d.kind == "calls":
        return ",".join(t("audit_d_with_qa", inject=i) if qa else i for i, qa in v["cards"])
    if d.kind == "retimed":
        return t("audit_d_retimed", inject=v["inject"], when=minutes(v["t"]),
                 reason=v["reason"])
    if d.kind == "assigned":
        return t("audit_d_assigned", inject=v["inject"], controller=v["controller"])
    if d.kind == "skipped":
        return t("audit_d_skipped", inject=v["inject"], reason=v["reason"])
    if d.kind == "user":
        key = f"role_{v['role']}"
        return t("audit_d_user", name=v["name"], role=t(key) if key in STRINGS else v["role"])
    return target


def state_label(s: DrillStatus) -> str:
    """The drill's state in words (sealed/locked/ready/running/held/ended)."""
    if s.status == "created":
        return t("state_ready") if s.unlocked else t("state_locked")
    return t({"running": "state_running", "held": "state_held",
              "ended": "state_ended"}.get(s.status, "state_sealed"))


def pick_drill() -> DrillStatus | None:
    """The drill this tab works on: the only one, or the one picked (default: the newest
    not ended). None (with a note) when the store has no drill yet."""
    drills = service().drills(user())
    if not drills:
        st.info(t("no_drill"))
        return None
    ids = [d.id for d in drills]
    if st.session_state.get("drill") not in ids:
        live = [d.id for d in drills if d.status != "ended"]
        st.session_state["drill"] = (live or ids)[-1]
    if len(drills) > 1:
        labels = {d.id: f"{d.title or d.id} · {state_label(d)}" for d in drills}
        # a label changes with the language and the drill's state
        choice(st.selectbox, t("drill_pick"), ids, format_func=labels.__getitem__, key="drill")
    return next(d for d in drills if d.id == st.session_state["drill"])


def clock_line(s: DrillStatus) -> None:
    """Drill time and state as metrics (what every role may know)."""
    c1, c2, c3 = st.columns(3)
    c1.metric(t("clock"), minutes(s.drill_min) if s.started_wall else t("not_started"))
    c2.metric(t("state"), state_label(s))
    c3.metric(t("released_count"), f"{s.released}/{s.injects}")


def live_fragment(draw: Callable[[DrillStatus], Any], drill: str,
                  watch: Callable[[DrillStatus], object] | None = None) -> None:
    """Run ``draw(status)`` in the page's one read-only fragment, refreshed every
    :data:`REFRESH_S` seconds. ``watch(status)`` returns what the widgets outside the fragment
    depend on (e.g. the due injects' ids); when it changes on a refresh of the fragment alone,
    the whole page reruns, so input widgets stay outside the fragment and still follow the
    drill. During a run of the whole page the widgets are drawn from the store right now, so
    a change (often the page's own write) only updates what was seen: no second run, which
    would also drop the message the page just showed for that write (:func:`show_flash`)."""
    key = f"_watch_{drill}"
    whole_page = True  # False once this run of the page is over: later runs are the fragment's

    @st.fragment(run_every=REFRESH_S)
    def _fragment() -> None:
        with guarded():
            s = service().status(user(), drill)
            draw(s)
            if watch is not None:
                seen = watch(s)
                if not whole_page and key in st.session_state \
                        and st.session_state[key] != seen:
                    st.session_state[key] = seen
                    st.rerun(scope="app")
                st.session_state[key] = seen

    try:
        _fragment()
    finally:
        whole_page = False
