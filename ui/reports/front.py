"""The report's opening sections: overview, objectives, method and the incidents played.

Part of :func:`ui.reports.sections.build_document`.
"""

from __future__ import annotations

from collections import Counter

from evaluators.rules import load_pack
from scenarios.loading import InputError
from ui.charts.labels import grade_name, incident_type_name
from ui.charts.logview import IncidentTrack
from ui.charts.names import has_cjk, split_title
from ui.reports.content import ReportContent
from ui.reports.document import Block, Para, Table
from ui.reports.wording import MODE, SIX_NO, _fig, _item_name, _join, _names, _t, _when


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


#: records whose ``post`` is a command post that took part in the drill
_POST_KINDS = frozenset({"command_post_activated", "scene_visible"})
#: records whose ``data.desk`` is a duty desk that took part (the system writes the desk on
#: the alarm a released inject raises; the simulation also on taking and dispatching)
_DESK_KINDS = frozenset({"alarm_raised", "repeat_call_raised", "alarm_taken", "unit_dispatched"})


def _participants(c: ReportContent) -> tuple[str, str, str]:
    """(units, command posts and desks, controllers and evaluators) as text."""
    n = _names(c)
    units = list(dict.fromkeys(str(r["unit"]) for r in c.records
                               if r["kind"] == "unit_dispatched" and r.get("unit")))
    # a post took part if it was activated or the scene reached it (a live drill's umpires
    # record the scene, not the activation); a desk if it was called or took or dispatched
    posts = list(dict.fromkeys(str(r["post"]) for r in c.records
                               if r["kind"] in _POST_KINDS and r.get("post")))
    desks = list(dict.fromkeys(str((r.get("data") or {}).get("desk")) for r in c.records
                               if r["kind"] in _DESK_KINDS
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
         f"{_when(c, 0.0)} — {_when(c, dur)}" + _t(c, f"(共{round(dur, 1):g}分钟)", f" ({round(dur, 1):g} min)")],
        [_t(c, "演练区域", "Area"), _area_text(c)],
        [_t(c, "演练场景", "Scenario"), _scenario_text(c)],
        [_t(c, "场景封存与承诺校验", "Sealed scenario and commitment"), c.sealed[1]],
        [_t(c, "参演队伍", "Participating units"), units],
        [_t(c, "参演指挥机构", "Desks and command posts"), posts],
        [_t(c, "导调与评估人员", "Controllers and evaluators"), team],
    ]
    # the map first: after the table it did not fit under it and left half of page 1 blank;
    # before it, the table (its header row repeated) flows on from under the map
    return [*_fig(c, "map"), Table([_t(c, "项目", "Item"), _t(c, "内容", "Details")], rows,
                                   [3.6, 13.4], key="overview")]


# ---------------------------------------------------------------- 2 objectives, 3 method
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
