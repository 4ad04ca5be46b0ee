"""What-if chart: each alternative's paired difference from the current setup, with its 95 % CI.

One panel per value (compliance of the main clocks in percentage points, the overall score in
points); one bar per alternative; whiskers are the confidence interval of the mean paired
difference over common-random-number replications (from :mod:`experiments.whatif`'s summary;
nothing is recomputed here). A whisker clear of zero means the change makes a real difference.
"""

from __future__ import annotations

import textwrap
from typing import Any

from matplotlib.figure import Figure

from evaluators.scorecard import value_higher_is_better
from ui.charts.fonts import new_figure

DEFAULT_KEYS = ("clock.take_alarm.compliance", "clock.arrive.compliance",
                "clock.handle.compliance", "clock.scene_visible.compliance", "overall.score")

_NAMES = {
    "zh": {"overall.score": "总体评分", "compliance": "达标率",
           "title": "备选方案与现状之差(同一随机数, 95%置信区间)", "pp": "百分点", "pts": "分",
           "same": "各方案均不变"},
    "en": {"overall.score": "Overall score", "compliance": "compliance",
           "title": "Alternatives minus current (common random numbers, 95% CI)",
           "pp": "percentage points", "pts": "points", "same": "unchanged in every alternative"},
}


def _title(key: str, doc: dict[str, Any], lang: str) -> str:
    """A panel's title: a clock's name as its rule pack gives it (the summary carries it),
    then "compliance"; the overall score by name."""
    names = _NAMES["en" if lang == "en" else "zh"]
    parts = key.split(".")
    if parts[0] == "clock" and len(parts) == 3:
        clock = doc["alternatives"][0].get("clocks", {}).get(parts[1], {})
        name = clock.get("name_en" if lang == "en" else "name_zh", parts[1])
        sep = " " if lang == "en" else ""
        return textwrap.fill(f"{name}{sep}{names.get(parts[2], parts[2])}",
                             30 if lang == "en" else 16)
    return names.get(key, key)


def higher_is_better(key: str, doc: dict[str, Any]) -> bool:
    """Whether a larger value of ``key`` is better: compliance and scores are; a clock's
    durations (mean, percentiles) are not; a metric as the summary's ``value_names`` say
    (the rule of :func:`evaluators.scorecard.value_higher_is_better`)."""
    names = doc.get("value_names", {})
    return value_higher_is_better(key, lambda k: names.get(k, {}).get("higher_is_better"))


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
        up = higher_is_better(key, doc)
        means, lo, hi, colors = [], [], [], []
        same = True
        for a in alts:
            d = a.get("difference", {}).get(key)
            m = (d or {}).get("mean") or 0.0
            ci = (d or {}).get("ci95") or [m, m]
            same = same and d is not None and d.get("mean") == 0 and d.get("sd") == 0 \
                and not d.get("unpaired")
            means.append(m * scale)
            lo.append((m - ci[0]) * scale)
            hi.append((ci[1] - m) * scale)
            better = m > 0 if up else m < 0  # green: significantly better, red: worse
            colors.append("#9e9e9e" if not (d and d["significant"] and m != 0) else
                          "#2e7d32" if better else "#c62828")
        ys = list(range(len(alts)))
        ax.barh(ys, means, xerr=[lo, hi], color=colors, capsize=3)
        ax.axvline(0, color="black", linewidth=0.8)
        # zero in the middle, every whisker inside the frame: worse and better read at a glance
        reach = max((abs(m - a) for m, a in zip(means, lo, strict=True)), default=0.0)
        reach = max([reach, *(abs(m + b) for m, b in zip(means, hi, strict=True))])
        if reach > 0:
            ax.set_xlim(-1.15 * reach, 1.15 * reach)
        else:  # nothing moved: no scale to read
            ax.set_xlim(-1.0, 1.0)
            ax.set_xticks([0.0])
        ax.set_title(_title(key, doc, lang), fontsize=9)
        if same:  # a panel of zeros says nothing by itself: say the value did not move
            ax.text(0.5, 0.5, names["same"], transform=ax.transAxes, ha="center",
                    va="center", fontsize=8, color="#616161",
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 2})
        ax.set_xlabel(names["pp"] if scale == 100.0 else names["pts"], fontsize=8)
        ax.set_yticks(ys, labels, fontsize=8)
        ax.tick_params(axis="x", labelsize=8)
        ax.invert_yaxis()
    fig.suptitle(names["title"], fontsize=10)
    return fig
