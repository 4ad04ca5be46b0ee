"""The simulation lab: simulate the drill's scenario (a batch of replications, see
:mod:`experiments.lab`) with a progress bar; show the predicted 1-10-15 compliance, every
clock's probability of meeting its limit and the three standards' by township. The replications
become the review's simulated baseline, and the last run's result is shown until the next one.
The scenario is read from the drill's export (director; trainer after the end), so the
service's secrecy rules apply."""

from __future__ import annotations

from typing import Any

import streamlit as st

from experiments.lab import LabResult, read_lab, run_lab
from scenarios.loading import InputError
from scenarios.region import Region
from ui.charts.labels import place_name
from ui.console.common import guarded, pick_drill
from ui.console.state import lang, service, t
from ui.console.views.review import export, run_dir_of


def _pct(p: float | None) -> str:
    return "—" if p is None else f"{p:.0%}"


def _times(p50: float | None, p90: float | None) -> str:
    return "—" if p50 is None or p90 is None else f"{p50:.1f} / {p90:.1f}"  # minutes (header)


def _interval(lo: float, hi: float) -> str:
    """"39%–67%" that a wrapping table does not break at the dash (word joiners)."""
    return f"{lo:.0%}\u2060–\u2060{hi:.0%}"


def clock_rows(res: LabResult) -> list[dict[str, str]]:
    """The table of every clock: its chance of meeting the limit, and how long it took."""
    zh = lang() == "zh"
    return [{t("lab_col_clock"): c.name_zh if zh else c.name_en,
             t("lab_col_limit"): "—" if c.limit_min is None else
             f"{c.limit_min:g}",  # minutes: the header says so (a unit in the cell wraps)
             t("lab_col_p_meet"): _pct(c.p_meet),
             t("lab_col_ci"): _interval(c.low, c.high) if c.instances else "—",
             t("lab_col_all_met"): _pct(c.p_all_met),
             t("lab_col_times"): _times(c.p50, c.p90), t("lab_col_n"): str(c.instances)}
            for c in res.clocks]


def township_rows(res: LabResult, region: Region | None) -> list[dict[str, str]]:
    """Per township, the headline clocks' chance of meeting their limits (instances)."""
    zh = lang() == "zh"
    heads = sorted((c for c in res.clocks if c.clock in res.headline),
                   key=lambda c: res.headline.index(c.clock))
    towns = sorted({tid for c in heads for tid in c.by_township})
    rows = []
    for tid in towns:
        row = {t("lab_col_township"): place_name(region, tid, lang())}
        for c in heads:
            p, n = c.by_township.get(tid, (None, 0))
            row[c.name_zh if zh else c.name_en] = f"{_pct(p)} ({n})" if n else "—"
        rows.append(row)
    return rows


def _show(res: LabResult, region: Region | None) -> None:
    """The result: the headline, the clock table and the township table. Static tables
    (``st.table``): their text wraps, so every clock's full name is read on a 768 px tablet in
    either language (a data grid cut the English names to "…"); a caption says what each
    column's figure means."""
    st.success(t("predicted", mean=res.mean, lo=res.low, hi=res.high))
    st.caption(t("lab_about", n=res.replications, seed=res.seed))
    st.table(clock_rows(res), hide_index=True)
    st.caption(t("lab_columns_help"))
    st.markdown(f"**{t('lab_by_township')}**")
    st.table(township_rows(res, region), hide_index=True)


def page() -> None:
    """Draw the lab's form, run it, and show the last run's result."""
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
        region = service().region(s.id)
        if go:
            from scenarios.sealing import read_sealed

            out = export(s)
            try:
                scenario = read_sealed(out / "inputs" / "sealed.json").scenario
            except InputError as exc:
                st.error(t("commit_bad"))
                st.caption(str(exc))
                return
            bar: Any = st.progress(0.0, text=t("sim_progress", k=0, n=n))

            def progress(k: int, total: int) -> None:
                bar.progress(k / total, text=t("sim_progress", k=k, n=total))

            res: LabResult | None = run_lab(region, scenario, n, seed, out / "baseline",
                                            progress=progress)
            bar.progress(1.0, text=t("sim_done", n=n))
        else:  # the last run's, if the export still holds it (no export just to look)
            res = read_lab(run_dir_of(s.id) / "baseline")
        if res is not None:
            _show(res, region)
