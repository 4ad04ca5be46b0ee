"""The Word (.docx) AAR/IP, written with python-docx on A4 pages.

It lays out the blocks of :func:`ui.reports.sections.build_document` (the same sections as
the HTML report): headings as Word headings, tables as real Word tables (the improvement plan
is edited in Word), charts as pictures 17 cm wide (the A4 text width with 2 cm margins).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from scenarios.outputs import atomic_write
from ui.reports.content import ReportContent
from ui.reports.document import Bullets, Figure, Heading, Para, Table, page_width_cm
from ui.reports.sections import build_document, title

#: A4 portrait with 2 cm margins
A4_MM = (210, 297)
MARGIN_CM = 2.0
_SHADE = {"P": "C8E6C9", "S": "FFF9C4", "M": "FFE0B2", "U": "FFCDD2"}


def _shade(cell: Any, colour: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shd)


#: a table cell's inner margins (twentieths of a point): room above and below each line, and
#: beside the grid lines (Word's "Table Grid" has none above or below)
CELL_MARGINS = {"top": 30, "bottom": 30, "left": 85, "right": 85}


def _cell_margins(table: Any) -> None:
    mar = OxmlElement("w:tblCellMar")
    for side, twips in CELL_MARGINS.items():
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(twips))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    table._tbl.tblPr.append(mar)


def _repeat_header(row: Any) -> None:
    """Print the row again at the top of every page the table runs onto."""
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(el)


def _table(doc: Any, b: Table) -> None:
    t = doc.add_table(rows=1, cols=len(b.header))
    t.style = "Table Grid"
    _cell_margins(t)
    _repeat_header(t.rows[0])
    for cell, text in zip(t.rows[0].cells, b.header, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
        _shade(cell, "F0F0F0")
    for i, row in enumerate(b.rows):
        cells = t.add_row().cells
        for j, (cell, text) in enumerate(zip(cells, row, strict=True)):
            cell.text = text
            cls = b.cls[i] if i < len(b.cls) else ""
            if j == b.cls_col and cls in _SHADE:
                _shade(cell, _SHADE[cls])
    t.autofit = False
    for col, w in zip(t.columns, b.widths_cm, strict=True):
        col.width = Cm(w)  # the grid (LibreOffice/WPS read this)
    for row_ in t.rows:  # and each cell (Word reads this)
        for cell, w in zip(row_.cells, b.widths_cm, strict=True):
            cell.width = Cm(w)
            for p in cell.paragraphs:
                for run in p.runs:
                    run.font.size = Pt(9)
    doc.add_paragraph()


def write_docx(c: ReportContent, path: str | Path) -> Path:
    """Write the AAR/IP to ``path`` (A4) and return it."""
    doc = Document()
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Mm(A4_MM[0]), Mm(A4_MM[1])
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(sec, side, Cm(MARGIN_CM))
    style = doc.styles["Normal"]
    style.font.name = "SimSun" if c.lang == "zh" else "Calibri"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    style.font.size = Pt(10.5)
    doc.add_heading(title(c), 0)
    for b in build_document(c):
        if isinstance(b, Heading):
            doc.add_heading(b.text, b.level)
        elif isinstance(b, Para):
            p = doc.add_paragraph(b.text)
            for run in p.runs:
                run.bold = b.bold
                if b.small:
                    run.font.size = Pt(8.5)
        elif isinstance(b, Bullets):
            for text, note in b.items:
                doc.add_paragraph(text, style="List Bullet")
                if note:
                    p = doc.add_paragraph(note)
                    p.runs[0].font.size = Pt(8)
        elif isinstance(b, Table):
            _table(doc, b)
        elif isinstance(b, Figure):
            doc.add_picture(io.BytesIO(b.png), width=Cm(page_width_cm(b)))
            # a chart that does not fit takes its caption with it to the next page
            doc.paragraphs[-1].paragraph_format.keep_with_next = True
            doc.add_paragraph(b.caption).runs[0].font.size = Pt(9)
    buf = io.BytesIO()
    doc.save(buf)
    out = Path(path)
    atomic_write(out, fixed_zip_times(buf.getvalue()))  # never a half-written report
    return out


#: the time stamped on every part of a written .docx (the zip format's first date), so that
#: the same drill gives the same bytes whenever its report is written
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def fixed_zip_times(raw: bytes) -> bytes:
    """The same zip package with every entry dated :data:`ZIP_TIME` (python-docx stamps each
    part with the current time); entries, their order and their contents are unchanged."""
    src = zipfile.ZipFile(io.BytesIO(raw))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            dst.writestr(entry, src.read(info))
    return buf.getvalue()
