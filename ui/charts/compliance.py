"""Compliance by township and by unit kind, straight from the scorecard's breakdowns.

Two heat maps: rows are townships (``ClockSummary.by_township``) or unit kinds
(``by_unit_kind``, unit-scoped clocks only, e.g. the fire 1-3-5 pack); columns are clocks.
Each cell is coloured by the compliance (red 0 % → green 100 %) and labelled ``met/n``; grey
cells had no instance. Reading across a row shows where a township struggles.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure

from evaluators.scorecard import Scorecard, Stats
from scenarios.region import Region
from ui.charts.fonts import PAGE_WIDTH_IN, new_figure
from ui.charts.labels import Lang, place_name, tr, unit_kind_name

CMAP = LinearSegmentedColormap.from_list("compliance", ["#d73027", "#fee08b", "#1a9850"])


def default_clocks(card: Scorecard) -> list[str]:
    """Clocks shown by default: every available clock except per-grade reporting clocks."""
    return [cid for cid, c in card.clocks.items() if c.available and c.n > 0
            and not cid.startswith("report_")]


def breakdown_table(card: Scorecard, attr: str, clocks: Sequence[str]
                    ) -> tuple[list[str], list[str], list[list[Stats | None]]]:
    """(clock ids with data, sorted row labels, cells[row][col]) of breakdown ``attr``."""
    ids = [cid for cid in clocks if cid in card.clocks and getattr(card.clocks[cid], attr)]
    labels = sorted({lab for cid in ids for lab in getattr(card.clocks[cid], attr)})
    cells = [[getattr(card.clocks[cid], attr).get(lab) for cid in ids] for lab in labels]
    return ids, labels, cells


def _panel(ax: Axes, card: Scorecard, attr: str, clocks: Sequence[str], names: dict[str, str],
           lang: Lang) -> None:
    ids, labels, cells = breakdown_table(card, attr, clocks)
    if not ids:
        ax.text(0.5, 0.5, tr(f"comp.none_{attr}", lang), ha="center", va="center",
                transform=ax.transAxes, fontsize=9, color="#666666")
        ax.set_axis_off()
        return
    grid = np.array([[np.nan if s is None or s.compliance is None else s.compliance
                      for s in row] for row in cells], dtype=float)
    ax.imshow(np.ma.masked_invalid(grid), cmap=CMAP, vmin=0, vmax=1, aspect="auto")
    ax.set_facecolor("#e6e6e6")
    for i, row in enumerate(cells):
        for j, s in enumerate(row):
            text = "—" if s is None else f"{s.n_met}/{s.n}"
            ax.text(j, i, text, ha="center", va="center", fontsize=8, color="black")
    col_names = [card.clocks[c].name_zh if lang == "zh" else c.replace("_", " ") for c in ids]
    ax.set_xticks(range(len(ids)), col_names, fontsize=8, rotation=30, ha="right")
    ax.set_yticks(range(len(labels)), [names.get(lab, lab) for lab in labels], fontsize=8)
    ax.tick_params(length=0)
    ax.set_xticks(np.arange(-0.5, len(ids)), minor=True)
    ax.set_yticks(np.arange(-0.5, len(labels)), minor=True)
    ax.grid(which="minor", color="white", lw=2)
    for side in ax.spines.values():
        side.set_visible(False)


def compliance_chart(card: Scorecard, region: Region | None = None, *, lang: Lang = "zh",
                     clocks: Sequence[str] | None = None) -> Figure:
    """Heat maps of compliance per township and per unit kind (rows) and clock (columns)."""
    ids = list(clocks) if clocks is not None else default_clocks(card)
    _, towns, _ = breakdown_table(card, "by_township", ids)
    _, kinds, _ = breakdown_table(card, "by_unit_kind", ids)
    rows = max(len(towns), len(kinds), 3)
    fig = new_figure(PAGE_WIDTH_IN, min(2.6 + 0.3 * rows, 9.5))
    a1, a2 = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.3, 1]})
    _panel(a1, card, "by_township", ids, {t: place_name(region, t, lang) for t in towns}, lang)
    _panel(a2, card, "by_unit_kind", ids, {k: unit_kind_name(k, lang) for k in kinds}, lang)
    a1.set_title(tr("comp.by_township", lang), fontsize=10, loc="left")
    a2.set_title(tr("comp.by_unit_kind", lang), fontsize=10, loc="left")
    fig.suptitle(tr("comp.title", lang) + tr("comp.note", lang), x=0.01, ha="left",
                 fontsize=12)
    return fig
