"""The trainer's review (director too): after the drill, the charts, the revealed scenario
with its commitment check, the comparison with a simulated baseline, the observations, and
downloads of the HTML and Word AAR/IP, the MSEL and the exported run.

The drill is exported through the service (a run directory, the layout ``simulate`` writes)
and everything else is the existing report code (:mod:`ui.console.review_view`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit as st

from live.service import DrillStatus
from ui.console.common import clock_line, guarded, pick_drill
from ui.console.review_view import draw_review
from ui.console.state import (
    action_id,
    choice,
    db_path,
    flash,
    service,
    show_flash,
    t,
    used,
    user,
)


def run_dir_of(drill: str) -> Path:
    """Where the console exports a drill (beside the store: ``<db>-runs/<drill>``)."""
    db = db_path()
    return db.with_name(db.stem + "-runs") / drill


def export(s: DrillStatus) -> Path:
    """Export ``s`` (again, if the log grew since) and return the run directory."""
    out = run_dir_of(s.id)
    ev = out / "events.jsonl"
    fresh = ev.is_file() and sum(1 for _ in ev.open("rb")) == s.events
    if not fresh:
        service().export(user(), s.id, out, command=["blinddrill", "console"],
                         overwrite=True)
    return out


def observations(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The observation records as the page lists them."""
    return [{"time": f"t={r['data'].get('observed_t', r['t']):.1f}",
             "author": r["data"].get("author", ""), "inject": r["inject"],
             "capability": r["data"].get("capability", ""),
             "rating": r["data"].get("rating", ""), "text": r["data"].get("text", "")}
            for r in records if r["kind"] == "observation"]


def hotwash_items(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The hotwash records as the page lists them (section translated)."""
    return [{"section": t("hw_" + str(r["data"].get("section", ""))),
             "text": r["data"].get("text", ""), "owner": r["data"].get("owner", ""),
             "due": r["data"].get("due", ""), "author": r["data"].get("author", "")}
            for r in records if r["kind"] == "hotwash"]


def hotwash_form(s: DrillStatus, records: list[dict[str, Any]]) -> None:
    """Type the hotwash: one item per submit, written through the service (idempotent)."""
    from datetime import date

    from live.recording import HOTWASH_SECTIONS

    st.subheader(t("hotwash"))
    st.caption(t("hw_help"))
    with st.form("hotwash", clear_on_submit=True):
        section = choice(st.radio, t("hw_section"), HOTWASH_SECTIONS,
                         format_func=lambda x: t("hw_" + x), horizontal=True,
                         key="hw_section")
        text = st.text_area(t("hw_text"), key="hw_text")
        c1, c2 = st.columns(2)
        owner = c1.text_input(t("hw_owner"), key="hw_owner")
        due = c2.date_input(t("hw_due"), value=None, key="hw_due")
        if st.form_submit_button(t("hw_save"), type="primary"):
            slot = "hotwash"
            rec = service().hotwash(user(), s.id, section, text, action_id=action_id(slot),
                                    owner=owner.strip() or None,
                                    due=due.isoformat() if isinstance(due, date) else None)
            used(slot)
            flash(t("recorded", what=t("hotwash"), seq=rec.seq))
            st.rerun()
    items = hotwash_items(records)
    if items:
        st.caption(t("hw_items"))
        st.dataframe(items, hide_index=True)


def page() -> None:
    """Draw the review of the picked drill once it has ended."""
    with guarded():
        s = pick_drill()
        if s is None:
            return
        clock_line(s)
        show_flash()
        if s.status != "ended":
            st.info(t("review_wait"))
            return
        if not s.unlocked:
            st.warning(t("state_locked"))
            return
        from scenarios.sealing import read_sealed

        recs = service().log(user(), s.id)
        if user().role in ("director", "trainer"):
            hotwash_form(s, recs)
        out = export(s)
        sealed = read_sealed(out / "inputs" / "sealed.json")
        draw_review(out, sealed.scenario, sealed.document, observations(recs))
