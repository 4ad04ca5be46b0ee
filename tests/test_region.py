"""The world model: the seed city's counts, YAML round trips, determinism, references."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from scenarios.region import Region, load_region
from scenarios.seed_city import build_seed_city
from ui.cli import cli


def test_seed_city_counts_match_the_real_city(seed_city: Region) -> None:
    c = seed_city.counts()
    assert (c["cities"], c["counties"], c["townships"], c["villages"]) == (1, 10, 223, 1000)
    assert c["units"] == 369
    assert c["units_by_kind"]["township_station"] == 223
    assert c["township_station_min_headcount"] >= 30
    assert c["depots"] == {"city": 1, "county": 10, "township": 91, "village": 1000}
    assert c["command_posts"] == 223
    assert c["hazard_sites"]["hazmat_enterprise"] == 156
    assert c["hazard_sites"]["major_hazard_source"] == 401
    # the report's 547 in 8 fields; 6 of its geologists are taken as mine-safety experts for
    # the 6 mines (both assumptions, scenarios/seed_city.py)
    assert c["experts"] == 547 and len(c["experts_by_field"]) == 9
    assert c["experts_by_field"]["mining"] == 6
    assert c["info_officers"] == 5869
    assert set(c["info_officers_by_level"]) == {"city", "county", "township", "village"}
    assert all(v > 0 for v in c["info_officers_by_level"].values())


def test_every_township_has_exactly_one_command_post_and_one_station(seed_city: Region) -> None:
    townships = {j.id for j in seed_city.of_level("township")}
    assert sorted(p.township for p in seed_city.command_posts) == sorted(townships)
    stations = [u.jurisdiction for u in seed_city.units if u.kind == "township_station"]
    assert sorted(stations) == sorted(townships)


def test_every_reference_resolves(seed_city: Region) -> None:
    juris = seed_city.jurisdiction_by_id
    caps = {c.id for c in seed_city.capabilities}
    for u in seed_city.units:
        assert u.jurisdiction in juris and set(u.capabilities) <= caps
    for d in seed_city.depots:
        assert juris[d.jurisdiction].level == d.tier
    for s in seed_city.hazard_sites:
        assert seed_city.township_of(s.jurisdiction) is not None
    for j in seed_city.jurisdictions:
        if j.level != "city":
            assert j.parent in juris
    ids = [x.id for coll in (seed_city.jurisdictions, seed_city.units, seed_city.depots,
                             seed_city.command_posts, seed_city.hazard_sites,
                             seed_city.experts, seed_city.info_officers) for x in coll]
    assert len(ids) == len(set(ids))


def test_geography_is_about_ten_thousand_square_km(seed_city: Region) -> None:
    lons = [j.lon for j in seed_city.jurisdictions]
    lats = [j.lat for j in seed_city.jurisdictions]
    width_km = (max(lons) - min(lons)) * 111.2 * 0.853
    height_km = (max(lats) - min(lats)) * 111.2
    assert 7_000 < width_km * height_km < 12_000
    terrains = {j.terrain for j in seed_city.of_level("township")}
    assert {"urban", "plain", "hill", "mountain"} <= terrains


def test_yaml_round_trip_gives_an_equal_model(seed_city: Region, tmp_path: Path) -> None:
    path = tmp_path / "region.yaml"
    path.write_text(seed_city.to_yaml(), encoding="utf-8")
    assert load_region(path) == seed_city


def test_same_seed_same_file_different_seed_different_file(tmp_path: Path) -> None:
    a = build_seed_city(7).to_yaml()
    b = build_seed_city(7).to_yaml()
    c = build_seed_city(8).to_yaml()
    assert a == b
    assert a != c
    assert build_seed_city(8).counts()["units"] == 369


def test_cli_default_writes_the_seed_city_and_show_reads_it(tmp_path: Path) -> None:
    out = tmp_path / "region.yaml"
    runner = CliRunner()
    res = runner.invoke(cli, ["region", "default", "-o", str(out)])
    assert res.exit_code == 0, res.output
    res = runner.invoke(cli, ["region", "show", str(out), "--json"])
    assert res.exit_code == 0, res.output
    counts = json.loads(res.output)
    assert counts["counties"] == 10 and counts["townships"] == 223
    assert counts["villages"] == 1000 and counts["units"] == 369
    assert counts["depots"] == {"city": 1, "county": 10, "township": 91, "village": 1000}


def test_cli_show_on_the_example_county() -> None:
    county = Path(__file__).resolve().parent.parent / "scenarios" / "regions" / "county.yaml"
    res = CliRunner().invoke(cli, ["region", "show", str(county)])
    assert res.exit_code == 0, res.output
    assert "6 townships" in res.output and "units: 20" in res.output
