"""A corpus of bad region files: each gives exit 2 and a message naming the field, no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from scenarios.loading import InputError
from scenarios.region import load_region
from ui.cli import main

COUNTY = (Path(__file__).resolve().parent.parent / "scenarios" / "regions" / "county.yaml")
TEXT = COUNTY.read_text(encoding="utf-8")

# (case, how to break the file, what the message must contain)
CASES: list[tuple[str, str, str]] = [
    ("malformed_yaml", TEXT.replace("units:\n", "units:\n  - {id: [broken\n", 1),
     "malformed YAML"),
    ("unknown_key", TEXT.replace("headcount: 36,", "headcount: 36, headcout: 3,", 1),
     "units[0].headcout: unknown key"),
    ("duplicate_id", TEXT.replace("id: U-T02,", "id: U-T01,", 1),
     "units[1].id: duplicate id 'U-T01'"),
    ("dangling_reference", TEXT.replace("jurisdiction: T03, lon: 117.121", "jurisdiction: T99, lon: 117.121", 1),
     "units[2].jurisdiction: unknown jurisdiction 'T99'"),
    ("negative_headcount", TEXT.replace("headcount: 32,", "headcount: -5,", 1),
     "units[1].headcount"),
    ("coordinates_out_of_range", TEXT.replace("lon: 117.20, lat: 31.70, population: 98000", "lon: 217.20, lat: 31.70, population: 98000", 1),
     "jurisdictions[2].lon"),
    ("wrong_depot_tier", TEXT.replace("河口镇物资储备库, tier: township", "河口镇物资储备库, tier: village", 1),
     "depots[2].jurisdiction: 'T02' is a township"),
    ("undeclared_capability", TEXT.replace("capabilities: {medical: 3}}", "capabilities: {surgery: 3}}", 1),
     "units[8].capabilities.surgery: capability not declared"),
    ("bad_enum", TEXT.replace("kind: medical, tier: county", "kind: medic, tier: county", 1),
     "units[8].kind"),
    ("empty_file", "", "the file is empty"),
]


def _write(tmp_path: Path, case: str, text: str | bytes) -> Path:
    p = tmp_path / f"{case}.yaml"
    if isinstance(text, bytes):
        p.write_bytes(text)
    else:
        p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize(("case", "text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_bad_region_names_the_field(tmp_path: Path, case: str, text: str, expected: str) -> None:
    assert text != TEXT, "the mutation did not apply; fix the test case"
    p = _write(tmp_path, case, text)
    with pytest.raises(InputError) as err:
        load_region(p)
    msg = str(err.value)
    assert str(p) in msg
    assert expected in msg


def test_non_utf8_file(tmp_path: Path) -> None:
    p = _write(tmp_path, "gbk", TEXT.encode("gbk"))
    with pytest.raises(InputError, match="not UTF-8"):
        load_region(p)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        load_region(tmp_path / "nope.yaml")


@pytest.mark.parametrize("case", ["unknown_key", "dangling_reference", "malformed_yaml"])
def test_cli_exits_2_without_traceback(tmp_path: Path, case: str, capsys: pytest.CaptureFixture[str]) -> None:
    text, expected = next((t, e) for c, t, e in CASES if c == case)
    p = _write(tmp_path, case, text)
    with pytest.raises(SystemExit) as exit_:
        main(["region", "show", str(p)])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err


def test_cli_in_a_real_process_gbk_file(tmp_path: Path) -> None:
    p = _write(tmp_path, "gbk", TEXT.encode("gbk"))
    res = subprocess.run([sys.executable, "-m", "ui", "region", "show", str(p)],
                         capture_output=True, text=True, cwd=Path(__file__).resolve().parent.parent)
    assert res.returncode == 2
    assert "not UTF-8" in res.stderr and "Traceback" not in res.stderr
