"""A whole drill played in a real headless browser (Debian chromium via Playwright's
executable_path) against ``blinddrill console`` on the demo store: the director logs in,
unlocks, starts and releases injects; two evaluators in two browser contexts record what the
teams do on two incidents to the end; the director ends the drill and adds a trainer account;
the trainer opens the review and downloads the HTML and Word AAR, which are checked as files.

The director releases the injects early (a director may release any pending inject), so the
play needs no clock hooks and takes no drill time."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from browser import (
    CHROMIUM,
    TIMEOUT,
    Server,
    expand,
    login,
    new_page,
    start_demo,
    tap,
    tap_until_confirmed,
)
from browser import choose as _choose
from browser import live as _live
from consolehelp import PASSWORDS

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian chromium (make browser-deps)"),
]
TITLE = "全市综合应急盲演(演示)"
#: what each umpire records, in order (widget key of the tap; None: the first report)
ACTIONS = ("tap_alarm_taken", "tap_unit_arrived", None, "tap_incident_controlled")


def _release(d: Any, inject: str) -> None:
    """Release the first pending inject, which must be ``inject``."""
    from playwright.sync_api import expect

    expect(_live(d, "act_inject").locator("input")).to_have_value(
        re.compile(f"^{inject} "), timeout=TIMEOUT)
    tap(d, "act_release")
    d.get_by_text(f"已发布:{inject}").first.wait_for()


def _umpire_plays(e: Any, incident: str) -> None:
    """Pick the incident and a team, then record the actions of :data:`ACTIONS`."""
    _live(e, "ev_inc").locator("label").filter(has_text=re.compile(f"^{incident} ")).click()
    _live(e, f"ev_unit_{incident}").wait_for()
    e.get_by_role("combobox", name="队伍").click()
    e.get_by_role("option").nth(1).click()  # the first team (0 is "no particular team")
    e.locator(".st-key-tap_unit_arrived button:not([disabled])").first.wait_for()
    for n, key in enumerate(ACTIONS, start=1):
        if key is None:
            expand(e, "首报 / 续报 / 终报", ".st-key-rep_first button")  # the reports
            key = "rep_first"
        tap_until_confirmed(e, key, n)


def test_a_director_and_two_umpires_play_the_demo_and_a_trainer_downloads_the_aar(
        browser: Any, server: Server, tmp_path: Path) -> None:
    from docx import Document

    from live.service import LiveService

    d = new_page(browser)
    start_demo(d, server.url, PASSWORDS["director"])
    for inject in ("J001", "J002", "J003"):  # two incidents and a complication
        _release(d, inject)

    umpires = []
    for name in ("umpire1", "umpire2"):
        e = new_page(browser, 768)  # tablet width
        login(e, server.url, name, PASSWORDS[name], "本人已记录 0 条")
        umpires.append(e)
    for e, incident in zip(umpires, ("I01", "I02"), strict=True):
        _umpire_plays(e, incident)

    d.get_by_role("link", name="导演台").click()
    d.get_by_text("确认结束演练").click()
    d.locator(".st-key-end button:not([disabled])").first.click()
    d.get_by_text("已结束").first.wait_for()
    # the director makes the trainer's account on the users page
    d.get_by_role("link", name="人员与审计").click()
    expand(d, "添加人员", ".st-key-nu_name input")
    _live(d, "nu_name").locator("input").fill("trainer2")
    _choose(d, "nu_role", "培训人员")
    _live(d, "nu_pw").locator("input").fill("trainer2-secret-pw")
    d.locator("[data-testid='stFormSubmitButton'] button").click()
    d.get_by_text("已保存: trainer2").wait_for()

    tr = new_page(browser)
    login(tr, server.url, "trainer2", "trainer2-secret-pw", "评估报告(网页)")
    files = {}
    for label, name in (("评估报告(网页)", "aar.html"), ("评估报告(Word)", "aar.docx")):
        with tr.expect_download() as dl:
            tr.get_by_role("button", name=label).click()
        files[name] = tmp_path / name
        dl.value.save_as(files[name])
        assert dl.value.suggested_filename == name

    html = files["aar.html"].read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html") and TITLE in html
    doc = Document(str(files["aar.docx"]))
    words = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        c.text for tb in doc.tables for row in tb.rows for c in row.cells)
    assert len(doc.paragraphs) > 10 and "I01" in words and "I02" in words

    # what the store holds: every tap once, one alarm per incident (at its delivery), ended
    svc = LiveService(server.db, create=False)
    boss = svc.login("director", PASSWORDS["director"])
    recs = svc.log(boss, "DEMO")
    assert svc.status(boss, "DEMO").status == "ended" and svc.verify(boss, "DEMO").ok
    released = {r["inject"]: r["t"] for r in recs if r["kind"] == "inject_released"}
    assert list(released) == ["J001", "J002", "J003"]
    alarms = [(r["incident"], r["t"], r["source"]) for r in recs if r["kind"] == "alarm_raised"]
    assert alarms == [("I01", released["J001"], "system"), ("I02", released["J002"], "system")]
    for name, incident in (("umpire1", "I01"), ("umpire2", "I02")):
        mine = [(r["kind"], r["incident"]) for r in recs if r["source"] == "umpire"
                and r["data"].get("author") == name]
        assert mine == [(k, incident) for k in ("alarm_taken", "unit_arrived",
                                                "report_submitted", "incident_controlled")]
    assert recs[-1]["kind"] == "drill_ended"
    svc.close()
