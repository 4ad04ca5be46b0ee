"""The director's inject board: every inject with its state and countdown (in the page's one
read-only fragment), the overdue list after a restart or a long hold, and release / skip /
delay / assign / ad-hoc, each with a reason. The service decides what is due and who wins."""

from __future__ import annotations

from typing import Any

import streamlit as st

from live.service import DrillStatus
from ui.charts.names import Names
from ui.console.common import (
    clock_line,
    guarded,
    live_fragment,
    method_name,
    minutes,
    pick_drill,
    subject_of,
)
from ui.console.state import (
    action_id,
    choice,
    flash,
    lang,
    service,
    show_flash,
    t,
    used,
    user,
)


def _board_rows(views: list[Any], now_t: float, names: Names) -> list[dict[str, str]]:
    """One row per inject; recipients and subjects in the page's language."""
    rows = []
    for v in views:
        status = "st_due" if v.status == "pending" and now_t >= v.due_t else f"st_{v.status}"
        left = v.due_t - now_t
        rows.append({t("col_inject"): v.id, t("col_planned"): minutes(v.planned_t),
                     t("col_due_in"): minutes(left) if v.status == "pending" and left > 0
                     else (t("overdue_by", when=minutes(-left)) if v.status == "pending"
                           else ""),
                     t("col_status"): t(status), t("col_to"): names.recipient(v.recipient),
                     t("col_method"): method_name(v.method), t("col_subject"): subject_of(v),
                     t("role_controller"): v.controller or ""})
    return rows


def _board(s: DrillStatus) -> None:
    clock_line(s)
    if not s.unlocked:
        st.warning(t("state_locked"))
        return
    views = service().msel(user(), s.id)
    names = Names(service().region(s.id), lang())
    st.dataframe(_board_rows(views, s.drill_min, names), hide_index=True, width="stretch",
                 column_config=_board_columns())


#: pixels per board column: the whole board fits a 768 px tablet's 736 px of page (a longer
#: text ends in "…"; the subject in full is in the release picker below). A column without a
#: width is sized to its longest text and pushed the controller off screen.
_NARROW = {"col_inject": 48, "col_planned": 74, "col_due_in": 100, "col_status": 58,
           "col_to": 156, "col_method": 56, "col_subject": 156, "role_controller": 88}


def _board_columns() -> dict[str, Any]:
    """Column widths of the board, by the column titles of the session's language."""
    return {t(k): st.column_config.TextColumn(width=w) for k, w in _NARROW.items()}


def page() -> None:
    """Draw the inject board and its actions."""
    show_flash()
    with guarded():
        s = pick_drill()
        if s is None:
            return
        st.subheader(t("inject_board"))
        # a newly overdue inject or a change of state reruns the page (its buttons follow)
        live_fragment(_board, s.id, watch=lambda now: (now.stale, now.status))
        if not s.unlocked or s.status == "ended":
            return
        overdue(s)
        actions(s)
        adhoc(s)


def overdue(s: DrillStatus) -> None:
    """Injects overdue without a decision: confirm (release now), skip or re-time each."""
    svc, who = service(), user()
    st.subheader(t("overdue"))
    stale = svc.stale_injects(who, s.id)
    if not stale:
        st.caption(t("overdue_none"))
        return
    for v in stale:
        with st.container(border=True):
            st.markdown(f"**{v.id}** · {t('col_planned')} {minutes(v.planned_t)} · "
                        f"{t('st_due')} -{minutes(v.lateness_min or 0)}")
            st.text(v.message)
            reason = st.text_input(t("reason"), key=f"ov_reason_{v.id}")
            c1, c2, c3 = st.columns(3)
            if c1.button(t("release"), key=f"ov_rel_{v.id}", type="primary"):
                _done(svc.release(who, s.id, v.id, reason=reason))
            if c2.button(t("skip"), key=f"ov_skip_{v.id}"):
                _done(svc.skip(who, s.id, v.id, reason), "done_skipped")
            if c3.button(t("delay"), key=f"ov_delay_{v.id}"):
                svc.retime(who, s.id, v.id, s.drill_min + 5.0, reason)
                flash(t("saved"))
                st.rerun()


def _done(res: Any, what: str = "done_released") -> None:
    """Say what was done (``what``: ``done_released`` / ``done_skipped``), or that someone
    else was first (the service's English message is for the command line)."""
    flash(t(what, inject=res.inject) if res.done else t("already"),
          "success" if res.done else "warning")
    st.rerun()


def actions(s: DrillStatus) -> None:
    """Release, skip, delay or assign one pending inject, with a reason."""
    svc, who = service(), user()
    pending = [v for v in svc.msel(who, s.id) if v.status == "pending"]
    if not pending:
        return
    st.subheader(t("release") + " / " + t("skip") + " / " + t("delay"))
    labels = {v.id: f"{v.id} · {minutes(v.due_t)} · {subject_of(v)}"
              for v in pending}
    # the labels follow the language and a re-timing
    iid = choice(st.selectbox, t("col_inject"), list(labels), format_func=labels.__getitem__,
                 key="act_inject")
    reason = st.text_input(t("reason"), key="act_reason")
    c1, c2, c3 = st.columns(3)
    if c1.button(t("release"), key="act_release", type="primary", width="stretch"):
        _done(svc.release(who, s.id, iid, reason=reason))
    if c2.button(t("skip"), key="act_skip", width="stretch"):
        if not reason.strip():
            st.error(t("reason_needed"))
        else:
            _done(svc.skip(who, s.id, iid, reason), "done_skipped")
    delay = c3.number_input(t("delay_min"), min_value=1.0, max_value=600.0, value=10.0,
                            step=5.0, key="act_delay_min")
    if c3.button(t("delay"), key="act_delay", width="stretch"):
        if not reason.strip():
            st.error(t("reason_needed"))
        else:
            due = next(v.due_t for v in pending if v.id == iid)
            svc.retime(who, s.id, iid, max(due, s.drill_min) + float(delay), reason)
            flash(t("saved"))
            st.rerun()
    controllers = [u["name"] for u in svc.users(who) if u["role"] == "controller"]
    if controllers:
        c4, c5 = st.columns([3, 1])
        ctl = c4.selectbox(t("role_controller"), controllers, key="act_ctl")
        if c5.button(t("assign"), key="act_assign", width="stretch"):
            svc.assign(who, s.id, iid, ctl)
            flash(t("saved"))
            st.rerun()


def adhoc(s: DrillStatus) -> None:
    """An ad-hoc inject written now, with a reason."""
    if s.status != "running":
        return
    svc, who = service(), user()
    with st.expander(t("adhoc")), st.form("adhoc", clear_on_submit=True):
        msg = st.text_area(t("adhoc_message"), key="adhoc_msg")
        to = st.text_input(t("adhoc_to"), key="adhoc_to")
        reason = st.text_input(t("reason"), key="adhoc_reason")
        if st.form_submit_button(t("send"), type="primary"):
            res = svc.adhoc(who, s.id, msg, recipient=to, reason=reason,
                            action_id=action_id("adhoc"))
            used("adhoc")  # confirmed: the next message is a new inject
            _done(res)
