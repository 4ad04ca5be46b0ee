"""A switch of language in a real headless browser keeps every choice on screen and in the
server alike: the director picks an inject, switches to English and releases what the screen
shows; an umpire picks an incident and a team, switches and records for them.

Streamlit sends a selectbox's or radio's choice to the browser as its label; the labels follow
the language, and without :func:`ui.console.state.keep_choice` the browser went on showing the
old label while the server fell back to the first option (J001 was released with J002 on
screen)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from browser import CHROMIUM, TIMEOUT, Server, choose, live, login, new_page, start_demo, tap
from consolehelp import PASSWORDS

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian chromium (make browser-deps)"),
]


def _english(page: Any, heading: str) -> None:
    page.get_by_text("English", exact=True).click()
    page.get_by_text(heading).first.wait_for()


def test_switching_language_keeps_the_inject_and_the_incident_chosen(
        browser: Any, server: Server) -> None:
    from playwright.sync_api import expect

    from live.service import LiveService
    from ui.charts.names import Names

    svc = LiveService(server.db, create=False)
    boss = svc.login("director", PASSWORDS["director"])
    d = new_page(browser, 768)
    start_demo(d, server.url, PASSWORDS["director"])
    choose(d, "act_inject", re.compile(r"^J002 · "))
    _english(d, "Inject board")
    # the same inject, now labelled in English, and the release acts on it
    expect(live(d, "act_inject").locator("input")).to_have_value(
        re.compile(r"^J002 · \d+ min \d+ s · "), timeout=TIMEOUT)
    tap(d, "act_release")
    d.get_by_text("Released: J002").first.wait_for()
    tap(d, "act_release")  # the first pending inject now: J001
    d.get_by_text("Released: J001").first.wait_for()
    released = [r["inject"] for r in svc.log(boss, "DEMO") if r["kind"] == "inject_released"]
    assert released == ["J002", "J001"]
    incidents = {r["inject"]: r["incident"] for r in svc.log(boss, "DEMO")
                 if r["kind"] == "inject_released"}

    e = new_page(browser, 768)
    login(e, server.url, "umpire1", PASSWORDS["umpire1"], "本人已记录 0 条")
    second = incidents["J002"]
    assert second != min(incidents.values())  # not the first option of the incident picker
    live(e, "ev_inc").locator("label").filter(has_text=re.compile(f"^{second} ")).click()
    live(e, f"ev_unit_{second}").wait_for()
    region = svc.region("DEMO")
    team = region.units[0].id
    choose(e, f"ev_unit_{second}", Names(region, "zh").unit(team))
    _english(e, "0 recorded by me")
    expect(live(e, f"ev_unit_{second}").locator("input")).to_have_value(
        Names(region, "en").unit(team), timeout=TIMEOUT)
    e.locator(".st-key-tap_unit_arrived button:not([disabled])").first.click()
    e.get_by_text("1 recorded by me").first.wait_for()
    mine = [(r["kind"], r["incident"], r["unit"]) for r in svc.log(boss, "DEMO")
            if r["source"] == "umpire"]
    assert mine == [("unit_arrived", second, team)]
