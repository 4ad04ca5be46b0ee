"""Strengths and areas for improvement, extracted from rubric item scores with evidence.

An item scoring at least ``findings.strength_min`` is a strength; at most
``findings.improvement_max`` an area for improvement. Evidence is the ``seq`` numbers of the
events behind the finding: for a clock, the start and end events of the instances that met it
(strength) or missed it (improvement); for a metric, the events of its worst cases. Umpire
``observation`` events rated P become strengths, rated M or U areas for improvement.
"""

from __future__ import annotations

import numpy as np

from evaluators.clocks import ClockResult
from evaluators.metrics.base import Outcome
from evaluators.rubric import Rubric
from evaluators.scorecard import CapabilityScore, Finding, Findings, MetricSummary
from evaluators.table import LogTable

STAT_ZH = {"compliance": "达标率", "p50": "中位用时", "p90": "90%分位用时", "mean": "平均用时",
           "max": "最长用时"}
STAT_EN = {"compliance": "compliance", "p50": "median", "p90": "90th percentile", "mean": "mean",
           "max": "maximum"}


def _fmt(value: float, ratio: bool) -> tuple[str, str]:
    if ratio:
        return f"{value * 100:.0f}%", f"{value * 100:.0f}%"
    return f"{value:.1f}分钟", f"{value:.1f} min"


def clock_evidence(tab: LogTable, res: ClockResult, met: bool, limit: int) -> list[int]:
    """Seqs of the start/end events of instances that met (or missed) the clock."""
    sel = np.flatnonzero(res.met == met)
    if not met:  # worst first
        sel = sel[np.argsort(-res.value[sel], kind="stable")]
    rows = np.r_[res.start_row[sel[:limit]], res.end_row[sel[:limit]]]
    return sorted(set(tab.seqs(rows[rows >= 0])))


def extract(
    tab: LogTable,
    rubric: Rubric,
    caps: list[CapabilityScore],
    clocks: dict[str, ClockResult],
    outcomes: dict[str, Outcome],
    metrics: dict[str, MetricSummary],
) -> Findings:
    """All findings of one drill, strongest/weakest first."""
    rules = rubric.findings
    scored: list[tuple[float, Finding]] = []
    for cap in caps:
        for item in cap.items:
            if item.score is None or item.value is None:
                continue
            if item.score >= rules.strength_min:
                kind = "strength"
            elif item.score <= rules.improvement_max:
                kind = "improvement"
            else:
                continue
            if item.metric.startswith("clock."):
                _, cid, stat = item.metric.split(".")
                res = clocks[cid]
                vzh, ven = _fmt(item.value, stat == "compliance")
                zh = f"{cap.name_zh}：{res.rule.name_zh}{STAT_ZH[stat]}{vzh}"
                en = f"{cap.name_en}: {res.rule.name_en}, {STAT_EN[stat]} {ven}"
                if stat == "compliance":
                    zh += f"（{int(res.met.sum())}/{res.n}）"
                    en += f" ({int(res.met.sum())}/{res.n})"
                ev = clock_evidence(tab, res, kind == "strength", rules.max_evidence)
            else:
                m = metrics[item.metric]
                vzh, ven = _fmt(item.value, m.unit == "ratio")
                zh, en = f"{cap.name_zh}：{m.name_zh}{vzh}", f"{cap.name_en}: {m.name_en} {ven}"
                ev = outcomes[item.metric].evidence[: rules.max_evidence]
            zh += f"，得分{item.score:.0f}"
            en += f", score {item.score:.0f}"
            f = Finding(kind=kind, capability=cap.id, metric=item.metric, text_zh=zh,
                        text_en=en, evidence=ev)
            scored.append((item.score, f))
    for r in tab.of_kind("observation"):
        d = tab.records[r]["data"]
        rating = d.get("rating")
        if rating not in ("P", "M", "U"):
            continue
        text = str(d.get("text", ""))
        kind = "strength" if rating == "P" else "improvement"
        f = Finding(kind=kind, capability=str(d.get("capability") or ""), metric="observation",
                    text_zh=f"评估员观察（{rating}）：{text}",
                    text_en=f"Umpire observation ({rating}): {text}",
                    evidence=tab.seqs(np.array([r])))
        scored.append((100.0 if rating == "P" else 0.0, f))
    strengths = [f for s, f in sorted(scored, key=lambda x: -x[0]) if f.kind == "strength"]
    improvements = [f for s, f in sorted(scored, key=lambda x: x[0]) if f.kind == "improvement"]
    return Findings(strengths=strengths, improvements=improvements)
