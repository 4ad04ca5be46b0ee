"""What-if: alternatives to the current region and behaviour, compared on common random numbers.

An alternatives file (YAML) lists changes to try; every alternative is played on the **same**
replication seeds as the reference (the region as it is), so the paired differences cancel most
of the noise (common random numbers) and two identical alternatives differ by exactly zero::

    alternatives:
      - name: second station in K01-T02
        changes:
          - add_unit: {like: U-K01-T01, id: U-K01-T02-b, township: K01-T02}
      - name: bigger crew
        changes:
          - headcount: {unit: U-K01-T01, headcount: 60}
      - name: depot moved
        changes:
          - move_depot: {depot: D-C00, township: K03}
          - move_unit: {unit: U-K01-T01, lon: 117.2, lat: 31.5}
      - name: another dispatch policy
        policy: nearest_eta      # any policy registered in engine.dispatch
        params: other.yaml       # optional: other behaviour parameters (relative to this file)

A ``township`` placement puts a unit at that jurisdiction's centre and under it (its desk
commands the unit); a depot moves to the centre but keeps its owner (a depot's tier fixes the
level of its jurisdiction); ``lon``/``lat`` move without changing the owner. The station or the
depot of an integrated service centre (综合应急服务站) moves the whole centre: station, depot
and the supplies in it go by the same offset, and placed in a township all three belong to it.
Each alternative's region is validated like any region file; problems name this file and field.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from pydantic import Field, model_validator

from engine.params import BehaviourParams, load_params
from experiments.batch import Alternative
from scenarios.loading import InputError, StrictModel, load_model, validate_data
from scenarios.region import Region, region_from_data


class Place(StrictModel):
    """Where to put something: a jurisdiction's centre, or explicit coordinates."""

    township: str | None = None
    lon: float | None = Field(default=None, ge=-180, le=180)
    lat: float | None = Field(default=None, ge=-90, le=90)

    @model_validator(mode="after")
    def _one_place(self) -> Place:
        has_xy = self.lon is not None and self.lat is not None
        if (self.township is None) == (not has_xy):
            raise ValueError("give either township or both lon and lat")
        return self


class AddUnit(Place):
    """A new unit copied from an existing one (kind, people, capabilities), placed anew."""

    like: str
    id: str
    name: str | None = None


class MoveUnit(Place):
    """Station an existing unit elsewhere."""

    unit: str


class Headcount(StrictModel):
    """Change a unit's headcount."""

    unit: str
    headcount: int = Field(ge=1, le=5000)


class MoveDepot(Place):
    """Move a depot (with its stock)."""

    depot: str


class Change(StrictModel):
    """One change; exactly one of the fields."""

    add_unit: AddUnit | None = None
    move_unit: MoveUnit | None = None
    headcount: Headcount | None = None
    move_depot: MoveDepot | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Change:
        if sum(v is not None for v in (self.add_unit, self.move_unit, self.headcount,
                                       self.move_depot)) != 1:
            raise ValueError("exactly one of add_unit, move_unit, headcount, move_depot")
        return self


class AlternativeDef(StrictModel):
    """One alternative: region changes, other parameters, another dispatch policy."""

    name: str = Field(min_length=1)
    changes: list[Change] = Field(default_factory=list)
    params: str | None = None
    policy: str | None = None


class WhatIfFile(StrictModel):
    """The alternatives file."""

    alternatives: list[AlternativeDef] = Field(min_length=1)


def load_whatif(path: str | Path) -> WhatIfFile:
    """Read and validate an alternatives file."""
    return load_model(path, WhatIfFile)


def _place(item: dict[str, Any], p: Place, jur: dict[str, Any], where: str,
           rehome: bool = True) -> None:
    if p.township is not None:
        j = jur.get(p.township)
        if j is None:
            raise InputError(where, [f"township: no jurisdiction '{p.township}' in the region"])
        item.update(lon=j["lon"], lat=j["lat"])
        if rehome:
            item["jurisdiction"] = j["id"]
    else:
        item.update(lon=p.lon, lat=p.lat)


def _move_centre(centre: dict[str, Any], was: tuple[float, float], moved: dict[str, Any],
                 other: dict[str, Any], township: str | None) -> None:
    """An integrated service centre is one building: its station and its depot (with the
    supplies in it) move together. ``moved`` (one of them) went from ``was`` to where it was
    placed; the centre and the other part move by the same offset (keeping their places
    relative to each other; a move to where it already is changes nothing). Placed in a
    township, the centre and both parts then belong to it."""
    dlon, dlat = moved["lon"] - was[0], moved["lat"] - was[1]
    for item in (centre, other):
        item.update(lon=round(item["lon"] + dlon, 6), lat=round(item["lat"] + dlat, 6))
    if township is not None:
        centre["township"] = township
        moved["jurisdiction"] = other["jurisdiction"] = township


def apply_changes(region: Region, changes: list[Change], source: str) -> Region:
    """A new region with ``changes`` applied (validated; errors name ``source``). Moving the
    station or the depot of an integrated service centre moves the whole centre."""
    data = copy.deepcopy(region.model_dump(mode="json", by_alias=True))
    jur = {j["id"]: j for j in data["jurisdictions"]}
    units = {u["id"]: u for u in data["units"]}
    depots = {d["id"]: d for d in data.get("depots", [])}
    centre_of_unit = {c["unit"]: c for c in data.get("service_centres", [])}
    centre_of_depot = {c["depot"]: c for c in data.get("service_centres", [])}
    for i, ch in enumerate(changes):
        where = f"{source}.changes[{i}]"
        if ch.add_unit is not None:
            a = ch.add_unit
            if a.like not in units:
                raise InputError(where, [f"add_unit.like: no unit '{a.like}' in the region"])
            if a.id in units:
                raise InputError(where, [f"add_unit.id: '{a.id}' already exists"])
            new = copy.deepcopy(units[a.like])
            new.update(id=a.id, name=a.name or f"{new['name']}({a.id})")
            _place(new, a, jur, where)
            data["units"].append(new)
            units[a.id] = new
        elif ch.move_unit is not None:
            if ch.move_unit.unit not in units:
                raise InputError(where, [f"move_unit.unit: no unit '{ch.move_unit.unit}'"])
            unit = units[ch.move_unit.unit]
            was = (unit["lon"], unit["lat"])
            _place(unit, ch.move_unit, jur, where)
            if (c := centre_of_unit.get(ch.move_unit.unit)) is not None:
                _move_centre(c, was, unit, depots[c["depot"]], ch.move_unit.township)
        elif ch.headcount is not None:
            if ch.headcount.unit not in units:
                raise InputError(where, [f"headcount.unit: no unit '{ch.headcount.unit}'"])
            units[ch.headcount.unit]["headcount"] = ch.headcount.headcount
        elif ch.move_depot is not None:
            if ch.move_depot.depot not in depots:
                raise InputError(where, [f"move_depot.depot: no depot '{ch.move_depot.depot}'"])
            depot = depots[ch.move_depot.depot]
            was = (depot["lon"], depot["lat"])
            _place(depot, ch.move_depot, jur, where, rehome=False)
            if (c := centre_of_depot.get(ch.move_depot.depot)) is not None:
                _move_centre(c, was, depot, units[c["unit"]], ch.move_depot.township)
    return region_from_data(data, source)


def build_alternatives(defs: WhatIfFile, region: Region, params: BehaviourParams,
                       source: str | Path = "<alternatives>") -> list[Alternative]:
    """The reference ("current") followed by one :class:`Alternative` per definition."""
    base_dir = Path(source).parent
    out = [Alternative("current", region, params)]
    for i, d in enumerate(defs.alternatives):
        where = f"{source}: alternatives[{i}]"
        alt_region = apply_changes(region, d.changes, where) if d.changes else region
        alt_params = params
        if d.params is not None:
            alt_params = load_params(base_dir / d.params)
        if d.policy is not None:
            data = alt_params.model_dump(mode="json")
            data["dispatch"]["policy"] = d.policy
            alt_params = validate_data(data, BehaviourParams, f"{where}.policy")
        out.append(Alternative(d.name, alt_region, alt_params))
    return out
