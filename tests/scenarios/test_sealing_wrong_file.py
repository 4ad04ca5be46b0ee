"""`verify` given another file than a sealed scenario says what it was given, in one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scenarios.loading import InputError
from scenarios.sealing import read_sealed


def _problems(path: Path) -> list[str]:
    with pytest.raises(InputError) as exc:
        read_sealed(path)
    return exc.value.problems


@pytest.mark.parametrize(("doc", "says"), [
    ({"run": {}, "overall": {}, "clocks": {}, "capabilities": []}, "looks like a scorecard"),
    ({"alternatives": [], "seed": 1}, "batch or what-if summary"),
    ({"id": "S1", "injects": []}, "plain scenario"),
    ({"hello": 1}, "no commitment, salt or scenario"),
])
def test_another_json_file_is_named_in_one_line(tmp_path: Path, doc: dict[str, object],
                                                says: str) -> None:
    f = tmp_path / "x.json"
    f.write_text(json.dumps(doc))
    problems = _problems(f)
    assert len(problems) == 1 and says in problems[0]
    assert "unknown key" not in problems[0]


def test_an_edited_sealed_file_still_lists_its_keys(tmp_path: Path) -> None:
    f = tmp_path / "x.json"
    f.write_text(json.dumps({"schema": "blinddrill.sealed/1", "commitment": "sha256:00",
                             "salt": "ab", "extra": 1}))
    assert "scenario: missing" in _problems(f)


def test_a_yaml_file_is_called_one(tmp_path: Path) -> None:
    f = tmp_path / "region.yaml"
    f.write_text("schema: blinddrill.region/1\nname: x\n")
    (problem,) = _problems(f)
    assert problem.startswith("line 1, column 1: not valid JSON") and "YAML" in problem


def test_msel_import_names_a_file_that_is_no_workbook(tmp_path: Path) -> None:
    from scenarios.msel import import_xlsx

    fake = tmp_path / "m.xlsx"
    fake.write_bytes(b"PK not really a zip")
    with pytest.raises(InputError) as exc:
        import_xlsx(fake)
    (problem,) = exc.value.problems
    assert "not an .xlsx workbook" in problem and "Error" not in problem
