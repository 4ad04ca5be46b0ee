"""The alternatives file: a moved station takes a village supply point along as a village
supply point; a change that makes an invalid region is named by alternative and change, not
by an index into the changed region; alternative names are unique and not ``current``."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from engine.params import load_params
from experiments.whatif import build_alternatives, load_whatif
from scenarios.loading import InputError
from scenarios.region import Region
from scenarios.seed_city import default_region
from scenarios.travel import haversine_km_scalar


def _write(tmp_path: Path, doc: object) -> Path:
    p = tmp_path / "alts.yaml"
    p.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return p


def _built(tmp_path: Path, doc: object) -> list[Region]:
    p = _write(tmp_path, doc)
    return [a.region for a in build_alternatives(load_whatif(p), default_region(),
                                                 load_params(), p)]


@pytest.mark.parametrize("how", ["move_unit", "move_depot"])
def test_a_centre_with_a_village_supply_point_moves_to_a_township(tmp_path: Path,
                                                                  how: str) -> None:
    """The documented move failed with "depots[548].jurisdiction: 'K06-T02' is a township;
    expected one of ['village']": the centre's depot was re-homed to the township itself."""
    region = default_region()
    c = next(c for c in region.service_centres if c.unit == "U-K06-T03")
    assert region.depot_by_id[c.depot].tier == "village"
    target = "K06-T02"
    change = ({"move_unit": {"unit": c.unit, "township": target}} if how == "move_unit"
              else {"move_depot": {"depot": c.depot, "township": target}})
    moved = _built(tmp_path, {"alternatives": [{"name": "m", "changes": [change]}]})[1]
    mc = next(x for x in moved.service_centres if x.id == c.id)
    depot = moved.depot_by_id[c.depot]
    assert mc.township == moved.unit_by_id[c.unit].jurisdiction == target
    assert depot.tier == "village" and depot.stock == region.depot_by_id[c.depot].stock
    home = moved.jurisdiction_by_id[depot.jurisdiction]
    assert home.level == "village" and home.parent == target
    villages = [j for j in moved.jurisdictions if j.level == "village" and j.parent == target]
    nearest = min(villages, key=lambda v: haversine_km_scalar(depot.lon, depot.lat, v.lon, v.lat))
    assert home.id == nearest.id  # the village of the new township it now stands nearest


def test_a_centre_placed_in_a_village_puts_its_supply_point_there(tmp_path: Path) -> None:
    region = default_region()
    c = next(c for c in region.service_centres if c.unit == "U-K06-T03")
    moved = _built(tmp_path, {"alternatives": [{"name": "m", "changes": [
        {"move_unit": {"unit": c.unit, "township": "K06-T02-V03"}}]}]})[1]
    assert next(x for x in moved.service_centres if x.id == c.id).township == "K06-T02"
    assert moved.depot_by_id[c.depot].jurisdiction == "K06-T02-V03"


def test_every_village_point_centre_moves_to_a_neighbour_township(tmp_path: Path) -> None:
    region = default_region()
    alts = []
    for c in region.service_centres:
        if region.depot_by_id[c.depot].tier != "village":
            continue
        county = region.jurisdiction_by_id[c.township].parent
        other = next(t.id for t in region.of_level("township")
                     if t.parent == county and t.id != c.township)
        alts.append({"name": c.id, "changes": [{"move_unit": {"unit": c.unit,
                                                              "township": other}}]})
    assert alts
    assert len(_built(tmp_path, {"alternatives": alts})) == len(alts) + 1


@pytest.mark.parametrize(("kind", "body", "ident", "says"), [
    # unique ids across the region: the user wrote a unit id, the region had it as a depot's
    ("add_unit", {"like": "U-K01-T01", "id": "D-C00", "township": "K01-T02"}, "D-C00",
     "duplicate id 'D-C00'"),
    # a service centre stands in a township: a county cannot hold it
    ("move_unit", {"unit": "U-K06-T03", "township": "K06"}, "U-K06-T03", "'K06' is a county"),
])
def test_an_invalid_changed_region_names_the_alternative_and_change(
        tmp_path: Path, kind: str, body: dict[str, str], ident: str, says: str) -> None:
    change = {kind: body}
    p = _write(tmp_path, {"alternatives": [
        {"name": "fine", "changes": [{"headcount": {"unit": "U-K01-T01", "headcount": 40}}]},
        {"name": "the bad one", "changes": [
            {"headcount": {"unit": "U-K01-T01", "headcount": 40}}, change]}]})
    with pytest.raises(InputError) as err:
        build_alternatives(load_whatif(p), default_region(), load_params(), p)
    text = str(err.value)
    assert text.startswith(f"{p}: alternatives[1].changes[1] (alternative 'the bad one', "
                           f"{kind} {ident})"), text
    assert says in text
    for index in ("units[", "depots[", "service_centres[", "jurisdictions["):
        assert index not in text, text


@pytest.mark.parametrize(("names", "bad", "says"), [
    (["x", "y", "x"], 2, "'x' is already the name of alternatives[0]"),
    (["X", " x "], 1, "' x ' is already the name of alternatives[0]"),
    (["current"], 0, "'current' is the name of the setup as it is"),
    (["a", "Current"], 1, "'Current' is the name of the setup as it is"),
])
def test_alternative_names_are_unique_and_not_current(tmp_path: Path, names: list[str],
                                                      bad: int, says: str) -> None:
    p = _write(tmp_path, {"alternatives": [{"name": n, "policy": "nearest_eta"}
                                           for n in names]})
    with pytest.raises(InputError) as err:
        load_whatif(p)
    assert str(err.value).startswith(f"{p}: invalid input")
    assert f"alternatives[{bad}].name: {says}" in str(err.value)


def test_whatif_cli_refuses_a_duplicate_name_before_any_replication(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Two alternatives named alike (or one named ``current``) ran with exit 0 and wrote
    summary rows that could not be told apart."""
    from scenarios.sealing import seal, write_sealed
    from tests.experiments.helpers import demo_scenario
    from ui.cli import cli
    from ui.errors import run_cli

    sealed = tmp_path / "sealed.json"
    write_sealed(seal(demo_scenario()), sealed)
    p = _write(tmp_path, {"alternatives": [{"name": "current", "policy": "nearest_eta"}]})
    out = tmp_path / "w"
    code = run_cli(cli, ["whatif", "--alternatives", str(p), str(sealed), "-n", "2",
                         "--workers", "1", "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert str(p) in err and "alternatives[0].name: 'current'" in err
    assert "Traceback" not in err and not out.exists()
