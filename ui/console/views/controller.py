"""The controller's page: the injects assigned to them as they fall due — who to call, whom
they play with that caller's number, the script, the channel — with one tap "delivered" at the
actual time (the service releases the inject then: that is the time the log records, and for
an incident the alarm's time). Once delivered, the card shows the questions the duty officer is
likely to ask and the answers that caller gives (:mod:`scenarios.callscript`, read through the
service for released injects assigned to this controller only)."""

from __future__ import annotations

from typing import Any

import streamlit as st

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
from ui.console.state import flash, lang, service, show_flash, t, user


def _who(card: Any, names: Names) -> None:
    """Who to call (in the page's language), whom the controller plays and the number, the
    script (as the scenario words it: it is read to the players)."""
    v, sc = card.view, card.script
    c1, c2, c3 = st.columns(3)
    c1.markdown(f"**{t('call_who')}**")
    c1.text(names.recipient(sc.call_who) or "—")
    c2.markdown(f"**{t('caller_as')}**")
    c2.text(f"{sc.caller_name} ({sc.caller_role})" if sc.caller_name != sc.caller_role
            else sc.caller_role)
    c3.markdown(f"**{t('caller_phone')}**")
    c3.text(sc.caller_phone or "—")
    st.markdown(f"**{t('script')}**")
    st.text(sc.script or v.message)


def due_card(s: Any, card: Any, names: Names) -> None:
    """A due inject: the call to make and the "delivered" tap."""
    v = card.view
    with st.container(border=True):
        st.markdown(f"### {v.id} · {subject_of(v)}")
        # the due time (the planned one unless the director re-timed it): when to call
        st.caption(f"{t('col_due_at')} {minutes(v.due_t)} · {t('col_method')} "
                   f"{method_name(v.method)}")
        _who(card, names)
        if v.expected_action:
            st.markdown(f"**{t('expected')}**")
            st.text(v.expected_action)
        st.caption(t("delivered_hint" if v.kind == "incident" else "delivered_hint_cx"))
        if st.button(t("delivered"), key=f"delivered_{v.id}", type="primary",
                     width="stretch"):
            res = service().release(user(), s.id, v.id)
            flash(t("st_delivered") + f": {v.id}" if res.done else t("already"),
                  "success" if res.done else "warning")
            st.rerun()


def delivered_card(card: Any, first: bool, names: Names) -> None:
    """A delivered inject: the call and the likely questions with their answers."""
    v = card.view
    when = minutes(card.delivered_t) if card.delivered_t is not None else ""
    with st.expander(f"{v.id} · {subject_of(v)} · {t('delivered_at')} {when}",
                     expanded=first):
        _who(card, names)
        st.markdown(f"**{t('qa_title')}**")
        st.table([{t("qa_question"): q.question, t("qa_answer"): q.answer}
                  for q in card.script.qa])


def page() -> None:
    """Draw this controller's due and delivered injects."""
    show_flash()
    with guarded():
        s = pick_drill()
        if s is None:
            return
        svc, who, lg = service(), user(), lang()

        def watch(now: Any) -> tuple[str, ...]:  # a card due or delivered reruns the page
            return tuple(c.view.id + c.view.status for c in svc.call_cards(who, now.id, lg))

        live_fragment(clock_line, s.id, watch=watch)
        cards = svc.call_cards(who, s.id, lg)
        names = Names(svc.region(s.id), lg)
        due = [c for c in cards if c.view.status == "pending"]
        done = [c for c in cards if c.view.status == "released"]
        st.subheader(t("my_injects"))
        if not due:
            st.info(t("none_due"))
        for c in due:
            due_card(s, c, names)
        st.subheader(t("on_call"))
        if not done:
            st.caption(t("none_delivered"))
        for k, c in enumerate(done):
            delivered_card(c, k == 0, names)
