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
and the supplies in it go by the same offset, and placed in a township (or a village of one)
the centre and station belong to that township while the depot keeps its level (a village
supply point goes to the village placed in, else to the township's village nearest to it).
Each alternative's region is validated after each change like any region file; problems name
this file, the alternative and the change (and items of the changed region by id).
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

from pydantic import Field, model_validator

from engine.params import BehaviourParams, load_params
from experiments.batch import Alternative
from scenarios.loading import InputError, StrictModel, load_model, validate_data
from scenarios.region import ReferenceProblems, Region, region_from_data
from scenarios.travel import haversine_km_scalar


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


#: the name of the setup as it is, the reference every alternative is compared with
CURRENT = "current"


class WhatIfFile(StrictModel):
    """The alternatives file: each alternative named once, none named :data:`CURRENT`."""

    alternatives: list[AlternativeDef] = Field(min_length=1)

    @model_validator(mode="after")
    def _distinct_names(self) -> WhatIfFile:
        # summary.json and replications.parquet tell alternatives apart by name alone; names
        # that differ only in case or surrounding spaces would print alike
        problems: list[str] = []
        first: dict[str, int] = {}
        for i, a in enumerate(self.alternatives):
            key = a.name.strip().casefold()
            if key == CURRENT:
                problems.append(f"alternatives[{i}].name: '{a.name}' is the name of the setup "
                                "as it is, which every alternative is compared with; choose "
                                "another name")
            elif key in first:
                problems.append(f"alternatives[{i}].name: '{a.name}' is already the name of "
                                f"alternatives[{first[key]}]; each alternative needs a name "
                                "of its own (the results are told apart by it)")
            else:
                first[key] = i
        if problems:
            raise ReferenceProblems(problems)
        return self


def load_whatif(path: str | Path) -> WhatIfFile:
    """Read and validate an alternatives file."""
    return load_model(path, WhatIfFile)


def _place(item: dict[str, Any], p: Place, jur: dict[str, Any], where: str, field: str,
           rehome: bool = True) -> None:
    if p.township is not None:
        j = jur.get(p.township)
        if j is None:
            raise InputError(where, [f"{field}.township: no jurisdiction '{p.township}' in "
                                     "the region"])
        item.update(lon=j["lon"], lat=j["lat"])
        if rehome:
            item["jurisdiction"] = j["id"]
    else:
        item.update(lon=p.lon, lat=p.lat)


def _township_of(jid: str, jur: dict[str, Any]) -> str | None:
    """The township containing jurisdiction ``jid`` (itself for a township; None above)."""
    j = jur.get(jid)
    while j is not None and j["level"] != "township":
        j = jur.get(j["parent"]) if j.get("parent") else None
    return None if j is None else str(j["id"])


def _depot_home(depot: dict[str, Any], township: str, place: str, jur: dict[str, Any],
                where: str, centre: str) -> str:
    """The jurisdiction of a service centre's depot once the centre stands in ``township``:
    a township depot belongs to the township; a village supply point (储备点) stays a village
    supply point, of the village placed in or else of the township's village nearest to
    where the depot now is."""
    if depot["tier"] != "village":
        return township
    if jur[place]["level"] == "village":
        return place
    villages = [j for j in jur.values() if j["level"] == "village" and j.get("parent") == township]
    if not villages:
        raise InputError(where, [f"the depot {depot['id']} of service centre {centre} is a "
                                 f"village supply point and township {township} has no "
                                 "village to hold it; place the centre by lon/lat instead"])
    return str(min(villages, key=lambda v: haversine_km_scalar(
        depot["lon"], depot["lat"], v["lon"], v["lat"]))["id"])


def _move_centre(centre: dict[str, Any], was: tuple[float, float], moved: dict[str, Any],
                 unit: dict[str, Any], depot: dict[str, Any], place: str | None,
                 jur: dict[str, Any], where: str, field: str) -> None:
    """An integrated service centre is one building: its station (``unit``) and its depot
    (with the supplies in it) move together. ``moved`` (one of them) went from ``was`` to
    where it was placed; the centre and the other part move by the same offset (keeping their
    places relative to each other; a move to where it already is changes nothing). Placed in
    a jurisdiction (``place``), the centre and the station then belong to its township, and
    the depot keeps its level: a township depot belongs to the township, a village supply
    point to a village of it (:func:`_depot_home`)."""
    dlon, dlat = moved["lon"] - was[0], moved["lat"] - was[1]
    for item in (centre, depot if moved is unit else unit):
        item.update(lon=round(item["lon"] + dlon, 6), lat=round(item["lat"] + dlat, 6))
    if place is None:
        return
    township = _township_of(place, jur)
    if township is None:
        what = "station" if moved is unit else "depot"
        raise InputError(where, [f"{field}.township: '{place}' is a {jur[place]['level']}; the {what} "
                                 f"of service centre {centre['id']} moves the whole centre, "
                                 "which stands in a township: give a township (or a village "
                                 "of one) or lon/lat"])
    centre["township"] = unit["jurisdiction"] = township
    depot["jurisdiction"] = _depot_home(depot, township, place, jur, where, centre["id"])


#: region lists whose problems name an item by index (``depots[548]``): said by id instead
_ITEMS = {"jurisdictions": "jurisdiction", "units": "unit", "depots": "depot",
          "command_posts": "command post", "service_centres": "service centre",
          "hazard_sites": "hazard site", "experts": "expert", "info_officers": "info officer"}


def _by_id(problem: str, data: dict[str, Any]) -> str:
    """``depots[548].jurisdiction: …`` → ``depot 'D-K06-T03-V02'.jurisdiction: …``: the user
    never wrote the changed region, so an index into it means nothing to them."""
    def named(m: re.Match[str]) -> str:
        items = data.get(m.group(1)) or []
        k = int(m.group(2))
        if k < len(items) and isinstance(items[k], dict) and "id" in items[k]:
            return f"{_ITEMS[m.group(1)]} '{items[k]['id']}'"
        return m.group(0)

    return re.sub(rf"\b({'|'.join(_ITEMS)})\[(\d+)\]", named, problem)


def _label(ch: Change, name: str | None) -> str:
    """``alternative 'm', move_unit U-K06-T03``: which alternative and change a problem is in."""
    kind, body = next((k, v) for k, v in ch if v is not None)
    target = next(str(v) for k, v in body if k in ("unit", "depot", "id"))
    return f"{'' if name is None else f'alternative {name!r}, '}{kind} {target}"


def apply_changes(region: Region, changes: list[Change], source: str,
                  name: str | None = None) -> Region:
    """A new region with ``changes`` applied (validated; errors name ``source``, the
    alternative's ``name`` and the change). Moving the station or the depot of an integrated
    service centre moves the whole centre."""
    data = copy.deepcopy(region.model_dump(mode="json", by_alias=True))
    jur = {j["id"]: j for j in data["jurisdictions"]}
    units = {u["id"]: u for u in data["units"]}
    depots = {d["id"]: d for d in data.get("depots", [])}
    centre_of_unit = {c["unit"]: c for c in data.get("service_centres", [])}
    centre_of_depot = {c["depot"]: c for c in data.get("service_centres", [])}
    out = region
    for i, ch in enumerate(changes):
        where = f"{source}.changes[{i}] ({_label(ch, name)})"
        if ch.add_unit is not None:
            a = ch.add_unit
            if a.like not in units:
                raise InputError(where, [f"add_unit.like: no unit '{a.like}' in the region"])
            if a.id in units:
                raise InputError(where, [f"add_unit.id: '{a.id}' already exists"])
            new = copy.deepcopy(units[a.like])
            new.update(id=a.id, name=a.name or f"{new['name']}({a.id})")
            _place(new, a, jur, where, "add_unit")
            data["units"].append(new)
            units[a.id] = new
        elif ch.move_unit is not None:
            if ch.move_unit.unit not in units:
                raise InputError(where, [f"move_unit.unit: no unit '{ch.move_unit.unit}'"])
            unit = units[ch.move_unit.unit]
            was = (unit["lon"], unit["lat"])
            _place(unit, ch.move_unit, jur, where, "move_unit")
            if (c := centre_of_unit.get(ch.move_unit.unit)) is not None:
                _move_centre(c, was, unit, unit, depots[c["depot"]], ch.move_unit.township,
                             jur, where, "move_unit")
        elif ch.headcount is not None:
            if ch.headcount.unit not in units:
                raise InputError(where, [f"headcount.unit: no unit '{ch.headcount.unit}'"])
            units[ch.headcount.unit]["headcount"] = ch.headcount.headcount
        elif ch.move_depot is not None:
            if ch.move_depot.depot not in depots:
                raise InputError(where, [f"move_depot.depot: no depot '{ch.move_depot.depot}'"])
            depot = depots[ch.move_depot.depot]
            was = (depot["lon"], depot["lat"])
            _place(depot, ch.move_depot, jur, where, "move_depot", rehome=False)
            if (c := centre_of_depot.get(ch.move_depot.depot)) is not None:
                _move_centre(c, was, depot, units[c["unit"]], depot, ch.move_depot.township,
                             jur, where, "move_depot")
        try:  # after each change, so that a problem is put down to the change that made it
            out = region_from_data(data, where)
        except InputError as exc:
            raise InputError(where, [f"the region this change makes is invalid: "
                                     f"{_by_id(p, data)}" for p in exc.problems]) from None
    return out


def build_alternatives(defs: WhatIfFile, region: Region, params: BehaviourParams,
                       source: str | Path = "<alternatives>") -> list[Alternative]:
    """The reference ("current") followed by one :class:`Alternative` per definition."""
    base_dir = Path(source).parent
    out = [Alternative(CURRENT, region, params)]
    for i, d in enumerate(defs.alternatives):
        where = f"{source}: alternatives[{i}]"
        alt_region = apply_changes(region, d.changes, where, d.name) if d.changes else region
        alt_params = params
        if d.params is not None:
            alt_params = load_params(base_dir / d.params)
        if d.policy is not None:
            data = alt_params.model_dump(mode="json")
            data["dispatch"]["policy"] = d.policy
            alt_params = validate_data(data, BehaviourParams,
                                       f"{where}.policy (alternative {d.name!r})")
        out.append(Alternative(d.name, alt_region, alt_params))
    return out
