"""Chart and report wording in Chinese (default) and English, plus names of things in a region.

All text the charts and reports print comes from :data:`STRINGS` through :func:`tr`, so a
translation is one place to fix. Names from the region (townships, units, posts) are proper
nouns: Chinese names are kept in both languages, except units, which English output shows by
their short id (``U-K-FIRE1``) because their Chinese names are long.
"""

from __future__ import annotations

import functools
from typing import Literal

from scenarios.region import Region
from scenarios.schema import GRADE_ZH
from scenarios.templates import STAGE_ZH
from scenarios.vocabulary import UNIT_KIND_ZH
from ui.charts.names import Names

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")

#: key → (zh, en)
STRINGS: dict[str, tuple[str, str]] = {
    # timeline
    "timeline.title": ("事件处置时间线", "Incident timeline"),
    "timeline.incident_row": ("事件", "Incident"),
    "timeline.alarm": ("接警", "Alarm"),
    "timeline.turnout": ("出动准备", "Turn-out"),
    "timeline.travel": ("途中", "Travel"),
    "timeline.on_scene": ("现场处置", "On scene"),
    "timeline.controlled": ("得到控制", "Under control"),
    "timeline.occurred": ("事件发生", "Occurred"),
    "timeline.unresolved": ("演练结束时未处置完毕", "Unresolved at end"),
    "timeline.scene_visible": ("现场画面接入", "Scene visible"),
    "timeline.xlabel": ("演练时间(分钟)", "Drill time (minutes)"),
    "timeline.limit": ("{limit:g}分钟时限", "{limit:g}-min limit"),
    "timeline.reports_row": ("信息报送", "Reports"),
    "timeline.limit_legend": ("时限(按标准起算)", "Limit (from the clock's start)"),
    "timeline.open": ("未结束(斜线:演练结束时仍在进行)", "Not ended (hatched: still going at the end)"),
    "timeline.recalled": ("途中撤回", "Recalled before arriving"),
    "timeline.life": ("事件持续(发生至控制)", "Incident (occurred to control)"),
    "timeline.mutual_aid": ("* 跨区域增援队伍", "* mutual-aid unit"),
    "timeline.none": ("日志中没有事件", "No incidents in the log"),
    # stages
    "stage.first": ("首报", "First report"),
    "stage.followup": ("续报", "Follow-up"),
    "stage.final": ("终报", "Final report"),
    "stage.missing": ("未报", "not made"),
    # report timeliness
    "timeliness.title": ("信息报送及时性", "Report timeliness"),
    "timeliness.xlabel": ("事件发生后(分钟)", "Minutes after the incident occurred"),
    "timeliness.limit": ("报送时限(按事件等级)", "Reporting limit (by grade)"),
    "timeliness.phone": ("电话报告", "Phone"),
    "timeliness.written": ("书面报告", "Written"),
    # map
    "map.title": ("区域示意图", "Schematic region map"),
    "map.note": ("示意图:辖区按最近乡镇中心划分,路线为直线示意,非实际道路",
                 "Schematic: areas drawn around township centres; routes are straight lines, "
                 "not roads"),
    "map.unit": ("救援队伍", "Rescue unit"),
    "map.unit_used": ("参演队伍", "Unit deployed"),
    "map.depot": ("物资储备库", "Material depot"),
    "map.supply_point": ("村级储备点", "Village supply point"),
    "map.post": ("乡镇应急指挥部", "Township command post"),
    "map.route": ("行进路线(示意)", "Route travelled (schematic)"),
    "map.incident": ("{grade}事件", "Grade {grade} incident"),
    "map.km": ("{km:g} 公里", "{km:g} km"),
    # network
    "network.title": ("协同信息网络(谁通知了谁)", "Coordination network (who informed whom)"),
    "network.note": ("线宽:次数;标注:平均用时(分钟)", "Width: count; label: mean delay (min)"),
    "network.desk": ("{level}值班室", "{level} duty desk"),
    "network.caller": ("报警人", "Caller"),
    "network.alarm": ("报警", "Alarm"),
    "network.dispatch": ("调度", "Dispatch"),
    "network.report": ("信息报送", "Report"),
    "network.message": ("信息传递", "Message"),
    "network.none": ("日志中没有信息传递记录", "No information flow in the log"),
    "level.city": ("市", "City"),
    "level.county": ("县", "County"),
    "level.township": ("乡镇", "Township"),
    # hand-offs (who told whom how late)
    "handoff.title": ("信息传递与调度用时(谁通知谁、用时多久,分钟)",
                      "Who told whom, and how late (minutes)"),
    "handoff.alarm": ("接警\n报警人→值班室", "Alarm taken\ncaller → desk"),
    "handoff.dispatch": ("调度\n值班室接警→派出", "Dispatch\ndesk → unit"),
    "handoff.arrival": ("出动到场\n派出→首支到场", "Arrival\norder → on scene"),
    "handoff.post": ("通知指挥部\n值班室→指挥部", "Post informed\ndesk → post"),
    "handoff.first_report": ("首报\n现场→上级值班室", "First report\nscene → desk"),
    "handoff.aid": ("跨区域增援\n请求→派出", "Mutual aid\nrequest → sent"),
    "handoff.note": ("格内:用时(分钟) 传递方→接收方(市/县/乡镇指该级值班室);颜色:绿=快,红=慢"
                     "(对照1-10-15时限);—=未发生",
                     "Cells: minutes, from → to (city/county/township = that level's duty "
                     "desk); green = quick, red = slow (against the 1-10-15 limits); "
                     "— = did not happen"),
    # distributions
    "dist.title": ("响应时间分布", "Response-time distributions"),
    "dist.minutes": ("分钟", "Minutes"),
    "dist.count": ("次数", "Count"),
    "dist.ecdf": ("累计比例", "Cumulative share"),
    "dist.limit": ("时限 {limit:g} 分钟", "Limit {limit:g} min"),
    "dist.unstopped": ("超时未完成 {n} 起(无用时)", "{n} not done in time (no duration)"),
    "dist.open": ("未到时限不计 {n} 起", "{n} open, not counted"),
    "dist.compliance": ("达标率 {rate}", "Compliance {rate}"),
    "dist.no_data": ("无数据", "No data"),
    # compliance
    "comp.title": ("达标率", "Compliance"),
    "comp.by_township": ("按乡镇(街道)", "By township"),
    "comp.by_unit_kind": ("按队伍类型", "By unit kind"),
    "comp.rate": ("达标率", "Compliance"),
    "comp.note": ("(格内:达标次数/总次数)", " (cells: met / instances)"),
    "comp.none_by_township": ("无按乡镇统计的时限", "No clock broken down by township"),
    "comp.none_by_unit_kind": ("所用规则包中没有按队伍计的时限\n(如需按队伍类型统计,可加用 fire-1-3-5 规则包)",
                               "No unit-scoped clock in the rule packs used\n"
                               "(add e.g. the fire-1-3-5 pack for a breakdown by unit kind)"),
    # monte carlo
    "mc.title": ("与模拟基线比较(蒙特卡洛)", "Against the simulated baseline (Monte Carlo)"),
    "mc.this_drill": ("本次演练", "This drill"),
    "mc.stat.compliance": ("达标率", "compliance"),
    "mc.stat.p50": ("中位用时(分钟)", "median (min)"),
    "mc.stat.p90": ("90%分位用时(分钟)", "90th percentile (min)"),
    "mc.stat.mean": ("平均用时(分钟)", "mean (min)"),
    "mc.stat.max": ("最长用时(分钟)", "longest (min)"),
    "mc.stat.n": ("次数", "count"),
    "mc.stat.n_met": ("达标次数", "met"),
    "mc.replications": ("模拟次数", "Replications"),
    "mc.percentile": ("优于 {p:.0f}% 的模拟演练", "better than {p:.0f}% of simulated runs"),
    "mc.percentile_worse": ("仅优于 {p:.0f}% 的模拟演练", "better than only {p:.0f}% of simulated runs"),
    "mc.no_data": ("未进行基线模拟", "No baseline replications"),
    # common
    "na": ("无", "n/a"),
}


def tr(key: str, lang: Lang = "zh", **fmt: object) -> str:
    """The text for ``key`` in ``lang``, formatted with ``fmt``."""
    zh, en = STRINGS[key]
    text = zh if lang == "zh" else en
    return text.format(**fmt) if fmt else text


def check_lang(lang: str) -> Lang:
    """Return ``lang`` if it is ``zh`` or ``en``; raise ``ValueError`` otherwise."""
    if lang not in LANGS:
        raise ValueError(f"unknown language '{lang}' (use zh or en)")
    return lang


UNIT_KIND_EN: dict[str, str] = {
    "township_station": "Township rescue station",
    "fire_rescue": "Fire and rescue",
    "hazmat": "Hazmat team",
    "medical": "Medical team",
    "flood_rescue": "Flood rescue",
    "forest_fire": "Forest firefighting",
    "mine_rescue": "Mine rescue",
    "engineering": "Engineering repair",
    "militia": "Militia",
    "enterprise": "Enterprise team",
    "social": "Social rescue org.",
}
#: English grade names: the official translation of the four levels of 《国家突发公共事件总体
#: 应急预案》 (特别重大 particularly serious, 重大 serious, 较大 relatively large, 一般 general).
GRADE_EN: dict[str, str] = {"I": "I (particularly serious)", "II": "II (serious)",
                            "III": "III (relatively large)", "IV": "IV (general)"}
STAGE_EN: dict[str, str] = {"first": "First report", "followup": "Follow-up report",
                             "final": "Final report"}
#: Grade colours of the Chinese warning scheme: I red, II orange, III yellow, IV blue.
GRADE_COLOUR: dict[str, str] = {"I": "#d62728", "II": "#ff7f0e", "III": "#e6b800",
                                "IV": "#1f77b4"}


def unit_kind_name(kind: str, lang: Lang = "zh") -> str:
    """Name of a unit kind (``fire_rescue`` → 消防救援队 / Fire and rescue)."""
    table = UNIT_KIND_ZH if lang == "zh" else UNIT_KIND_EN
    return table.get(kind, kind)


def grade_name(grade: str, lang: Lang = "zh") -> str:
    """Name of a grade: ``III`` → 较大 / III (major)."""
    return (GRADE_ZH if lang == "zh" else GRADE_EN).get(grade, grade)


def stage_name(stage: str, lang: Lang = "zh") -> str:
    """Name of a report stage: ``first`` → 首报 / First."""
    return (STAGE_ZH if lang == "zh" else STAGE_EN).get(stage, stage)


def level_name(level: str, lang: Lang = "zh") -> str:
    """Name of an administrative level (city/county/township)."""
    key = f"level.{level}"
    return tr(key, lang) if key in STRINGS else level


def unit_label(region: Region | None, unit_id: str, lang: Lang = "zh") -> str:
    """A unit's label: its Chinese name (zh) or an English name built from its place and kind
    (en, see :mod:`ui.charts.names`); the id if the region lacks it."""
    return Names(region, lang).unit(unit_id)


def place_name(region: Region | None, jurisdiction_id: str | None, lang: Lang = "zh") -> str:
    """A jurisdiction's name, romanised in English (the id if unknown, '' for None)."""
    if jurisdiction_id is None:
        return ""
    return Names(region, lang).place(jurisdiction_id)


def capability_name(region: Region | None, cap: str, lang: Lang = "zh") -> str:
    """A capability's name from the region's vocabulary (the id if undeclared)."""
    if region is not None:
        for c in region.capabilities:
            if c.id == cap:
                return c.name_zh if lang == "zh" else c.name_en
    return cap


@functools.cache
def _templates() -> dict[str, tuple[str, str]]:
    from scenarios.templates import load_templates

    return {t.id: (t.name_zh, t.name_en) for t in load_templates().templates}


def incident_type_name(template: str | None, category: str | None, lang: Lang = "zh") -> str:
    """The incident's type for humans: its report template's name, else the category id."""
    names = _templates().get(template or "")
    if names:
        return names[0] if lang == "zh" else names[1]
    return category or ""


def percent(x: float | None, lang: Lang = "zh") -> str:
    """``0.8333`` → ``83%`` (``无``/``n/a`` for None)."""
    return tr("na", lang) if x is None else f"{100 * x:.0f}%"
