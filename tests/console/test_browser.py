"""The console in a real headless browser (Debian chromium via Playwright's executable_path)
against ``blinddrill console`` on 127.0.0.1: the director starts the demo drill and an
evaluator in a second context records an arrival that the director's scoreboard shows; eight
contexts tapping at once lose and duplicate nothing; a kill -9 of the server loses no
confirmed action and the clock continues; an observation with ``<script>`` and Markdown is
shown as text."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from browser import BLINDDRILL, CHROMIUM, Server, free_port, login, start_demo, start_server
from browser import new_page as _page
from browser import tap as _tap
from browser import tap_until_confirmed as _tap_until_confirmed
from browser import wait_count as _wait_count
from consolehelp import PASSWORDS

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian chromium (make browser-deps)"),
]


def _service(db: Path) -> Any:
    from live.service import LiveService

    return LiveService(db, create=False)


def _start_in_service(db: Path) -> tuple[Any, Any, Any]:
    """Unlock, start and release the first incident through the service (another process
    than the server: only the store is shared)."""
    svc = _service(db)
    boss = svc.login("director", PASSWORDS["director"])
    svc.unlock(boss, "DEMO", "demo-passphrase")
    svc.start(boss, "DEMO")
    first = next(v for v in svc.msel(boss, "DEMO") if v.kind == "incident")
    svc.release(boss, "DEMO", first.id)
    return svc, boss, first


def test_readme_command_opens_the_demo_console(browser: Any, tmp_path: Path) -> None:
    db = tmp_path / "fresh" / "drill.db"
    srv = start_server(db, tmp_path / "demo.log", "--demo")
    try:
        out = srv.log.read_text(encoding="utf-8")
        assert "DEMO" in out and "sha256:" in out and "demo-director" in out
        assert srv.url in out.replace("127.0.0.1:", "127.0.0.1:")
        page = _page(browser)
        login(page, srv.url, "director", "demo-director", "承诺值(演练前公布)")
        page.get_by_text("已封存,待解锁").first.wait_for()
    finally:
        srv.stop()


def test_director_starts_evaluator_records_arrival_director_scoreboard_changes(
        browser: Any, server: Server) -> None:
    d = _page(browser)
    start_demo(d, server.url, "demo-director")
    _tap(d, "act_release")
    d.get_by_text("已发布:").wait_for()
    d.get_by_role("link", name="计分板").click()
    d.get_by_text("计分板(实时)").wait_for()
    board = d.locator("[data-testid='stTable']")
    board.wait_for()
    assert "●" not in board.inner_text()

    e = _page(browser, 768)
    login(e, server.url, "umpire1", "demo-umpire1", "本人已记录 0 条")
    _tap(e, "tap_alarm_taken")
    _wait_count(e, 1)
    # the alarm rang at the release: taken now, it is met (●); the 10 minutes to arrive run (○)
    d.get_by_text("○").first.wait_for()
    d.get_by_text("●").first.wait_for(timeout=30_000)
    assert board.inner_text().count("●") == 1
    e.get_by_role("combobox", name="队伍").click()
    e.get_by_role("option").nth(1).click()  # the first team (0 is "no particular team")
    e.locator(".st-key-tap_unit_arrived button:not([disabled])").first.wait_for()
    _tap(e, "tap_unit_arrived")
    _wait_count(e, 2)
    e.get_by_text("已记录:到场").wait_for()
    # the director did nothing: the scoreboard's fragment refreshes by itself
    d.wait_for_function("() => [...document.querySelectorAll(\"[data-testid='stTable']\")]"
                        ".some(e => (e.innerText.match(/●/g) || []).length >= 2)",
                        timeout=30_000)
    assert "达标" in board.inner_text()
    svc = _service(server.db)
    boss = svc.login("director", PASSWORDS["director"])
    arrived = [r for r in svc.log(boss, "DEMO") if r["kind"] == "unit_arrived"]
    assert len(arrived) == 1 and arrived[0]["data"]["author"] == "umpire1"


def test_eight_contexts_tapping_at_once_lose_and_duplicate_nothing(
        browser: Any, server: Server) -> None:
    svc, boss, first = _start_in_service(server.db)
    names = [f"ump{k}" for k in range(8)]
    for n in names:
        svc.add_user(boss, n, "evaluator", f"pw-{n}-secret")
    pages = []
    for n in names:
        p = _page(browser, 768)
        login(p, server.url, n, f"pw-{n}-secret", "本人已记录 0 条")
        p.locator(".st-key-tap_alarm_taken button").first.wait_for()
        pages.append(p)
    taps = 4
    for k in range(1, taps + 1):
        for p in pages:  # eight taps in flight at once
            _tap(p, "tap_alarm_taken")
        for p in pages:  # a click dropped by a rerunning page is tapped again, as users do
            try:
                p.get_by_text(f"本人已记录 {k} 条").wait_for(timeout=45_000)
            except Exception:  # noqa: BLE001 - playwright's TimeoutError
                _tap_until_confirmed(p, "tap_alarm_taken", k)
    recs = [r for r in svc.log(boss, "DEMO") if r["kind"] == "alarm_taken"]
    assert Counter(r["data"]["author"] for r in recs) == {n: taps for n in names}
    ids = [r["data"]["action_id"] for r in recs]
    assert len(set(ids)) == len(ids) == 8 * taps
    assert svc.verify(boss, "DEMO").ok


def test_kill_9_mid_drill_keeps_every_confirmed_action_and_the_clock(
        browser: Any, server: Server) -> None:
    svc, boss, first = _start_in_service(server.db)
    e = _page(browser, 768)
    login(e, server.url, "umpire1", "demo-umpire1", "本人已记录 0 条")
    for k, key in enumerate(("tap_alarm_taken", "tap_commander_designated",
                             "tap_incident_controlled"), start=1):
        _tap(e, key)
        _wait_count(e, k)  # confirmed on screen: committed before the page said so
    before = svc.status(boss, "DEMO").drill_min
    server.kill9()
    assert server.proc.returncode == -9
    time.sleep(1.0)
    port = int(server.url.rsplit(":", 1)[1].strip("/"))
    again = start_server(server.db, server.log, port=port)
    try:
        login(e, again.url, "umpire1", "demo-umpire1", "本人已记录 3 条")
        mine = [r for r in svc.log(boss, "DEMO") if r["data"].get("author") == "umpire1"]
        assert [r["kind"] for r in mine] == ["alarm_taken", "commander_designated",
                                             "incident_controlled"]
        assert svc.verify(boss, "DEMO").ok
        after = svc.status(boss, "DEMO").drill_min
        assert after > before, "the clock continues from the stored start"
        shown = e.locator("[data-testid='stMetricValue']").first.inner_text()
        m = re.match(r"(\d+) 分 (\d+) 秒", shown)
        assert m and int(m[1]) * 60 + int(m[2]) >= int(before * 60)
    finally:
        again.stop()
        server.proc = again.proc


def test_an_observation_with_script_and_markdown_is_shown_as_text(
        browser: Any, server: Server) -> None:
    _start_in_service(server.db)
    e = _page(browser, 768)
    login(e, server.url, "umpire1", "demo-umpire1", "本人已记录 0 条")
    note = ('<script>window.__xss = 1</script> **粗体** <img src=x '
            'onerror="window.__xss = 2"> [链接](http://example.invalid)')
    e.get_by_label("观察内容").fill(note)
    e.get_by_role("button", name="保存观察记录").click()
    _wait_count(e, 1)
    e.get_by_text("<script>window.__xss = 1</script>", exact=False).first.wait_for()
    assert e.evaluate("() => window.__xss") is None
    assert e.locator("strong", has_text="粗体").count() == 0
    assert e.locator("a[href='http://example.invalid']").count() == 0
    assert e.locator("img[src='x']").count() == 0


def test_console_command_is_the_server_process(tmp_path: Path, demo_template: Path) -> None:
    """``blinddrill console`` replaces itself with the server: the pid is the server's."""
    db = tmp_path / "drill.db"
    shutil.copy(demo_template, db)
    port = free_port()
    log = tmp_path / "c.log"
    srv = start_server(db, log, port=port)
    try:
        cmd = Path(f"/proc/{srv.proc.pid}/cmdline").read_bytes().split(b"\0")
        assert b"streamlit" in cmd and b"run" in cmd
    finally:
        srv.stop()
    assert subprocess.run([str(BLINDDRILL), "console", "--help"], capture_output=True,
                          check=True).returncode == 0
