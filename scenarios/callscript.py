"""The controller's call card of an inject: who to call, who the controller plays (name and
phone number), the script, and the questions a duty officer is likely to ask with the answers
that caller would give.

A duty officer taking an alarm asks the same things every time (接警要素): where exactly, how
many hurt, trapped, missing or dead, is it spreading, what is dangerous there, is anyone
handling it, and a name and number to call back. The scenario has no such field: the answers
are derived here from the sealed inject, a pure function of it (and of the hazard catalogue,
for the words), so they always agree with the incident's truth and with what the caller said:

* the counts a caller gives are the ones in their own script (the generator put the truth
  with noise there, :mod:`scenarios.messages`); a count the script does not give is answered
  vaguely, and "nobody" only when the truth is zero;
* a member of the public knows the address, a disaster information officer or the monitoring
  system also the coordinates; the monitoring system cannot answer about people at all;
* what spreads and what is dangerous follow the incident's category; who is already acting
  follows who is calling (an information officer acts first, an enterprise's own team is at
  work, a bystander waits for help).

Answers exist in Chinese and English; the Chinese text has no code identifiers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

from scenarios.catalogue import HazardCatalogue, PeopleHints, load_catalogue
from scenarios.recipients import EXERCISE_CONTROL
from scenarios.schema import Caller, ComplicationInject, IncidentInject

Lang = Literal["zh", "en"]
Inject = IncidentInject | ComplicationInject


@dataclass(frozen=True)
class QA:
    """One likely question and the answer to give (``topic`` names what it is about)."""

    topic: str
    question: str
    answer: str


@dataclass(frozen=True)
class CallScript:
    """The call card of one inject, in one language."""

    inject: str
    call_who: str
    caller_name: str
    caller_phone: str
    caller_role: str
    script: str
    qa: tuple[QA, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        """A plain dict (for JSON output)."""
        d = dict(self.__dict__)
        d["qa"] = [dict(q.__dict__) for q in self.qa]
        return d


#: questions a duty officer asks, per topic: (zh, en)
QUESTIONS: dict[str, tuple[str, str]] = {
    "place": ("具体在什么位置？", "Where exactly is it?"),
    "injured": ("有多少人受伤？", "How many people are hurt?"),
    "trapped": ("有没有人被困？", "Is anyone trapped?"),
    "missing": ("有没有人失踪或联系不上？", "Is anyone missing?"),
    "dead": ("有没有人员死亡？", "Has anyone died?"),
    "evacuated": ("已经有多少人撤出来了？", "How many people have got out?"),
    "spreading": ("情况还在扩大吗？", "Is it spreading or getting worse?"),
    "hazards": ("现场有什么危险？", "What is dangerous there?"),
    "acting": ("现场有人在处置吗？", "Is anyone dealing with it on site?"),
    "callback": ("您叫什么名字？回拨电话是多少？", "Your name and a number to call you back?"),
    "more": ("还有其他情况吗？", "Anything else?"),
    "reported": ("是不是已经有人报过警了？", "Has someone already reported this?"),
    "road": ("路断在哪里？多久能通？", "Where is the road cut, and for how long?"),
    "comms": ("通信多久能恢复？", "When will communications be back?"),
    "grade": ("现在是什么情况？", "What is the situation now?"),
    "people_now": ("现在人员伤亡是多少？", "What are the casualties now?"),
    "stock": ("还剩多少？", "How much is left?"),
    "commander": ("现场谁在指挥？", "Who is in command on site?"),
}

#: (is it spreading, what is dangerous) per incident category: (zh, en) each
CATEGORY_WORDS: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "flood": (("水还在涨，低洼的地方已经进水了。", "The water is still rising; low ground is flooding."),
              ("水很急，路面看不清深浅，还有电线泡在水里。",
               "The current is strong, you can't see how deep the road is, and power lines are in the water.")),
    "forest_fire": (("风一吹火往山上蔓延，烟越来越大。", "The wind is pushing the fire uphill; the smoke is getting thicker."),
                    ("山上风向不定，附近有村子和林场。", "The wind keeps changing; there are villages and a tree farm nearby.")),
    "hazmat": (("还在往外漏，味道越来越重。", "It is still leaking and the smell is getting stronger."),
               ("气味刺鼻，眼睛难受，旁边还有别的储罐。",
                "The fumes sting the eyes, and there are other tanks next to it.")),
    "earthquake": (("刚才又晃了一下，还有余震。", "It shook again just now; there are aftershocks."),
                   ("墙体开裂，随时可能再倒，燃气管道可能破了。",
                    "Cracked walls could come down any moment; gas pipes may be broken.")),
    "geohazard": (("山上还有石头和泥往下滑。", "Rocks and mud are still sliding down."),
                  ("后山还有裂缝，下雨还会再塌。", "There are more cracks up the slope; it may slide again.")),
    "collapse": (("旁边的墙也在掉渣，怕再塌。", "The walls next to it are crumbling; it may collapse further.")
                 , ("楼体不稳，下面可能还有人，有燃气味。",
                    "The structure is unstable, people may be under it, and I smell gas.")),
    "building_fire": (("火还在烧，烟往楼上窜。", "It is still burning and the smoke is going up the stairs."),
                      ("楼道全是浓烟，楼里可能有煤气罐。",
                       "The stairwell is full of smoke and there may be gas cylinders inside.")),
    "gas_explosion": (("还能闻到燃气味，怕再炸。", "I can still smell gas; it may explode again."),
                      ("燃气还在漏，玻璃碎了一地，楼体可能受损。",
                       "Gas is still leaking, glass is everywhere, the building may be damaged.")),
    "traffic": (("没有扩大，但后面的车越堵越多。", "Not spreading, but the queue behind is growing."),
                ("车在漏油，来往车辆很多，有二次事故的危险。",
                 "A car is leaking fuel and traffic is heavy: another crash could happen.")),
    "drowning": (("水流很急，人被冲往下游。", "The current is fast and is carrying people downstream."),
                 ("水深流急，岸边很滑，不要让人直接下水。",
                  "Deep, fast water and slippery banks: nobody should jump in.")),
    "severe_weather": (("风雨还很大，还在刮倒东西。", "The wind and rain are still strong and still knocking things down."),
                       ("广告牌和树随时会倒，地上有断了的电线。",
                        "Signs and trees may fall any moment; there are broken power lines on the ground.")),
    "crowd": (("人还在往里挤，出口堵死了。", "People are still pushing in and the exits are blocked."),
              ("人群很乱，有人摔倒，再挤还会踩到人。",
               "The crowd is panicking; people have fallen and more may be trampled.")),
}
GENERIC_WORDS = (("看不出来还会不会扩大。", "I can't tell whether it will get worse."),
                 ("说不清，请你们的人到了注意安全。", "I can't say; your people should be careful."))

#: what the caller says about who is acting on site, per alarm source: (zh, en)
ACTING: dict[str, tuple[str, str]] = {
    "public": ("周围群众在帮忙，还没看到救援的人。", "People around are helping; no rescuers yet."),
    "info_officer": ("我已经在组织周边群众撤离，拉了警戒，正在核实情况。",
                     "I am moving people away, have set a cordon and am checking the details."),
    "enterprise": ("厂里的应急队已经在做先期处置。", "Our own emergency team is doing the first response."),
    "unit": ("我在现场设置警示、维持秩序。", "I am on site, setting warnings and keeping order."),
    "system": ("这是自动报警，现场情况不明，需要派人核实。",
               "This is an automatic alert; the situation on site is unknown and needs checking."),
}
CALLER_ROLE: dict[str, tuple[str, str]] = {
    "public": ("群众", "member of the public"), "info_officer": ("灾害信息员", "information officer"),
    "enterprise": ("企业值班人员", "enterprise duty officer"), "unit": ("巡逻队员", "patrol officer"),
    "system": ("监测预警系统", "monitoring system"),
}
CONTROL_ROLE = ("导调组", "control group")
GRADE_NAMES = {"IV": ("一般", "minor (IV)"), "III": ("较大", "major (III)"),
               "II": ("重大", "serious (II)"), "I": ("特别重大", "very serious (I)")}


def _w(pair: tuple[str, str], lang: Lang) -> str:
    return pair[0] if lang == "zh" else pair[1]


def said_counts(message: str, hints: PeopleHints) -> dict[str, int | bool]:
    """What a caller's script says about people: ``trapped``/``injured``/``missing`` counts
    and ``dead`` (True) where the script has the catalogue's words for them (either language)."""
    out: dict[str, int | bool] = {}
    for key in ("trapped", "injured", "missing"):
        text = getattr(hints, key)
        for words in (text.zh, text.en):
            pattern = re.escape(words.strip()).replace(re.escape("{n}"), r"(\d+)")
            m = re.search(pattern, message, flags=re.IGNORECASE)
            if m:
                out[key] = int(m.group(1))
                break
    if hints.dead.zh in message or hints.dead.en.strip().lower() in message.lower():
        out["dead"] = True
    return out


def _count_answer(key: str, truth: int, said: int | bool | None, lang: Lang,
                  officer: bool) -> str:
    zh = lang == "zh"
    if truth == 0:
        nobody = {"injured": ("没看到有人受伤。", "I haven't seen anyone hurt."),
                  "trapped": ("没看到有人被困。", "I don't think anyone is trapped."),
                  "missing": ("人都联系上了。", "Everyone has been accounted for so far.")}
        return _w(nobody[key], lang)
    if isinstance(said, int) and not isinstance(said, bool):
        some = {"injured": (f"看着有{said}个人受伤，", f"Maybe {said} hurt, "),
                "trapped": (f"听说有{said}个人被困，", f"I heard {said} trapped, "),
                "missing": (f"有{said}个人联系不上，", f"{said} can't be reached, ")}[key]
        text = _w(some, lang) + ("具体我说不准。" if zh else "I can't be sure.")
    else:
        vague = {"injured": ("有人受伤，具体几个我看不清。", "Some are hurt; I can't see how many."),
                 "trapped": ("可能有人被困，具体几个我不清楚。",
                             "Someone may be trapped; I don't know how many."),
                 "missing": ("有人联系不上，具体几个我不清楚。",
                             "Some can't be reached; I don't know how many.")}[key]
        text = _w(vague, lang)
    if officer:
        text += "我正在核实，核实后马上报告。" if zh else " I am checking and will report back."
    return text


def _incident_qa(inj: IncidentInject, lang: Lang, cat: HazardCatalogue) -> list[QA]:
    spec = inj.incident
    src = spec.caller.source
    zh = lang == "zh"

    def qa(topic: str, answer: str) -> QA:
        return QA(topic, _w(QUESTIONS[topic], lang), answer)

    loc = spec.location
    if loc.address:
        place = f"在{loc.address}。" if zh else f"At {loc.address}."
    else:
        place = ("具体门牌我说不清，我在现场等你们的人。" if zh
                 else "I can't give the exact address; I'll wait on site for your team.")
    if src in ("info_officer", "system"):
        place += (f"坐标：东经{loc.lon:.5f}，北纬{loc.lat:.5f}。" if zh
                  else f" Coordinates: {loc.lon:.5f} E, {loc.lat:.5f} N.")
    out = [qa("place", place)]
    truth = spec.casualties
    if src == "system":
        unknown = _w(ACTING["system"], lang)
        out += [qa(k, unknown) for k in ("injured", "trapped", "missing")]
    else:
        said = said_counts(inj.delivery.message, cat.people_hints)
        officer = src == "info_officer"
        for key in ("injured", "trapped", "missing"):
            out.append(qa(key, _count_answer(key, getattr(truth, key), said.get(key), lang,
                                             officer)))
        if truth.dead > 0:
            out.append(qa("dead", "好像有人不行了，我不敢确定。" if zh
                          else "Someone may be dead; I'm not sure."))
        else:
            out.append(qa("dead", "没看到有人遇难。" if zh else "I haven't seen anyone dead."))
        if truth.evacuated > 0:
            n = truth.evacuated
            rough = f"{n // 10 * 10}多" if n >= 20 else str(n)
            out.append(qa("evacuated", f"已经跑出来大约{rough}人。" if zh
                          else f"About {n // 10 * 10 if n >= 20 else n} or so have got out."))
    spreading, hazards = CATEGORY_WORDS.get(spec.category, GENERIC_WORDS)
    out += [qa("spreading", _w(spreading, lang)), qa("hazards", _w(hazards, lang)),
            qa("acting", _w(ACTING.get(src, ACTING["public"]), lang))]
    c = spec.caller
    if src == "system" or not (c.name or c.phone):
        back = ("这是系统自动报警，没有回拨电话，请派人到现场核实。" if zh
                else "This is an automatic alert: there is no one to call back; send someone to check.")
    else:
        back = (f"我叫{c.name}，电话{c.phone}，我在现场等着。" if zh
                else f"I'm {c.name}, on {c.phone}. I'll stay here.")
    out.append(qa("callback", back))
    return out


def _complication_qa(inj: ComplicationInject, lang: Lang) -> list[QA]:
    c = inj.complication
    zh = lang == "zh"

    def qa(topic: str, answer: str) -> QA:
        return QA(topic, _w(QUESTIONS[topic], lang), answer)

    dur = f"{c.duration_min:.0f}" if c.duration_min is not None else None
    if c.type == "road_blocked":
        if c.factor is None:
            a = ("道路完全中断，暂时无法通行，恢复时间不确定。" if zh
                 else "The road is cut completely; no time for reopening yet.")
        else:
            a = (f"可以绕行，路上用时大约是平时的{c.factor:.1f}倍。" if zh
                 else f"There is a detour; it takes about {c.factor:.1f} times as long.")
        if dur is not None:
            a += f"预计{dur}分钟左右恢复。" if zh else f" Expected to reopen in about {dur} minutes."
        return [qa("road", a)]
    if c.type == "comms_lost":
        a = (f"预计{dur}分钟左右恢复，期间请用卫星电话或对讲机。" if zh and dur
             else f"About {dur} minutes; use satellite phones or radios meanwhile." if dur
             else "恢复时间不确定，请用备用通信。" if zh
             else "No time for it yet; use the backup channels.")
        return [qa("comms", a)]
    if c.type == "escalation" and c.grade is not None:
        g = _w(GRADE_NAMES[c.grade], lang)
        return [qa("grade", f"情况明显恶化，已达到{g}事件的程度，需要增派力量。" if zh
                   else f"It is much worse now, at the level of a {g} incident; more help is needed.")]
    if c.type == "casualty_update" and c.casualties is not None:
        k = c.casualties
        a = (f"目前掌握：死亡{k.dead}人，受伤{k.injured}人，被困{k.trapped}人，失踪{k.missing}人。"
             if zh else f"So far: {k.dead} dead, {k.injured} injured, {k.trapped} trapped, "
                        f"{k.missing} missing.")
        return [qa("people_now", a)]
    if c.type == "resource_shortage" and c.qty is not None:
        return [qa("stock", f"库存只剩{c.qty}。" if zh else f"Only {c.qty} left in stock.")]
    if c.type == "commander_unavailable":
        return [qa("commander", "原来的现场指挥员离开了，需要重新明确现场指挥员。" if zh
                   else "The commander has left; a new one must be designated.")]
    return [qa("more", "暂时就这些，有新情况再通报。" if zh
               else "That is all for now; we will call with anything new.")]


@lru_cache(maxsize=1)
def _shipped_catalogue() -> HazardCatalogue:
    return load_catalogue()


def call_script(inj: Inject, lang: Lang = "zh",
                catalogue: HazardCatalogue | None = None) -> CallScript:
    """The call card of ``inj`` in ``lang`` (the script stays in the scenario's language)."""
    d = inj.delivery
    if isinstance(inj, IncidentInject):
        caller = inj.incident.caller
        cat = catalogue or _shipped_catalogue()
        role = _w(CALLER_ROLE.get(caller.source, CALLER_ROLE["public"]), lang)
        name = caller.name or (role if caller.source == "system" else "")
        qa = _incident_qa(inj, lang, cat)
        return CallScript(inj.id, d.recipient, name, caller.phone, role, d.message, tuple(qa))
    c = inj.complication
    if c.type == "repeat_call" and c.caller is not None:  # another person phones the desk
        rc = c.caller
        role = _w(CALLER_ROLE.get(rc.source, CALLER_ROLE["public"]), lang)
        return CallScript(inj.id, d.recipient, rc.name or d.sender or role, rc.phone, role,
                          d.message, tuple(_repeat_call_qa(rc, lang)))
    role = _w(CONTROL_ROLE, lang)
    # exercise control as the scenario words it is the control group, in the card's language
    sender = d.sender if d.sender not in EXERCISE_CONTROL.values() else ""
    return CallScript(inj.id, d.recipient, sender or role, "", role, d.message,
                      tuple(_complication_qa(inj, lang)))


def _repeat_call_qa(caller: Caller, lang: Lang) -> list[QA]:
    """A repeat caller does not know the incident was reported already: they repeat what they
    see (the script) and give their own name and number."""
    zh = lang == "zh"

    def qa(topic: str, answer: str) -> QA:
        return QA(topic, _w(QUESTIONS[topic], lang), answer)

    out = [qa("reported", "不知道有没有人报过，我看到了就赶紧打电话了。" if zh
              else "I don't know whether anyone has called; I phoned as soon as I saw it."),
           qa("more", "我知道的就是刚才说的这些。" if zh
              else "What I told you is all I know.")]
    if caller.name or caller.phone:
        out.append(qa("callback", f"我叫{caller.name}，电话{caller.phone}。" if zh
                      else f"I'm {caller.name}, on {caller.phone}."))
    return out
