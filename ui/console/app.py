"""Streamlit entry of the umpire console: the frame, the login and the per-role page lists.

Run by ``blinddrill console`` (``streamlit run ui/console/app.py -- --db FILE``). Each run
draws the header (title, language switch, who is logged in), then ``st.navigation`` with the
pages of the logged-in user's role. The list only hides pages; :mod:`live` checks the role
again on every read of secret data and every write.
"""

from __future__ import annotations

import streamlit as st

from ui.console import views
from ui.console.state import current_user, end_run, language_switch, logout, t

st.set_page_config(page_title="六不盲演 · blinddrill", layout="wide",
                   initial_sidebar_state="collapsed")

head, switch = st.columns([4, 1], vertical_alignment="center")
with switch:
    language_switch()
user = current_user()
with head:
    if user is None:
        st.markdown(f"#### {t('app_title')}")
    else:
        st.markdown(f"#### {t('app_title')}")
        st.caption(t("logged_in_as", name=user.name, role=t("role_" + user.role)))
if user is not None:
    with switch:
        if st.button(t("logout"), key="logout"):
            logout()
            st.rerun()

nav = st.navigation(views.for_role(None if user is None else user.role), position="top")
try:
    nav.run()
finally:
    end_run()
