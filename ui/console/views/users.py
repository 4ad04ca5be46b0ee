"""Users and roles, and the audit trail (director only; the service checks again)."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from live.accounts import ROLES
from ui.console.common import audit_action, audit_detail, guarded
from ui.console.state import choice, flash, service, show_flash, t, user


def page() -> None:
    """Draw the accounts, the add-user form and the audit trail."""
    show_flash()
    svc, who = service(), user()
    with guarded():
        st.subheader(t("users"))
        rows = [{t("login_user"): u["name"], t("role"): t("role_" + u["role"])}
                for u in svc.users(who)]
        st.dataframe(rows, hide_index=True, width="stretch")
        with st.expander(t("add_user")), st.form("add_user", clear_on_submit=True):
            name = st.text_input(t("login_user"), key="nu_name")
            role = choice(st.selectbox, t("role"), ROLES, format_func=lambda r: t("role_" + r),
                          key="nu_role")
            pw = st.text_input(t("login_password"), type="password", key="nu_pw")
            if st.form_submit_button(t("add_user"), type="primary"):
                svc.add_user(who, name.strip(), role, pw)
                flash(t("saved") + f": {name}")
                st.rerun()
        st.subheader(t("audit"))
        trail = svc.audit_trail(who, None, limit=300)
        st.dataframe([{t("col_time"): dt.datetime.fromtimestamp(a["wall"]).strftime("%H:%M:%S"),
                       t("col_who"): a["user"] or "", t("role"): t("role_" + a["role"]) if a["role"] else "",
                       t("col_what"): audit_action(a["action"]),
                       t("col_detail"): audit_detail(a["action"], a["target"])}
                      for a in reversed(trail)], hide_index=True, width="stretch")
