"""What the commands print and write reads as text for people: no code identifiers in Chinese
lines, report fields by name, English unit names after the unit's own name, the same Word
file for the same drill."""

from __future__ import annotations

import re
import time
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from evaluators import score_run
from scenarios.seed_city import default_region
from scenarios.templates import load_templates
from ui.charts.names import Names
from ui.cli import cli
from ui.commands.score import render_text, value_text

ROOT = Path(__file__).resolve().parents[2]
#: Latin words a Chinese line may hold: the HSEEP scheme's name, incident ids' prefix and grades
ALLOWED = {"HSEEP", "INC", "II", "III", "IV"}


def latin_words(text: str) -> set[str]:
    """Runs of two or more Latin letters or underscores (what a code identifier looks like)."""
    return set(re.findall(r"[A-Za-z_]{2,}", text))


def test_score_text_in_chinese_has_no_identifiers(card: Any) -> None:
    text = render_text(card, "zh")
    assert latin_words(text) <= ALLOWED, latin_words(text) - ALLOWED
    assert "分钟" in text and " min" not in text
    # the English text keeps the ids a user may pass to --rules or look up in --json
    assert "[take_alarm]" in render_text(card, "en")


def test_findings_name_missing_report_fields(card: Any) -> None:
    names = load_templates().field_names
    lists = [f for f in card.findings.improvements
             if any("missing" in d for d in f.details)]
    assert lists, "the sample's reports lack fields"
    for f in lists:
        for d in f.details:
            for fid in d.get("missing", [])[:6]:
                if d["incident"] in f.text_zh:
                    assert names[fid][0] in f.text_zh and names[fid][1] in f.text_en
        assert not latin_words(f.text_zh) - ALLOWED
        if len(f.details) > 1:  # cases set apart, a case's fields joined by 、
            assert "；" in f.text_zh and "; " in f.text_en


def test_baseline_values_read_as_names(card: Any) -> None:
    cid = next(iter(card.clocks))
    name, value = value_text(card, f"clock.{cid}.compliance", 0.777778, zh=True)
    assert name.startswith(card.clocks[cid].name_zh) and value == "78%"
    assert value_text(card, f"clock.{cid}.p50", 12.34, zh=True)[1] == "12.3 分钟"
    ratio = next(k for k, m in card.metrics.items() if m.unit == "ratio")
    assert value_text(card, ratio, 0.976, zh=True) == (card.metrics[ratio].name_zh, "98%")


def test_scoring_without_the_region_says_so(run_dir: Path, tmp_path: Path) -> None:
    bare = tmp_path / "run"
    bare.mkdir()
    (bare / "events.jsonl").write_bytes((run_dir / "events.jsonl").read_bytes())
    text = render_text(score_run(bare), "zh")
    assert "没有区域文件" in text
    assert "没有区域文件" not in render_text(score_run(run_dir), "zh")


def test_simulate_summary_names_categories(tmp_path: Path) -> None:
    runner = CliRunner()
    sealed = tmp_path / "sealed.json"
    res = runner.invoke(cli, ["generate", "--seed", "5", "-o", str(sealed)])
    assert res.exit_code == 0, res.output
    res = runner.invoke(cli, ["simulate", str(sealed), "--seed", "1", "-o", str(tmp_path / "r")])
    assert res.exit_code == 0, res.output
    rows = [ln for ln in res.output.splitlines() if re.match(r"\s+I\d+", ln)]
    assert rows
    for ln in rows:
        assert not latin_words(ln) - ALLOWED, ln


def test_english_unit_names_follow_the_chinese_name() -> None:
    region = default_region()
    en = Names(region, "en")
    by_name = {u.name: u for u in region.units}
    # a county's station based in one of its townships is the county's, numbered as in Chinese
    station = next(u for n, u in by_name.items() if n.endswith("县消防救援站2"))
    county = next(j for j in region.jurisdictions if station.name.startswith(j.name))
    assert en.unit(station.id) == f"{en.place(county.id)} fire and rescue station 2"
    # a team named after itself keeps its own name
    volunteers = next(u for n, u in by_name.items() if n.endswith("应急志愿救援队"))
    assert en.unit(volunteers.id).endswith("volunteer emergency rescue team")
    assert en.place(volunteers.jurisdiction) not in en.unit(volunteers.id) or \
        Counter(u.name for u in region.units)[volunteers.name] > 1
    # every unit of the seed city has a name of its own in English
    names = Counter(en.unit(u.id) for u in region.units)
    assert [k for k, v in names.items() if v > 1] == []


@pytest.mark.parametrize("suffix", [".docx", ".html"])
def test_the_same_report_twice_is_the_same_file(run_dir: Path, tmp_path: Path,
                                                 suffix: str, monkeypatch: Any) -> None:
    runner = CliRunner()
    first, second = tmp_path / f"a{suffix}", tmp_path / f"b{suffix}"
    assert runner.invoke(cli, ["report", str(run_dir), "-o", str(first)]).exit_code == 0
    later = time.time() + 3600  # an hour on: python-docx would stamp its parts with that time
    monkeypatch.setattr(time, "time", lambda: later)
    monkeypatch.setattr(time, "localtime", lambda *a: time.gmtime(later))
    assert runner.invoke(cli, ["report", str(run_dir), "-o", str(second)]).exit_code == 0
    assert first.read_bytes() == second.read_bytes()
    if suffix == ".docx":
        with zipfile.ZipFile(first) as z:
            assert z.testzip() is None and "word/document.xml" in z.namelist()
