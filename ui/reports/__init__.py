"""After-action reports: a self-contained HTML page and a Word AAR/IP, from a run directory.

:func:`write_reports` is what ``blinddrill demo`` calls; ``blinddrill report`` writes one file.
"""

from __future__ import annotations

from pathlib import Path


def write_report(run_dir: str | Path, output: str | Path, lang: str = "zh",
                 baseline_dir: str | Path | None = None,
                 actions: str | Path | None = None) -> Path:
    """Write one report; the format follows ``output``'s suffix (.html or .docx)."""
    from ui.errors import UserError
    from ui.reports.content import build_report

    out = Path(output)
    if out.suffix.lower() not in (".html", ".htm", ".docx"):
        raise UserError(f"{out}: the output must end in .html or .docx")
    content = build_report(run_dir, lang, baseline_dir, actions=actions)
    return write_content(content, out)


def write_content(content: object, out: Path) -> Path:
    """Write already assembled report content as .docx or .html (by ``out``'s suffix)."""
    from ui.reports.content import ReportContent

    assert isinstance(content, ReportContent)
    if out.suffix.lower() == ".docx":
        from ui.reports.docx import write_docx  # python-docx only for a Word report

        return write_docx(content, out)
    from scenarios.outputs import atomic_write
    from ui.reports.html import render_html

    atomic_write(out, render_html(content))  # never a half-written report
    return out


def write_reports(run_dir: str | Path, out_dir: str | Path, lang: str = "zh") -> list[Path]:
    """Write ``aar.html`` and ``aar.docx`` for ``run_dir`` into ``out_dir``; return the paths."""
    from ui.reports.content import build_report

    return write_both(build_report(run_dir, lang), out_dir)


def write_both(content: object, out_dir: str | Path) -> list[Path]:
    """Write assembled content as ``aar.html`` and ``aar.docx`` into ``out_dir``."""
    d = Path(out_dir)
    return [write_content(content, d / "aar.html"), write_content(content, d / "aar.docx")]
