"""The Word and HTML reports hold the ratings, the improvement plan and only embedded images."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import docx
import pytest

from ui.cli import cli
from ui.errors import run_cli
from ui.reports import write_reports
from ui.reports.content import build_report


@pytest.fixture(scope="module")
def written(run_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_reports(run_dir, tmp_path_factory.mktemp("out"), "zh")


def test_docx_has_ratings_and_plan(written: list[Path], card: Any) -> None:
    d = docx.Document(str(written[1]))
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in d.tables]
    ratings = next(t for t in tables if t[0][:3] == ["能力", "得分", "评级"])
    assert len(ratings) == 1 + len(card.capabilities)
    assert {r[2] for r in ratings[1:]} <= {"P", "S", "M", "U", "—"}
    plan = next(t for t in tables if t[0] == ["能力", "问题", "整改措施", "责任单位", "完成时限"])
    assert len(plan) == 1 + len(card.findings.improvements)
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d", r[4]) for r in plan[1:])
    heads = [p.text for p in d.paragraphs if p.style.name.startswith("Heading")]
    assert any("改进计划" in h for h in heads) and any("附录" in h for h in heads)
    assert len(d.inline_shapes) >= 5


def test_html_self_contained(written: list[Path]) -> None:
    html = written[0].read_text(encoding="utf-8")
    assert not re.search(r"(?:src|href)\s*=\s*['\"](?!data:|#)", html)
    assert "http://" not in html and "https://" not in html and "url(" not in html
    assert html.count("data:image/png;base64,") >= 5


def test_english_report(run_dir: Path) -> None:
    c = build_report(run_dir, "en")
    assert c.overview[0][0] == "Exercise"
    assert c.sealed[0] is None  # no sealed file: degrade gracefully


def test_cli_report_and_bad_input(run_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "aar.html"
    assert run_cli(cli, ["report", str(run_dir), "--lang", "en", "-o", str(out)]) == 0
    assert out.stat().st_size > 10_000
    assert run_cli(cli, ["report", str(tmp_path / "missing"), "-o", str(out)]) == 2
    assert run_cli(cli, ["report", str(run_dir), "-o", str(tmp_path / "a.pdf")]) == 2
