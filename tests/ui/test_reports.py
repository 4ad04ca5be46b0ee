"""The after-action reports: AQ/T 9009 / HSEEP sections in both languages and both formats,
plain Chinese (no code identifiers), no Chinese in English, A4 Word pages, live-drill input."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.shared import Cm, Mm

from ui.charts.names import has_cjk
from ui.cli import cli
from ui.errors import run_cli
from ui.reports import write_both, write_reports
from ui.reports.content import build_report, final_hash
from ui.reports.sections import SECTIONS

#: commitment and log hashes are hex, not words
_HASH = re.compile(r"sha256:[0-9a-f]{64}|\b[0-9a-f]{64}\b")
_IDENT = re.compile(r"[a-z_]{3,}")


class _Text(HTMLParser):
    """Body text of an HTML page (no style, no attributes), and its h2 ids in order."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.ids: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script", "title"):
            self._skip += 1
        if tag == "h2":
            self.ids.append(dict(attrs).get("id") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script", "title"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_text(path: Path) -> tuple[str, list[str]]:
    p = _Text()
    p.feed(path.read_text(encoding="utf-8"))
    return "\n".join(p.parts), p.ids


def docx_text(path: Path) -> tuple[str, list[str]]:
    d = docx.Document(str(path))
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            parts += [c.text for c in row.cells]
    heads = [p.text for p in d.paragraphs if p.style.name == "Heading 1"]
    return "\n".join(parts), heads


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The demo drill (seed 4, 1 baseline replication): its run and both reports in zh, en."""
    out = tmp_path_factory.mktemp("demo")
    assert run_cli(cli, ["demo", "--seed", "4", "--replications", "1", "-o", str(out)]) == 0
    zh = build_report(out / "run", "zh", charts=False)  # the files hold the charts
    en = build_report(out / "run", "en")
    return {"run": out / "run", "zh": zh, "en": en,
            "zh_files": [out / "reports" / "aar.html", out / "reports" / "aar.docx"],
            "en_files": write_both(en, out / "en")}


@pytest.fixture(scope="module")
def sample(run_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    """Reports of the hand-made sample (observations and a hotwash, as a live drill has)."""
    base = tmp_path_factory.mktemp("sample")
    return {lang: write_reports(run_dir, base / lang, lang) for lang in ("zh", "en")}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("fmt", [0, 1], ids=["html", "docx"])
def test_every_section_in_order(demo: dict[str, Any], lang: str, fmt: int) -> None:
    path = demo[f"{lang}_files"][fmt]
    if fmt == 0:
        _, ids = html_text(path)
        assert ids == list(SECTIONS)
    else:
        _, heads = docx_text(path)
        want = [zh if lang == "zh" else en for zh, en in SECTIONS.values()]
        assert heads == want


@pytest.mark.parametrize("fmt", [0, 1], ids=["html", "docx"])
def test_no_code_identifiers_in_chinese(demo: dict[str, Any], sample: dict[str, list[Path]],
                                        fmt: int) -> None:
    for path in (demo["zh_files"][fmt], sample["zh"][fmt]):
        text = _HASH.sub("", (html_text if fmt == 0 else docx_text)(path)[0])
        found = sorted(set(_IDENT.findall(text)))
        assert not found, f"{path.name}: code identifiers in the Chinese report: {found[:20]}"
        assert "U-K05" not in text and "seed city" not in text and "T00:11" not in text
        assert "2026年8月29日 00:11" in text or path.parent.name == "zh"


@pytest.mark.parametrize("fmt", [0, 1], ids=["html", "docx"])
def test_no_chinese_in_english(demo: dict[str, Any], sample: dict[str, list[Path]],
                               fmt: int) -> None:
    for path in (demo["en_files"][fmt], sample["en"][fmt]):
        lines = [ln for ln in (html_text if fmt == 0 else docx_text)(path)[0].splitlines()
                 if has_cjk(ln)]
        assert not lines, f"{path.name}: Chinese in the English report: {lines[:5]}"


def test_story_time_and_names(demo: dict[str, Any]) -> None:
    text, _ = html_text(demo["zh_files"][0])
    assert "2026年8月29日 00:11" in text
    assert "出动到场" in text and "应急响应" not in text
    assert "力量到齐用时" in text and "到场同步性" not in text
    en, _ = html_text(demo["en_files"][0])
    assert "29 Aug 2026 00:11" in en
    assert "III (major)" not in en


def test_docx_is_a4_with_charts_that_fit_a_page(demo: dict[str, Any]) -> None:
    """Charts at the text width, each on one page with room for its caption: the demo's first
    timeline (four incidents, 21 units) was 37 cm tall and Word cut its last panel off."""
    from ui.reports.document import FIGURE_HEIGHT_CM

    for path in (demo["zh_files"][1], demo["en_files"][1]):
        d = docx.Document(str(path))
        for sec in d.sections:
            assert abs(sec.page_width - Mm(210)) < Mm(0.5)
            assert abs(sec.page_height - Mm(297)) < Mm(0.5)
            usable = sec.page_width - sec.left_margin - sec.right_margin
            usable_h = sec.page_height - sec.top_margin - sec.bottom_margin
        assert len(d.inline_shapes) >= 6
        for s in d.inline_shapes:
            assert s.width <= usable and s.height <= Cm(FIGURE_HEIGHT_CM) + Cm(0.05) < usable_h
            # at the text width, or shrunk exactly to the page's height
            assert abs(s.width - Cm(17)) < Cm(0.05) or \
                abs(s.height - Cm(FIGURE_HEIGHT_CM)) < Cm(0.05), (path, s.width, s.height)


def test_a_figure_taller_than_a_page_is_shrunk_to_it() -> None:
    import struct
    import zlib

    from ui.reports.document import FIGURE_HEIGHT_CM, Figure, page_width_cm

    def png(w: int, h: int) -> bytes:
        ihdr = struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)
        return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + ihdr + \
            struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))

    assert page_width_cm(Figure("a", "", png(871, 650))) == 17.0  # 12.7 cm tall: as is
    tall = page_width_cm(Figure("b", "", png(871, 1898)))  # 37 cm at 17 cm wide
    assert tall < 17.0 and abs(tall * 1898 / 871 - FIGURE_HEIGHT_CM) < 0.01
    assert page_width_cm(Figure("c", "", b"not a png")) == 17.0


def test_docx_charts_keep_their_captions_on_their_page(demo: dict[str, Any]) -> None:
    """A chart pushed to the next page takes its caption along (it was left alone at the top
    of the page after its chart in the demo AAR)."""
    for path in (demo["zh_files"][1], demo["en_files"][1]):
        paras = docx.Document(str(path)).paragraphs
        with_chart = [k for k, p in enumerate(paras) if p._p.xpath(".//w:drawing")]
        assert len(with_chart) >= 6
        for k in with_chart:
            assert paras[k].paragraph_format.keep_with_next is True
            assert paras[k + 1].text and not paras[k + 1]._p.xpath(".//w:drawing")


def test_plan_is_a_real_word_table(demo: dict[str, Any]) -> None:
    d = docx.Document(str(demo["zh_files"][1]))
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in d.tables]
    plan = next(t for t in tables if t[0][:4] == ["序号", "能力", "问题(对应发现)", "整改措施"])
    assert len(plan) == 1 + len(demo["zh"].plan) > 3
    assert all(re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", r[6]) for r in plan[1:])
    assert len({r[3] for r in plan[1:]}) > 3  # actions differ by cause
    assert not any(r[4] == "县(区)应急管理局" for r in plan[1:])  # owners from the evidence


def test_docx_tables_print_well(demo: dict[str, Any]) -> None:
    """Every Word table repeats its header row on each page it runs onto and has inner cell
    margins; the plan's columns span the text width (17 cm) and give its short cells room
    (they broke into "序/号", "优先/级" and a due date over two lines)."""
    from docx.oxml.ns import qn

    from ui.reports.annex import PLAN_WIDTHS_CM
    from ui.reports.docx import CELL_MARGINS

    for path in (demo["zh_files"][1], demo["en_files"][1]):
        tables = docx.Document(str(path)).tables
        assert len(tables) >= 5
        for t in tables:
            head = t.rows[0]._tr.trPr
            assert head is not None and head.find(qn("w:tblHeader")).get(qn("w:val")) == "true"
            assert all(t.rows[k]._tr.trPr is None or t.rows[k]._tr.trPr.find(qn("w:tblHeader"))
                       is None for k in range(1, len(t.rows)))
            mar = t._tbl.tblPr.find(qn("w:tblCellMar"))
            assert {el.tag.split("}")[1]: int(el.get(qn("w:w"))) for el in mar} == CELL_MARGINS
    assert sum(PLAN_WIDTHS_CM) == pytest.approx(17.0)
    no, prio, due = PLAN_WIDTHS_CM[0], PLAN_WIDTHS_CM[5], PLAN_WIDTHS_CM[6]
    pt_cm = 2.54 / 72  # 9 pt text, plus the cell's left and right margins (twips)
    pad = (CELL_MARGINS["left"] + CELL_MARGINS["right"]) / 20 * pt_cm
    assert no >= 2 * 9 * pt_cm + pad and prio >= 3 * 9 * pt_cm + pad
    # "2026年10月28日": 3 CJK characters, 8 digits, and the spaces LibreOffice puts between them
    assert due >= (3 + 8 * 0.5 + 6 * 0.25) * 9 * pt_cm + pad


def test_timeline_appendix_has_injects_and_commanders(demo: dict[str, Any]) -> None:
    d = docx.Document(str(demo["zh_files"][1]))
    tab = next(t for t in d.tables if [c.text for c in t.rows[0].cells][2:3] == ["情景注入(导调)"])
    rows = [[c.text for c in r.cells] for r in tab.rows[1:]]
    injects = [r for r in rows if r[2]]
    n_inj = sum(r["kind"] in ("inject_released", "complication_applied")
                for r in demo["zh"].records)
    assert len(injects) == n_inj > 0
    assert any("现场指挥员" in r[3] for r in rows)
    assert all(not (r[2] and r[3]) for r in rows)  # side by side: one column per row


def test_a_thin_baseline_is_called_a_rough_guide(demo: dict[str, Any]) -> None:
    """The demo here has 1 replication: beside its percentiles the report says they rest on
    few runs (below evaluators.baseline.FEW_REPLICATIONS), in both languages."""
    from evaluators.baseline import FEW_REPLICATIONS

    assert demo["zh"].baseline.replications == 1 < FEW_REPLICATIONS
    zh, _ = html_text(demo["zh_files"][0])
    en, _ = html_text(demo["en_files"][0])
    assert "与同一情景的1次模拟演练相比" in zh and "模拟次数较少(仅1次),以上百分位仅作粗略参考。" in zh
    assert "Against 1 simulated run of the same scenario" in en
    assert "Only 1 simulated run: these percentiles are a rough guide." in en


def test_html_self_contained(demo: dict[str, Any]) -> None:
    html = demo["zh_files"][0].read_text(encoding="utf-8")
    assert not re.search(r"(?:src|href)\s*=\s*['\"](?!data:|#)", html)
    assert "http://" not in html and "https://" not in html and "url(" not in html
    assert html.count("data:image/png;base64,") >= 6


def test_charts_drawn_once_and_shared(demo: dict[str, Any]) -> None:
    c = demo["en"]
    html = demo["en_files"][0].read_text(encoding="utf-8")
    d = docx.Document(str(demo["en_files"][1]))
    assert html.count("data:image/png;base64,") == len(c.figures) == len(d.inline_shapes)


def test_observations_and_hotwash_in_report(sample: dict[str, list[Path]]) -> None:
    zh, _ = html_text(sample["zh"][0])
    # the evaluators' ratings beside the computed one, with author and time
    assert "评估员李明于" in zh and "评级S(有一定挑战完成)" in zh
    hot = docx.Document(str(sample["zh"][1]))
    tab = next(t for t in hot.tables if [c.text for c in t.rows[0].cells][:2] == ["类别", "内容"])
    sections = [r.cells[0].text for r in tab.rows[1:]]
    assert sections == ["优势", "不足", "改进措施"]
    assert "统一应急通信频道并组织专项培训" in [r.cells[1].text for r in tab.rows[1:]]
    en, _ = html_text(sample["en"][0])
    assert "Strengths" in en and "Weaknesses" in en and "Actions" in en


def test_log_hash_shown_when_chained(run_dir: Path, tmp_path: Path) -> None:
    from sample import sample_log

    c = build_report(run_dir, "zh", charts=False)
    sealed = sample_log().final_hash  # the sample is written by the engine's EventLog
    assert c.log_hash == sealed and sealed.startswith("sha256:")
    assert sealed in html_text(write_reports(run_dir, tmp_path / "a")[0])[0]
    old = tmp_path / "unchained"  # a blinddrill.events/1 log: no prev, no hash
    shutil.copytree(run_dir, old)
    lines = (old / "events.jsonl").read_text(encoding="utf-8").splitlines()
    recs = [json.loads(x) for x in lines]
    for r in recs:
        r.pop("prev", None)
    (old / "events.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n"
                                              for r in recs), encoding="utf-8")
    assert final_hash(recs) is None
    text = html_text(write_reports(old, tmp_path / "b")[0])[0]
    assert "无(本日志未启用哈希链)" in text


def test_cli_report_and_bad_input(run_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "aar.html"
    assert run_cli(cli, ["report", str(run_dir), "--lang", "en", "-o", str(out)]) == 0
    assert out.stat().st_size > 10_000
    assert run_cli(cli, ["report", str(tmp_path / "missing"), "-o", str(out)]) == 2
    assert run_cli(cli, ["report", str(run_dir), "-o", str(tmp_path / "a.pdf")]) == 2


def test_cli_bad_action_table_is_a_clear_error(run_dir: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "actions.yaml"
    from evaluators.improvement import DEFAULT_ACTIONS

    bad.write_text(DEFAULT_ACTIONS.read_text(encoding="utf-8").replace(
        "    owner: desk\n", "    owner: desk\n    ownr: typo\n", 1), encoding="utf-8")
    out = tmp_path / "aar.docx"
    assert run_cli(cli, ["report", str(run_dir), "--actions", str(bad), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "actions.yaml" in err and "ownr" in err
    assert not out.exists()  # nothing half-written


def test_timelines_are_grouped_to_fit_a_page(demo: dict[str, Any]) -> None:
    """Up to four incidents a figure, as many as fit one page, in log order, none left out."""
    from engine.eventlog import read_records
    from ui.charts.logview import view_log
    from ui.charts.timeline import MAX_HEIGHT_IN, panel_height, timeline_chart, timeline_pages

    view = view_log(read_records(demo["run"] / "events.jsonl"))
    pages = timeline_pages(view)
    assert [i for p in pages for i in p] == [t.incident for t in view.incidents]
    assert all(1 <= len(p) <= 4 for p in pages) and len(pages) > (len(view.incidents) + 3) // 4
    height = {t.incident: panel_height(t) for t in view.incidents}
    for p in pages:
        if len(p) > 1:
            fig = timeline_chart(view, incidents=p)
            assert fig.get_size_inches()[1] <= MAX_HEIGHT_IN
    # greedy: a page's next incident would not have fitted on it
    for p, q in zip(pages, pages[1:], strict=False):
        assert len(p) == 4 or sum(height[i] for i in p + q[:1]) + 1.5 > MAX_HEIGHT_IN


def test_the_overview_opens_with_the_map(demo: dict[str, Any]) -> None:
    """Section 1 is the map, then the overview table: after the table the map did not fit
    under it and half of page 1 was left blank (the table flows on with its header row)."""
    from docx.oxml.ns import qn

    for path in (demo["zh_files"][1], demo["en_files"][1]):
        body = list(docx.Document(str(path)).element.body)
        first_table = next(k for k, el in enumerate(body) if el.tag == qn("w:tbl"))
        first_chart = next(k for k, el in enumerate(body) if el.xpath(".//w:drawing"))
        heading = next(k for k, el in enumerate(body) if el.tag == qn("w:p") and
                       "Heading1" in "".join(el.xpath(".//w:pStyle/@w:val")))
        assert heading < first_chart < first_table, (path, heading, first_chart, first_table)
