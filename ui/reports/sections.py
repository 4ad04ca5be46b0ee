"""The report's sections as blocks, in the AQ/T 9009-2015 / GB/T 38209-2019 order (Chinese) and
the HSEEP AAR/IP order (English); the mapping is documented in ``docs/reports.md``.

:func:`build_document` is the only place that decides what the report says; the HTML and Word
writers lay the same blocks out. Every name shown comes from the region (units, desks, posts,
depots, places) or a translation table; no id or code reaches Chinese text.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import Counter
from typing import Any

from evaluators.improvement import PlanItem
from evaluators.rules import load_pack
from scenarios.loading import InputError
from ui.charts.labels import grade_name, incident_type_name
from ui.charts.logview import IncidentTrack
from ui.charts.montecarlo import better_than, value_name
from ui.charts.names import Lang, Names, has_cjk, split_title
from ui.reports.content import ReportContent
from ui.reports.document import Block, Bullets, Figure, Heading, Para, Table
from ui.reports.events import (
    HOTWASH_SECTIONS,
    INJECT_KINDS,
    RATING,
    REACTION_KINDS,
    describe,
    story_time,
)

#: section key → (zh heading, en heading), in report order
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


_FIELD_ID = re.compile(r"(?<![A-Za-z_])([a-z][a-z_]{2,})(?![A-Za-z_])")


@functools.cache
def _field_names() -> dict[str, tuple[str, str]]:
    """Report-template field id → (zh, en) name, over every shipped template."""
    from scenarios.templates import load_templates

    ts = load_templates()
    out = {f.id: (f.name_zh, f.name_en) for f in ts.common_fields}
    for t in ts.templates:
        out.update({f.id: (f.name_zh, f.name_en) for f in t.fields})
    return out


def plain(c: ReportContent, text: str) -> str:
    """``text`` for the report's language: report-template field ids a finding quotes
    (``缺casualties``) become their names (``缺人员伤亡``); in English, Chinese free text (an
    evaluator's note quoted by a finding) is replaced by a marker pointing to the Chinese
    report."""
    names = _field_names()
    k = 0 if c.lang == "zh" else 1
    text = _FIELD_ID.sub(lambda m: names[m.group(1)][k] if m.group(1) in names
                         else m.group(1), text)
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


# ---------------------------------------------------------------- 1 overview
def _title(c: ReportContent) -> str:
    title = str(c.scenario.get("title") or "")
    if not title:
        return _t(c, "六不盲演", "Six-no blind drill")
    zh, en = split_title(title)
    return zh if c.lang == "zh" else (en if not has_cjk(en) else "Six-no blind drill")


def _scenario_text(c: ReportContent) -> str:
    tracks = c.view.incidents if c.view else []
    grades = Counter(t.grades[-1] if t.grades else (t.grade or "") for t in tracks)
    kinds = Counter(incident_type_name(t.template, t.category, c.lang) for t in tracks)
    by_grade = _join([f"{grade_name(g, c.lang)}{n}起" if c.lang == "zh" else
                      f"{n} of grade {grade_name(g, c.lang)}" for g, n in sorted(grades.items())
                      if g], c.lang)
    by_kind = _join([f"{k}{n}起" if c.lang == "zh" else f"{k} ({n})"
                     for k, n in kinds.most_common()], c.lang)
    return _t(c, f"共{len(tracks)}起事件(演练后揭晓),按最终等级:{by_grade};类型:{by_kind}。",
              f"{len(tracks)} incidents (revealed after the drill); by final grade: {by_grade}; "
              f"by type: {by_kind}.")


def _area_text(c: ReportContent) -> str:
    n = _names(c)
    area = (c.scenario.get("meta") or {}).get("area") or []
    towns = sorted({t.township for t in (c.view.incidents if c.view else []) if t.township})
    where = _join([n.place(t) for t in towns], c.lang)
    if c.region is not None and area:
        juris = c.region.jurisdiction_by_id
        counties = sorted({juris[a].parent or "" for a in area if a in juris} - {""})
        head = _t(c, f"{n.region_name()},覆盖{len(counties)}个县(区)的{len(area)}个乡镇(街道)",
                  f"{n.region_name()}: {len(area)} townships in {len(counties)} counties")
    else:
        head = n.region_name()
    return head + _t(c, f";事件发生地:{where}", f"; incidents in: {where}")


def _participants(c: ReportContent) -> tuple[str, str, str]:
    """(units, command posts and desks, controllers and evaluators) as text."""
    n = _names(c)
    units = list(dict.fromkeys(str(r["unit"]) for r in c.records
                               if r["kind"] == "unit_dispatched" and r.get("unit")))
    posts = list(dict.fromkeys(str(r["post"]) for r in c.records
                               if r["kind"] == "command_post_activated" and r.get("post")))
    desks = list(dict.fromkeys(str((r.get("data") or {}).get("desk")) for r in c.records
                               if r["kind"] in ("alarm_taken", "unit_dispatched")
                               and (r.get("data") or {}).get("desk")))
    u = _t(c, f"救援队伍{len(units)}支:", f"{len(units)} rescue units: ") + \
        _join([n.unit(x) for x in units], c.lang)
    p = _t(c, f"值班室{len(desks)}个:", f"{len(desks)} duty desks: ") + \
        _join([n.desk(x) for x in desks], c.lang) + \
        _t(c, f";乡镇应急指挥部{len(posts)}个:", f"; {len(posts)} township command posts: ") + \
        _join([n.post(x) for x in posts], c.lang)
    return u, p, _team_text(c)


def _authors(c: ReportContent) -> list[str]:
    return list(dict.fromkeys(str((r.get("data") or {}).get("author")) for r in c.records
                              if r["kind"] in ("observation", "hotwash")
                              and (r.get("data") or {}).get("author")))


def _team_text(c: ReportContent) -> str:
    n = _names(c)
    controllers = sorted({str((i.get("delivery") or {}).get("umpire")) for i in
                          c.scenario.get("injects") or [] if (i.get("delivery") or {})
                          .get("umpire")})
    authors = [n.party(a) for a in _authors(c)]
    ctl = _t(c, "导调组:" + (_join(controllers, c.lang) if controllers else "无"),
             f"Control cell: {len(controllers)} controller teams" if controllers else
             "Control cell: none recorded")
    if authors:
        ev = _t(c, "评估组:", "Evaluators: ") + _join(authors, c.lang)
    else:
        ev = _t(c, "评估组:本次为模拟推演,无现场评估员,由系统依据事件日志自动评估",
                "Evaluators: none on site (simulated play); scored automatically from the log")
    return ctl + _t(c, ";", "; ") + ev


def _overview(c: ReportContent) -> list[Block]:
    mode = str((c.records[0].get("data") or {}).get("mode") if c.records else "") or \
        c.card.run.mode
    dur = c.card.run.duration_min
    units, posts, team = _participants(c)
    rows = [
        [_t(c, "演练名称", "Exercise"), _title(c)],
        [_t(c, "演练类型", "Type"), _t(c, *SIX_NO)],
        [_t(c, "演练方式", "Mode of play"), _t(c, *MODE.get(mode, ("计算机模拟推演",
                                                               "computer-simulated play")))],
        [_t(c, "演练时间", "Date and time"),
         f"{_when(c, 0.0)} — {_when(c, dur)}" + _t(c, f"(共{dur:g}分钟)", f" ({dur:g} min)")],
        [_t(c, "演练区域", "Area"), _area_text(c)],
        [_t(c, "演练场景", "Scenario"), _scenario_text(c)],
        [_t(c, "场景封存与承诺校验", "Sealed scenario and commitment"), c.sealed[1]],
        [_t(c, "参演队伍", "Participating units"), units],
        [_t(c, "参演指挥机构", "Desks and command posts"), posts],
        [_t(c, "导调与评估人员", "Controllers and evaluators"), team],
    ]
    return [Table([_t(c, "项目", "Item"), _t(c, "内容", "Details")], rows, [3.6, 13.4],
                  key="overview"), *_fig(c, "map")]


# ---------------------------------------------------------------- 2 objectives, 3 method
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


def _objectives(c: ReportContent) -> list[Block]:
    rows = []
    for cap in c.card.capabilities:
        names = list(dict.fromkeys(_item_name(c, i.metric) for i in cap.items
                                   if i.score is not None))
        rows.append([cap.name_zh if c.lang == "zh" else cap.name_en, _join(names, c.lang),
                     f"{cap.weight:g}"])
    return [Para(_t(c, "本次演练检验以下能力,各能力的评估目标为所列标准时限和指标:",
                    "The drill tested these capabilities against the standards and measures "
                    "listed:")),
            Table([_t(c, "能力", "Capability"), _t(c, "评估目标(标准与指标)", "Objectives"),
                   _t(c, "权重", "Weight")], rows, [3.2, 12.3, 1.5], key="objectives")]


def _pack_names(c: ReportContent) -> list[str]:
    out = []
    for pid in c.card.run.packs:
        try:
            p = load_pack(pid)
            out.append(p.name_zh if c.lang == "zh" else p.name_en)
        except InputError:
            out.append(_t(c, "自定义规则包", "custom rule pack"))
    return out


def _method(c: ReportContent) -> list[Block]:
    seed = c.card.run.seed
    gen = _t(c, f"情景由系统按随机编号{seed}自动生成,演练前封存,参演单位事先不知情。",
             f"The scenario was generated at random (number {seed}) and sealed before the "
             "drill; no participant knew it.") if seed is not None else ""
    ratings = [[r, d.name_zh if c.lang == "zh" else d.name_en, f"{d.min_score:g}"]
               for r, d in c.card.ratings.items()]
    return [
        Para(_t(c, "评估依据:《生产安全事故应急演练评估规范》(AQ/T 9009-2015)、《突发事件应急演练"
                   "指南》相关要求(GB/T 38209-2019)及以下标准:",
                "Basis: HSEEP exercise evaluation, with these standards: ") +
             _join(_pack_names(c), c.lang) + _t(c, "。", ".")),
        Para(_t(c, "评估方式:以演练事件日志为唯一依据,逐项计算各时限的达标情况(演练结束时尚未到时限的"
                   "不计入达标率)和各项指标,按评分细则折算为0–100分,并按下表评定各能力等级;评估员"
                   "现场观察记录及评级与系统评级并列呈现,供评估组审定。",
                "Method: the event log is the only evidence. Each standard's clock is checked "
                "(clocks still running at the end are not counted), measures are computed and "
                "mapped to 0–100 scores, and each capability is rated as below. Evaluators' "
                "observations and ratings are shown beside the computed ones.")),
        Table([_t(c, "评级", "Rating"), _t(c, "含义", "Meaning"), _t(c, "最低得分", "Min. score")],
              ratings, [1.8, 12.7, 2.5], cls=[r[0] for r in ratings], cls_col=0,
              key="ratings_def"),
        Para(gen + _team_text(c) + _t(c, "。", ".")),
    ]


# ---------------------------------------------------------------- 4 incidents
def _rel(x: float | None, occ: float | None) -> str:
    return "—" if x is None or occ is None else f"{x - occ:.1f}"


def _incident_row(c: ReportContent, t: IncidentTrack) -> list[str]:
    n = _names(c)
    occ = t.occurred
    units = len(t.units)
    aid = sum(u.mutual_aid for u in t.units.values())
    first = {s: min((r.t for r in t.reports if r.stage == s), default=None)
             for s in ("first", "followup", "final")}
    grades = [g for i, g in enumerate(t.grades) if i == 0 or g != t.grades[i - 1]]
    return [t.incident, _when(c, occ or 0.0).rsplit(" ", 1)[-1], n.place(t.township),
            incident_type_name(t.template, t.category, c.lang),
            "→".join(grade_name(g, c.lang) for g in grades),
            _rel(t.alarm_taken, occ), _rel(t.first_arrival, occ),
            _rel(t.controlled, occ) if t.controlled is not None else _t(c, "未控制", "open"),
            f"{units}({aid})",
            "/".join(_rel(first[s], occ) for s in ("first", "followup", "final"))]


def _incidents(c: ReportContent) -> list[Block]:
    tracks = c.view.incidents if c.view else []
    head = [_t(c, "编号", "No."), _t(c, "发生", "At"), _t(c, "地点", "Where"),
            _t(c, "类型", "Type"), _t(c, "等级", "Grade"), _t(c, "接警", "Alarm"),
            _t(c, "到场", "Arrival"), _t(c, "控制", "Control"),
            _t(c, "队伍(增援)", "Units (aid)"), _t(c, "首报/续报/终报", "Reports 1/2/3")]
    return [Para(_t(c, "下表时间为距事件发生的分钟数;“—”表示未发生。",
                    "Times are minutes after the incident occurred; — = did not happen.")),
            Table(head, [_incident_row(c, t) for t in tracks],
                  [1.1, 1.3, 1.9, 3.0, 1.9, 1.1, 1.1, 1.3, 1.6, 2.7], key="incidents"),
            *_fig(c, "timeliness")]


# ---------------------------------------------------------------- 5 analysis
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
def _level(c: ReportContent) -> str:
    """The overall evaluation conclusion level (优秀/良好/合格/不合格) from the scorecard."""
    o = c.card.overall
    return str((o.level_zh if c.lang == "zh" else o.level_en) or o.level or "")


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
        out.append(Para(_t(c, f"与同一情景的{c.baseline.replications}次模拟演练相比:",
                           f"Against {c.baseline.replications} simulated runs of the same "
                           "scenario: ") + _t(c, ";", "; ").join(lines) + _t(c, "。", ".")))
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


# ---------------------------------------------------------------- 10 plan
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
            Table(head, plan_rows(c), [0.9, 1.7, 3.7, 4.6, 2.8, 1.1, 2.2], key="plan")
            if c.plan else Para(_t(c, *_NONE))]


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


def build_document(c: ReportContent) -> list[Block]:
    """Every block of the report, in order (see :data:`SECTIONS`)."""
    builders = {
        "overview": _overview, "objectives": _objectives, "method": _method,
        "incidents": _incidents, "analysis": _analysis,
        "strengths": lambda c: _findings(c, "strengths"),
        "improvements": lambda c: _findings(c, "improvements"),
        "hotwash": _hotwash, "conclusion": _conclusion, "plan": _plan,
        "appendix_timeline": _appendix_timeline,
        "appendix_observations": _appendix_observations,
        "appendix_integrity": _appendix_integrity,
    }
    out: list[Block] = []
    for key, (zh, en) in SECTIONS.items():
        out.append(Heading(zh if c.lang == "zh" else en, 1, key=key))
        out += builders[key](c)
    return out


def title(c: ReportContent) -> str:
    """The report's title line."""
    return (f"{_title(c)}{TITLE[0]}" if c.lang == "zh" else f"{_title(c)}: {TITLE[1]}")
