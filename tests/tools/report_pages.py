"""Pictures of the demo drill's after-action report for ``docs/reports.md``: the Chinese Word
report rendered by LibreOffice and the English HTML report printed by Chromium, page 1 (the
overview) and the first page of the improvement plan of each, into ``docs/images/``.

Run: ``.venv/bin/python tests/tools/report_pages.py`` (needs ``soffice`` and ``pdftoppm`` /
``pdftotext`` from poppler, and the Chromium the console's browser tests use). It plays the demo
(``blinddrill demo``, seed 4) in a scratch folder. Not a test (pytest does not collect it).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "images"
sys.path.insert(0, str(ROOT / "tests" / "console"))

#: a page's text that marks the improvement plan's first page, per language
PLAN = {"zh": "改进计划", "en": "Improvement plan"}
DPI = 80


def _run(*cmd: str) -> None:
    subprocess.run(cmd, check=True, capture_output=True)


def _pages(pdf: Path) -> list[str]:
    """The text of each page of ``pdf``."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    return text.split("\f")


def _plan_page(pdf: Path, lang: str) -> int:
    """1-based number of the page with the improvement plan's section heading (a numbered
    line that is only "十、改进计划" / "10. Improvement plan"; the report's title names the
    plan too)."""
    for i, text in enumerate(_pages(pdf), start=1):
        for line in text.splitlines():
            number, _, title = line.strip().partition("、" if lang == "zh" else ". ")
            if title == PLAN[lang] and number:
                return i
    raise SystemExit(f"{pdf}: no page with the heading '{PLAN[lang]}'")


def _png(pdf: Path, page: int, out: Path) -> None:
    from PIL import Image

    stem = out.with_suffix("")
    _run("pdftoppm", "-png", "-r", str(DPI), "-f", str(page), "-l", str(page),
         "-singlefile", str(pdf), str(stem))
    im = Image.open(out)
    im.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(out)
    print(f"{out.relative_to(ROOT)}: page {page}")


def _html_pdf(html: Path, pdf: Path) -> None:
    from browser import launch
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = launch(pw)
        page = browser.new_page()  # type: ignore[attr-defined]
        page.goto(html.as_uri())
        page.pdf(path=str(pdf), format="A4", print_background=True)
        browser.close()  # type: ignore[attr-defined]


def main() -> None:
    """Play the demo, render both reports and write the four pictures."""
    blinddrill = str(Path(sys.executable).with_name("blinddrill"))
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        _run(blinddrill, "demo", "-o", str(tmp / "demo"), "--json")
        run = tmp / "demo" / "run"
        _run(blinddrill, "report", str(run), "--lang", "zh", "-o", str(tmp / "aar.docx"))
        _run(blinddrill, "report", str(run), "--lang", "en", "-o", str(tmp / "aar.html"))
        _run("soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp),
             str(tmp / "aar.docx"))
        _html_pdf(tmp / "aar.html", tmp / "aar-html.pdf")
        for pdf, lang, name in [(tmp / "aar.pdf", "zh", "aar-zh-docx"),
                                (tmp / "aar-html.pdf", "en", "aar-en-html")]:
            _png(pdf, 1, OUT / f"{name}-1.png")
            _png(pdf, _plan_page(pdf, lang), OUT / f"{name}-plan.png")


if __name__ == "__main__":
    main()
