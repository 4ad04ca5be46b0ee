"""Screenshots of every console page in Chinese and English at tablet (768 px) and laptop
(1366 px) width, into ``docs/screenshots/`` (run: ``.venv/bin/python tests/console/screenshots.py``).

It plays a short demo drill on a scratch store through the service (start, three releases,
a few umpire records, an observation, one inject due for the controller), photographs the
pages in play, runs the simulation lab, ends the drill and photographs the review. Arguments:
``late`` (only the lab and the review) or page ids (only those pages in play, e.g.
``controller evaluator``). The PNGs
are reduced to 256 colours to keep the folder small. Not a test (pytest does not collect it).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from browser import launch, login, start_server  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "screenshots"
WIDTHS = {"tablet": 768, "laptop": 1366}
MAX_HEIGHT = 2600
PW = {"director": "demo-director", "umpire1": "demo-umpire1",
      "controller1": "demo-controller1", "trainer1": "demo-trainer1"}
#: page id → (account, link text zh, a text that shows the page has drawn)
IN_PLAY = {
    "director": ("director", "导演台", "承诺值(演练前公布)"),
    "injects": ("director", "注入事件", "注入事件看板"),
    "scoreboard": ("director", "计分板", "计分板(实时)"),
    "users": ("director", "人员与审计", "审计记录"),
    "controller": ("controller1", "控制员", "分配给我的注入事件"),
    "evaluator": ("umpire1", "评估记录", "本人已记录"),
}


def prepare(db: Path) -> None:
    """A demo drill in play with a little history."""
    from live.service import LiveService
    from ui.console.demo import make_demo

    make_demo(db, rounds=4)
    svc = LiveService(db, create=False)
    boss = svc.login("director", PW["director"])
    svc.unlock(boss, "DEMO", "demo-passphrase")
    svc.start(boss, "DEMO")
    msel = svc.msel(boss, "DEMO")
    incs = [v for v in msel if v.kind == "incident"][:3]
    for v in incs:
        svc.release(boss, "DEMO", v.id)
    ump = svc.login("umpire1", PW["umpire1"])
    region = svc.region("DEMO")
    unit = region.units[0].id
    first = incs[0].incident
    steps: list[tuple[str, dict[str, Any]]] = [  # (each release wrote its alarm_raised)
        ("alarm_taken", {"data": {"level": "township"}}),
        ("unit_dispatched", {"unit": unit, "data": {"level": "township", "eta_min": 8.0}}),
        ("unit_arrived", {"unit": unit}),
        ("report_submitted", {"data": {"stage": "first", "to": "county", "channel": "phone",
                                       "fields": ["time", "place"], "values": {}}}),
    ]
    for k, (kind, kw) in enumerate(steps):
        svc.record(ump, "DEMO", kind, action_id=f"shot-{k:04d}", incident=first, **kw)
    svc.observe(ump, "DEMO", "首报要素齐全,但未报告人员伤亡。", action_id="shot-obs-1",
                capability="information", rating="S", inject=incs[0].id, incident=first)
    pending = [v for v in msel if v.status == "pending" and v.id not in {i.id for i in incs}]
    svc.retime(boss, "DEMO", pending[0].id, 0.0, "演示:提前到期")
    svc.close()


def shoot(page: Any, name: str, width: int, cap: int = MAX_HEIGHT) -> Path:
    """Screenshot the whole page (viewport grown to the content, capped), once no element is
    still a placeholder of a rerun."""
    time.sleep(1.5)
    settled = ("() => !document.querySelector(\"[data-testid='stSkeleton'], "
               "[data-stale='true'], [data-testid='stStatusWidget']\")")
    page.wait_for_function(settled, timeout=60_000)
    height = ("() => Math.max(...[...document.querySelectorAll("
              "'[data-testid=stMain], [data-testid=stAppViewContainer], body')]"
              ".map(e => e.scrollHeight))")
    h = page.evaluate(height)
    for _ in range(10):  # until the page has stopped growing (a rerun may still add content)
        time.sleep(0.7)
        h2 = page.evaluate(height)
        if h2 == h:
            break
        h = h2
    page.set_viewport_size({"width": width, "height": min(int(h) + 40, cap)})
    time.sleep(1.0)
    page.wait_for_function(settled, timeout=60_000)
    path = OUT / f"{name}.png"
    page.screenshot(path=str(path))
    page.set_viewport_size({"width": width, "height": 1000})
    _shrink(path)
    return path


def _shrink(path: Path) -> None:
    from PIL import Image

    with Image.open(path) as im:
        q = im.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
        q.save(path, optimize=True)


def switch_lang(page: Any, lang: str) -> None:
    """The language switch on the page."""
    page.get_by_text("English" if lang == "en" else "中文", exact=True).first.click()
    time.sleep(1.5)


def main(only_late: bool = False, pages: set[str] | None = None) -> None:
    """Make every screenshot (``only_late``: only the lab and the review; ``pages``: only
    these pages in play)."""
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as d:
        db = Path(d) / "drill.db"
        prepare(db)
        srv = start_server(db, Path(d) / "console.log")
        try:
            with sync_playwright() as p:
                b = launch(p)
                unlock_in_server(b, srv.url)
                for tag, width in ({} if only_late else WIDTHS).items():
                    ctx = b.new_context(viewport={"width": width, "height": 1000})
                    ctx.set_default_timeout(60_000)
                    page = ctx.new_page()
                    page.goto(srv.url)
                    page.get_by_label("用户名").wait_for()
                    for lang in () if pages else ("zh", "en"):
                        if lang == "en":
                            switch_lang(page, "en")
                        shoot(page, f"login-{lang}-{tag}", width)
                    switch_lang(page, "zh")
                    for page_id, (who, link, ready) in IN_PLAY.items():
                        if pages and page_id not in pages:
                            continue
                        login(page, srv.url, who, PW[who], "退出登录")
                        if page.get_by_role("link", name=link).count():
                            page.get_by_role("link", name=link).first.click()
                        page.get_by_text(ready).first.wait_for()
                        shoot(page, f"{page_id}-zh-{tag}", width)
                        switch_lang(page, "en")
                        shoot(page, f"{page_id}-en-{tag}", width)
                        switch_lang(page, "zh")
                        page.get_by_role("button", name="退出登录").click()
                        page.get_by_label("用户名").wait_for()
                    ctx.close()
                if not pages:
                    lab_and_review(b, srv.url, db)
                b.close()
        finally:
            srv.stop()
    total = sum(p.stat().st_size for p in OUT.glob("*.png"))
    print(f"{len(list(OUT.glob('*.png')))} screenshots, {total / 1e6:.2f} MB in {OUT}")


def unlock_in_server(b: Any, url: str) -> None:
    """The director unlocks the drill in the running server (its key ring is in memory)."""
    page = b.new_page()
    page.set_default_timeout(60_000)
    login(page, url, "director", PW["director"], "承诺值(演练前公布)")
    page.get_by_label("情景口令").fill("demo-passphrase")
    page.get_by_role("button", name="解锁情景").click()
    page.get_by_text("情景已解锁").wait_for()
    page.context.close()


def lab_and_review(b: Any, url: str, db: Path) -> None:
    """The simulation lab (director, in play), then the review (trainer, after the end)."""
    from live.service import LiveService

    for tag, width in WIDTHS.items():
        page = b.new_context(viewport={"width": width, "height": 1000}).new_page()
        page.set_default_timeout(120_000)
        login(page, url, "director", PW["director"], "承诺值(演练前公布)")
        page.get_by_role("link", name="模拟实验").first.click()
        for lang in ("zh", "en"):
            if lang == "en":
                switch_lang(page, "en")
            page.locator(".st-key-lab_n input").fill("2")
            page.get_by_role("button", name="开始模拟" if lang == "zh" else "Run").click()
            page.get_by_text("1-10-15").last.wait_for()
            shoot(page, f"simlab-{lang}-{tag}", width)
        page.context.close()
    svc = LiveService(db, create=False)
    boss = svc.login("director", PW["director"])
    if svc.status(boss, "DEMO").status != "ended":
        svc.end(boss, "DEMO", "演示结束")
    svc.close()
    for tag, width in WIDTHS.items():
        page = b.new_context(viewport={"width": width, "height": 1000}).new_page()
        page.set_default_timeout(180_000)
        login(page, url, "trainer1", PW["trainer1"], "承诺值核验通过")
        page.get_by_role("button", name="导出的演练记录(压缩包)").wait_for()
        shoot(page, f"review-zh-{tag}", width, cap=5200)
        switch_lang(page, "en")
        page.get_by_role("button", name="Exported run (zip)").wait_for()
        shoot(page, f"review-en-{tag}", width, cap=5200)
        page.context.close()


if __name__ == "__main__":
    args = set(sys.argv[1:])
    main(only_late="late" in args, pages=(args & set(IN_PLAY)) or None)
