"""Mine accidents: in the county the mine's own rescue team (U-E-MINE, site HS-MINE) is sent
first with the shipped parameters, whoever takes the alarm; in the seed city, whose mines have
no team of their own, the city's mine-rescue brigade goes underground (only mine-rescue teams
have the capability)."""

from __future__ import annotations

import pytest

from engine.params import load_params
from engine.simulation import simulate
from scenarios.catalogue import load_catalogue
from scenarios.generator import generate
from scenarios.plan import load_plan
from scenarios.region import Region
from scenarios.schema import IncidentInject
from tests.engine.conftest import incident, scenario


@pytest.mark.parametrize("source", ["enterprise", "public", "info_officer"])
def test_the_mines_own_team_goes_first(county: Region, source: str) -> None:
    inj = incident("M1", 5.0, "T05", 116.985, 31.878,
                   [{"capability": "mine_rescue", "effort": 120.0},
                    {"capability": "hazmat", "effort": 40.0},
                    {"capability": "medical", "effort": 20.0}],
                   site="HS-MINE", caller={"source": source})
    inj["incident"].update(category="mine_accident", template="production_safety")
    log = simulate(county, scenario([inj]), seed=3, params=load_params())
    sent = [r for r in log if r["kind"] == "unit_dispatched"]
    assert sent[0]["unit"] == "U-E-MINE" and sent[0]["data"]["capability"] == "mine_rescue"
    assert sent[0]["data"]["eta_min"] < 5  # the team is at its mine


@pytest.mark.parametrize(("which", "team"), [("county", "U-E-MINE"),
                                            ("seed_city", "U-C00-MINE1")])
def test_generated_mine_accidents_get_the_mine_team(
        which: str, team: str, request: pytest.FixtureRequest) -> None:
    region: Region = request.getfixturevalue(which)
    cat, plan = load_catalogue(), load_plan()
    mix = {c.id: (1.0 if c.id == "mine_accident" else 0.0) for c in cat.categories}
    area = plan.area.model_copy(update={"site_kinds": ["mine"]})
    plan = plan.model_copy(update={"hazard_mix": mix, "cascades": False, "area": area})
    checked = 0
    for seed in range(4):
        s = generate(region, cat, plan, seed)
        mines = {i.incident.id for i in s.injects if isinstance(i, IncidentInject)
                 and i.incident.category == "mine_accident"}
        log = simulate(region, s, seed=seed, params=load_params())
        for iid in sorted(mines):
            sent = [r for r in log if r["kind"] == "unit_dispatched" and r["incident"] == iid
                    and r["data"]["capability"] == "mine_rescue"]
            # (a second accident may wait for the one team until the drill ends)
            assert {r["unit"] for r in sent} <= {team}, (seed, iid)
            checked += bool(sent)
    assert checked >= 3
