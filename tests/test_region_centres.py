"""Integrated emergency service centres (综合应急服务站/中心): a station and a depot under one
roof. The seed city has the 127 its report counts; a broken centre is a clear error."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner

from scenarios.loading import InputError
from scenarios.region import Region, load_region
from ui.cli import cli, main

COUNTY = Path(__file__).resolve().parent.parent / "scenarios" / "regions" / "county.yaml"
TEXT = COUNTY.read_text(encoding="utf-8")


def km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


def test_seed_city_has_127_centres_each_a_station_and_a_depot_together(
        seed_city: Region) -> None:
    centres = seed_city.service_centres
    assert len(centres) == 127 and seed_city.counts()["service_centres"] == 127
    assert len({c.township for c in centres}) == 127  # one per township at most
    units, depots = seed_city.unit_by_id, seed_city.depot_by_id
    township_depots = {d.jurisdiction for d in seed_city.depots if d.tier == "township"}
    assert township_depots <= {c.township for c in centres}  # every township depot is in one
    for c in centres:
        u, d = units[c.unit], depots[c.depot]
        assert u.kind == "township_station" and u.jurisdiction == c.township
        assert seed_city.township_of(d.jurisdiction) == c.township
        assert km(u.lon, u.lat, c.lon, c.lat) <= 2.0 and km(d.lon, d.lat, c.lon, c.lat) <= 2.0


def test_region_show_counts_centres(tmp_path: Path) -> None:
    r = CliRunner().invoke(cli, ["region", "show", str(COUNTY), "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["service_centres"] == 2
    r = CliRunner().invoke(cli, ["region", "show", str(COUNTY)])
    assert "integrated emergency service centres: 2" in r.output


@pytest.mark.parametrize(("case", "text", "message"), [
    ("unknown_unit", TEXT.replace("unit: U-T05, depot: D-T05", "unit: U-T55, depot: D-T05", 1),
     "service_centres[0].unit: unknown unit 'U-T55'"),
    ("unknown_depot", TEXT.replace("unit: U-T05, depot: D-T05", "unit: U-T05, depot: D-X", 1),
     "service_centres[0].depot: unknown depot 'D-X'"),
    ("other_township", TEXT.replace("unit: U-T05, depot: D-T05", "unit: U-T04, depot: D-T05", 1),
     "service_centres[0].unit: 'U-T04' is in T04, not in the centre's township 'T05'"),
    ("not_a_township", TEXT.replace("township: T05, unit: U-T05", "township: K1, unit: U-T05", 1),
     "service_centres[0].township: no township 'K1'"),
])
def test_broken_centres_are_errors_naming_the_field(
        tmp_path: Path, case: str, text: str, message: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    assert text != TEXT, case
    bad = tmp_path / f"{case}.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_region(bad)
    assert message in str(err.value)
    with pytest.raises(SystemExit) as exit_:
        main(["region", "show", str(bad)])
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and message in err and "Traceback" not in err


def test_a_centre_far_from_its_station_and_depot_is_warned_about(tmp_path: Path) -> None:
    bad = tmp_path / "far.yaml"
    bad.write_text(TEXT.replace("depot: D-T05, lon: 117.0005, lat: 31.8605",
                                "depot: D-T05, lon: 117.0005, lat: 31.8805", 1), encoding="utf-8")
    assert load_region(bad).warnings() == [
        "service_centres[0].unit: 'U-T05' is 2.2 km from the centre (lon/lat); a centre's "
        "station and depot are within 2 km of it",
        "service_centres[0].depot: 'D-T05' is 2.3 km from the centre (lon/lat); a centre's "
        "station and depot are within 2 km of it"]
    r = CliRunner().invoke(cli, ["region", "show", str(bad), "--json"])
    assert r.exit_code == 0 and len(json.loads(r.output)["warnings"]) == 2


def test_county_centres_round_trip() -> None:
    r = load_region(COUNTY)
    assert [c.id for c in r.service_centres] == ["SC-T05", "SC-T02"]
    assert Region.model_validate(r.model_dump(mode="json", by_alias=True)) == r
