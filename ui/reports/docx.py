"""The Word (.docx) AAR/IP, written with python-docx in the HSEEP / AQ/T 9009 structure.

Sections: 1 overview (with the sealed scenario's commitment check), 2 objectives and
capabilities with P/S/M/U ratings (table), 3 strengths, 4 areas for improvement with evidence,
5 improvement plan (table: capability, issue, corrective action, responsible organisation, due
date), 6 charts, appendix: the drill timeline (table of key log events).
"""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from ui.reports.content import ReportContent
from ui.reports.sections import appendix_rows, headings, ratings_rows


def _table(doc: Document, header: list[str] | None, rows: list[list[str]],
           widths_cm: list[float] | None = None) -> None:
    """A grid table; ``header`` (bold) may be None; ``widths_cm`` sets the column widths."""
    ncols = len(header) if header else len(rows[0])
    t = doc.add_table(rows=1 if header else 0, cols=ncols)
    t.style = "Table Grid"
    if header:
        for cell, text in zip(t.rows[0].cells, header, strict=True):
            cell.text = text
            for run in cell.paragraphs[0].runs:
                run.bold = True
    for row in rows:
        cells = t.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    if widths_cm:
        t.autofit = False
        for col, w in zip(t.columns, widths_cm, strict=True):
            col.width = Cm(w)  # the grid (LibreOffice/WPS read this)
        for row_ in t.rows:  # and each cell (Word reads this)
            for cell, w in zip(row_.cells, widths_cm, strict=True):
                cell.width = Cm(w)


def write_docx(c: ReportContent, path: str | Path) -> Path:
    """Write the AAR/IP to ``path`` and return it."""
    h = headings(c.lang)
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "SimSun" if c.lang == "zh" else "Calibri"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    style.font.size = Pt(10.5)
    doc.add_heading(str(h["title"]), 0)
    doc.add_heading(f"1. {h['overview']}", 1)
    _table(doc, None, [[k, v] for k, v in c.overview] + [[str(h["sealed"]), c.sealed[1]]],
           [5.0, 11.5])
    doc.add_heading(f"2. {h['capabilities']}", 1)
    _table(doc, list(h["ratings_cols"]), ratings_rows(c), [3.5, 2.0, 2.0, 9.0])
    for n, key, findings in (("3", "strengths", c.card.findings.strengths),
                             ("4", "improvements", c.card.findings.improvements)):
        doc.add_heading(f"{n}. {h[key]}", 1)
        if not findings:
            doc.add_paragraph(str(h["none"]))
        for f in findings:
            doc.add_paragraph(f.text_zh if c.lang == "zh" else f.text_en, style="List Bullet")
            if f.evidence:
                p = doc.add_paragraph(f"{h['evidence']}: " +
                                      "; ".join(c.event_line(s) for s in f.evidence[:5]))
                p.runs[0].font.size = Pt(8)
    doc.add_heading(f"5. {h['plan']}", 1)
    _table(doc, list(h["plan_cols"]),
           [[r.capability, r.issue, r.action, r.responsible, r.due] for r in c.plan],
           [2.2, 5.0, 4.6, 2.7, 2.6])
    doc.add_heading(f"6. {h['charts']}", 1)
    for _, cap, png in c.figures:
        doc.add_picture(io.BytesIO(png), width=Cm(16))
        doc.add_paragraph(cap)
    doc.add_heading(str(h["appendix"]), 1)
    _table(doc, list(h["appendix_cols"]), appendix_rows(c), [2.4, 2.2, 5.4, 6.5])
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(out))
    return out
