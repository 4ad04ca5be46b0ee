"""Bad catalogue and plan files give clear errors naming the file and field (exit 2 in the CLI)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from scenarios.catalogue import DEFAULT_CATALOGUE, load_catalogue
from scenarios.loading import InputError
from scenarios.plan import DEFAULT_PLAN, load_plan
from ui.cli import cli


def _edited(tmp_path: Path, src: Path, edit: object) -> Path:
    data = yaml.safe_load(src.read_text(encoding="utf-8"))
    edit(data)  # type: ignore[operator]
    out = tmp_path / src.name
    out.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return out


@pytest.mark.parametrize("edit, expected", [
    (lambda d: d["categories"][0].update(template="nope"), "categories[0].template: unknown report template 'nope'"),
    (lambda d: d["categories"][1]["grade_p"].update(IV=0.5), "forest_fire: grade_p: probabilities sum to"),
    (lambda d: d["categories"][3]["cascades"][0].update(category="meteor"), "categories[3].cascades[0].category: unknown category 'meteor'"),
    (lambda d: d["categories"][0].update(colour="red"), "categories[0].colour: unknown key"),
    (lambda d: d["categories"][0]["months"].pop(), "categories[0].months: List should have at least 12 items"),
    (lambda d: d["categories"][0]["says"]["zh"].append("{who} 说"), "unknown placeholder(s) ['who']"),
])
def test_bad_catalogue(tmp_path: Path, edit: object, expected: str) -> None:
    path = _edited(tmp_path, DEFAULT_CATALOGUE, edit)
    with pytest.raises(InputError) as err:
        load_catalogue(path)
    assert str(path) in str(err.value) and expected in str(err.value), str(err.value)


@pytest.mark.parametrize("edit, expected", [
    (lambda d: d.update(windw={}), "windw: unknown key"),
    (lambda d: d["window"].update(end="2026-01-01T00:00:00"), "window.end: must be after window.start"),
    (lambda d: d["incidents"].update(count=3), "give exactly one of rate_per_hour or count"),
    (lambda d: d["difficulty"]["hard"].update(band=[0.9, 0.1]), "band: low is above high"),
])
def test_bad_plan(tmp_path: Path, edit: object, expected: str) -> None:
    path = _edited(tmp_path, DEFAULT_PLAN, edit)
    with pytest.raises(InputError) as err:
        load_plan(path)
    assert str(path) in str(err.value) and expected in str(err.value), str(err.value)


def test_plan_references_are_checked_in_the_cli(tmp_path: Path) -> None:
    path = _edited(tmp_path, DEFAULT_PLAN, lambda d: (d.update(area={"jurisdictions": ["K99"]}),
                                                     d.update(hazard_mix={"meteor": 2})))
    r = CliRunner().invoke(cli, ["generate", "--plan", str(path), "--seed", "1", "-o",
                                 str(tmp_path / "s.json")], standalone_mode=False)
    assert isinstance(r.exception, InputError)
    msg = str(r.exception)
    assert "area.jurisdictions[0]: unknown jurisdiction 'K99'" in msg
    assert "hazard_mix.meteor: unknown category" in msg
    assert not (tmp_path / "s.json").exists()


def test_cli_exit_code_and_no_traceback(tmp_path: Path) -> None:
    import subprocess
    import sys

    bad = tmp_path / "plan.yaml"
    bad.write_text("schema: blinddrill.plan/1\nwindow: [oops\n", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "ui", "generate", "--plan", str(bad), "--seed", "1",
                        "-o", str(tmp_path / "s.json")], capture_output=True, text=True)
    assert r.returncode == 2 and "malformed YAML" in r.stderr and "Traceback" not in r.stderr
