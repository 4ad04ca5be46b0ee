"""The report as a list of blocks (headings, paragraphs, tables, figures), built once.

``sections.build_document`` produces the blocks; ``html.render_html`` and ``docx.write_docx``
only lay them out, so both formats hold the same sections, tables and charts (each chart is
drawn once, as PNG bytes, and embedded in both).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field


@dataclass
class Heading:
    """A section heading; ``key`` names the section (stable across languages, for tests)."""

    text: str
    level: int = 1
    key: str = ""


@dataclass
class Para:
    """A paragraph; ``small`` for evidence lines and notes."""

    text: str
    small: bool = False
    bold: bool = False


@dataclass
class Bullets:
    """A bulleted list; each item may carry a small note below it (evidence)."""

    items: list[tuple[str, str]]


@dataclass
class Table:
    """A grid table with a header row; ``widths_cm`` sum to the A4 text width (17 cm);
    ``cls`` per row gives a CSS class to the row's ``cls_col`` cell (rating colours)."""

    header: list[str]
    rows: list[list[str]]
    widths_cm: list[float]
    cls: list[str] = field(default_factory=list)
    cls_col: int = -1
    key: str = ""


@dataclass
class Figure:
    """A chart: PNG bytes drawn once, a caption and its width on the page."""

    fid: str
    caption: str
    png: bytes
    width_cm: float = 17.0


Block = Heading | Para | Bullets | Table | Figure
#: usable width of an A4 page with 2 cm margins
TEXT_WIDTH_CM = 17.0
#: the tallest a figure may be on such a page, leaving room for its caption
FIGURE_HEIGHT_CM = 24.4


def page_width_cm(fig: Figure) -> float:
    """The width to place ``fig`` at so that it fits one page: its own width, or less for a
    figure that would be taller than :data:`FIGURE_HEIGHT_CM` (Word cuts a picture off at
    the page's foot)."""
    if fig.png[:8] != b"\x89PNG\r\n\x1a\n" or len(fig.png) < 24:
        return fig.width_cm
    w, h = (int(x) for x in struct.unpack(">II", fig.png[16:24]))  # IHDR: width, height
    if not (w and h) or fig.width_cm * h / w <= FIGURE_HEIGHT_CM:
        return fig.width_cm
    return round(FIGURE_HEIGHT_CM * w / h, 3)
