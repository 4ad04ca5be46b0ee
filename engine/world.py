"""Per-region precomputation for the engine: unit arrays, capability levels, scopes, depots.

Built once per region object and cached (keyed by the region's identity, holding a reference so
the id cannot be reused), so many short replications on the 369-unit seed city pay only for
the simulation itself. Nothing here changes during a run; per-run state lives in the drill.
"""

from __future__ import annotations

from collections import Counter, OrderedDict
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from scenarios.region import CommandPost, Depot, HazardSite, InfoOfficer, Region, Unit
from scenarios.travel import (
    RoadBlocks,
    TravelModel,
    TravelParams,
    haversine_km,
    haversine_km_scalar,
    road_minutes,
)

BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]


@dataclass
class RegionIndex:
    """Read-only arrays and lookups over one region's units, jurisdictions and depots."""

    region: Region
    units: list[Unit]
    unit_ids: list[str]
    kinds: list[str]
    headcount: FloatArray
    lon: FloatArray
    lat: FloatArray
    home_terrain: list[str]  # terrain of each unit's home jurisdiction (for the trip back)
    serving: list[str]  # the jurisdiction a unit serves: its home's ancestor at the unit's tier
    serving_county: list[str | None]  # county of the serving jurisdiction (None for city units)
    cap_level: dict[str, IntArray]  # capability → level (0 = none) per unit
    county_of: dict[str, str | None]  # township → county
    city_id: str | None
    officer_level: dict[str, str]  # information officer id → level
    _scope_cache: dict[tuple[str, str], BoolArray] = field(default_factory=dict)
    _capable_cache: dict[tuple[str, int], BoolArray] = field(default_factory=dict)
    _depot_cache: dict[str, list[Depot]] = field(default_factory=dict)
    _depots_by: dict[str, list[Depot]] = field(default_factory=dict)
    _codes: dict[str, int] = field(default_factory=dict)
    _serving_code: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.intp))
    _county_code: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.intp))
    _officers_by: dict[str, list[InfoOfficer]] | None = None
    _sites_by: dict[str, list[HazardSite]] | None = None
    _villages: dict[str, int] | None = None

    def scope(self, level: str, jurisdiction: str) -> BoolArray:
        """Units a desk of ``level`` at ``jurisdiction`` commands directly."""
        key = (level, jurisdiction)
        got = self._scope_cache.get(key)
        if got is None:
            if not self._codes:
                for name in self.serving + [c or "" for c in self.serving_county]:
                    self._codes.setdefault(name, len(self._codes))
                self._serving_code = np.array([self._codes[s] for s in self.serving])
                self._county_code = np.array([self._codes[c or ""] for c in self.serving_county])
            code = self._codes.get(jurisdiction, -1)
            if level == "township":
                got = np.asarray(self._serving_code == code)
            elif level == "county":
                got = np.asarray(self._county_code == code)
            else:
                got = np.ones(len(self.units), dtype=bool)
            self._scope_cache[key] = got
        return got

    def contains(self, unit: int, township: str) -> bool:
        """Whether unit ``unit``'s own jurisdiction contains ``township`` (else it is mutual aid)."""
        s = self.serving[unit]
        return s == township or s == self.county_of.get(township) or s == self.city_id

    def capable(self, capability: str, min_level: int) -> BoolArray:
        """Units with ``capability`` at level ``min_level`` or more (computed once per pair:
        callers combine it into new arrays, never change it)."""
        key = (capability, min_level)
        got = self._capable_cache.get(key)
        if got is None:
            lv = self.cap_level.get(capability)
            got = (np.zeros(len(self.units), dtype=bool) if lv is None
                   else np.asarray(lv >= min_level))
            got.flags.writeable = False
            self._capable_cache[key] = got
        return got

    def depot_chain(self, township: str) -> list[Depot]:
        """Depots to ask for an incident in ``township``: village and township depots there,
        then the county's, then the city's (nearest tier first; file order within a tier)."""
        got = self._depot_cache.get(township)
        if got is None:
            if not self._depots_by:
                r = self.region
                for d in r.depots:
                    if d.tier in ("village", "township"):
                        key = r.township_of(d.jurisdiction) or ""
                    elif d.tier == "county":
                        key = d.jurisdiction
                    else:
                        key = "*city*"
                    self._depots_by.setdefault(key, []).append(d)
            order = {"village": 0, "township": 1}
            county = self.county_of.get(township) or ""
            got = sorted(self._depots_by.get(township, []), key=lambda d: order[d.tier])
            got += self._depots_by.get(county, []) + self._depots_by.get("*city*", [])
            self._depot_cache[township] = got
        return got

    def officers_in(self, township: str) -> list[InfoOfficer]:
        """Information officers of ``township``: its villages' officers first, then the
        township's own (file order within each)."""
        if self._officers_by is None:
            by: dict[str, list[InfoOfficer]] = {}
            r = self.region
            for lv in ("village", "township"):
                for o in r.info_officers:
                    if o.level == lv:
                        t = r.township_of(o.jurisdiction)
                        if t is not None:
                            by.setdefault(t, []).append(o)
            self._officers_by = by
        return self._officers_by.get(township, [])

    def villages_in(self, township: str) -> int:
        """How many villages (communities) ``township`` has."""
        if self._villages is None:
            self._villages = dict(Counter(
                j.parent for j in self.region.jurisdictions if j.level == "village" and j.parent))
        return self._villages.get(township, 0)

    def sites_by_township(self) -> dict[str, list[HazardSite]]:
        """Hazard sites grouped by the township containing them (file order; townships in
        order of their first site)."""
        if self._sites_by is None:
            by: dict[str, list[HazardSite]] = {}
            r = self.region
            for s in r.hazard_sites:
                t = r.township_of(s.jurisdiction)
                if t is not None:
                    by.setdefault(t, []).append(s)
            self._sites_by = by
        return self._sites_by

    def post_for(self, township: str) -> CommandPost | None:
        """The township's command post, if it has one."""
        return self.region.post_by_township.get(township)

    def etas(self, tm: TravelModel, idx: IntArray, lon: float, lat: float, terrain: str,
             township: str, olon: FloatArray | None = None,
             olat: FloatArray | None = None) -> FloatArray:
        """Road minutes from the current positions (in ``tm``, or ``olon``/``olat`` given per
        unit of ``idx``) of units ``idx`` to a point, with ``tm``'s road blocks into
        ``township`` applied."""
        if olon is None or olat is None:
            olon, olat = tm.lon[idx], tm.lat[idx]
        eta = road_minutes(self.region.travel, haversine_km(olon, olat, lon, lat),
                           tm.speed[idx], terrain)  # type: ignore[arg-type]
        b = tm.blocks
        f = b.by_township.get(township)
        if f is not None:
            eta = eta * f
        if b.by_pair:
            eta = eta.copy()
            for k, u in enumerate(idx):
                eta[k] *= b.by_pair.get((self.unit_ids[int(u)], township), 1.0)
        return np.asarray(eta)

    def travel_model(self) -> TravelModel:
        """A fresh travel model (own positions and road blocks) for one run."""
        return TravelModel(
            self.region.travel, self.unit_ids, self.lon.copy(), self.lat.copy(), self.kinds
        )


def _build(region: Region) -> RegionIndex:
    units = list(region.units)
    serving: list[str] = []
    serving_county: list[str | None] = []
    for u in units:
        anc = region.ancestor(u.jurisdiction, u.tier)
        s = anc.id if anc is not None else u.jurisdiction
        serving.append(s)
        c = region.ancestor(s, "county")
        serving_county.append(c.id if c is not None else None)
    caps: dict[str, IntArray] = {}
    for v in region.capabilities:
        caps[v.id] = np.array([u.capabilities.get(v.id, 0) for u in units], dtype=np.intp)
    county_of: dict[str, str | None] = {}
    for j in region.of_level("township"):
        k = region.ancestor(j.id, "county")
        county_of[j.id] = k.id if k is not None else None
    cities = region.of_level("city")
    return RegionIndex(
        region=region,
        units=units,
        unit_ids=[u.id for u in units],
        kinds=[u.kind for u in units],
        headcount=np.array([u.headcount for u in units], dtype=np.float64),
        lon=np.array([u.lon for u in units], dtype=np.float64),
        lat=np.array([u.lat for u in units], dtype=np.float64),
        home_terrain=[region.jurisdiction_by_id[u.jurisdiction].terrain for u in units],
        serving=serving,
        serving_county=serving_county,
        cap_level=caps,
        county_of=county_of,
        city_id=cities[0].id if cities else None,
        officer_level={o.id: o.level for o in region.info_officers},
    )


_CACHE: OrderedDict[int, RegionIndex] = OrderedDict()
_CACHE_SIZE = 8


def region_index(region: Region) -> RegionIndex:
    """The cached :class:`RegionIndex` of ``region`` (by object identity; small LRU)."""
    key = id(region)
    got = _CACHE.get(key)
    if got is not None and got.region is region:
        _CACHE.move_to_end(key)
        return got
    got = _build(region)
    _CACHE[key] = got
    while len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return got


def road_minutes_between(
    travel: TravelParams, speed_kmh: float, lon1: float, lat1: float, lon2: float, lat2: float,
    terrain: str,
) -> float:
    """Road minutes for one trip between two points (Python floats; the formula is
    :func:`scenarios.travel.road_minutes`)."""
    return road_minutes(travel, haversine_km_scalar(lon1, lat1, lon2, lat2), speed_kmh,
                        terrain)  # type: ignore[arg-type]


def block_factor(blocks: RoadBlocks, unit_id: str, township: str) -> float:
    """The road-block factor for one unit travelling into ``township`` (1 = no block)."""
    f = blocks.by_township.get(township, 1.0)
    if blocks.by_pair:
        f *= blocks.by_pair.get((unit_id, township), 1.0)
    return f
