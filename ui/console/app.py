"""Streamlit entry of the console (smoke skeleton)."""

from __future__ import annotations

import streamlit as st

from ui.console.state import language_switch, t

st.set_page_config(page_title="六不盲演", layout="wide")
language_switch()
st.title(t("app_title"))
