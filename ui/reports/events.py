"""Log records as plain sentences, in Chinese or English, for the report's timeline and evidence.

:func:`describe` turns one record into a sentence with names (never ids or kind codes):
``{"kind": "unit_arrived", "unit": "U-K01-T01"}`` → ``锦红街道综合应急救援队到达现场``.
:func:`story_time` writes drill minutes as story time (``2026年8月29日 00:11``).
Which kinds the timeline lists and which column (inject or reaction) they go to is
:data:`INJECT_KINDS` / :data:`REACTION_KINDS`.
"""

from __future__ import annotations

from typing import Any

from ui.charts.labels import grade_name, incident_type_name, stage_name
from ui.charts.names import Lang, Names, has_cjk, story_date, story_time

__all__ = ["describe", "kind_name", "story_date", "story_time"]

#: kinds shown in the "inject" column of the timeline (what control gave the players)
INJECT_KINDS = frozenset({"inject_released", "complication_applied"})
#: kinds shown in the "reaction" column (what the players did, and the drill's milestones)
REACTION_KINDS = frozenset({
    "drill_started", "incident_occurred", "alarm_raised", "alarm_taken", "unit_dispatched",
    "unit_arrived", "commander_designated", "initial_response_completed",
    "incident_escalated", "incident_controlled", "incident_unresolved", "report_submitted",
    "command_post_activated", "scene_visible", "mutual_aid_requested", "mutual_aid_granted",
    "supplies_requested", "supplies_delivered", "supplies_short", "unit_released",
    "observation", "hotwash", "drill_held", "drill_resumed", "inject_skipped",
    "role_designated", "record_corrected", "drill_ended"})

#: kind → (zh, en): the name of each event kind, for tables that list kinds
KIND_NAMES: dict[str, tuple[str, str]] = {
    "drill_started": ("演练开始", "Drill started"),
    "drill_ended": ("演练结束", "Drill ended"),
    "inject_released": ("下达情景注入", "Inject released"),
    "incident_occurred": ("事件发生", "Incident occurred"),
    "alarm_raised": ("报警", "Alarm raised"),
    "alarm_taken": ("接警", "Alarm taken"),
    "repeat_call_raised": ("重复报警来电", "Repeat call"),
    "repeat_call_taken": ("重复报警登记", "Repeat call logged"),
    "unit_dispatched": ("调派", "Unit dispatched"),
    "unit_mobilised": ("出动", "Unit turned out"),
    "unit_arrived": ("到场", "Unit arrived"),
    "task_started": ("开始作业", "Task started"),
    "task_finished": ("完成作业", "Task finished"),
    "incident_escalated": ("事件升级", "Incident escalated"),
    "initial_response_completed": ("先期处置完成", "Early-stage handling done"),
    "incident_controlled": ("得到控制", "Under control"),
    "incident_closed": ("处置结束", "Incident closed"),
    "incident_unresolved": ("未处置完毕", "Unresolved at the end"),
    "report_submitted": ("信息报送", "Report submitted"),
    "supplies_requested": ("申请物资", "Supplies requested"),
    "supplies_delivered": ("物资送达", "Supplies delivered"),
    "supplies_short": ("物资短缺", "Supplies short"),
    "command_post_activated": ("指挥部启动", "Command post activated"),
    "scene_visible": ("现场画面接入", "Scene visible"),
    "commander_designated": ("指定现场指挥员", "Commander designated"),
    "complication_applied": ("情况变化", "Complication"),
    "message_sent": ("信息传递", "Message passed"),
    "mutual_aid_requested": ("请求增援", "Mutual aid requested"),
    "mutual_aid_granted": ("跨区域增援", "Mutual aid granted"),
    "unit_released": ("撤离现场", "Unit stood down"),
    "unit_returned": ("返回驻地", "Unit back at base"),
    "observation": ("评估员观察", "Evaluator observation"),
    "hotwash": ("复盘讨论", "Hotwash"),
    "drill_held": ("演练暂停", "Drill on hold"),
    "drill_resumed": ("演练恢复", "Drill resumed"),
    "inject_skipped": ("取消情景注入", "Inject skipped"),
    "role_designated": ("明确现场角色", "Role designated"),
    "record_corrected": ("更正记录", "Record corrected"),
    "team_mobilised": ("全员出动", "Full team turned out"),
    "team_arrived": ("全员到场", "Full team arrived"),
    "wakeup_call": ("叫应叫醒", "Wake-up call"),
    "alarm_reported": ("接报即报", "Alarm reported upward"),
    "expert_consulted": ("专家会商", "Expert consulted"),
    "warning_relayed": ("预警叫应", "Warning relayed"),
    "patrol_completed": ("隐患巡查", "Patrol completed"),
    "damage_reported": ("灾情报告", "Damage reported"),
}
CALLER_ZH = {"info_officer": "灾害信息员", "public": "群众", "enterprise": "企业",
             "unit": "救援队伍", "system": "监测系统"}
CALLER_EN = {"info_officer": "disaster information officer", "public": "member of the public",
             "enterprise": "enterprise", "unit": "rescue unit", "system": "monitoring system"}
CHANNEL = {"phone": ("电话", "by phone"), "written": ("书面", "in writing")}
METHOD = {"phone": ("电话", "phone"), "radio": ("对讲机", "radio"), "sms": ("短信", "SMS"),
          "app": ("系统推送", "app"), "in_person": ("当面", "in person"),
          "email": ("邮件", "e-mail"), "video": ("视频", "video")}
COMPLICATION = {
    "road_blocked": ("道路中断", "road blocked"), "comms_lost": ("通信中断", "communications lost"),
    "escalation": ("事态升级", "escalation"), "casualty_update": ("伤亡情况更新", "casualty update"),
    "resource_shortage": ("物资告急", "supplies running short"),
    "second_alarm": ("再次报警", "second alarm"),
    "commander_unavailable": ("指挥员无法到位", "commander unavailable"),
    "repeat_call": ("重复报警", "repeat call"),
}
RATING = {"P": ("无挑战完成", "performed without challenges"),
          "S": ("有一定挑战完成", "performed with some challenges"),
          "M": ("有重大挑战完成", "performed with major challenges"),
          "U": ("无法完成", "unable to be performed")}
ROLE = {"commander": ("现场指挥员", "incident commander"),
        "incident_commander": ("现场指挥员", "incident commander"),
        "safety_officer": ("安全员", "safety officer"),
        "information_officer": ("信息报送员", "information officer"),
        "liaison": ("联络员", "liaison officer"), "liaison_officer": ("联络员", "liaison officer"),
        "evacuation_lead": ("疏散组长", "evacuation lead"),
        "logistics_lead": ("物资保障组长", "logistics lead")}
HOTWASH_SECTIONS = {"strength": ("优势", "Strengths"), "weakness": ("不足", "Weaknesses"),
                    "action": ("改进措施", "Actions")}


def kind_name(kind: str, lang: Lang) -> str:
    """The name of an event kind (``unit_arrived`` → 到场 / Unit arrived)."""
    zh, en = KIND_NAMES.get(kind, ("其他记录", "Other record"))
    return zh if lang == "zh" else en


def _text(value: Any, lang: Lang) -> str:
    """Free text from the log: kept in Chinese; in English, text in Chinese is not shown."""
    s = str(value or "").strip()
    return s if lang == "zh" or not has_cjk(s) else ("[recorded in Chinese]" if s else "")


def describe(r: dict[str, Any], names: Names) -> str:
    """One log record as a sentence with names, in ``names.lang``."""
    zh = names.zh
    lang = names.lang
    k, d = r["kind"], r.get("data") or {}
    unit = names.unit(r["unit"]) if r.get("unit") else ""
    post = names.post(r["post"]) if r.get("post") else ""
    depot = names.depot(r["depot"]) if r.get("depot") else ""
    desk = names.desk(str(d["desk"])) if d.get("desk") else ""
    level = names.level(str(d.get("level", "")))

    def pick(a: str, b: str) -> str:
        return a if zh else b

    if k == "drill_started":
        return pick("演练开始", "Drill started")
    if k == "drill_ended":
        return pick("演练结束", "Drill ended")
    if k == "inject_released":
        src = names.party(str(d.get("sender", ""))) if zh else _text(d.get("sender"), lang)
        dst = names.party(str(d.get("recipient", ""))) if zh else \
            _text(d.get("recipient"), lang)
        method = METHOD.get(str(d.get("method")), ("", ""))[0 if zh else 1]
        msg = _text(d.get("message"), lang)
        if zh:
            head = f"注入{r.get('inject') or ''}({method}) {src}→{dst}"
            return f"{head}:{msg}" if msg else head
        kind = "alarm call" if d.get("inject_kind") == "incident" else "contingency"
        head = f"Inject {r.get('inject') or ''} ({kind}, {method})"
        to = names.recipient(str(d.get("recipient") or ""))  # the desk or post, in English
        if to:
            head += f" to the {to}" if to.endswith(("duty desk", "command post")) else f" to {to}"
        if msg == "[recorded in Chinese]":  # the message is in the drill's language
            return head + ": message in Chinese (see the MSEL)"
        return f"{head}: {msg}" if msg else head
    if k == "complication_applied":
        what = COMPLICATION.get(str(d.get("type")), (str(d.get("type")), str(d.get("type"))))
        where = names.place(str(d["township"])) if d.get("township") else ""
        extra = ""
        if d.get("grade"):
            extra = pick(f",升级为{grade_name(str(d['grade']), lang)}",
                         f", now grade {grade_name(str(d['grade']), lang)}")
        return pick(f"情况变化生效:{where}{what[0]}{extra}",
                    f"Complication in effect: {what[1]}{' in ' + where if where else ''}{extra}")
    if k == "incident_occurred":
        kind = incident_type_name(d.get("template"), d.get("category"), lang)
        g = grade_name(str(d.get("grade", "")), lang)
        town = names.place(d.get("township"))
        return pick(f"{town}发生{g}{kind}", f"{kind} (grade {g}) in {town}")
    if k == "alarm_raised":
        who = (CALLER_ZH if zh else CALLER_EN).get(str(d.get("caller_source")), "")
        return pick(f"{who}报警至{level}值班室", f"Alarm from a {who} to the {level} duty desk")
    if k == "alarm_taken":
        return pick(f"{desk or level + '值班室'}接警",
                    f"Alarm taken by {desk or 'the ' + level + ' duty desk'}")
    if k == "unit_dispatched":
        aid = pick("(跨区域增援)", " (mutual aid)") if d.get("mutual_aid") else ""
        by = desk or pick(level + "值班室", f"the {level} duty desk")
        return pick(f"{by}调派{unit}{aid}", f"{by} dispatched {unit}{aid}")
    if k == "unit_mobilised":
        return pick(f"{unit}出动", f"{unit} turned out")
    if k == "unit_arrived":
        return pick(f"{unit}到达现场", f"{unit} arrived on scene")
    if k == "unit_released":
        return pick(f"{unit}撤离现场", f"{unit} stood down")
    if k == "unit_returned":
        return pick(f"{unit}返回驻地", f"{unit} back at base")
    if k == "commander_designated":
        person = str(d.get("person") or "")
        if zh:
            return f"指定{person or unit + '负责人'}为现场指挥员"
        return f"Incident commander designated: the leader of {unit or 'the first unit'}"
    if k == "initial_response_completed":
        by = unit or pick("灾害信息员", "the information officer")
        return pick(f"{by}完成先期处置", f"Early-stage handling done by {by}")
    if k == "incident_escalated":
        g = grade_name(str(d.get("grade", "")), lang)
        return pick(f"事件升级为{g}", f"Escalated to grade {g}")
    if k == "incident_controlled":
        return pick("事件得到控制", "Incident under control")
    if k == "incident_closed":
        return pick("处置结束", "Incident closed")
    if k == "incident_unresolved":
        return pick("演练结束时仍未处置完毕", "Still unresolved when the drill ended")
    if k == "report_submitted":
        sender = names.party(str(d.get("sender") or r.get("unit") or r.get("post") or ""))
        to = names.level(str(d.get("to", "")))
        ch = CHANNEL.get(str(d.get("channel")), ("", ""))[0 if zh else 1]
        st = stage_name(str(d.get("stage", "")), lang)
        return pick(f"{sender}向{to}{ch}{st}", f"{sender}: {st.lower()} to the {to} {ch}")
    if k == "command_post_activated":
        return pick(f"{post}启动", f"{post} activated")
    if k == "scene_visible":
        return pick(f"现场画面接入{post}", f"Scene visible at {post}")
    if k == "mutual_aid_requested":
        frm = names.place(str(d.get("from_jurisdiction", "")))
        cap = names.capability(d.get("capability"))
        to = names.level(str(d.get("to_level", "")))
        return pick(f"{frm}请求{to}增援({cap})", f"{frm} asked the {to} for help ({cap})")
    if k == "mutual_aid_granted":
        return pick(f"{unit}跨区域增援", f"{unit} sent as mutual aid")
    if k in ("supplies_requested", "supplies_delivered", "supplies_short"):
        item, qty = names.item(d.get("item")), d.get("qty", "")
        if k == "supplies_requested":
            return pick(f"申请{item}{qty}", f"{qty} {item} requested")
        if k == "supplies_delivered":
            return pick(f"{depot}送达{item}{qty}", f"{depot} delivered {qty} {item}")
        return pick(f"{item}短缺{qty}", f"{item}: {qty} short")
    if k == "message_sent":
        return pick(f"{names.party(str(d.get('sender')))}通知{names.party(str(d.get('recipient')))}",
                    f"{names.party(str(d.get('sender')))} informed "
                    f"{names.party(str(d.get('recipient')))}")
    if k == "role_designated":
        role = ROLE.get(str(d.get("role")), ("现场角色", "a role"))
        person = str(d.get("person") or "")
        return pick(f"明确{person}为{role[0]}", f"{role[1].capitalize()} designated"
                    + (f": {names.party(person)}" if person else ""))
    if k == "drill_resumed":
        return pick(f"演练恢复(暂停{float(d.get('held_min') or 0):.0f}分钟)",
                    f"Drill resumed after {float(d.get('held_min') or 0):.0f} min on hold")
    if k == "record_corrected":
        return pick(f"更正第{d.get('corrects')}条记录:{_text(d.get('reason'), lang)}",
                    f"Record {d.get('corrects')} corrected: {_text(d.get('reason'), lang)}")
    if k in ("observation", "hotwash"):
        author = names.party(str(d.get("author") or ""))
        text = _text(d.get("text"), lang)
        head = kind_name(k, lang) + (f"({author})" if zh and author else
                                     f" ({author})" if author else "")
        return f"{head}:{text}" if zh else f"{head}: {text}"
    return kind_name(k, lang)
