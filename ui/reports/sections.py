"""The report's sections as blocks, in the AQ/T 9009-2015 / GB/T 38209-2019 order (Chinese) and
the HSEEP AAR/IP order (English); the mapping is documented in ``docs/reports.md``.

:func:`build_document` is the only place that decides what the report says; the HTML and Word
writers lay the same blocks out. Every name shown comes from the region (units, desks, posts,
depots, places) or a translation table; no id or code reaches Chinese text.
"""

from __future__ import annotations

from collections.abc import Callable

from ui.reports.analysis import _analysis, _conclusion, _findings, _hotwash
from ui.reports.annex import _appendix_integrity, _appendix_observations, _appendix_timeline, _plan
from ui.reports.content import ReportContent
from ui.reports.document import Block, Heading
from ui.reports.front import _incidents, _method, _objectives, _overview, _title
from ui.reports.wording import SECTIONS, TITLE


def build_document(c: ReportContent) -> list[Block]:
    """Every block of the report, in order (see :data:`SECTIONS`)."""
    builders: dict[str, Callable[[ReportContent], list[Block]]] = {
        "overview": _overview, "objectives": _objectives, "method": _method,
        "incidents": _incidents, "analysis": _analysis,
        "strengths": lambda c: _findings(c, "strengths"),
        "improvements": lambda c: _findings(c, "improvements"),
        "hotwash": _hotwash, "conclusion": _conclusion, "plan": _plan,
        "appendix_timeline": _appendix_timeline,
        "appendix_observations": _appendix_observations,
        "appendix_integrity": _appendix_integrity,
    }
    out: list[Block] = []
    for key, (zh, en) in SECTIONS.items():
        out.append(Heading(zh if c.lang == "zh" else en, 1, key=key))
        out += builders[key](c)
    return out


def title(c: ReportContent) -> str:
    """The report's title line."""
    return (f"{_title(c)}{TITLE[0]}" if c.lang == "zh" else f"{_title(c)}: {TITLE[1]}")
