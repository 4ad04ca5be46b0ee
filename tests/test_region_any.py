"""Any region: a county without a city, shipped plans on both shipped regions, nested unknown
keys rejected, plausibility warnings."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from pydantic import ValidationError

from engine.params import BehaviourParams, load_params
from engine.simulation import simulate
from scenarios.catalogue import load_catalogue
from scenarios.generator import generate
from scenarios.plan import load_plan
from scenarios.region import Region
from ui.cli import cli

PLANS = sorted((Path(__file__).resolve().parents[1] / "scenarios" / "plans").glob("*.yaml"))


def county_only(county: Region) -> Region:
    """The example county with its invented city removed: the county is the top level."""
    data = county.model_dump(mode="json", by_alias=True)
    data["jurisdictions"] = [j for j in data["jurisdictions"] if j["level"] != "city"]
    for j in data["jurisdictions"]:
        if j["level"] == "county":
            j["parent"] = None
    for u in data["units"]:
        if u["tier"] == "city":
            u["tier"], u["jurisdiction"] = "county", "K1"
    for d in data["depots"]:
        if d["tier"] == "city":
            d["tier"], d["jurisdiction"] = "county", "K1"
    for o in data["info_officers"]:
        if o["level"] == "city":
            o["level"], o["jurisdiction"] = "county", "K1"
    return Region.model_validate(data)


def test_county_only_region_is_valid_and_plays(county: Region) -> None:
    region = county_only(county)
    assert not region.of_level("city")
    s = generate(region, load_catalogue(), load_plan(), 3)
    log = simulate(region, s, seed=3)
    desks = {r["data"]["desk"] for r in log if r["kind"] == "alarm_taken"}
    assert desks and desks <= {"DESK-K1"} | {f"DESK-{t.id}" for t in region.of_level("township")}
    assert any(r["kind"] == "unit_arrived" for r in log)


def test_a_township_without_its_county_is_still_an_error(county: Region) -> None:
    data = county.model_dump(mode="json", by_alias=True)
    data["jurisdictions"][2]["parent"] = None  # a township, while the region has a county
    with pytest.raises(ValidationError, match=r"jurisdictions\[2\]\.parent"):
        Region.model_validate(data)


REGIONS = sorted((Path(__file__).resolve().parents[1] / "scenarios" / "regions").glob("*.yaml"))


@pytest.mark.parametrize("region_file", [None, *REGIONS],
                         ids=["seed_city", *(p.stem for p in REGIONS)])
@pytest.mark.parametrize("plan_path", PLANS, ids=[p.stem for p in PLANS])
def test_shipped_plans_run_on_both_shipped_regions(plan_path: Path, region_file: Path | None,
                                                    seed_city: Region) -> None:
    """Every shipped plan on every shipped region (the built-in seed city and each file in
    scenarios/regions/): generated, simulated and scored, every incident alarmed and taken."""
    from evaluators import score_records
    from scenarios.region import load_region

    region = seed_city if region_file is None else load_region(region_file)
    plan, cat = load_plan(plan_path), load_catalogue()
    for seed in (1, 2):
        s = generate(region, cat, plan, seed)
        assert s.incidents, (plan_path.stem, region.name)
        assert s.check_against(region) == []
        log = simulate(region, s, seed=seed)
        assert log.records[-1]["kind"] == "drill_ended"
        card = score_records(list(log.records), region=region)
        assert set(card.incidents) == {i.id for i in s.incidents}
        assert card.clocks["take_alarm"].n == len(s.incidents)


def test_misspelt_speed_key_is_rejected(county: Region) -> None:
    data = county.model_dump(mode="json", by_alias=True)
    data["travel"]["speed_kmh"]["forest_fier"] = 40
    with pytest.raises(ValidationError, match=r"travel\.speed_kmh\.forest_fier: unknown unit kind"):
        Region.model_validate(data)


def test_misspelt_unit_kind_in_behaviour_is_rejected() -> None:
    data = load_params().model_dump(mode="json", by_alias=True, exclude_none=True)
    data["units"]["township_staton"] = copy.deepcopy(data["units"]["township_station"])
    with pytest.raises(ValidationError, match=r"units\.township_staton: unknown unit kind"):
        BehaviourParams.model_validate(data)


def test_plausibility_warnings(county: Region, tmp_path: Path) -> None:
    assert county.warnings() == []
    data = county.model_dump(mode="json", by_alias=True)
    station = next(u for u in data["units"] if u["kind"] == "township_station")
    station["headcount"] = 12
    far = next(u for u in data["units"] if u["id"] == "U-E-CHEM")
    far["lon"] += 15.0  # ~1,400 km east: a typo
    region = Region.model_validate(data)
    w = region.warnings()
    assert any(station["id"] in x and "12 people, under the standard of 30" in x for x in w), w
    assert any("U-E-CHEM" in x and "km from the centre" in x for x in w), w
    assert any("U-E-CHEM" in x and "more than a day" in x for x in w), w
    p = tmp_path / "r.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    res = CliRunner().invoke(cli, ["region", "show", str(p)])
    assert res.exit_code == 0 and "warning: " in res.output and "under the standard" in res.output
