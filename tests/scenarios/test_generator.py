"""The generator: determinism, validity against the region, six-no properties, coverage."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

import pytest

from scenarios.catalogue import HazardCatalogue
from scenarios.generator import generate
from scenarios.plan import DrillPlan
from scenarios.region import Region
from scenarios.sealing import seal


def test_same_seed_gives_identical_sealed_bytes_in_another_process(
        seed_city: Region, catalogue: HazardCatalogue, plan: DrillPlan) -> None:
    a = seal(generate(seed_city, catalogue, plan, 11)).to_bytes()
    b = seal(generate(seed_city, catalogue, plan, 11)).to_bytes()
    assert a == b
    code = ("from scenarios.seed_city import default_region as r;"
            "from scenarios.catalogue import load_catalogue as c;"
            "from scenarios.plan import load_plan as p;"
            "from scenarios.generator import generate as g;from scenarios.sealing import seal;"
            "import sys;sys.stdout.buffer.write(seal(g(r(),c(),p(),11)).to_bytes())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True).stdout
    assert out == a


def test_different_seeds_differ(seed_city: Region, catalogue: HazardCatalogue,
                                plan: DrillPlan) -> None:
    sealed = {seal(generate(seed_city, catalogue, plan, s)).commitment for s in range(8)}
    assert len(sealed) == 8


def test_scenarios_are_valid_and_sites_match_categories(
        seed_city: Region, county: Region, catalogue: HazardCatalogue, plan: DrillPlan) -> None:
    hazmat_sites = 0
    for region in (seed_city, county):
        for seed in range(40):
            s = generate(region, catalogue, plan, seed)
            assert s.check_against(region) == []
            assert plan.window.start <= s.start <= plan.window.end  # type: ignore[operator]
            for spec in s.incidents:
                cat = catalogue.by_id[spec.category]
                assert spec.template == cat.template
                assert "incident_commander" in spec.roles_to_designate
                if cat.sites:
                    assert spec.site is not None, spec
                    kind = region.site_by_id[spec.site].kind
                    assert kind in cat.sites, (spec.category, kind)
                    hazmat_sites += spec.category == "hazmat"
                if spec.category == "hazmat":
                    assert region.site_by_id[spec.site or ""].kind in (
                        "hazmat_enterprise", "major_hazard_source")
                assert region.township_of(spec.location.township) == spec.location.township
                lo, hi = cat.initial_response[spec.grade]
                assert spec.initial_effort is not None
                assert lo - 2.5 <= spec.initial_effort <= hi + 2.5, (spec.category, spec.grade)
    assert hazmat_sites > 0, "no hazmat incident in 80 drills: the check above never ran"


def test_conditions_follow_the_drawn_start(seed_city: Region, catalogue: HazardCatalogue,
                                           plan: DrillPlan) -> None:
    nights = 0
    for seed in range(60):
        s = generate(seed_city, catalogue, plan, seed)
        assert s.start is not None
        h = s.start.hour
        assert s.conditions.night == (h >= 19 or h < 6)
        assert s.conditions.weekend == (s.start.weekday() >= 5)
        nights += s.conditions.night
    assert 5 < nights < 55  # drawn, not fixed


def test_cascades_follow_their_parent(seed_city: Region, catalogue: HazardCatalogue,
                                      plan: DrillPlan) -> None:
    quake = plan.model_copy(update={"hazard_mix": {c.id: 0.0 for c in catalogue.categories
                                                   if c.id != "earthquake"},
                                    "participants": plan.participants.model_copy(
                                        update={"tiers": []})})
    seen = 0
    for seed in range(30):
        s = generate(seed_city, catalogue, quake, seed)
        t_of = {i.incident.id: i.t for i in s.injects if i.kind == "incident"}
        for spec in s.incidents:
            if spec.cascade_of:
                seen += 1
                assert spec.category in {c.category for c in
                                         catalogue.by_id["earthquake"].cascades}
                assert t_of[spec.id] >= t_of[spec.cascade_of]
    assert seen > 10, "earthquakes should cascade (collapse p=0.6)"


def test_coverage_every_exercised_unit_is_needed_or_explained(
        seed_city: Region, catalogue: HazardCatalogue, plan: DrillPlan) -> None:
    from scenarios.coverage import needs

    for seed in range(15):
        s = generate(seed_city, catalogue, plan, seed)
        cov = s.meta["coverage"]
        units = s.meta["exercised_units"]
        assert cov["units"] == len(units) > 0
        explained = {u["unit"] for u in cov["uncovered"]}
        for uid in units:
            u = seed_city.unit_by_id[uid]
            needed = any(needs(seed_city, u, spec.location.township,
                               [r.model_dump() for r in spec.requires]) for spec in s.incidents)
            assert needed or uid in explained, uid
    tight = plan.model_copy(update={"participants": plan.participants.model_copy(
        update={"max_extra_incidents": 0}), "incidents": plan.incidents.model_copy(
        update={"rate_per_hour": None, "count": 1, "min_count": 1})})
    s = generate(seed_city, catalogue, tight, 3)
    assert s.meta["coverage"]["uncovered"], "one incident cannot need 9 county units"
    assert all(u["reason"] for u in s.meta["coverage"]["uncovered"])


def test_english_injects(county: Region, catalogue: HazardCatalogue, plan: DrillPlan) -> None:
    s = generate(county, catalogue, plan.model_copy(update={"language": "en"}), 5)
    closings = catalogue.closings.en
    incident_msgs = [i.delivery.message for i in s.injects if i.kind == "incident"]
    assert incident_msgs
    assert all(any(m.endswith(c) for c in closings) for m in incident_msgs), incident_msgs
    import re
    for m in incident_msgs:  # every sentence starts with a capital letter
        assert not m[0].islower() and re.search(r"[.!?] [a-z]", m) is None, m
    assert any("Designate during play" in i.delivery.expected_action for i in s.injects
               if i.kind == "incident")


def test_injects_stay_inside_the_drill(seed_city: Region, catalogue: HazardCatalogue,
                                       plan: DrillPlan) -> None:
    for seed in range(20):
        s = generate(seed_city, catalogue, plan, seed)
        assert s.start is not None
        assert all(0 <= i.t < s.duration_min for i in s.injects)
        assert s.start + timedelta(minutes=s.injects[-1].t) > s.start


def test_generate_rejects_a_catalogue_the_region_cannot_serve(
        county: Region, catalogue: HazardCatalogue, plan: DrillPlan) -> None:
    from scenarios.loading import InputError

    poor = county.model_copy(update={"items": county.items[:2]})
    with pytest.raises(InputError, match="item not declared"):
        generate(poor, catalogue, plan, 1)


def test_catalogue_needs_early_stage_effort_for_every_grade(catalogue: HazardCatalogue) -> None:
    from pydantic import ValidationError  # noqa: PLC0415

    data = catalogue.model_dump(mode="json")
    del data["categories"][0]["initial_response"]["II"]
    with pytest.raises(ValidationError, match=r"initial_response\.II: missing"):
        HazardCatalogue.model_validate(data)
