"""An incident whose hazard category is not in the catalogue (a hand-written or hand-edited
scenario) is refused with the file and the field wherever a scenario is read with a
catalogue: simulate, batch, whatif, msel import, live import (the console's upload is in
``test_uploads.py``). With ``--catalogue`` naming a catalogue that has the category, the same
scenario is accepted."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import orjson
import pytest
import yaml

from scenarios.catalogue import DEFAULT_CATALOGUE
from scenarios.sealing import commitment_of
from tests.hardening.conftest import refused, run
from tests.hardening.corpus import COUNTY, ROOT

FIELD = "injects[0].incident.category: 'volcano' is not a category of the hazard catalogue"


def _volcano(data: dict[str, Any]) -> dict[str, Any]:
    data["injects"][0]["incident"]["category"] = "volcano"
    return data


@pytest.fixture
def scenario(tmp_path: Path, county_files: dict[str, Path]) -> Path:
    data = yaml.safe_load(county_files["scenario"].read_text(encoding="utf-8"))
    p = tmp_path / "hand-written.yaml"
    p.write_text(yaml.safe_dump(_volcano(data), allow_unicode=True), encoding="utf-8")
    return p


@pytest.fixture
def catalogue(tmp_path: Path) -> Path:
    """The shipped catalogue plus a 'volcano' category (a copy of the building fire)."""
    data = yaml.safe_load(DEFAULT_CATALOGUE.read_text(encoding="utf-8"))
    fire = next(c for c in data["categories"] if c["id"] == "building_fire")
    data["categories"].append({**fire, "id": "volcano"})
    p = tmp_path / "catalogue.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return p


def test_simulate(scenario: Path, catalogue: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    refused(run(["simulate", scenario, "--region", COUNTY, "--seed", 1, "-o", out]),
            str(scenario), FIELD)
    assert not out.exists()
    r = run(["simulate", scenario, "--region", COUNTY, "--catalogue", catalogue, "--seed", 1,
             "-o", out])
    assert r.code == 0, r.err


@pytest.mark.parametrize("command", ["batch", "whatif"])
def test_batch_and_whatif(command: str, scenario: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    extra: list[Any] = []
    if command == "whatif":
        alt = tmp_path / "alt.yaml"
        alt.write_text("alternatives:\n- name: same\n  changes: []\n", encoding="utf-8")
        extra = ["--alternatives", alt]
    refused(run([command, *extra, scenario, "-n", 1, "--region", COUNTY, "--workers", 1,
                 "-o", out]), str(scenario), FIELD)
    assert not out.exists()


def test_msel_import(county_files: dict[str, Path], tmp_path: Path) -> None:
    from openpyxl import load_workbook

    book = tmp_path / "msel.xlsx"
    assert run(["msel", county_files["sealed"], "-o", book]).code == 0
    wb = load_workbook(book)
    ws = wb["scenario"]
    doc = json.loads("".join(str(r[0].value) for r in ws.iter_rows() if r[0].value))
    _volcano(doc["scenario"])
    text = json.dumps(doc, ensure_ascii=False)
    ws.delete_rows(1, ws.max_row)
    for k in range(0, len(text), 30000):
        ws.append([text[k:k + 30000]])
    wb.save(book)
    out = tmp_path / "resealed.json"
    refused(run(["msel", "--import", book, "-o", out]), f"{book}: sheet scenario", FIELD)
    assert not out.exists()


def test_live_import(county_files: dict[str, Path], tmp_path: Path,
                     monkeypatch: pytest.MonkeyPatch) -> None:
    doc = orjson.loads(county_files["sealed"].read_bytes())
    _volcano(doc["scenario"])
    doc["commitment"] = commitment_of(doc["salt"], doc["scenario"])  # a forged, well-formed seal
    sealed = tmp_path / "forged.json"
    sealed.write_bytes(orjson.dumps(doc))
    store = tmp_path / "drill.db"
    monkeypatch.setenv("BLINDDRILL_PASSWORD", "director password")
    monkeypatch.setenv("BLINDDRILL_PASSPHRASE", "a long passphrase")
    base = ["live", "--store", store, "--user", "boss"]
    assert run([*base, "init", "--bcrypt-rounds", 4]).code == 0
    refused(run([*base, "import", sealed, "--region", COUNTY]), str(sealed), "scenario." + FIELD)
    from live.service import LiveService

    svc = LiveService(store, create=False)
    assert svc.drills(svc.login("boss", "director password")) == []
    svc.close()


def test_a_message_lists_twenty_problems_and_counts_the_rest() -> None:
    from scenarios.loading import MAX_PROBLEMS_SHOWN, InputError

    err = InputError("big.json", [f"injects[{i}].incident.category: bad" for i in range(500)])
    text = str(err).splitlines()
    assert text[0] == "big.json: invalid input"
    assert text[1:-1] == [f"  - injects[{i}].incident.category: bad"
                          for i in range(MAX_PROBLEMS_SHOWN)]
    assert text[-1] == f"  … and {500 - MAX_PROBLEMS_SHOWN} more problems of this file"
    assert len(err.problems) == 500
    assert str(InputError("f", ["a", "b"])) == "f: invalid input\n  - a\n  - b"


def test_every_shipped_sample_scenario_passes_the_category_check() -> None:
    """The samples are what a new user tries first: each is accepted by the same check
    ``simulate`` runs (two of them used home-made categories and were refused)."""
    from scenarios.catalogue import load_catalogue, unknown_categories
    from scenarios.sealing import read_scenario_file

    samples = sorted((ROOT / "scenarios" / "samples").glob("*.yaml"))
    assert samples
    cat = load_catalogue()
    for f in samples:
        sc, _ = read_scenario_file(f)
        assert unknown_categories(cat, sc) == [], f.name
