"""Information officers by place: the seed city's forest rangers live near forests, geohazard
monitors at geohazard points, water-level monitors by rivers and reservoirs, grid workers in
towns, one earthquake observer per township; alarms come from the officer whose job it is and
who introduces themself by that role; a hand-written misfit is warned about."""

from __future__ import annotations

import math
from collections import defaultdict

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scenarios.catalogue import HazardCatalogue
from scenarios.generator import generate
from scenarios.plan import DrillPlan
from scenarios.region import Region, region_from_data
from scenarios.schema import IncidentInject

WATCHES = {"forest_ranger": {"forest"}, "geohazard_monitor": {"geohazard_point"},
           "hydro_monitor": {"river", "reservoir"}}


def km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance (independent of the code under test)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


def test_seed_city_officers_watch_what_is_near_them(seed_city: Region) -> None:
    juris = seed_city.jurisdiction_by_id
    sites = defaultdict(list)
    for s in seed_city.hazard_sites:
        sites[s.kind].append((s.lon, s.lat))
    quake: dict[str, int] = defaultdict(int)
    grid_towns: set[str] = set()
    roles = set()
    for o in seed_city.info_officers:
        roles.add(o.role)
        if o.level not in ("township", "village"):
            continue
        j = juris[o.jurisdiction]
        town = seed_city.township_of(o.jurisdiction) or ""
        if o.role in WATCHES:
            nearest = min(km(j.lon, j.lat, x, y) for k in WATCHES[o.role] for x, y in sites[k])
            assert nearest <= 5.0, (o.id, o.role, o.jurisdiction, nearest)
        if o.role == "quake_reporter":
            assert o.level == "township"
            quake[town] += 1
        if o.role == "grid_worker":
            grid_towns.add(town)
    townships = seed_city.of_level("township")
    assert all(quake[t.id] == 1 for t in townships)  # one earthquake observer per township
    assert all(t.id in grid_towns for t in townships if t.terrain == "urban")
    assert roles == {"grid_worker", "forest_ranger", "quake_reporter", "hydro_monitor",
                     "geohazard_monitor"}
    assert seed_city.warnings() == []


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000))
def test_alarms_come_from_the_officer_whose_job_it_is(
        seed: int, seed_city: Region, catalogue: HazardCatalogue, plan: DrillPlan) -> None:
    officers = {o.id: o for o in seed_city.info_officers}
    by_town: dict[str, set[str]] = defaultdict(set)
    for o in seed_city.info_officers:
        t = seed_city.township_of(o.jurisdiction)
        if t:
            by_town[t].add(o.role)
    names = {r: t.zh for r, t in catalogue.officer_role_names.items()}
    s = generate(seed_city, catalogue, plan, seed)
    for inj in s.injects:
        if not isinstance(inj, IncidentInject) or inj.incident.caller.source != "info_officer":
            continue
        spec = inj.incident
        o = officers[spec.caller.id or ""]
        assert seed_city.township_of(o.jurisdiction) == spec.location.township
        wanted = set(catalogue.by_id[spec.category].officer_roles)
        if wanted & by_town[spec.location.township]:  # the township has the right officer
            assert o.role in wanted, (spec.category, o.role)
        msg = inj.delivery.message
        assert names[o.role] in msg and not [n for r, n in names.items()
                                             if r != o.role and n in msg], msg


def test_a_forest_ranger_with_no_forest_is_warned_about(county: Region) -> None:
    data = county.model_dump(mode="json", by_alias=True)
    k = next(i for i, o in enumerate(data["info_officers"]) if o["id"] == "IO-V0101")
    data["info_officers"][k]["role"] = "forest_ranger"  # 东关社区, in the county town
    warnings = region_from_data(data).warnings()
    assert warnings == [f"info_officers[{k}].role: forest_ranger 'IO-V0101' has no forest "
                        "within 5 km of 'V0101' (a grid worker, or a missing site?)"]
    assert county.warnings() == []
