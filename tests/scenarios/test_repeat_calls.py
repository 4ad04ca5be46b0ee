"""Repeat calls drawn by the generator: a second person phones about an incident already
alarmed, minutes later, and says what is true of it (properties over seeds, with hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scenarios.catalogue import HazardCatalogue
from scenarios.generator import generate
from scenarios.loading import InputError
from scenarios.plan import DrillPlan
from scenarios.region import Region
from scenarios.schema import Casualties, ComplicationInject, IncidentInject, scenario_from_data

SLOW = settings(max_examples=15, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])


@SLOW
@given(seed=st.integers(0, 10_000), county_region=st.booleans(), english=st.booleans())
def test_repeat_calls_follow_an_alarmed_incident(
        seed: int, county_region: bool, english: bool, seed_city: Region, county: Region,
        catalogue: HazardCatalogue, plan: DrillPlan) -> None:
    region = county if county_region else seed_city
    lang = "en" if english else "zh"
    s = generate(region, catalogue, plan.model_copy(update={"language": lang}), seed)
    delay = catalogue.complications["repeat_call"].delay_min
    hints = catalogue.people_hints
    alarmed: dict[str, IncidentInject] = {}
    truth: dict[str, Casualties] = {}
    for inj in s.injects:
        if isinstance(inj, IncidentInject):
            alarmed[inj.incident.id] = inj
            truth[inj.incident.id] = inj.incident.casualties
            continue
        c = inj.complication
        if c.type == "casualty_update" and c.incident and c.casualties:
            truth[c.incident] = c.casualties
        if c.type != "repeat_call":
            continue
        first = alarmed.get(c.incident or "")
        assert first is not None, "a repeat call about an incident not yet alarmed"
        # minutes after the first alarm, and not before it
        assert delay[0] - 0.1 <= inj.t - first.t <= delay[1] + 0.1, (inj.t, first.t)
        # somebody else: a person (not the monitoring system), not the first caller
        caller = c.caller
        assert caller is not None and caller.source != "system"
        one = first.incident.caller
        assert (caller.id, caller.name) != (one.id, one.name) or not caller.name
        # the same place, named as the first caller named it; the caller is on the line
        assert first.incident.location.address in inj.delivery.message
        assert caller.name in inj.delivery.sender and inj.delivery.method == "phone"
        # what they say of people is true at that time
        known = truth[c.incident or ""]
        hurt = known.dead + known.injured + known.trapped + known.missing
        if hurt:  # "nobody hurt" never said of an incident with casualties
            assert getattr(hints.none, lang) not in inj.delivery.message, inj.delivery.message
        if known.missing:
            assert getattr(hints.missing, lang).split("{n}")[-1].strip() in inj.delivery.message


def test_repeat_calls_are_drawn_and_round_trip(
        county: Region, catalogue: HazardCatalogue, plan: DrillPlan) -> None:
    n = 0
    for seed in range(6):
        s = generate(county, catalogue, plan, seed)
        calls = [i for i in s.injects if isinstance(i, ComplicationInject)
                 and i.complication.type == "repeat_call"]
        n += len(calls)
        incidents = [i for i in s.injects if isinstance(i, IncidentInject)]
        assert len({i.incident.id for i in incidents}) == len(incidents)
        again = scenario_from_data(s.model_dump(mode="json", by_alias=True, exclude_none=True))
        assert again == s
    assert n >= 3  # the catalogue draws them often (visible incidents: many people call)


def test_a_repeat_call_needs_an_earlier_incident() -> None:
    data = {"id": "t", "injects": [
        {"id": "J1", "t": 1, "kind": "complication",
         "complication": {"type": "repeat_call", "incident": "I1"}}]}
    with pytest.raises(InputError, match="not an earlier incident"):
        scenario_from_data(data)
    with pytest.raises(InputError, match="needs incident"):
        scenario_from_data({"id": "t", "injects": [
            {"id": "J1", "t": 1, "kind": "complication", "complication": {"type": "repeat_call"}}]})


def test_msel_marks_repeat_calls(county: Region, catalogue: HazardCatalogue,
                                 plan: DrillPlan) -> None:
    from scenarios.msel import rows

    s = next(s for s in (generate(county, catalogue, plan, k) for k in range(10))
             if any(isinstance(i, ComplicationInject) and i.complication.type == "repeat_call"
                    for i in s.injects))
    for inj, row in zip(s.injects, rows(s), strict=True):
        repeat = isinstance(inj, ComplicationInject) and inj.complication.type == "repeat_call"
        assert (row[3] == "重复报警(同一事件)") == repeat
        if repeat:
            assert row[4] == inj.delivery.sender and "值班室" in row[5]
