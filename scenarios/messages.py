"""Inject texts: who calls, their phone number, and what they say (Chinese or English).

Callers are real people of the region when the alarm comes from a disaster information officer
(name and phone from the region file); otherwise a faker ``zh_CN`` instance seeded per scenario
makes up a plausible member of the public, enterprise duty officer or patrol officer — Chinese
in either language: English mode romanises every caller's name (pinyin, given name first, the
region's officers too) and writes mobile numbers as +86.
All wording comes from the hazard catalogue; numbers a caller gives are the truth with noise,
because callers rarely know.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from scenarios.catalogue import Category, HazardCatalogue
from scenarios.plan import Lang
from scenarios.region import HazardSite, InfoOfficer, Jurisdiction, Region
from scenarios.schema import AlarmSource, Caller, Casualties


class _Blank(dict[str, str]):
    """``format_map`` mapping that leaves unknown placeholders empty."""

    def __missing__(self, key: str) -> str:
        return ""


def fill(text: str, **values: Any) -> str:
    """Fill ``{placeholders}`` in a catalogue text; unknown ones become empty."""
    return text.format_map(_Blank({k: str(v) for k, v in values.items()}))


def pick(rng: np.random.Generator, options: list[str]) -> str:
    """One of ``options``, uniformly."""
    return options[int(rng.integers(len(options)))]


class Voices:
    """Makes callers and their words for one scenario (one seeded faker per language)."""

    def __init__(self, catalogue: HazardCatalogue, region: Region, lang: Lang) -> None:
        self.catalogue = catalogue
        self.region = region
        self.lang: Lang = lang
        # callers are Chinese in either language: English mode romanises their names (pinyin)
        from faker import Faker  # ~0.2 s to import: only where voices are made

        self.fake = Faker("zh_CN")
        self._officers: dict[str, list[InfoOfficer]] = {}
        for o in region.info_officers:
            t = region.township_of(o.jurisdiction)
            if t is not None:
                self._officers.setdefault(t, []).append(o)

    def reseed(self, seed: int) -> None:
        """Seed the faker instance for one scenario candidate."""
        self.fake.seed_instance(seed)

    def caller(self, rng: np.random.Generator, category: Category, township: str,
               site: HazardSite | None, other: Caller | None = None
               ) -> tuple[Caller, dict[str, str]]:
        """Draw who raises the alarm; returns the caller and values for the opening words.

        ``other``: the first caller of the incident, for a repeat call: the repeat caller is
        a person (not the monitoring system) and not that same person.
        """
        sources: list[AlarmSource] = [s for s in category.callers
                                      if other is None or s != "system"] or ["public"]
        p = np.array([category.callers.get(s, 1.0) for s in sources])
        source: AlarmSource = sources[int(rng.choice(len(sources), p=p / p.sum()))]
        town = self.region.jurisdiction_by_id[township].name
        org = site.name if site is not None else town
        if source == "info_officer":
            pool = [o for o in self._officers.get(township, [])
                    if other is None or o.id != other.id]
            fit = [o for o in pool if o.role in category.officer_roles] or pool
            if fit:
                o = fit[int(rng.integers(len(fit)))]
                role = getattr(self.catalogue.officer_role_names[o.role], self.lang)
                name, phone = o.name, o.phone
                if self.lang != "zh":  # the region's Chinese name in pinyin, a +86 number
                    name, phone = pinyin_name(name), intl_phone(phone)
                return (Caller(source="info_officer", id=o.id, name=name, phone=phone),
                        {"name": name, "township": town, "surname": o.name[:1], "org": org,
                         "role": role})
            source = "public"
        if source == "system":
            return Caller(source="system", name="", phone=""), {"township": town, "org": org}
        # en: the Chinese name in pinyin, given name first ("Xiulan Deng")
        name = ""
        for _ in range(5):  # a repeat caller is somebody else
            name = str(self.fake.name()) if self.lang == "zh" else str(self.fake.romanized_name())
            if other is None or name != other.name:
                break
        surname = name[:1] if self.lang == "zh" else name.split()[-1]
        phone = str(self.fake.phone_number())  # a mainland mobile number
        if self.lang != "zh":
            phone = intl_phone(phone)
        return (Caller(source=source, name=name, phone=phone),
                {"name": name, "township": town, "surname": surname, "org": org})

    def alarm_message(self, rng: np.random.Generator, category: Category, caller: Caller,
                      who: dict[str, str], place: str, detail: str, truth: Casualties,
                      lead: str = "") -> str:
        """What the caller says: opening, what happened, what they know of people, closing;
        ``lead`` comes after what happened (a repeat caller: "someone may have called")."""
        lang = self.lang
        texts = self.catalogue.callers.get(caller.source) or next(iter(self.catalogue.callers.values()))
        opening = fill(pick(rng, getattr(texts, lang)), **who)
        options = getattr(category.says, lang)
        if not detail:  # a site without a description: the words that do not need one
            options = [o for o in options if "{detail}" not in o] or options
        says = fill(pick(rng, options), place=place, detail=detail)
        if lang != "zh":  # English: what happened is a sentence of its own
            says = says.rstrip(", ") + ". "
        says += lead
        hints = self.catalogue.people_hints
        people = ""
        if truth.trapped > 0:
            people += fill(getattr(hints.trapped, lang), n=_noisy(rng, truth.trapped))
        if truth.injured > 0:
            people += fill(getattr(hints.injured, lang), n=_noisy(rng, truth.injured))
        if truth.dead > 0 and rng.random() < 0.5:
            people += getattr(hints.dead, lang)
        if truth.missing > 0:
            people += fill(getattr(hints.missing, lang), n=_noisy(rng, truth.missing))
        if not people:  # "nobody hurt" only when that is true
            nobody = truth.dead + truth.injured + truth.trapped + truth.missing == 0
            people = getattr(hints.none if nobody else hints.unknown, lang)
        closing = pick(rng, getattr(self.catalogue.closings, lang))
        text = opening + says + people + closing
        return text if lang == "zh" else _sentence_case(text)

    def place_name(self, township: Jurisdiction, site: HazardSite | None,
                   rng: np.random.Generator) -> str:
        """A human address: the site's name, or a made-up street address in the township."""
        county = self.region.jurisdiction_by_id.get(township.parent or "")
        prefix = (county.name if county else "") + township.name
        if site is not None:
            return prefix + site.name if self.lang == "zh" else f"{site.name}, {prefix}"
        street = str(self.fake.street_name())
        number = int(rng.integers(1, 300))
        return f"{prefix}{street}{number}号" if self.lang == "zh" else f"No. {number} {street}, {prefix}"


#: surnames whose reading differs from the character's common one (单 Shan, not Dan)
_SURNAME_READING = {"曾": "zeng", "单": "shan", "仇": "qiu", "解": "xie", "区": "ou",
                    "朴": "piao", "查": "zha", "乐": "yue", "缪": "miao", "翟": "zhai",
                    "盖": "ge", "覃": "qin", "召": "shao", "尉": "yu", "长": "chang"}
_COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "慕容", "令狐", "夏侯",
                      "尉迟", "公孙", "长孙", "宇文", "司徒", "端木")


def pinyin_name(name: str) -> str:
    """A Chinese personal name in pinyin, given name first like faker's romanised names
    (``杨燕`` → ``Yan Yang``, ``欧阳建国`` → ``Jianguo Ouyang``); a name that is not Chinese
    is returned as it is."""
    from pypinyin import lazy_pinyin

    if not name or not all("\u3400" <= ch <= "\u9fff" for ch in name):
        return name
    k = 2 if name.startswith(_COMPOUND_SURNAMES) and len(name) > 2 else 1
    surname = _SURNAME_READING.get(name[0], "") if k == 1 else ""
    surname = surname or "".join(lazy_pinyin(name[:k]))
    given = "".join(lazy_pinyin(name[k:]))
    return f"{given.capitalize()} {surname.capitalize()}" if given else surname.capitalize()


def intl_phone(phone: str) -> str:
    """A mainland mobile number written for an English reader: ``+86 139 0000 0001``; other
    numbers are returned as they are."""
    digits = re.sub(r"\D", "", phone)
    if re.fullmatch(r"1\d{10}", digits):
        return f"+86 {digits[:3]} {digits[3:7]} {digits[7:]}"
    return phone


def _sentence_case(text: str) -> str:
    """Capitalise the first letter of the text and of every sentence (English messages)."""
    text = re.sub(r"([.!?]\s+)([a-z])", lambda m: m.group(1) + m.group(2).upper(), text)
    return text[:1].upper() + text[1:]


def _noisy(rng: np.random.Generator, n: int) -> int:
    """A caller's count: the truth ×(0.5–1.5), at least 1."""
    return max(1, int(round(n * float(rng.uniform(0.5, 1.5)))))
