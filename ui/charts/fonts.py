"""Fonts and figure plumbing for every chart: a bundled CJK font, the Agg canvas, PNG bytes.

On import this module registers Noto Sans CJK (OFL-1.1, from the ``noto-cjk-sans-otc`` PyPI
package, so no system CJK font is needed) with matplotlib's font manager and puts its
Simplified-Chinese face first in the sans-serif list. That is a one-off, constant change of
``matplotlib.rcParams`` made before any chart exists; charts themselves never touch pyplot or
any other global state, so they are safe to build concurrently (one console, many users).
"""

from __future__ import annotations

import io
from typing import Any

import matplotlib

matplotlib.use("Agg", force=False)

import matplotlib.image  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

#: The family name the bundled collection registers for Simplified Chinese (face index 2).
FAMILY = "Noto Sans CJK SC"
#: Default resolution of PNG output (figures are sized in inches for A4 reports).
DPI = 130
#: width of a chart that fills the text width of an A4 page (17 cm); charts are drawn at it so
#: that 8-point labels stay 8 points on paper
PAGE_WIDTH_IN = 6.7


def _register() -> str:
    """Register the bundled Noto Sans CJK collection once; return the font file path."""
    import noto_cjk_sans_otc

    path = str(noto_cjk_sans_otc.FONT_PATH)
    if not any(f.fname == path and f.name == FAMILY for f in font_manager.fontManager.ttflist):
        font_manager.fontManager.addfont(path)
    params = matplotlib.rcParams
    if params["font.sans-serif"][:1] != [FAMILY]:
        params["font.sans-serif"] = [FAMILY, *params["font.sans-serif"]]
    params["font.family"] = ["sans-serif"]
    params["axes.unicode_minus"] = False  # plain '-' (ASCII) needs no special glyph
    params["svg.fonttype"] = "none"
    return path


FONT_PATH = _register()


def new_figure(width: float, height: float, **kwargs: Any) -> Figure:
    """A :class:`Figure` (``width`` × ``height`` inches) attached to its own Agg canvas."""
    fig = Figure(figsize=(width, height), dpi=DPI, layout=kwargs.pop("layout", "constrained"),
                 **kwargs)
    FigureCanvasAgg(fig)
    return fig


def to_png(fig: Figure, dpi: int = DPI) -> bytes:
    """Render ``fig`` to PNG bytes (white background).

    The same bytes as ``fig.savefig(buf, format="png", dpi=dpi, facecolor="white")`` in one
    pass: savefig draws a figure that has a layout engine twice (once with drawing disabled,
    to lay it out, then for real, laying it out again), while the constrained layout already
    settles within the one draw (it iterates itself); tests/charts hold the bytes equal."""
    canvas = fig.canvas
    if dpi != fig.dpi or not isinstance(canvas, FigureCanvasAgg):
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=dpi, facecolor="white")
        return buf.getvalue()
    face = fig.patch.get_facecolor()
    fig.patch.set_facecolor("white")
    try:
        canvas.draw()  # type: ignore[no-untyped-call]  # matplotlib leaves it unannotated
        buf = io.BytesIO()
        rgba = canvas.buffer_rgba()  # type: ignore[no-untyped-call]
        matplotlib.image.imsave(buf, rgba, format="png", origin="upper", dpi=fig.dpi)
    finally:
        fig.patch.set_facecolor(face)
    return buf.getvalue()
