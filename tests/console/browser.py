"""Helpers for the real-browser tests: start ``blinddrill console``, drive Debian chromium.

The server is the real command (``blinddrill console --db FILE --port N``) on 127.0.0.1 with a
free port; it is ready when ``/_stcore/health`` answers ``ok``. The browser is Debian's
``/usr/bin/chromium`` driven by Playwright for Python through ``executable_path`` (Playwright's
own browser download is never used).
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-dev-shm-usage"]
BLINDDRILL = Path(sys.executable).with_name("blinddrill")


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    """A running console server."""

    proc: subprocess.Popen[bytes]
    url: str
    db: Path
    log: Path

    def kill9(self) -> None:
        """Kill the server process with SIGKILL (no shutdown code runs) and reap it."""
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after 10 s)."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill9()


def start_server(db: Path, log: Path, *extra: str, port: int | None = None,
                 timeout: float = 60.0) -> Server:
    """Start ``blinddrill console`` on ``db`` and wait until its health check answers."""
    port = port or free_port()
    out = log.open("ab")
    proc = subprocess.Popen([str(BLINDDRILL), "console", "--db", str(db), "--port", str(port),
                             *extra], stdout=out, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"console exited with {proc.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url + "_stcore/health", timeout=2) as r:
                if r.read().strip() == b"ok":
                    return Server(proc, url, db, log)
        except OSError:
            pass
        time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"console did not become healthy in {timeout} s:\n{log.read_text()}")


def launch(playwright: object) -> object:
    """Debian chromium through Playwright (never a downloaded browser)."""
    return playwright.chromium.launch(  # type: ignore[attr-defined]
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)


def wait_idle(page: object, timeout: float = 30_000) -> None:
    """Wait until Streamlit has finished the current run (its status widget is gone)."""
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout)


def login(page: object, url: str, name: str, password: str, landing: str) -> None:
    """Open the console and log in; wait for the landing page's text ``landing``."""
    page.goto(url)  # type: ignore[attr-defined]
    page.get_by_label("用户名").fill(name)  # type: ignore[attr-defined]
    page.get_by_label("密码").fill(password)  # type: ignore[attr-defined]
    page.get_by_role("button", name="登录").click()  # type: ignore[attr-defined]
    page.get_by_text(landing).first.wait_for()  # type: ignore[attr-defined]


def start_demo(page: object, url: str, password: str) -> None:
    """As the director: log in, unlock the demo drill, start it, open the inject board."""
    p: Any = page
    login(p, url, "director", password, "承诺值(演练前公布)")
    p.get_by_label("情景口令").fill("demo-passphrase")
    p.get_by_role("button", name="解锁情景").click()
    p.get_by_role("button", name="开始演练").click()
    p.get_by_text("进行中").first.wait_for()
    p.get_by_role("link", name="注入事件").click()
    p.get_by_text("注入事件看板").wait_for()


#: ms for one wait: a loaded 2-core machine (the full suite beside it) is slow
TIMEOUT = 180_000


def new_page(browser: object, width: int = 1366) -> object:
    """A page in a new browser context (its own cookies and session: another user)."""
    ctx = browser.new_context(  # type: ignore[attr-defined]
        viewport={"width": width, "height": 1000}, locale="zh-CN", accept_downloads=True)
    ctx.set_default_timeout(TIMEOUT)
    return ctx.new_page()


def tap(page: object, key: str) -> None:
    """Click the button of widget ``key``. During a rerun Streamlit may show the faded
    (stale) copy of an element beside the new one: the live copy is the one clicked."""
    page.locator(  # type: ignore[attr-defined]
        f".st-key-{key}:not([data-stale='true']) button").first.click()


def wait_count(page: object, n: int) -> None:
    """Wait until the evaluator page says this umpire has ``n`` records."""
    page.get_by_text(f"本人已记录 {n} 条").wait_for()  # type: ignore[attr-defined]


def tap_until_confirmed(page: object, key: str, n: int, tries: int = 3) -> int:
    """Tap ``key`` and wait until the page confirms record ``n``; tap again when it does not
    (Streamlit drops a click that lands on a rerunning page, and an umpire taps again). The
    action id stays the same until a write is confirmed, so a retry never duplicates.
    Returns the number of taps it took."""
    for k in range(1, tries + 1):
        tap(page, key)
        try:
            page.get_by_text(f"本人已记录 {n} 条").wait_for(  # type: ignore[attr-defined]
                timeout=45_000)
            return k
        except Exception:  # noqa: BLE001 - playwright's TimeoutError: tap again
            if k == tries:
                raise
    return tries


def expand(page: object, label: str, inside: str, tries: int = 5) -> None:
    """Open the expander titled ``label`` until ``inside`` (a selector of something in it)
    is visible. A click that lands while the page reruns is dropped (see
    :func:`tap_until_confirmed`), so click again, unless it opened meanwhile."""
    p: Any = page
    content = p.locator(inside).first
    for k in range(1, tries + 1):
        if not content.is_visible():
            p.get_by_text(label).first.click()
        try:
            content.wait_for(timeout=15_000)
            return
        except Exception:  # noqa: BLE001 - playwright's TimeoutError: click again
            if k == tries:
                raise


def live(page: object, key: str) -> Any:
    """The live (not stale) copy of widget ``key``."""
    return page.locator(f".st-key-{key}:not([data-stale='true'])").first  # type: ignore[attr-defined]


def choose(page: object, key: str, option: str | re.Pattern[str], tries: int = 5) -> None:
    """Pick ``option`` (its label, or a pattern of it) in selectbox ``key``. A click that lands
    while the page reruns can open a copy that is replaced a moment later (its list gone):
    open it again, a few times."""
    p: Any = page
    for _ in range(tries):
        live(p, key).locator("input").click()
        opt = p.get_by_role("option", name=option)
        try:
            opt.first.wait_for(timeout=10_000)
            opt.first.click(timeout=10_000)
        except Exception:  # the list closed under the click: the page reran
            p.keyboard.press("Escape")
            continue
        shown = live(p, key).locator("input").input_value()
        if (re.search(option, shown) if isinstance(option, re.Pattern) else shown == option) \
                or (isinstance(option, str) and live(p, key).get_by_text(option).count()):
            return
    raise AssertionError(f"could not choose {option!r} in {key}")
