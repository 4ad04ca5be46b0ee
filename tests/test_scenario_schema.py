"""The scenario schema: round trip, per-type complication fields, references into a region."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from scenarios.loading import InputError
from scenarios.region import Region
from scenarios.schema import Scenario, load_scenario, scenario_from_data


def _fire(iid: str = "INC1", t: float = 5.0) -> dict[str, Any]:
    return {
        "id": f"J-{iid}", "t": t, "kind": "incident",
        "incident": {
            "id": iid, "category": "building_fire", "grade": "IV",
            "location": {"township": "T01", "lon": 117.21, "lat": 31.71},
            "requires": [{"capability": "fire_suppression", "effort": 120}],
            "casualties": {"injured": 2}, "template": "building_fire",
            "caller": {"source": "info_officer", "id": "IO-V0101", "phone": "13900000006"},
        },
    }


def _scenario(*injects: dict[str, Any]) -> dict[str, Any]:
    return {"schema": "blinddrill.scenario/1", "id": "S1", "duration_min": 120,
            "injects": list(injects)}


def test_round_trip_through_yaml(tmp_path: Path, county: Region) -> None:
    data = _scenario(_fire(), {
        "id": "J2", "t": 20, "kind": "complication",
        "complication": {"type": "road_blocked", "township": "T01", "factor": 2.0},
    })
    s = scenario_from_data(data)
    p = tmp_path / "s.yaml"
    p.write_text(s.to_yaml(), encoding="utf-8")
    assert load_scenario(p) == s
    assert s.check_against(county) == []
    assert [i.id for i in s.incidents] == ["INC1"]


@pytest.mark.parametrize(("mutate", "expected"), [
    (lambda d: d["injects"][0]["incident"].update(grade="V"), "injects[0].incident.grade"),
    (lambda d: d["injects"][0]["incident"].update(colour="red"), "injects[0].incident.colour: unknown key"),
    (lambda d: d["injects"][0]["incident"]["requires"][0].update(effort=-1), "injects[0].incident.requires[0].effort"),
    (lambda d: d["injects"].append(_fire("INC1", 1.0)), "injects[1].t: 1.0 is earlier"),
    (lambda d: d["injects"].append(_fire("INC2", 500)), "injects[1].t: 500.0 is after the drill ends"),
    (lambda d: d["injects"][0]["incident"].update(cascade_of="NOPE"), "cascade_of: unknown incident 'NOPE'"),
    (lambda d: d["injects"].append({"id": "J9", "t": 9, "kind": "complication",
                                    "complication": {"type": "escalation", "incident": "INC1"}}),
     "needs grade"),
    (lambda d: d["injects"].append({"id": "J9", "t": 9, "kind": "rumour"}), "injects[1]"),
])
def test_bad_scenarios_name_the_field(mutate: Any, expected: str) -> None:
    data = _scenario(_fire())
    mutate(data)
    with pytest.raises(InputError) as err:
        scenario_from_data(data, "s.yaml")
    assert expected in str(err.value)
    assert str(err.value).startswith("s.yaml")


def test_references_into_the_region_are_checked(county: Region) -> None:
    bad = _fire()
    bad["incident"]["location"]["township"] = "V0101"  # a village, not a township
    bad["incident"]["requires"][0]["capability"] = "telepathy"
    s: Scenario = scenario_from_data(_scenario(bad))
    problems = s.check_against(county)
    assert any("location.township: no township 'V0101'" in p for p in problems)
    assert any("requires[0].capability: 'telepathy'" in p for p in problems)
