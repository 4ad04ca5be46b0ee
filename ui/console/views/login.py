"""The login page: user name and password, checked by the service (bcrypt hashes)."""

from __future__ import annotations

import streamlit as st

from live.accounts import AuthError
from ui.console.state import login, t


def page() -> None:
    """Draw the login form; on success rerun into the role's pages."""
    st.subheader(t("login_title"))
    st.caption(t("login_hint"))
    with st.form("login", clear_on_submit=False, border=True):
        name = st.text_input(t("login_user"), key="login_user")
        password = st.text_input(t("login_password"), type="password", key="login_password")
        submitted = st.form_submit_button(t("login_button"), type="primary",
                                          width="stretch")
    if submitted:
        try:
            login(name, password)
        except AuthError:
            st.error(t("login_failed"))
            return
        st.rerun()
