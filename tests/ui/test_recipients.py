"""An inject's recipient is free text in the scenario's language; pages in the other language
name it in theirs (``ui.charts.names.Names.recipient``): the county's and a township's duty
desk, a command post, and every recipient the generator writes, in both directions."""

from __future__ import annotations

import re

from scenarios.catalogue import load_catalogue
from scenarios.generator import generate
from scenarios.plan import load_plan
from scenarios.recipients import COUNTY_DESK, TOWNSHIP_DESK
from scenarios.seed_city import default_region
from ui.charts.names import Names, place_en

CJK = re.compile(r"[\u3400-\u9fff]")


def test_known_recipients_in_both_languages() -> None:
    region = default_region()
    zh, en = Names(region, "zh"), Names(region, "en")
    town = next(j for j in region.jurisdictions if j.level == "township")
    post = region.command_posts[0]
    assert en.recipient(COUNTY_DESK["zh"]) == COUNTY_DESK["en"]
    assert zh.recipient(COUNTY_DESK["en"]) == COUNTY_DESK["zh"]
    assert zh.recipient("County emergency management duty desk") == COUNTY_DESK["zh"]  # older
    assert en.recipient(town.name + TOWNSHIP_DESK["zh"]) == f"{place_en(town.name)} duty desk"
    assert zh.recipient(town.name + TOWNSHIP_DESK["en"]) == f"{town.name}值班室"
    assert en.recipient(post.name) == en.post(post.id) and not CJK.search(en.post(post.id))
    assert zh.recipient(post.name) == post.name
    assert en.recipient(town.name) == place_en(town.name)
    assert en.recipient("张三") == "Zhang San"  # other text: romanised in English, kept in zh
    assert zh.recipient("张三") == "张三" and en.recipient("Radio room") == "Radio room"
    assert en.recipient("") == "" and Names(None, "en").recipient(COUNTY_DESK["zh"]) == \
        COUNTY_DESK["en"]


def test_every_generated_recipient_reads_in_english() -> None:
    """Every recipient a generated Chinese scenario holds (incidents, repeat calls,
    complications) is named in English without a Chinese character left."""
    region = default_region()
    sc = generate(region, load_catalogue(), load_plan(None), 5)
    got = {i.delivery.recipient for i in sc.injects}
    assert len(got) >= 3 and COUNTY_DESK["zh"] in got
    en = Names(region, "en")
    for r in got:
        assert not CJK.search(en.recipient(r)), r


def test_the_english_report_says_whom_an_inject_went_to() -> None:
    """An inject line of the English report's timeline names its recipient in English (it
    said only "message in Chinese"); the Chinese line keeps the scenario's words."""
    from ui.reports.events import describe

    region = default_region()
    post = region.command_posts[0]
    rec = {"kind": "inject_released", "inject": "J003", "t": 1.0,
           "data": {"inject_kind": "complication", "method": "phone", "sender": "导调组",
                    "recipient": post.name, "message": "【路况】道路中断。"}}
    en = describe(rec, Names(region, "en"))
    assert en == (f"Inject J003 (contingency, phone) to the {Names(region, 'en').post(post.id)}: "
                  "message in Chinese (see the MSEL)")
    county = {**rec, "data": {**rec["data"], "inject_kind": "incident",
                              "recipient": COUNTY_DESK["zh"], "message": "Help!"}}
    assert describe(county, Names(region, "en")) == \
        "Inject J003 (alarm call, phone) to the County duty desk: Help!"
    assert post.name in describe(rec, Names(region, "zh"))
