"""What the review page draws from an exported run directory, with the existing report code.

No new scoring or chart logic: :func:`ui.reports.content.build_report` scores the run (the
evaluators), checks the sealed scenario's commitment and assembles the AAR; the charts are the
:mod:`ui.charts` functions, each a :class:`matplotlib.figure.Figure` given to ``st.pyplot``.
"""

from __future__ import annotations

import io
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import streamlit as st

from ui.console.state import lang, t


@st.cache_resource(max_entries=8, show_spinner=False)
def report_content(run_dir: str, language: str, stamp: float) -> Any:
    """The report content of ``run_dir`` (cached per run, language and events-file time:
    read-only once built, so sharing it between the sessions allowed to see it is safe)."""
    from ui.reports.content import build_report

    return build_report(run_dir, language)


def run_zip(run_dir: Path) -> bytes:
    """The run directory (events.jsonl + inputs/ + baseline/) as a zip file's bytes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for p in sorted(run_dir.rglob("*")):
            if p.is_file():
                z.write(p, p.relative_to(run_dir.parent))
    return buf.getvalue()


def docx_bytes(content: Any) -> bytes:
    """The Word AAR/IP of ``content``."""
    from ui.reports import write_content

    with tempfile.TemporaryDirectory() as d:
        out = write_content(content, Path(d) / "aar.docx")
        return out.read_bytes()


def msel_bytes(scenario: Any, sealed_document: dict[str, Any], language: str) -> bytes:
    """The MSEL workbook of the revealed scenario."""
    from scenarios.msel import write_xlsx

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "msel.xlsx"
        write_xlsx(scenario, sealed_document, path, language)
        return path.read_bytes()


def draw_review(run_dir: Path, scenario: Any | None, sealed_document: dict[str, Any] | None,
                observations: list[dict[str, Any]]) -> None:
    """Draw the whole review of an ended drill exported to ``run_dir``."""
    from ui.reports.html import render_html

    lg = lang()
    stamp = (run_dir / "events.jsonl").stat().st_mtime
    with st.spinner(t("prepare")):
        content = report_content(str(run_dir), lg, stamp)
    ok, line = content.sealed
    st.subheader(t("revealed"))
    if ok:
        st.success(t("commit_ok"))
    elif ok is False:
        st.error(t("commit_bad"))
    st.caption(line)
    from ui.reports.document import Figure, Table
    from ui.reports.sections import build_document

    blocks = build_document(content)
    overview = next((b for b in blocks if isinstance(b, Table) and b.key == "overview"), None)
    if overview is not None:
        st.table({row[0]: row[1] for row in overview.rows})

    st.subheader(t("charts"))
    card = content.card
    for b in blocks:  # the report's own charts, drawn once when the report was built
        if isinstance(b, Figure):
            st.image(b.png, caption=b.caption)

    st.subheader(t("baseline"))
    if content.baseline is None:
        st.caption(t("baseline_none"))
    else:
        from ui.charts.montecarlo import value_name

        rows = [{t("col_value"): value_name(card, k, lg), t("col_drill"): round(e.value, 3),
                 t("col_sim_p50"): round(e.sim_p50, 3), t("col_percentile"): round(e.percentile, 2)}
                for k, e in content.baseline.entries.items()
                if k.startswith("clock.") and k.count(".") == 2 or k in card.metrics]
        st.dataframe(rows, hide_index=True, width="stretch")
        if content.baseline.few:
            st.caption(t("baseline_few", n=content.baseline.replications))

    st.subheader(t("observations"))
    show_observations(observations)

    st.subheader(t("downloads"))
    # on_click="ignore": a download does not rerun the page (a rerun rebuilt every file and
    # could drop the one the browser was still fetching: a download failed as "canceled")
    c1, c2, c3, c4 = st.columns(4)
    c1.download_button(t("dl_html"), render_html(content).encode("utf-8"), "aar.html",
                       "text/html", key="dl_html", on_click="ignore")
    c2.download_button(t("dl_docx"), docx_bytes(content), "aar.docx",
                       "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                       key="dl_docx", on_click="ignore")
    if scenario is not None and sealed_document is not None:
        c3.download_button(t("dl_msel"), msel_bytes(scenario, sealed_document, lg), "msel.xlsx",
                           "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           key="dl_msel", on_click="ignore")
    c4.download_button(t("dl_run"), run_zip(run_dir), f"{run_dir.name}.zip", "application/zip",
                       key="dl_run", on_click="ignore")


def show_observations(observations: list[dict[str, Any]]) -> None:
    """Observation notes as plain text (never Markdown or HTML: a note is shown as typed)."""
    if not observations:
        st.caption("—")
        return
    for o in observations:
        head = " · ".join(str(x) for x in (o.get("time", ""), o.get("author", ""),
                                            o.get("inject") or "", o.get("capability", ""),
                                            o.get("rating", "")) if x)
        with st.container(border=True):
            st.caption(head)
            st.text(str(o.get("text", "")))


def copy_baseline(src: Path, run_dir: Path) -> None:
    """Put simulated replications under ``run_dir/baseline`` (where the report looks)."""
    dst = run_dir / "baseline"
    if dst.exists():
        shutil.rmtree(dst)
    shutil.copytree(src, dst)
