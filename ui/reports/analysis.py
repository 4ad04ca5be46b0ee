"""The report's analysis sections: observations by capability with root causes, strengths and
areas for improvement, the hotwash and the conclusion.

Part of :func:`ui.reports.sections.build_document`.
"""

from __future__ import annotations

from typing import Any

from evaluators.improvement import PlanItem
from ui.charts.montecarlo import better_than, value_name
from ui.charts.names import has_cjk
from ui.reports.content import ReportContent
from ui.reports.document import Block, Bullets, Heading, Para, Table
from ui.reports.events import (
    HOTWASH_SECTIONS,
    RATING,
    describe,
)
from ui.reports.wording import (
    _NONE,
    _fig,
    _fmt_value,
    _item_name,
    _join,
    _level,
    _names,
    _t,
    _when,
    plain,
)


def _observations(c: ReportContent, cap_id: str | None = None) -> list[dict[str, Any]]:
    out = [r for r in c.records if r["kind"] == "observation"]
    if cap_id is not None:
        out = [r for r in out if (r.get("data") or {}).get("capability") == cap_id]
    return out


def _obs_line(c: ReportContent, r: dict[str, Any]) -> str:
    d = r.get("data") or {}
    rating = str(d.get("rating") or "")
    meaning = RATING.get(rating, ("", ""))[0 if c.lang == "zh" else 1]
    who = _names(c).party(str(d.get("author") or "")) or _t(c, "评估员", "evaluator")
    text = describe(r, _names(c)).split(":", 1)[-1].split(": ", 1)[-1]
    rated = f"{rating}({meaning})" if rating else _t(c, "未评级", "not rated")
    return _t(c, f"{who}于{_when(c, float(r['t']))}评级{rated}:{text}",
              f"{who} at {_when(c, float(r['t']))} rated {rated}: {text}")


def _root_causes(c: ReportContent, cap_id: str) -> list[str]:
    """Per plan row of this capability: who was involved and where (from the evidence)."""
    n = _names(c)
    out = []
    for row in c.plan:
        if row.capability != cap_id:
            continue
        owners = _join([n.party(o) for o in row.owners], c.lang) or _t(c, "未能确定", "unclear")
        incs = _join(row.incidents, c.lang) or "—"
        cause = _item_name(c, row.cause if not row.cause.startswith("clock.")
                           else row.cause + ".x")
        if row.cause == "observation":
            cause = _t(c, "评估员观察", "evaluator observation")
        detail = _arrival_breakdown(c, row) if row.cause in ("clock.arrive",
                                                             "clock.unit_arrive") else ""
        out.append(_t(c, f"{cause}:主要涉及{owners}(事件{incs}){detail}",
                      f"{cause}: mainly {owners} (incidents {incs}){detail}"))
    return out


def _arrival_breakdown(c: ReportContent, row: PlanItem) -> str:
    """Where the minutes of late first arrivals went: dispatch, turn-out, travel (means)."""
    parts: dict[str, list[float]] = {"dispatch": [], "turnout": [], "travel": []}
    for t in c.view.incidents if c.view else []:
        if t.incident not in row.incidents or t.alarm_taken is None:
            continue
        arrived = [u for u in t.units.values() if u.arrived is not None]
        if not arrived:
            continue
        u = min(arrived, key=lambda x: x.arrived or 0.0)
        if u.dispatched is None or u.mobilised is None or u.arrived is None:
            continue
        parts["dispatch"].append(u.dispatched - t.alarm_taken)
        parts["turnout"].append(u.mobilised - u.dispatched)
        parts["travel"].append(u.arrived - u.mobilised)
    if not parts["travel"]:
        return ""
    m = {k: sum(v) / len(v) for k, v in parts.items()}
    return _t(c, f";首支到场队伍平均:接警至派出{m['dispatch']:.1f}分钟、出动准备"
                 f"{m['turnout']:.1f}分钟、途中{m['travel']:.1f}分钟",
              f"; first units on average: {m['dispatch']:.1f} min alarm to order, "
              f"{m['turnout']:.1f} min turn-out, {m['travel']:.1f} min on the road")


def _analysis(c: ReportContent) -> list[Block]:
    out: list[Block] = [*_fig(c, "distributions"), *_fig(c, "compliance")]
    for k, cap in enumerate(c.card.capabilities, start=1):
        name = cap.name_zh if c.lang == "zh" else cap.name_en
        r = cap.rating or "—"
        meaning = RATING.get(r, ("未评级", "not rated"))[0 if c.lang == "zh" else 1]
        score = "—" if cap.score is None else f"{cap.score:.0f}"
        out.append(Heading(_t(c, f"(五.{k}){name}:{r} {meaning},得分{score}",
                              f"5.{k} {name}: {r} ({meaning}), score {score}"), 2,
                           key=f"cap-{cap.id}"))
        why = cap.reason_zh if c.lang == "zh" else cap.reason_en
        if why:
            out.append(Para(_t(c, "评级依据:", "Why this rating: ") + plain(c, why)))
        rows = [[_item_name(c, i.metric), _fmt_value(c, i.metric, i.value),
                 "—" if i.score is None else f"{i.score:.0f}"] for i in cap.items
                if i.value is not None or i.score is not None]
        if rows:
            out.append(Table([_t(c, "指标", "Measure"), _t(c, "本次数值", "Value"),
                              _t(c, "得分", "Score")], rows, [9.5, 4.5, 3.0]))
        obs = _observations(c, cap.id)
        out.append(Para(_t(c, "评估员评级:", "Evaluators' ratings: ") +
                        ("; ".join(_obs_line(c, o) for o in obs) if obs else
                         _t(c, "无(未记录现场观察)", "none recorded")), small=not obs))
        ev = [f for f in c.card.findings.improvements if f.capability == cap.id]
        if ev:
            out.append(Para(_t(c, "证据:", "Evidence: ") + "; ".join(
                c.event_line(s) for s in ev[0].evidence[:3]), small=True))
        causes = _root_causes(c, cap.id)
        if causes:
            out.append(Para(_t(c, "原因分析:", "Root causes: ") + ";".join(causes)))
        if cap.id == "command":
            out += _fig(c, "handoffs")
    if not any(cap.id == "command" for cap in c.card.capabilities):
        out += _fig(c, "handoffs")
    return out


# ---------------------------------------------------------------- 6, 7 findings
def _findings(c: ReportContent, kind: str) -> list[Block]:
    fs = c.card.findings.strengths if kind == "strengths" else c.card.findings.improvements
    if not fs:
        return [Para(_t(c, *_NONE))]
    items = []
    for f in fs:
        text = plain(c, f.text_zh if c.lang == "zh" else f.text_en)
        ev = "; ".join(c.event_line(s) for s in f.evidence[:5])
        items.append((text, (_t(c, "证据:", "Evidence: ") + ev) if ev else ""))
    return [Bullets(items)]


# ---------------------------------------------------------------- 8 hotwash
def _hotwash(c: ReportContent) -> list[Block]:
    recs = [r for r in c.records if r["kind"] == "hotwash"]
    if not recs:
        return [Para(_t(c, "本次演练未记录复盘讨论(实战演练可在控制台录入优势、不足和改进措施)。",
                        "No hotwash was recorded (in a live drill, strengths, weaknesses and "
                        "actions are typed in the console)."))]
    n = _names(c)
    rows = []
    for sec in HOTWASH_SECTIONS:
        for r in recs:
            d = r.get("data") or {}
            if d.get("section") != sec:
                continue
            text = str(d.get("text") or "")
            if c.lang == "en" and has_cjk(text):
                text = "(recorded in Chinese; see the Chinese report)"
            rows.append([HOTWASH_SECTIONS[sec][0 if c.lang == "zh" else 1], text,
                         n.party(str(d.get("author") or "")) or "—",
                         _when(c, float(r["t"]))])
    return [Table([_t(c, "类别", "Section"), _t(c, "内容", "Item"), _t(c, "提出人", "By"),
                   _t(c, "时间", "When")], rows, [2.2, 9.3, 2.5, 3.0], key="hotwash")]


# ---------------------------------------------------------------- 9 conclusion
def _conclusion(c: ReportContent) -> list[Block]:
    o = c.card.overall
    score = "—" if o.score is None else f"{o.score:.1f}"
    level = _level(c)
    caps = _join([f"{cap.name_zh if c.lang == 'zh' else cap.name_en} {cap.rating or '—'}"
                  for cap in c.card.capabilities], c.lang)
    weak = [cap for cap in c.card.capabilities if cap.rating in ("M", "U")]
    head = _t(c, f"综合得分{score}分(满分100)" + (f",评估结论:{level}" if level else "") + "。",
              f"Overall score {score} of 100" + (f"; conclusion: {level}" if level else "") + ".")
    out: list[Block] = [
        Para(head, bold=True),
        Table([_t(c, "能力", "Capability"), _t(c, "得分", "Score"), _t(c, "评级", "Rating"),
               _t(c, "评级含义", "Meaning")], ratings_rows(c), [3.5, 2.0, 2.0, 9.5],
              cls=[cap.rating or "" for cap in c.card.capabilities], cls_col=2, key="ratings"),
        Para(_t(c, f"各能力评级:{caps}。", f"Capability ratings: {caps}.")),
        Para(_t(c, "需重点整改的能力:" + (_join([cap.name_zh for cap in weak], "zh") or "无") +
                f";共提出整改事项{len(c.plan)}项,见改进计划。",
                "Capabilities needing most work: " +
                (_join([cap.name_en for cap in weak], "en") or "none") +
                f"; {len(c.plan)} improvement items, see the improvement plan.")),
    ]
    if c.baseline and c.baseline.entries:
        lines = []
        from ui.charts.montecarlo import DEFAULT_KEYS

        top = [(k, c.baseline.entries[k]) for k in DEFAULT_KEYS if k in c.baseline.entries]
        for key, e in top[:6]:
            lines.append(_t(c, f"{value_name(c.card, key, c.lang)}优于{better_than(e):.0f}%的模拟演练",
                            f"{value_name(c.card, key, c.lang)}: better than "
                            f"{better_than(e):.0f}% of simulated runs"))
        n = c.baseline.replications
        runs = f"{n} simulated run{'' if n == 1 else 's'}"
        caution = _t(c, f"模拟次数较少(仅{n}次),以上百分位仅作粗略参考。",
                     f" Only {runs}: these percentiles are a rough guide.") \
            if c.baseline.few else ""
        out.append(Para(_t(c, f"与同一情景的{n}次模拟演练相比:",
                           f"Against {runs} of the same scenario: ")
                        + _t(c, ";", "; ").join(lines) + _t(c, "。", ".") + caution))
        out += _fig(c, "montecarlo")
    out.append(Para(_t(c, "评估组组长(签字):\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000日期:",
                       "Lead evaluator (signature): ____________________   Date: ____________")))
    return out

def ratings_rows(c: ReportContent) -> list[list[str]]:
    """(capability, score, rating, meaning) per capability, from the scorecard."""
    rows = []
    for cap in c.card.capabilities:
        r = cap.rating or "—"
        d = c.card.ratings.get(r)
        rows.append([cap.name_zh if c.lang == "zh" else cap.name_en,
                     "—" if cap.score is None else f"{cap.score:.0f}", r,
                     (d.name_zh if c.lang == "zh" else d.name_en) if d else ""])
    return rows
