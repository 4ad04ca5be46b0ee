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
           "same": "各方案均不变", "hatched": "斜线:两方统计对象不同,差值含统计范围变化的影响"},
    "en": {"overall.score": "Overall score", "compliance": "compliance",
           "title": "Alternatives minus current (common random numbers, 95% CI)",
           "pp": "percentage points", "pts": "points", "same": "unchanged in every alternative",
           "hatched": "hatched: counted over different cases on the two sides, so the "
                      "difference mixes in what is counted"},
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


def unchanged(d: dict[str, Any]) -> bool:
    """A paired difference of a what-if summary that is exactly zero in every replication
    (none of them with a value on one side only): the text says "unchanged", the chart's
    panel "unchanged in every alternative"."""
    return d.get("mean") == 0 and d.get("sd") == 0 and not d.get("unpaired")


#: a difference is over other cases when at least this share of the incidents behind it were
#: counted on one side only, or their mean number moved by this share (a unit more or less
#: among 30 is noise; a third fewer incidents needing mutual aid is not)
CASES_NOTE_SHARE = 0.05


def over_other_cases(d: dict[str, Any]) -> bool:
    """Whether a paired difference of a what-if summary was computed over other cases on the
    two sides (``cases``, see :class:`experiments.aggregate.Difference`), by
    :data:`CASES_NOTE_SHARE` or more: then it mixes a change in what is counted with a change
    in how well it went."""
    c = d.get("cases")
    if not c or not c.get("replications_differ"):
        return False
    one_side = c.get("incidents_one_side") or 0.0
    larger = max(c["alternative_mean"], c["current_mean"])
    count = abs(c["alternative_mean"] - c["current_mean"]) / larger if larger else 0.0
    return max(one_side, count) >= CASES_NOTE_SHARE


def whatif_figure(doc: dict[str, Any], lang: str = "zh",
                  keys: tuple[str, ...] = DEFAULT_KEYS) -> Figure:
    """The chart of a what-if summary (``summary.json`` of ``blinddrill whatif``)."""
    names = _NAMES["en" if lang == "en" else "zh"]
    alts = doc["alternatives"][1:]
    keys = tuple(k for k in keys if any(k in a.get("difference", {}) for a in alts)) or keys[:1]
    fig = new_figure(2.6 * len(keys) + 1.5, 0.5 * len(alts) + 1.6)
    axes = fig.subplots(1, len(keys), sharey=True, squeeze=False)[0]
    hatched = False
    labels = [a["name"] for a in alts]
    for ax, key in zip(axes, keys, strict=True):
        scale = 100.0 if key.endswith(".compliance") else 1.0
        up = higher_is_better(key, doc)
        means, lo, hi, colors, hatches = [], [], [], [], []
        same = True
        for a in alts:
            d = a.get("difference", {}).get(key)
            m = (d or {}).get("mean") or 0.0
            ci = (d or {}).get("ci95") or [m, m]
            same = same and d is not None and unchanged(d)
            means.append(m * scale)
            lo.append((m - ci[0]) * scale)
            hi.append((ci[1] - m) * scale)
            better = m > 0 if up else m < 0  # green: significantly better, red: worse
            colors.append("#9e9e9e" if not (d and d["significant"] and m != 0) else
                          "#2e7d32" if better else "#c62828")
            hatches.append("//" if d is not None and over_other_cases(d) else "")
        ys = list(range(len(alts)))
        bars = ax.barh(ys, means, xerr=[lo, hi], color=colors, capsize=3)
        for bar, hatch in zip(bars, hatches, strict=True):
            if hatch:
                bar.set_hatch(hatch)
                bar.set_edgecolor("white")
                hatched = True
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
    if hatched:  # say what the hatching means, once
        fig.supxlabel(names["hatched"], fontsize=7, color="#616161")
    return fig
