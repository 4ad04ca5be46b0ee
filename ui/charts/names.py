"""Readable names of the parties a log mentions (units, duty desks, command posts, depots).

The log carries ids (``U-K05-T01``, ``DESK-K01``, ``CP-K01-T01``, ``D-K02``); reports and charts
show names. Chinese output uses the region's own names (``锦红街道综合应急救援队``); English output
must not show Chinese, so it romanises place names with pypinyin and builds unit, desk, post and
depot names from the place and the kind (``Jinhong Subdistrict township rescue station``).
Without a region, ids are shown as they are.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Literal

from scenarios.recipients import COUNTY_DESK, COUNTY_DESK_OLD, TOWNSHIP_DESK
from scenarios.region import Region, Unit
from scenarios.vocabulary import UNIT_KIND_ZH

Lang = Literal["zh", "en"]

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
#: Chinese administrative suffixes and their English words (longest first).
_SUFFIX_EN: tuple[tuple[str, str], ...] = (
    ("街道", "Subdistrict"), ("市", "City"), ("县", "County"), ("区", "District"),
    ("镇", "Town"), ("乡", "Township"), ("村", "Village"))
UNIT_KIND_EN: dict[str, str] = {
    "township_station": "township rescue station",
    "fire_rescue": "fire and rescue station",
    "hazmat": "hazmat team",
    "medical": "medical team",
    "flood_rescue": "flood rescue team",
    "forest_fire": "forest firefighting team",
    "mine_rescue": "mine rescue team",
    "engineering": "engineering repair team",
    "militia": "militia emergency squad",
    "enterprise": "enterprise rescue team",
    "social": "social rescue organisation",
}
LEVEL_ZH = {"city": "市", "county": "县(区)", "township": "乡镇(街道)", "village": "村"}
LEVEL_EN = {"city": "city", "county": "county", "township": "township", "village": "village"}


def has_cjk(text: str) -> bool:
    """True if ``text`` holds a Chinese character."""
    return bool(_CJK.search(text))


@functools.lru_cache(maxsize=4096)
def romanise(text: str) -> str:
    """Pinyin of the Chinese parts of ``text``, words capitalised (``黄想`` → ``Huang Xiang``).

    Personal names (2–3 characters) are written family name first, given name joined
    (``Huang Xiang``, ``Qin Xiaohong``); other runs are joined into one word.
    """
    from pypinyin import lazy_pinyin

    def run(m: re.Match[str]) -> str:
        syl = lazy_pinyin(m.group(0))
        if 2 <= len(syl) <= 3:
            return f"{syl[0].capitalize()} {''.join(syl[1:]).capitalize()}"
        return "".join(syl).capitalize()

    return re.sub(r"[\u3400-\u9fff]+", run, text).strip()


@functools.lru_cache(maxsize=4096)
def place_en(name: str) -> str:
    """An English place name: ``兴新镇`` → ``Xingxin Town``, ``永宝区`` → ``Yongbao District``."""
    from pypinyin import lazy_pinyin

    name = strip_latin(name)
    for zh, en in _SUFFIX_EN:
        if name.endswith(zh) and len(name) > len(zh):
            return "".join(lazy_pinyin(name[: -len(zh)])).capitalize() + " " + en
    return "".join(lazy_pinyin(name)).capitalize()


def strip_latin(name: str) -> str:
    """``临川市 (seed city)`` → ``临川市``, ``青溪县 Qingxi County`` → ``青溪县``: drop Latin
    asides and trailing translations from a Chinese name."""
    if not has_cjk(name):
        return name.strip()
    name = re.sub(r"\s*[(（][^()（）]*[A-Za-z][^()（）]*[)）]", "", name)
    return re.sub(r"[\s(（]*[A-Za-z][A-Za-z .()（）-]*$", "", name).strip()


def split_title(title: str) -> tuple[str, str]:
    """A bilingual title ``全市综合应急盲演(演示) City-wide drill (demo)`` → (zh, en).

    A title in one language gives that text for its language and a romanisation for the other."""
    m = re.search(r"[A-Za-z]", title)
    if m and has_cjk(title[: m.start()]):
        return title[: m.start()].strip(), title[m.start():].strip()
    if has_cjk(title):
        return title.strip(), romanise(title)
    return title.strip(), title.strip()


#: what a team's own name is followed by (蓝天救援队, 化工有限公司专职救援队 …) and its English
#: wording; the part before it is the team's own name, romanised (``霞金应急志愿救援队`` →
#: ``Xiajin volunteer emergency rescue team``)
_TEAM_SUFFIXES = (
    ("蓝天救援队", "Blue Sky Rescue Team"),
    ("应急志愿救援队", "volunteer emergency rescue team"),
    ("化工有限公司专职救援队", "Chemical Co. full-time rescue team"),
    ("有限公司专职救援队", "Co. full-time rescue team"),
    ("专职救援队", "full-time rescue team"),
)


def _own_name_en(name: str) -> str | None:
    """The English name of a team named after itself, not a place (see
    :data:`_TEAM_SUFFIXES`); None when its name has none of those endings."""
    from pypinyin import lazy_pinyin

    for zh, en in _TEAM_SUFFIXES:
        if name.endswith(zh) and len(name) > len(zh):
            own = re.sub(r"[\u3400-\u9fff]+",
                         lambda m: " " + "".join(lazy_pinyin(m.group(0))).capitalize() + " ",
                         name[:-len(zh)])
            return f"{' '.join(own.split())} {en}"
    return None


class Names:
    """Names of the region's parties in one language; ids not in the region are kept."""

    def __init__(self, region: Region | None, lang: Lang) -> None:
        """``region`` may be None (then ids are shown)."""
        self.region, self.lang = region, lang
        self._juris = {j.id: j for j in region.jurisdictions} if region else {}
        self._by_name = {j.name: j for j in region.jurisdictions} if region else {}

    @property
    def zh(self) -> bool:
        """True for Chinese output."""
        return self.lang == "zh"

    def region_name(self) -> str:
        """The region's name without Latin asides (zh) or romanised (en)."""
        if self.region is None:
            return "—"
        return strip_latin(self.region.name) if self.zh else place_en(self.region.name)

    def place(self, jid: str | None) -> str:
        """A jurisdiction's name."""
        if not jid:
            return ""
        j = self._juris.get(jid)
        if j is None:
            return jid
        return j.name if self.zh else place_en(j.name)

    def level(self, level: str) -> str:
        """An administrative level's word (县(区) / county)."""
        return (LEVEL_ZH if self.zh else LEVEL_EN).get(level, level)

    def unit(self, uid: str) -> str:
        """A unit's name: the region's (zh); in English, place + kind, numbered when the place
        has several units of that kind (``Maxian County fire and rescue station 2``). The
        place is the one the Chinese name begins with (马仙县消防救援站2 is a county's station,
        wherever it is based), else the jurisdiction it is based in; a number the Chinese name
        ends with is kept."""
        u = self.region.unit_by_id.get(uid) if self.region else None
        if u is None:
            return uid
        if self.zh:
            return u.name
        owner = self._named_after(u.name)
        if owner is None:
            own = _own_name_en(u.name)
            if own is not None:  # teams of one name (namesake firms): say where, then which
                namesakes = self._namesakes()[u.name]
                if len(namesakes) == 1:
                    return own
                here = [x for x in namesakes if x.jurisdiction == u.jurisdiction]
                where = self.place(u.jurisdiction)
                return f"{own} ({where})" if len(here) == 1 else \
                    f"{own} ({where}, {[x.id for x in here].index(uid) + 1})"
            owner = u.jurisdiction
        base = f"{self.place(owner)} {UNIT_KIND_EN.get(u.kind, u.kind)}"
        digits = re.search(r"(\d+)$", u.name)
        if digits:
            return f"{base} {int(digits.group(1))}"
        same = self._same_kind().get((owner, u.kind), [uid])
        return f"{base} {same.index(uid) + 1}" if len(same) > 1 else base

    def _named_after(self, name: str) -> str | None:
        """The jurisdiction whose full name ``name`` begins with (the longest), if any."""
        for k in range(len(name) - 1, 1, -1):
            j = self._by_name.get(name[:k])
            if j is not None:
                return j.id
        return None

    def _namesakes(self) -> dict[str, list[Unit]]:
        if not hasattr(self, "_names"):
            groups: dict[str, list[Unit]] = {}
            for x in self.region.units if self.region else []:
                groups.setdefault(x.name, []).append(x)
            self._names = groups
        return self._names

    def _same_kind(self) -> dict[tuple[str, str], list[str]]:
        if not hasattr(self, "_kinds"):
            groups: dict[tuple[str, str], list[str]] = {}
            for x in self.region.units if self.region else []:
                owner = self._named_after(x.name) or x.jurisdiction
                groups.setdefault((owner, x.kind), []).append(x.id)
            self._kinds = groups
        return self._kinds

    def unit_kind(self, kind: str) -> str:
        """A unit kind's name."""
        return (UNIT_KIND_ZH if self.zh else UNIT_KIND_EN).get(kind, kind)

    def desk(self, did: str) -> str:
        """A duty desk ``DESK-<jurisdiction>``: ``永宝区应急管理局值班室`` / ``Yongbao District duty desk``."""
        jid = did[5:] if did.startswith("DESK-") else did
        j = self._juris.get(jid)
        if j is None:
            return did
        if self.zh:
            return j.name + ("值班室" if j.level == "township" else "应急管理局值班室")
        return f"{place_en(j.name)} duty desk"

    def post(self, pid: str) -> str:
        """A command post's name."""
        p = next((c for c in self.region.command_posts if c.id == pid), None) if self.region \
            else None
        if p is None:
            return pid
        return p.name if self.zh else f"{self.place(p.township)} command post"

    def recipient(self, text: str) -> str:
        """An inject's recipient (free text in the scenario's language, see
        :mod:`scenarios.recipients`) in this language: the county's or a township's duty desk
        and a command post by their names; other Chinese text romanised in English."""
        if not text:
            return ""
        if text in COUNTY_DESK.values() or text in COUNTY_DESK_OLD:
            return COUNTY_DESK[self.lang]
        for suffix in TOWNSHIP_DESK.values():
            j = self._by_name.get(text[:-len(suffix)]) if text.endswith(suffix) else None
            if j is not None and j.level == "township":
                return self.desk(j.id)
        for p in self.region.command_posts if self.region else []:
            if text == p.name:
                return self.post(p.id)
        if text in self._by_name:
            return self.place(self._by_name[text].id)
        return text if self.zh or not has_cjk(text) else romanise(text)

    def depot(self, did: str) -> str:
        """A depot's name."""
        d = next((x for x in self.region.depots if x.id == did), None) if self.region else None
        if d is None:
            return did
        return d.name if self.zh else f"{self.place(d.jurisdiction)} material depot"

    def party(self, pid: str | None) -> str:
        """Any party id (unit, desk, post, depot or jurisdiction), or free text (romanised in en)."""
        if not pid:
            return ""
        if pid.startswith("DESK-"):
            return self.desk(pid)
        if pid.startswith("CP-"):
            return self.post(pid)
        if self.region and pid in self.region.unit_by_id:
            return self.unit(pid)
        if self.region and any(d.id == pid for d in self.region.depots):
            return self.depot(pid)
        if pid in self._juris:
            return self.place(pid)
        return pid if self.zh or not has_cjk(pid) else romanise(pid)

    def capability(self, cap: str | None) -> str:
        """A capability's name from the region's vocabulary."""
        if not cap:
            return ""
        for c in self.region.capabilities if self.region else []:
            if c.id == cap:
                return c.name_zh if self.zh else c.name_en
        return cap

    def item(self, item: str | None) -> str:
        """A supply item's name from the region's vocabulary."""
        if not item:
            return ""
        for c in self.region.items if self.region else []:
            if c.id == item:
                return c.name_zh if self.zh else c.name_en
        return item


def story_time(start: str | None, t: float, lang: Lang) -> str:
    """Drill minute ``t`` as story time: ``2026年8月29日 00:11`` / ``29 Aug 2026 00:11``.

    Without a story start (a log that lacks it), the drill minute itself (``第12.3分钟``)."""
    try:
        base = dt.datetime.fromisoformat(str(start))
    except (TypeError, ValueError):
        return f"第{t:.1f}分钟" if lang == "zh" else f"minute {t:.1f}"
    at = base + dt.timedelta(minutes=t)
    if lang == "zh":
        return f"{at.year}年{at.month}月{at.day}日 {at:%H:%M}"
    return f"{at.day} {at:%b %Y %H:%M}"


def story_date(start: str | None, lang: Lang) -> str:
    """The story start's date: ``2026年8月29日`` / ``29 Aug 2026``."""
    return story_time(start, 0.0, lang).rsplit(" ", 1)[0]
