"""Mine accidents: a mine site kind in the region model, a mine-accident category that happens
only at mines, is worded as a mine (no tank leaks, no restaurant downstairs) and is reported
under the production-safety template the reporting-chain pack applies to."""

from __future__ import annotations

import pytest

from evaluators.rules import load_pack
from scenarios.catalogue import HazardCatalogue
from scenarios.generator import generate
from scenarios.plan import DrillPlan
from scenarios.region import Region
from scenarios.schema import IncidentInject
from scenarios.templates import load_templates


def _mines_only(plan: DrillPlan, catalogue: HazardCatalogue) -> DrillPlan:
    mix = {c.id: (1.0 if c.id == "mine_accident" else 0.0) for c in catalogue.categories}
    area = plan.area.model_copy(update={"site_kinds": ["mine"]})  # a county with a mine
    return plan.model_copy(update={"hazard_mix": mix, "cascades": False, "area": area})


def test_both_regions_have_mines_and_the_county_mine_has_its_own_team(
        county: Region, seed_city: Region) -> None:
    mine = county.site_by_id["HS-MINE"]
    assert mine.kind == "mine" and county.township_of(mine.jurisdiction) == "T05"
    team = county.unit_by_id["U-E-MINE"]
    assert team.kind == "mine_rescue" and team.site == "HS-MINE"
    assert county.counts()["hazard_sites"]["mine"] == 1
    mines = [s for s in seed_city.hazard_sites if s.kind == "mine"]
    assert len(mines) == 6
    assert {seed_city.jurisdiction_by_id[s.jurisdiction].terrain for s in mines} <= {
        "mountain", "hill"}
    assert any(u.kind == "mine_rescue" for u in seed_city.units)


def test_the_mine_category_reports_under_the_production_safety_template(
        catalogue: HazardCatalogue) -> None:
    cat = catalogue.by_id["mine_accident"]
    assert cat.sites == ["mine"] and cat.template == "production_safety"
    t = load_templates()
    first = t.required("production_safety", "first")
    assert {"enterprise", "account", "people_on_site", "casualties"} <= set(first)
    for clock in load_pack("production-accident").clocks:
        assert clock.where is not None and "production_safety" in clock.where.template
    # no other category happens at a mine
    assert [c.id for c in catalogue.categories if "mine" in c.sites] == ["mine_accident"]


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("which", ["county", "seed_city"])
def test_incidents_at_mines_are_mine_accidents_worded_as_mines(
        seed: int, which: str, request: pytest.FixtureRequest, catalogue: HazardCatalogue,
        plan: DrillPlan) -> None:
    region: Region = request.getfixturevalue(which)
    s = generate(region, catalogue, _mines_only(plan, catalogue), seed)
    incidents = [i for i in s.injects if isinstance(i, IncidentInject)]
    assert incidents
    foreign = ("储罐", "餐馆", "楼道", "煤气", "车间", "装卸区")  # other places' words
    for inj in incidents:
        spec = inj.incident
        if spec.category != "mine_accident":  # a second alarm elsewhere: not at a mine
            assert spec.site is None or region.site_by_id[spec.site].kind != "mine"
            continue
        assert spec.site is not None and region.site_by_id[spec.site].kind == "mine"
        assert spec.template == "production_safety"
        msg = inj.delivery.message
        assert "井下" in msg, msg
        assert not [w for w in foreign if w in msg], msg
        assert region.site_by_id[spec.site].name in spec.location.address


def test_a_region_without_mines_needs_no_mine_rescue_capability(
        county: Region, catalogue: HazardCatalogue) -> None:
    from scenarios.region import region_from_data

    data = county.model_dump(mode="json", by_alias=True)
    data["capabilities"] = [c for c in data["capabilities"] if c["id"] != "mine_rescue"]
    for u in data["units"]:
        u["capabilities"].pop("mine_rescue", None)
    with_mine = region_from_data(data)
    assert catalogue.check_against(with_mine) == [
        f"categories[{[c.id for c in catalogue.categories].index('mine_accident')}]"
        ".requires[0].capability: 'mine_rescue' is not a capability of region "
        f"'{county.name}'"]
    data["hazard_sites"] = [s for s in data["hazard_sites"] if s["kind"] != "mine"]
    for u in data["units"]:
        u["site"] = None if u["site"] == "HS-MINE" else u["site"]
    assert catalogue.check_against(region_from_data(data)) == []
