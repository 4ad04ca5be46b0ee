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
    return "—" if p50 is None or p90 is None else t("lab_minutes", v=f"{p50:.1f} / {p90:.1f}")


def clock_rows(res: LabResult) -> list[dict[str, str]]:
    """The table of every clock: its chance of meeting the limit, and how long it took."""
    zh = lang() == "zh"
    return [{t("lab_col_clock"): c.name_zh if zh else c.name_en,
             t("lab_col_limit"): "—" if c.limit_min is None else
             t("lab_minutes", v=f"{c.limit_min:g}"),
             t("lab_col_p_meet"): _pct(c.p_meet),
             t("lab_col_ci"): f"{c.low:.0%}–{c.high:.0%}" if c.instances else "—",
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


#: pixels per column of the clock table: it fits a 768 px tablet (a longer name ends in "…")
_CLOCK_WIDTHS = {"lab_col_clock": 196, "lab_col_limit": 64, "lab_col_p_meet": 70,
                 "lab_col_ci": 90, "lab_col_all_met": 92, "lab_col_times": 120, "lab_col_n": 58}


def _widths(keys: dict[str, int]) -> dict[str, Any]:
    return {t(k): st.column_config.TextColumn(width=w) for k, w in keys.items()}


def _show(res: LabResult, region: Region | None) -> None:
    st.success(t("predicted", mean=res.mean, lo=res.low, hi=res.high))
    st.caption(t("lab_about", n=res.replications, seed=res.seed))
    st.dataframe(clock_rows(res), hide_index=True, width="stretch",
                 column_config=_widths(_CLOCK_WIDTHS))
    st.markdown(f"**{t('lab_by_township')}**")
    rows = township_rows(res, region)
    cols = {k: st.column_config.TextColumn(width=140 if k == t("lab_col_township") else 190)
            for k in (rows[0] if rows else {})}
    st.dataframe(rows, hide_index=True, width="stretch", column_config=cols)


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
