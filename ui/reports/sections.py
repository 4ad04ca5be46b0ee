"""Headings and table rows shared by the HTML and Word reports (HSEEP / AQ/T 9009 order)."""

from __future__ import annotations

from ui.charts.labels import Lang
from ui.reports.content import ReportContent

_H = {
    "zh": {"title": "应急演练评估报告及改进计划(AAR/IP)", "overview": "演练概况",
           "sealed": "场景封存与承诺校验", "capabilities": "演练目标与能力评级(P/S/M/U)",
           "strengths": "优势与亮点", "improvements": "需改进的问题(含证据)",
           "plan": "改进计划", "charts": "图表", "appendix": "附录:演练时间线",
           "evidence": "证据(日志记录)", "none": "无",
           "ratings_cols": ["能力", "得分", "评级", "评级含义"],
           "plan_cols": ["能力", "问题", "整改措施", "责任单位", "完成时限"],
           "appendix_cols": ["时间(分钟)", "事件", "类型", "对象"]},
    "en": {"title": "After-Action Report and Improvement Plan (AAR/IP)", "overview": "Overview",
           "sealed": "Sealed scenario and commitment",
           "capabilities": "Objectives and capabilities, rated P/S/M/U",
           "strengths": "Strengths", "improvements": "Areas for improvement (with evidence)",
           "plan": "Improvement plan", "charts": "Charts", "appendix": "Appendix: drill timeline",
           "evidence": "Evidence (log records)", "none": "None",
           "ratings_cols": ["Capability", "Score", "Rating", "Meaning"],
           "plan_cols": ["Capability", "Issue", "Corrective action",
                         "Responsible organisation", "Due date"],
           "appendix_cols": ["Time (min)", "Incident", "Event", "Who"]},
}
#: log kinds listed in the timeline appendix
APPENDIX_KINDS = frozenset({"drill_started", "incident_occurred", "alarm_raised", "alarm_taken",
                            "unit_dispatched", "unit_arrived", "incident_escalated",
                            "incident_controlled", "incident_unresolved", "report_submitted",
                            "scene_visible", "mutual_aid_requested", "drill_ended"})


def headings(lang: Lang) -> dict[str, list[str] | str]:
    """Section headings and column names in ``lang``."""
    return _H[lang]  # type: ignore[return-value]


def ratings_rows(c: ReportContent) -> list[list[str]]:
    """(capability, score, rating, rating meaning) per capability, from the scorecard."""
    zh = c.lang == "zh"
    rows = []
    for cap in c.card.capabilities:
        r = cap.rating or "—"
        meaning = c.card.ratings.get(r)
        rows.append([cap.name_zh if zh else cap.name_en,
                     "—" if cap.score is None else f"{cap.score:.0f}", r,
                     (meaning.name_zh if zh else meaning.name_en) if meaning else ""])
    return rows


def appendix_rows(c: ReportContent) -> list[list[str]]:
    """Key events of the log, in order, for the timeline appendix."""
    out = []
    for r in c.records:
        if r["kind"] in APPENDIX_KINDS:
            who = " ".join(str(r[k]) for k in ("unit", "post") if r.get(k))
            d = r.get("data") or {}
            if r["kind"] == "report_submitted":
                who = f"{who} {d.get('stage', '')}→{d.get('to', '')}".strip()
            out.append([f"{r['t']:.1f}", r.get("incident") or "", r["kind"], who])
    return out
