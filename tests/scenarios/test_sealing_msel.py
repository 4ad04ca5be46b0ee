"""Sealing, verification, novelty against a history, the MSEL round trip (calibration: tests/experiments)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from scenarios.catalogue import HazardCatalogue
from scenarios.generator import generate
from scenarios.loading import InputError
from scenarios.novelty import distance, load_history
from scenarios.plan import DrillPlan
from scenarios.region import Region
from scenarios.sealing import canonical, load_scenario_file, read_sealed, seal
from ui.cli import cli


def test_third_party_recomputes_the_commitment(sealed_file: Path) -> None:
    import hashlib

    doc = json.loads(sealed_file.read_text(encoding="utf-8"))
    body = json.dumps({"salt": doc["salt"], "scenario": doc["scenario"]}, sort_keys=True,
                      separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    assert "sha256:" + hashlib.sha256(body).hexdigest() == doc["commitment"]
    assert body == canonical({"salt": doc["salt"], "scenario": doc["scenario"]})
    assert len(doc["salt"]) == 32


def test_verify_detects_a_one_character_edit(sealed_file: Path) -> None:
    text = sealed_file.read_text(encoding="utf-8")
    i = text.index('"message": "') + len('"message": "') + 3
    edited = text[:i] + ("X" if text[i] != "X" else "Y") + text[i + 1:]
    bad = sealed_file.with_name("edited.json")
    bad.write_text(edited, encoding="utf-8")
    read_sealed(sealed_file)
    with pytest.raises(InputError, match="MISMATCH"):
        read_sealed(bad)
    with pytest.raises(InputError, match="MISMATCH"):
        load_scenario_file(bad)
    r = CliRunner().invoke(cli, ["verify", str(bad)], standalone_mode=False)
    assert isinstance(r.exception, InputError)
    ok = CliRunner().invoke(cli, ["verify", str(sealed_file), "--json"])
    assert ok.exit_code == 0 and json.loads(ok.output)["ok"] is True
    wrong = CliRunner().invoke(cli, ["verify", str(sealed_file), "--expect", "sha256:00"])
    assert wrong.exit_code == 2 and "NOT the published" in wrong.output


def test_generate_cli_prints_only_the_commitment(tmp_path: Path, county: Region) -> None:
    out = tmp_path / "s.json"
    region_file = Path(__file__).resolve().parents[2] / "scenarios" / "regions" / "county.yaml"
    r = CliRunner().invoke(cli, ["generate", "--region", str(region_file), "--seed", "5",
                                 "-o", str(out), "--json"])
    assert r.exit_code == 0, r.output
    printed = json.loads(r.output)
    scenario = read_sealed(out).scenario
    assert printed["commitment"] == read_sealed(out).commitment
    for spec in scenario.incidents:  # nothing about content leaks to the console
        assert spec.category not in r.output and spec.location.township not in r.output
        assert spec.caller.name not in r.output if spec.caller.name else True
    assert scenario.start is not None and scenario.start.isoformat() not in r.output


def test_novelty_redraws_away_from_history(tmp_path: Path, county: Region,
                                           catalogue: HazardCatalogue, plan: DrillPlan) -> None:
    first = generate(county, catalogue, plan, 8)
    assert distance(first, first) == 0.0
    hist = tmp_path / "history.json"
    hist.write_text(json.dumps([seal(first).document], ensure_ascii=False), encoding="utf-8")
    past = load_history(hist)
    assert past == [first]
    again = generate(county, catalogue, plan, 8, history=past)
    nov = again.meta["novelty"]
    assert nov["attempts"] >= 2 and nov["reached"] and nov["value"] >= plan.novelty.threshold
    assert distance(again, first) == pytest.approx(nov["value"], abs=1e-4)
    # impossible threshold: keeps the most novel candidate and says so
    strict = plan.model_copy(update={"novelty": plan.novelty.model_copy(
        update={"threshold": 1.0, "max_attempts": 5})})
    s = generate(county, catalogue, strict, 8, history=past)
    assert s.meta["novelty"]["reached"] is False and s.meta["novelty"]["attempts"] == 5


def test_msel_round_trip_and_edits(tmp_path: Path, sealed_file: Path) -> None:
    from openpyxl import load_workbook

    from scenarios.msel import import_xlsx

    xlsx = tmp_path / "msel.xlsx"
    r = CliRunner().invoke(cli, ["msel", str(sealed_file), "-o", str(xlsx)])
    assert r.exit_code == 0, r.output
    original = read_sealed(sealed_file)
    back, doc = import_xlsx(xlsx)
    assert back == original.scenario and doc["commitment"] == original.commitment
    resealed = tmp_path / "re.json"
    r = CliRunner().invoke(cli, ["msel", "--import", str(xlsx), "-o", str(resealed)])
    assert r.exit_code == 0 and resealed.read_bytes() == sealed_file.read_bytes()

    wb = load_workbook(xlsx)
    ws = wb["MSEL"]
    assert [c.value for c in ws[1]][:3] == ["序号", "计划时间", "情景时间"]
    # move the first complication (nothing refers to it) to 180 min and reword it
    k = next(k for k, i in enumerate(original.scenario.injects) if i.kind == "complication")
    ws.cell(row=2 + k, column=8).value = "改过的信息"
    ws.cell(row=2 + k, column=2).value = "03:00:00"
    wb.save(xlsx)
    edited, _ = import_xlsx(xlsx)
    moved = next(i for i in edited.injects if i.id == original.scenario.injects[k].id)
    assert moved.delivery.message == "改过的信息" and moved.t == 180.0
    assert [i.t for i in edited.injects] == sorted(i.t for i in edited.injects)
    r = CliRunner().invoke(cli, ["msel", "--import", str(xlsx), "-o", str(resealed), "--json"])
    info = json.loads(r.output)
    assert info["changed"] and info["commitment"] != original.commitment
    assert read_sealed(resealed).scenario == edited


def test_msel_csv_has_bom_and_english_headers(tmp_path: Path, sealed_file: Path) -> None:
    out = tmp_path / "msel.csv"
    r = CliRunner().invoke(cli, ["msel", str(sealed_file), "-o", str(out), "--lang", "en"])
    assert r.exit_code == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    header = raw[3:].decode("utf-8").splitlines()[0]
    assert header.startswith("No.,Planned time,Story time,Type,From,To,Delivery method")
    n = len(read_sealed(sealed_file).scenario.injects)
    assert len(raw.decode("utf-8-sig").strip().split("\r\n")) >= n + 1
