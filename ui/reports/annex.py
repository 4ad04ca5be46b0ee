"""The report's improvement plan and its appendices (timeline, observations, log integrity),
and the rows of its tables.

Part of :func:`ui.reports.sections.build_document`.
"""

from __future__ import annotations

from ui.reports.analysis import _observations
from ui.reports.content import ReportContent
from ui.reports.document import Block, Figure, Para, Table
from ui.reports.events import (
    INJECT_KINDS,
    REACTION_KINDS,
    describe,
)
from ui.reports.wording import _NONE, PRIORITY, _cap_name, _date, _join, _names, _t, _when, plain


def plan_rows(c: ReportContent) -> list[list[str]]:
    """The improvement plan's rows as shown (names, dates in the report's language)."""
    n = _names(c)
    fallback = "—"
    rows = []
    for k, r in enumerate(c.plan, start=1):
        owners = _join([n.party(o) for o in r.owners], c.lang) or \
            (r.fallback_owner_zh if c.lang == "zh" else r.fallback_owner_en) or fallback
        rows.append([str(k), _cap_name(c, r.capability),
                     plain(c, r.issue_zh if c.lang == "zh" else r.issue_en),
                     r.action_zh if c.lang == "zh" else r.action_en, owners,
                     PRIORITY[r.priority][0 if c.lang == "zh" else 1],
                     _date(r.due, c.lang)])
    return rows


def _plan(c: ReportContent) -> list[Block]:
    head = [_t(c, "序号", "No."), _t(c, "能力", "Capability"), _t(c, "问题(对应发现)", "Issue"),
            _t(c, "整改措施", "Corrective action"), _t(c, "责任单位", "Responsible"),
            _t(c, "优先级", "Priority"), _t(c, "完成时限", "Due")]
    start = c.plan[0].start if c.plan else None
    days = c.plan_days or {"high": 30, "medium": 60, "low": 90}
    note = _t(c, "责任单位取自证据记录(超时的队伍、值班室、指挥部或储备库);整改措施按问题原因取自可编辑的"
                 f"措施表;优先级按该项得分,完成时限按优先级计(高{days['high']}天、中{days['medium']}天、"
                 f"低{days['low']}天)",
              "Owners come from the evidence (the late unit, desk, post or depot); actions are "
              "chosen by cause from an editable table; priority follows the item's score, due "
              f"dates the priority (high {days['high']}, medium {days['medium']}, low "
              f"{days['low']} days)")
    if start:
        note += _t(c, f",自{_date(start, c.lang)}起算。本表为可编辑表格,可直接修改。",
                   f", from {_date(start, c.lang)}. Edit this table in Word.")
    return [Para(note, small=True),
            Table(head, plan_rows(c), PLAN_WIDTHS_CM, key="plan")
            if c.plan else Para(_t(c, *_NONE))]


#: the plan's columns (cm, 17 in all): No., capability, issue, action, owner, priority, due.
#: Wide enough at 9 pt for "序号", "优先级" and "2026年10月28日" on one line each (they broke
#: into "序/号", "优先/级" and a date over two lines; LibreOffice spaces digits from CJK)
PLAN_WIDTHS_CM = [1.1, 1.7, 3.5, 3.6, 2.5, 1.3, 3.3]


# ---------------------------------------------------------------- appendices
def timeline_rows(c: ReportContent) -> list[list[str]]:
    """Appendix A: one row per inject or player action: time, incident, inject, action."""
    n = _names(c)
    rows = []
    for r in c.records:
        k = r["kind"]
        if k not in INJECT_KINDS and k not in REACTION_KINDS or k in ("observation", "hotwash"):
            continue
        text = describe(r, n)
        inj, act = (text, "") if k in INJECT_KINDS else ("", text)
        rows.append([_when(c, float(r["t"])).rsplit(" ", 1)[-1], str(r.get("incident") or ""),
                     inj, act])
    return rows


def _appendix_timeline(c: ReportContent) -> list[Block]:
    return [Para(_t(c, f"时间为故事时间(演练开始:{_when(c, 0.0)})。左列为导调组下达的情景注入,右列为"
                       "参演方的响应行动。",
                    f"Times are story time (drill start {_when(c, 0.0)}). Left: injects from "
                    "the control cell; right: what the players did."), small=True),
            Table([_t(c, "时间", "Time"), _t(c, "事件", "Incident"),
                   _t(c, "情景注入(导调)", "Inject"), _t(c, "参演方行动", "Player action")],
                  timeline_rows(c), [1.4, 1.3, 7.3, 7.0], key="timeline"),
            *[Figure(f[0], f[1], f[2]) for f in c.figures_like("timeline-")]]


def _appendix_observations(c: ReportContent) -> list[Block]:
    obs = _observations(c)
    if not obs:
        return [Para(_t(c, "无(本次演练未记录评估员观察)", "None recorded"))]
    n = _names(c)
    rows = []
    for r in obs:
        d = r.get("data") or {}
        text = describe(r, n).split(":", 1)[-1] if c.lang == "zh" else \
            describe(r, n).split(": ", 1)[-1]
        rows.append([_when(c, float(r["t"])), n.party(str(d.get("author") or "")) or "—",
                     _cap_name(c, str(d.get("capability") or "")),
                     str(d.get("rating") or "—"), str(r.get("incident") or ""), text])
    return [Table([_t(c, "时间", "Time"), _t(c, "评估员", "Evaluator"), _t(c, "能力", "Capability"),
                   _t(c, "评级", "Rating"), _t(c, "事件", "Incident"), _t(c, "观察内容", "Note")],
                  rows, [2.8, 2.0, 2.2, 1.2, 1.3, 7.5], cls=[r[3] for r in rows], cls_col=3,
                  key="observations")]


def _appendix_integrity(c: ReportContent) -> list[Block]:
    commit = c.sealed[1] if c.sealed[0] else _t(c, "无", "not available")
    rows = [[_t(c, "日志记录数", "Log records"), str(len(c.records))],
            [_t(c, "日志末条哈希(哈希链)", "Final hash of the log (hash chain)"),
             c.log_hash or _t(c, "无(本日志未启用哈希链)", "not available (no hash chain)")],
            [_t(c, "场景承诺值", "Scenario commitment"), commit]]
    return [Table([_t(c, "项目", "Item"), _t(c, "内容", "Value")], rows, [5.0, 12.0],
                  key="integrity")]


