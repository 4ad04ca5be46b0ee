"""What-if chart: each alternative's paired difference from the current setup, with its 95 % CI.

One panel per value (compliance of the main clocks in percentage points, the overall score in
points); one bar per alternative; whiskers are the confidence interval of the mean paired
difference over common-random-number replications (from :mod:`experiments.whatif`'s summary;
nothing is recomputed here). A whisker clear of zero means the change makes a real difference.
"""

from __future__ import annotations

from typing import Any

from matplotlib.figure import Figure

from ui.charts.fonts import new_figure

DEFAULT_KEYS = ("clock.take_alarm.compliance", "clock.arrive.compliance",
                "clock.handle.compliance", "clock.scene_visible.compliance", "overall.score")

_NAMES = {
    "zh": {"clock.take_alarm.compliance": "1分钟接警达标率", "clock.arrive.compliance": "10分钟到场达标率",
           "clock.handle.compliance": "15分钟处置达标率",
           "clock.scene_visible.compliance": "30分钟现场可视达标率", "overall.score": "总体评分",
           "title": "备选方案与现状之差(同一随机数, 95%置信区间)", "pp": "百分点", "pts": "分"},
    "en": {"clock.take_alarm.compliance": "Alarm taken in 1 min",
           "clock.arrive.compliance": "On scene in 10 min",
           "clock.handle.compliance": "Under control in 15 min",
           "clock.scene_visible.compliance": "Scene visible in 30 min",
           "overall.score": "Overall score",
           "title": "Alternatives minus current (common random numbers, 95% CI)",
           "pp": "percentage points", "pts": "points"},
}


def whatif_figure(doc: dict[str, Any], lang: str = "zh",
                  keys: tuple[str, ...] = DEFAULT_KEYS) -> Figure:
    """The chart of a what-if summary (``summary.json`` of ``blinddrill whatif``)."""
    names = _NAMES["en" if lang == "en" else "zh"]
    alts = doc["alternatives"][1:]
    keys = tuple(k for k in keys if any(k in a.get("difference", {}) for a in alts)) or keys[:1]
    fig = new_figure(2.6 * len(keys) + 1.5, 0.5 * len(alts) + 1.6)
    axes = fig.subplots(1, len(keys), sharey=True, squeeze=False)[0]
    labels = [a["name"] for a in alts]
    for ax, key in zip(axes, keys, strict=True):
        scale = 100.0 if key.endswith(".compliance") else 1.0
        means, lo, hi, colors = [], [], [], []
        for a in alts:
            d = a.get("difference", {}).get(key)
            m = (d or {}).get("mean") or 0.0
            ci = (d or {}).get("ci95") or [m, m]
            means.append(m * scale)
            lo.append((m - ci[0]) * scale)
            hi.append((ci[1] - m) * scale)
            colors.append("#2e7d32" if d and d["significant"] and m > 0 else
                          "#c62828" if d and d["significant"] and m < 0 else "#9e9e9e")
        ys = list(range(len(alts)))
        ax.barh(ys, means, xerr=[lo, hi], color=colors, capsize=3)
        ax.axvline(0, color="black", linewidth=0.8)
        ax.set_title(names.get(key, key), fontsize=9)
        ax.set_xlabel(names["pp"] if scale == 100.0 else names["pts"], fontsize=8)
        ax.set_yticks(ys, labels, fontsize=8)
        ax.tick_params(axis="x", labelsize=8)
        ax.invert_yaxis()
    fig.suptitle(names["title"], fontsize=10)
    return fig
