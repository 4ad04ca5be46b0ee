"""The simulation lab: simulate the drill's scenario (a batch of replications) with a
progress bar and the predicted 1-10-15 compliance; the replications become the review's
simulated baseline. The scenario is read from the drill's export (director; trainer after
the end), so the service's secrecy rules apply."""

from __future__ import annotations

import streamlit as st

from scenarios.loading import InputError
from ui.console.common import guarded, pick_drill
from ui.console.simlab_view import run_lab
from ui.console.state import service, t
from ui.console.views.review import export


def page() -> None:
    """Draw the lab's form and run it."""
    with guarded():
        s = pick_drill()
        if s is None:
            return
        st.subheader(t("sim_title"))
        if not s.unlocked:
            st.warning(t("state_locked"))
            return
        with st.form("lab"):
            c1, c2 = st.columns(2)
            n = int(c1.number_input(t("replications"), min_value=1, max_value=200, value=5,
                                    key="lab_n"))
            seed = int(c2.number_input(t("sim_seed"), min_value=0, value=1, key="lab_seed"))
            go = st.form_submit_button(t("run_sim"), type="primary")
        if not go:
            return
        from scenarios.sealing import read_sealed

        out = export(s)
        try:
            scenario = read_sealed(out / "inputs" / "sealed.json").scenario
        except InputError as exc:
            st.error(t("commit_bad"))
            st.caption(str(exc))
            return
        bar = st.progress(0.0, text=t("sim_progress", k=0, n=n))

        def progress(k: int, total: int) -> None:
            bar.progress(k / total, text=t("sim_progress", k=k, n=total))

        res = run_lab(service().region(s.id), scenario, n, seed, out / "baseline",
                      progress=progress)
        bar.progress(1.0, text=t("sim_done", n=n))
        st.success(t("predicted", mean=res.mean, lo=res.low, hi=res.high))
