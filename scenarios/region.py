"""The typed world model of a region: jurisdictions, units, depots, command posts, hazards, people.

A region file (YAML, schema ``blinddrill.region/1``) holds one :class:`Region`. Loading it
checks every field's type and range and every cross-reference (a unit's home jurisdiction
exists, a depot's tier matches its jurisdiction's level, ids are unique across the region,
capabilities and items are declared). Errors name the file and the dotted path of the field.

Hierarchy: city → county (county/district) → township (township/street) → village
(village/community). Units, depots, hazard sites and people each point at their home
jurisdiction by id.
"""

from __future__ import annotations

from collections import Counter
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

import numpy as np
from pydantic import Field, model_validator

from scenarios import limits
from scenarios.loading import StrictModel, dump_yaml, load_model, validate_data
from scenarios.travel import Terrain, TravelModel, TravelParams, haversine_km_scalar

REGION_SCHEMA = "blinddrill.region/1"

Level = Literal["city", "county", "township", "village"]
LEVELS: tuple[Level, ...] = ("city", "county", "township", "village")
UnitTier = Literal["city", "county", "township"]
UnitKind = Literal[
    "township_station",  # 乡镇(街道)综合应急救援站/队, ≥ 30 people
    "fire_rescue",  # 专业消防救援队
    "hazmat",  # 危化品救援队
    "medical",  # 医疗救护队
    "flood_rescue",  # 防汛抢险/水上救援队
    "forest_fire",  # 森林消防/扑火队
    "mine_rescue",  # 矿山救护队
    "engineering",  # 工程抢险/市政队 (collapse, gas, roads)
    "militia",  # 民兵应急分队
    "enterprise",  # 企业救援队
    "social",  # 社会应急力量
]
SiteKind = Literal[
    "hazmat_enterprise",  # 危险化学品企业
    "major_hazard_source",  # 重大危险源
    "river",
    "reservoir",
    "forest",
    "dense_residential",
    "key_road",
    "public_venue",  # markets, stations, stadiums (crowds)
    "construction_site",
    "geohazard_point",  # 地质灾害隐患点
    "mine",  # 矿山 (coal and non-coal mines): production-safety accidents underground
]
ExpertField = Literal[
    "hazmat", "fire", "geology", "hydrology", "medical", "structural", "forestry", "meteorology",
    "mining",
]
OfficerRole = Literal[
    "grid_worker", "forest_ranger", "quake_reporter", "hydro_monitor", "geohazard_monitor"
]

Lon = Annotated[float, Field(ge=-180.0, le=180.0, description="longitude, decimal degrees WGS-84")]
Lat = Annotated[float, Field(ge=-90.0, le=90.0, description="latitude, decimal degrees WGS-84")]
Id = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")]
Name = Annotated[str, Field(min_length=1, max_length=200)]
Count = Annotated[int, Field(ge=0)]


#: limits on the number of records per list of a region (scenarios/limits.py).
REGION_CAPS: dict[str, int] = {
    "jurisdictions": limits.MAX_JURISDICTIONS, "units": limits.MAX_UNITS,
    "depots": limits.MAX_DEPOTS, "command_posts": limits.MAX_COMMAND_POSTS,
    "hazard_sites": limits.MAX_HAZARD_SITES, "experts": limits.MAX_EXPERTS,
    "info_officers": limits.MAX_INFO_OFFICERS, "service_centres": limits.MAX_COMMAND_POSTS,
}


class ReferenceProblems(ValueError):
    """Raised by cross-reference checks; carries one ``path: message`` string per problem."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


class Vocabulary(StrictModel):
    """A declared term (capability or supply item) with names in both languages."""

    id: Id
    name_zh: Name
    name_en: Name
    unit_zh: str = ""
    unit_en: str = ""


class Jurisdiction(StrictModel):
    """One administrative area: the city, a county/district, a township/street or a village."""

    id: Id
    name: Name
    level: Level
    parent: Id | None = None
    lon: Lon
    lat: Lat
    population: Annotated[int, Field(ge=0, le=limits.MAX_POPULATION)]
    terrain: Terrain = "plain"


class Unit(StrictModel):
    """A response team (unit) with its people, vehicles and capabilities (level 1–3 each)."""

    id: Id
    name: Name
    kind: UnitKind
    tier: UnitTier
    jurisdiction: Id
    lon: Lon
    lat: Lat
    headcount: Annotated[int, Field(ge=1, le=5000)]
    vehicles: Annotated[int, Field(ge=0, le=500)] = 1
    capabilities: dict[Id, Annotated[int, Field(ge=1, le=3)]]
    #: the hazard site the team belongs to (an enterprise's or a mine's own team): dispatch
    #: policies may send it first to incidents there
    site: Id | None = None


class Depot(StrictModel):
    """A material depot (储备库) or village supply point (储备点) with stock per item."""

    id: Id
    name: Name
    tier: Level
    jurisdiction: Id
    lon: Lon
    lat: Lat
    stock: dict[Id, Annotated[int, Field(ge=0, le=limits.MAX_QUANTITY)]]


class CommandPost(StrictModel):
    """A township command post (应急指挥部): minutes to activate, then to make the scene visible."""

    id: Id
    name: Name
    township: Id
    lon: Lon
    lat: Lat
    activation_min: Annotated[float, Field(gt=0, le=240)]
    visibility_min: Annotated[float, Field(gt=0, le=240)]


class ServiceCentre(StrictModel):
    """An integrated emergency service centre (综合应急服务站/中心): a rescue station (``unit``)
    and a material depot (``depot``) under one roof in one township, at ``lon``/``lat``.

    Loading checks that both exist and are in ``township``; a part more than
    :data:`CO_LOCATED_KM` from the centre is a plausibility warning, like every other
    distance check of a region."""

    id: Id
    name: Name
    township: Id
    unit: Id
    depot: Id
    lon: Lon
    lat: Lat


class HazardSite(StrictModel):
    """A place where incidents of certain categories can happen (enterprise, river, forest …)."""

    id: Id
    name: Name
    kind: SiteKind
    jurisdiction: Id
    lon: Lon
    lat: Lat
    detail: str = ""


class Expert(StrictModel):
    """A member of the expert pool (专家库) in one of nine fields (mine safety the ninth)."""

    id: Id
    name: Name
    field: ExpertField
    jurisdiction: Id
    phone: str = ""


class InfoOfficer(StrictModel):
    """A disaster information officer (灾害信息员): who first reports many incidents."""

    id: Id
    name: Name
    level: Level
    role: OfficerRole
    jurisdiction: Id
    phone: str = ""


class Region(StrictModel):
    """A whole region: the world a drill is played in. Load with :func:`load_region`."""

    schema_: Literal["blinddrill.region/1"] = Field(
        default="blinddrill.region/1", alias="schema"
    )
    name: Name
    seed: int | None = None
    capabilities: list[Vocabulary]
    items: list[Vocabulary]
    travel: TravelParams = Field(default_factory=TravelParams)
    jurisdictions: list[Jurisdiction] = Field(max_length=limits.MAX_JURISDICTIONS)
    units: list[Unit] = Field(max_length=limits.MAX_UNITS)
    depots: list[Depot] = Field(default_factory=list, max_length=limits.MAX_DEPOTS)
    command_posts: list[CommandPost] = Field(default_factory=list,
                                             max_length=limits.MAX_COMMAND_POSTS)
    hazard_sites: list[HazardSite] = Field(default_factory=list,
                                           max_length=limits.MAX_HAZARD_SITES)
    experts: list[Expert] = Field(default_factory=list, max_length=limits.MAX_EXPERTS)
    info_officers: list[InfoOfficer] = Field(default_factory=list,
                                             max_length=limits.MAX_INFO_OFFICERS)
    service_centres: list[ServiceCentre] = Field(default_factory=list,
                                                 max_length=limits.MAX_COMMAND_POSTS)

    model_config = StrictModel.model_config | {"populate_by_name": True}

    @model_validator(mode="before")
    @classmethod
    def _check_sizes(cls, data: Any) -> Any:
        problems = limits.too_many(data, REGION_CAPS)
        if problems:
            raise ReferenceProblems(problems)
        return data

    @model_validator(mode="after")
    def _check_references(self) -> Region:
        problems = _reference_problems(self)
        if problems:
            raise ReferenceProblems(problems)
        return self

    # ----- lookups -------------------------------------------------------------------------
    @cached_property
    def jurisdiction_by_id(self) -> dict[str, Jurisdiction]:
        """Jurisdictions keyed by id."""
        return {j.id: j for j in self.jurisdictions}

    @cached_property
    def unit_by_id(self) -> dict[str, Unit]:
        """Units keyed by id."""
        return {u.id: u for u in self.units}

    @cached_property
    def depot_by_id(self) -> dict[str, Depot]:
        """Depots keyed by id."""
        return {d.id: d for d in self.depots}

    @cached_property
    def site_by_id(self) -> dict[str, HazardSite]:
        """Hazard sites keyed by id."""
        return {s.id: s for s in self.hazard_sites}

    @cached_property
    def post_by_township(self) -> dict[str, CommandPost]:
        """Command posts keyed by their township id."""
        return {p.township: p for p in self.command_posts}

    def of_level(self, level: Level) -> list[Jurisdiction]:
        """All jurisdictions of one level, in file order."""
        return [j for j in self.jurisdictions if j.level == level]

    def ancestor(self, jurisdiction_id: str, level: Level) -> Jurisdiction | None:
        """The jurisdiction of ``level`` that contains ``jurisdiction_id`` (itself if same level)."""
        j = self.jurisdiction_by_id.get(jurisdiction_id)
        while j is not None and j.level != level:
            j = self.jurisdiction_by_id.get(j.parent) if j.parent else None
        return j

    def township_of(self, jurisdiction_id: str) -> str | None:
        """Township id containing a township- or village-level jurisdiction (None above)."""
        t = self.ancestor(jurisdiction_id, "township")
        return t.id if t else None

    def travel_model(self) -> TravelModel:
        """A fresh vectorised :class:`TravelModel` whose origins are this region's units."""
        return TravelModel(
            self.travel,
            [u.id for u in self.units],
            np.array([u.lon for u in self.units]),
            np.array([u.lat for u in self.units]),
            [u.kind for u in self.units],
        )

    # ----- summaries and I/O ---------------------------------------------------------------
    def counts(self) -> dict[str, Any]:
        """Counts per kind, as printed by ``blinddrill region show``."""
        lv = Counter(j.level for j in self.jurisdictions)
        return {
            "name": self.name,
            "cities": lv["city"],
            "counties": lv["county"],
            "townships": lv["township"],
            "villages": lv["village"],
            "units": len(self.units),
            "units_by_kind": dict(sorted(Counter(u.kind for u in self.units).items())),
            "township_station_min_headcount": min(
                (u.headcount for u in self.units if u.kind == "township_station"), default=0
            ),
            "depots": {t: sum(1 for d in self.depots if d.tier == t) for t in LEVELS},
            "command_posts": len(self.command_posts),
            "hazard_sites": dict(sorted(Counter(s.kind for s in self.hazard_sites).items())),
            "experts": len(self.experts),
            "experts_by_field": dict(sorted(Counter(e.field for e in self.experts).items())),
            "info_officers": len(self.info_officers),
            "info_officers_by_level": {
                lvl: sum(1 for o in self.info_officers if o.level == lvl) for lvl in LEVELS
            },
            "service_centres": len(self.service_centres),
            "capabilities": len(self.capabilities),
            "items": len(self.items),
        }

    def warnings(self) -> list[str]:
        """Plausibility warnings (the region is valid, but a person should look): see
        :func:`plausibility_warnings`."""
        return plausibility_warnings(self)

    def to_yaml(self) -> str:
        """Serialise to YAML that :func:`load_region` reads back into an equal model."""
        return dump_yaml(self.model_dump(mode="json", by_alias=True))


def _reference_problems(r: Region) -> list[str]:
    """Every broken cross-reference in ``r`` as ``path: message`` strings."""
    problems: list[str] = []
    seen: dict[str, str] = {}
    collections: list[tuple[str, list[Any]]] = [
        ("capabilities", r.capabilities),
        ("items", r.items),
        ("jurisdictions", r.jurisdictions),
        ("units", r.units),
        ("depots", r.depots),
        ("command_posts", r.command_posts),
        ("hazard_sites", r.hazard_sites),
        ("experts", r.experts),
        ("info_officers", r.info_officers),
        ("service_centres", r.service_centres),
    ]
    for name, items in collections:
        for i, obj in enumerate(items):
            path = f"{name}[{i}].id"
            if obj.id in seen:
                problems.append(f"{path}: duplicate id '{obj.id}' (first used at {seen[obj.id]})")
            else:
                seen[obj.id] = path
    juris = {j.id: j for j in r.jurisdictions}
    caps = {c.id for c in r.capabilities}
    items_ = {it.id for it in r.items}
    parent_level = {"county": "city", "township": "county", "village": "township"}
    for i, j in enumerate(r.jurisdictions):
        if j.level == "city":
            if j.parent is not None:
                problems.append(f"jurisdictions[{i}].parent: a city has no parent")
            continue
        if j.parent is None and j.level != "village" and not any(
                x.level == parent_level[j.level] for x in r.jurisdictions):
            continue  # a county-only (or township-only) region: its top level has no parent
        p = juris.get(j.parent) if j.parent else None
        if p is None:
            problems.append(
                f"jurisdictions[{i}].parent: unknown jurisdiction '{j.parent}' "
                f"(a {j.level} needs a {parent_level[j.level]} parent)"
            )
        elif p.level != parent_level[j.level]:
            problems.append(
                f"jurisdictions[{i}].parent: '{p.id}' is a {p.level}; "
                f"a {j.level} needs a {parent_level[j.level]} parent"
            )

    def need_juris(path: str, jid: str, levels: tuple[str, ...] | None = None) -> None:
        j = juris.get(jid)
        if j is None:
            problems.append(f"{path}: unknown jurisdiction '{jid}'")
        elif levels is not None and j.level not in levels:
            problems.append(f"{path}: '{jid}' is a {j.level}; expected one of {list(levels)}")

    kinds = set(get_args(UnitKind))
    for kind in r.travel.speed_kmh:
        if kind != "default" and kind not in kinds:
            problems.append(f"travel.speed_kmh.{kind}: unknown unit kind (known: default, "
                            f"{', '.join(sorted(kinds))})")
    for i, u in enumerate(r.units):
        need_juris(f"units[{i}].jurisdiction", u.jurisdiction)
        for cap in u.capabilities:
            if cap not in caps:
                problems.append(f"units[{i}].capabilities.{cap}: capability not declared")
        if u.site is not None and u.site not in {h.id for h in r.hazard_sites}:
            problems.append(f"units[{i}].site: unknown hazard site '{u.site}'")
    for i, d in enumerate(r.depots):
        need_juris(f"depots[{i}].jurisdiction", d.jurisdiction, (d.tier,))
        for item in d.stock:
            if item not in items_:
                problems.append(f"depots[{i}].stock.{item}: item not declared")
    for i, cp in enumerate(r.command_posts):
        need_juris(f"command_posts[{i}].township", cp.township, ("township",))
    for i, s in enumerate(r.hazard_sites):
        need_juris(f"hazard_sites[{i}].jurisdiction", s.jurisdiction, ("township", "village"))
    for i, e in enumerate(r.experts):
        need_juris(f"experts[{i}].jurisdiction", e.jurisdiction)
    for i, o in enumerate(r.info_officers):
        need_juris(f"info_officers[{i}].jurisdiction", o.jurisdiction, (o.level,))
    problems += _centre_problems(r, juris)
    if sum(1 for j in r.jurisdictions if j.level == "city") > 1:
        problems.append("jurisdictions: a region has at most one city")
    return problems


#: a service centre's station and depot are this close to the centre (km): under one roof,
#: allowing for coordinates taken at the gate or the yard
CO_LOCATED_KM = 2.0


def _centre_problems(r: Region, juris: dict[str, Jurisdiction]) -> list[str]:
    """Broken service centres: unknown township, unit or depot, or a part in another township
    (a part far from the centre's point is a plausibility warning, :func:`_centre_warnings`)."""
    out: list[str] = []
    units, depots = {u.id: u for u in r.units}, {d.id: d for d in r.depots}

    def township_of(jid: str) -> str | None:
        j = juris.get(jid)
        while j is not None and j.level != "township":
            j = juris.get(j.parent) if j.parent else None
        return j.id if j is not None else None

    for i, c in enumerate(r.service_centres):
        base = f"service_centres[{i}]"
        t = juris.get(c.township)
        if t is None or t.level != "township":
            out.append(f"{base}.township: no township '{c.township}'")
            continue
        parts: list[tuple[str, str, Unit | Depot | None]] = [
            ("unit", c.unit, units.get(c.unit)), ("depot", c.depot, depots.get(c.depot))]
        for field_, ident, part in parts:
            if part is None:
                out.append(f"{base}.{field_}: unknown {field_} '{ident}'")
                continue
            home = township_of(part.jurisdiction)
            if home != c.township:
                out.append(f"{base}.{field_}: '{ident}' is in {home or part.jurisdiction}, "
                           f"not in the centre's township '{c.township}'")
    return out


def _centre_warnings(r: Region) -> list[str]:
    """Service centres whose station or depot is more than :data:`CO_LOCATED_KM` from the
    centre's point (a coordinate typo, or not really under one roof)."""
    out: list[str] = []
    for i, c in enumerate(r.service_centres):
        for field_, part in (("unit", r.unit_by_id.get(c.unit)),
                             ("depot", r.depot_by_id.get(c.depot))):
            if part is None:
                continue
            km = haversine_km_scalar(part.lon, part.lat, c.lon, c.lat)
            if km > CO_LOCATED_KM:
                out.append(f"service_centres[{i}].{field_}: '{part.id}' is {km:,.1f} km from the "
                           f"centre (lon/lat); a centre's station and depot are within "
                           f"{CO_LOCATED_KM:g} km of it")
    return out


#: a township rescue station should have at least this many people (乡镇综合应急救援队 ≥ 30)
STATION_MIN_HEADCOUNT = 30
#: a point this far from its own jurisdiction's centre is probably misplaced
FAR_KM = 60.0
#: a unit further than this by road from its own jurisdiction cannot serve it in practice
DAY_MIN = 24 * 60.0


def plausibility_warnings(r: Region) -> list[str]:
    """What is valid but implausible, as ``path: message`` strings: points far outside their
    jurisdiction (a typo in a coordinate), township stations under the standard headcount,
    units more than a day's drive from the jurisdiction they serve, township and village
    information officers whose role has nothing to watch (a forest ranger with no forest
    near: :mod:`scenarios.officer_roles`), service centres whose station or depot is not
    within :data:`CO_LOCATED_KM` of the centre."""
    from scenarios.travel import haversine_km_scalar, road_minutes

    out: list[str] = []
    juris = r.jurisdiction_by_id

    def far(path: str, ident: str, lon: float, lat: float, jid: str,
            limit: float = FAR_KM) -> float:
        j = juris.get(jid)
        if j is None:
            return 0.0
        km = haversine_km_scalar(lon, lat, j.lon, j.lat)
        if km > limit:
            out.append(f"{path}: '{ident}' is {km:,.0f} km from the centre of its jurisdiction "
                       f"'{jid}' (a coordinate typo?)")
        return km

    for i, u in enumerate(r.units):
        km = far(f"units[{i}]", u.id, u.lon, u.lat, u.jurisdiction)
        j = juris.get(u.jurisdiction)
        if j is not None:
            eta = road_minutes(r.travel, km, r.travel.speed_for(u.kind), j.terrain)
            if eta > DAY_MIN:
                out.append(f"units[{i}]: '{u.id}' is {eta / 60:,.0f} h by road from its "
                           f"jurisdiction '{u.jurisdiction}' (more than a day)")
        if u.kind == "township_station" and u.headcount < STATION_MIN_HEADCOUNT:
            out.append(f"units[{i}].headcount: township station '{u.id}' has {u.headcount} "
                       f"people, under the standard of {STATION_MIN_HEADCOUNT}")
    for i, d in enumerate(r.depots):
        far(f"depots[{i}]", d.id, d.lon, d.lat, d.jurisdiction)
    for i, h in enumerate(r.hazard_sites):
        far(f"hazard_sites[{i}]", h.id, h.lon, h.lat, h.jurisdiction)
    for i, cp in enumerate(r.command_posts):
        far(f"command_posts[{i}]", cp.id, cp.lon, cp.lat, cp.township)
    from scenarios.officer_roles import NEAR_KM, misplaced

    local = [(k, o) for k, o in enumerate(r.info_officers) if o.level in ("township", "village")]
    centres = {j.id: (j.lon, j.lat) for j in r.jurisdictions}
    site_points = [(s.kind, s.lon, s.lat) for s in r.hazard_sites]
    for i, kinds in misplaced([(o.id, o.role, o.jurisdiction) for _, o in local], centres,
                              site_points):
        k, o = local[i]
        out.append(f"info_officers[{k}].role: {o.role} '{o.id}' has no {kinds} within "
                   f"{NEAR_KM:g} km of '{o.jurisdiction}' (a grid worker, or a missing site?)")
    out += _centre_warnings(r)
    for i, j in enumerate(r.jurisdictions):  # a village near its township, a township in
        if j.parent and j.level in ("village", "township"):  # reach of its county seat
            far(f"jurisdictions[{i}]", j.id, j.lon, j.lat, j.parent,
                FAR_KM if j.level == "village" else 3 * FAR_KM)
    return out


def load_region(path: str | Path) -> Region:
    """Load and fully validate a region file; raises ``InputError`` naming file and field."""
    return load_model(path, Region)


def region_from_data(data: Any, source: str = "<region>") -> Region:
    """Validate already-parsed region data (e.g. from a run's inputs)."""
    return validate_data(data, Region, source)
