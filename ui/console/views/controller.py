"""The controller's page: the injects assigned to them as they fall due — who to call, the
script, the channel, what is expected — with one tap "delivered" at the actual time (the
service releases the inject then: that is the time the log records)."""

from __future__ import annotations

import streamlit as st

from ui.console.common import (
    clock_line,
    guarded,
    live_fragment,
    method_name,
    minutes,
    pick_drill,
    subject_of,
)
from ui.console.state import flash, service, show_flash, t, user


def page() -> None:
    """Draw the due injects of this controller."""
    show_flash()
    with guarded():
        s = pick_drill()
        if s is None:
            return
        svc, who = service(), user()
        due_ids = lambda _s: tuple(v.id for v in svc.due_injects(who, s.id))  # noqa: E731
        live_fragment(clock_line, s.id, watch=due_ids)
        st.subheader(t("my_injects"))
        due = svc.due_injects(who, s.id)
        if not due:
            st.info(t("none_due"))
            return
        for v in due:
            with st.container(border=True):
                st.markdown(f"### {v.id} · {subject_of(v)}")
                st.caption(f"{t('col_planned')} {minutes(v.due_t)} · {t('col_method')} "
                           f"{method_name(v.method)}")
                c1, c2 = st.columns(2)
                c1.markdown(f"**{t('call_who')}**")
                c1.text(v.recipient or "—")
                c2.markdown(f"**{t('caller_as')}**")
                c2.text(v.sender or "—")
                st.markdown(f"**{t('script')}**")
                st.text(v.message)
                if v.expected_action:
                    st.markdown(f"**{t('likely_qa')}**")
                    st.text(v.expected_action)
                if st.button(t("delivered"), key=f"delivered_{v.id}", type="primary",
                             width="stretch"):
                    res = svc.release(who, s.id, v.id)
                    flash(t("st_delivered") + f": {v.id}" if res.done else t("already"),
                          "success" if res.done else "warning")
                    st.rerun()
