"""The director's desk: new drill (import or generate, sealed), unlock, the secret random
start, start / hold / resume / end, with the clock in the page's one read-only fragment."""

from __future__ import annotations

import streamlit as st

from live.service import DrillStatus
from ui.console.common import clock_line, guarded, live_fragment, pick_drill
from ui.console.state import choice, flash, service, show_flash, t, user


def page() -> None:
    """Draw the director's desk (observers see only the drill's status)."""
    who = user()
    show_flash()
    with guarded():
        s = pick_drill()
        if who.role == "director":
            new_drill(first=s is None)
        if s is None:
            return
        live_fragment(clock_line, s.id)
        st.markdown(f"**{t('commitment')}**")
        st.code(s.commitment, language=None)
        if who.role == "director":
            controls(s)


def new_drill(first: bool) -> None:
    """Import a sealed scenario file, or generate and seal one on the seed city."""
    with st.expander(t("new_drill"), expanded=first):
        src = choice(st.radio, t("new_drill"), ["import", "generate"], horizontal=True,
                     format_func=lambda k: t("import_sealed" if k == "import"
                                             else "generate_sealed"),
                     label_visibility="collapsed", key="nd_src")
        with st.form("new_drill", border=False):
            upload = (st.file_uploader(t("import_sealed"), type=["json"], key="nd_file")
                      if src == "import" else None)
            title = st.text_input(t("drill_name"), key="nd_title")
            drill_id = st.text_input(t("col_inject"), key="nd_id", max_chars=32)
            passphrase = st.text_input(t("passphrase"), type="password", key="nd_pass")
            go = st.form_submit_button(t("create"), type="primary")
        if not go:
            return
        if src == "import":
            if upload is None:
                st.error(t("upload_missing"))
                return
            data, source = upload.getvalue(), upload.name
        else:
            from ui.console.demo import sealed_scenario

            with st.spinner(t("generate_sealed")):
                data, source = sealed_scenario(None).to_bytes(), "sealed file"
        s = service().import_drill(user(), data, passphrase, drill_id=drill_id.strip() or None,
                                   title=title.strip(), source=source)
        st.session_state["drill"] = s.id
        flash(t("saved") + f": {s.id} · {t('commitment')} {s.commitment}")
        st.rerun()


def controls(s: DrillStatus) -> None:
    """Unlock, start, hold, resume and end, each shown only when it applies."""
    svc, who = service(), user()
    if not s.unlocked and s.status != "ended":
        with st.form("unlock"):
            st.warning(t("state_locked"))
            pw = st.text_input(t("unlock_passphrase"), type="password", key="unlock_pw")
            if st.form_submit_button(t("unlock"), type="primary"):
                svc.unlock(who, s.id, pw)
                flash(t("unlocked"))
                st.rerun()
        return
    if s.status == "created":
        with st.expander(t("start_random")):
            st.write(str(svc.real_start(who, s.id)))
        if st.button(t("start"), type="primary", key="start", width="stretch"):
            svc.start(who, s.id)
            st.rerun()
        return
    c1, c2 = st.columns(2)
    if s.status == "running":
        reason = c1.text_input(t("reason"), key="hold_reason")
        if c1.button(t("hold"), key="hold", width="stretch"):
            svc.hold(who, s.id, reason)
            st.rerun()
    elif s.status == "held" and c1.button(t("resume"), type="primary", key="resume",
                                          width="stretch"):
        svc.resume(who, s.id)
        st.rerun()
    if s.status in ("running", "held"):
        sure = c2.checkbox(t("confirm_end"), key="end_sure")
        end_reason = c2.text_input(t("reason"), key="end_reason")
        if c2.button(t("end"), key="end", disabled=not sure, width="stretch"):
            svc.end(who, s.id, end_reason or "ended by the director")
            st.rerun()
