"""Wording shared by the report's sections: headings, translation tables, names, dates, times
and values as the reader sees them (no id or code reaches Chinese text).

The helpers are internal to :mod:`ui.reports` (the section modules use them).
"""

from __future__ import annotations

import datetime as dt
import functools
import re

from evaluators.rules import load_pack
from ui.charts.names import Lang, Names, has_cjk
from ui.reports.content import ReportContent
from ui.reports.document import Block, Figure
from ui.reports.events import (
    story_time,
)

SECTIONS: dict[str, tuple[str, str]] = {
    "overview": ("一、演练概况", "1. Exercise overview"),
    "objectives": ("二、演练目标与评估能力", "2. Exercise objectives and core capabilities"),
    "method": ("三、评估方法与评估组", "3. Evaluation method and evaluation team"),
    "incidents": ("四、演练执行情况(事件一览)", "4. Exercise play: incidents"),
    "analysis": ("五、能力评估分析", "5. Analysis of core capabilities"),
    "strengths": ("六、优势与亮点", "6. Strengths"),
    "improvements": ("七、发现的问题与原因分析", "7. Areas for improvement"),
    "hotwash": ("八、复盘讨论纪要", "8. Hotwash"),
    "conclusion": ("九、评估结论", "9. Conclusion"),
    "plan": ("十、改进计划", "10. Improvement plan"),
    "appendix_timeline": ("附录A 演练时间线(情景注入与响应对照)",
                          "Appendix A. Timeline: injects and player actions"),
    "appendix_observations": ("附录B 评估员观察记录", "Appendix B. Evaluator observations"),
    "appendix_integrity": ("附录C 日志完整性", "Appendix C. Log integrity"),
}
TITLE = ("应急演练评估报告及改进计划", "After-Action Report and Improvement Plan")
PRIORITY = {"high": ("高", "High"), "medium": ("中", "Medium"), "low": ("低", "Low")}
MODE = {"sim": ("计算机模拟推演", "computer-simulated play"),
        "live": ("实战演练(现场评估员记录)", "live play (recorded by evaluators)")}
SIX_NO = ("六不盲演(不设脚本、不下通知、不告知场景、不指定角色、不告知方式、不事先预演)",
          "Six-no blind drill (no script, no notice, no disclosed scenario, no pre-assigned "
          "roles, no disclosed method, no rehearsal)")
#: where each capability's charts go in the analysis
_NONE = ("无", "None")


def _t(c: ReportContent, zh: str, en: str) -> str:
    return zh if c.lang == "zh" else en


_CJK_RUN = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]+(?:[\s\d.,%]*"
                      r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]+)*")


def plain(c: ReportContent, text: str) -> str:
    """``text`` for the report's language: in English, Chinese free text (an evaluator's note
    quoted by a finding) is replaced by a marker pointing to the Chinese report. (Findings
    name a report's missing fields by their display names already:
    :func:`evaluators.findings.extract`.)"""
    if c.lang == "zh" or not has_cjk(text):
        return text
    return _CJK_RUN.sub("[recorded in Chinese]", text)


def _names(c: ReportContent) -> Names:
    return c.names or Names(c.region, c.lang)


def _date(d: dt.date, lang: Lang) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if lang == "zh" else f"{d.day} {d:%b %Y}"


def _join(items: list[str], lang: Lang) -> str:
    return ("、" if lang == "zh" else ", ").join(items)


def _fig(c: ReportContent, fid: str) -> list[Block]:
    f = c.figure(fid)
    return [Figure(f[0], f[1], f[2])] if f else []


def _start(c: ReportContent) -> str | None:
    return c.view.story_start if c.view else None


def _when(c: ReportContent, t: float) -> str:
    return story_time(_start(c), t, c.lang)


@functools.cache
def _pack_clock_names() -> dict[str, tuple[str, str]]:
    """Clock id → (zh, en) name over every shipped rule pack."""
    from evaluators.rules import builtin_packs

    return {cl.id: (cl.name_zh, cl.name_en) for pid in builtin_packs()
            for cl in load_pack(pid).clocks}


def _item_name(c: ReportContent, metric: str) -> str:
    zh = c.lang == "zh"
    if metric.startswith("clock."):
        cid = metric.split(".")[1]
        cl = c.card.clocks.get(cid)
        if cl:
            return cl.name_zh if zh else cl.name_en
        names = _pack_clock_names().get(cid)
        return (names[0] if zh else names[1]) if names else _t(c, "时限", "time limit")
    m = c.card.metrics.get(metric)
    return (m.name_zh if zh else m.name_en) if m else _t(c, "指标", "measure")


def _cap_name(c: ReportContent, cap_id: str) -> str:
    for cap in c.card.capabilities:
        if cap.id == cap_id:
            return cap.name_zh if c.lang == "zh" else cap.name_en
    return _t(c, "评估员观察", "Evaluator observation") if not cap_id else \
        _names(c).capability(cap_id)


def _fmt_value(c: ReportContent, metric: str, v: float | None) -> str:
    if v is None:
        return _t(c, "不适用", "n/a")
    ratio = metric.endswith(".compliance") or (
        metric in c.card.metrics and c.card.metrics[metric].unit == "ratio")
    if ratio:
        return f"{100 * v:.0f}%"
    if metric in c.card.metrics and c.card.metrics[metric].unit == "count":
        return f"{v:g}"
    return _t(c, f"{v:.1f}分钟", f"{v:.1f} min")


def _level(c: ReportContent) -> str:
    """The overall evaluation conclusion level (优秀/良好/合格/不合格) from the scorecard."""
    o = c.card.overall
    return str((o.level_zh if c.lang == "zh" else o.level_en) or o.level or "")
