"""Road travel times from coordinates: great-circle distance × detour factor ÷ speed.

Coordinates are WGS-84 longitude/latitude in decimal degrees (what users export from their
GIS). Distance is the haversine great-circle distance in km. Road time in minutes is::

    eta_min = 60 × distance_km × detour[terrain of the destination] ÷ (speed_kmh[unit kind] × road factor)

where the road factor is ``arterial_factor`` when the straight-line distance is at least
``arterial_min_km`` (long trips use arterial roads and expressways) and 1 otherwise.
Every function works on whole numpy rows: one call gives the ETA of every unit to an incident.

Road blocks are applied through :class:`RoadBlocks`: a factor (> 1 slows, ``inf`` makes a
destination unreachable) per destination township, optionally restricted to one unit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal, TypeVar

import numpy as np
import numpy.typing as npt
from pydantic import Field, model_validator

from scenarios.loading import StrictModel

EARTH_RADIUS_KM = 6371.0088
Terrain = Literal["urban", "plain", "hill", "mountain"]
FloatArray = npt.NDArray[np.float64]
T = TypeVar("T", float, FloatArray)
DEFAULT_DETOUR: dict[Terrain, float] = {"urban": 1.4, "plain": 1.3, "hill": 1.5, "mountain": 1.8}


class TravelParams(StrictModel):
    """Travel parameters kept in the region file (``travel:``); defaults documented in docs."""

    detour: dict[Terrain, float] = Field(
        default_factory=lambda: dict(DEFAULT_DETOUR),
        description="road distance ÷ straight-line distance, by the destination's terrain",
    )
    speed_kmh: dict[str, float] = Field(
        default_factory=lambda: {"default": 40.0},
        description="average emergency driving speed by unit kind; 'default' for other kinds",
    )
    arterial_min_km: float = Field(default=15.0, ge=0)
    arterial_factor: float = Field(default=1.4, gt=0)

    @model_validator(mode="after")
    def _check_ranges(self) -> TravelParams:
        """Reject impossible values that the field types alone cannot express."""
        for terrain, f in self.detour.items():
            if not (1.0 <= f <= 5.0):
                raise ValueError(f"detour.{terrain}: must be between 1 and 5, got {f}")
        for kind, s in self.speed_kmh.items():
            if not (0 < s <= 200):
                raise ValueError(f"speed_kmh.{kind}: must be in (0, 200] km/h, got {s}")
        if "default" not in self.speed_kmh:
            raise ValueError("speed_kmh: needs a 'default' speed for unit kinds not listed")
        return self

    def speed_for(self, kind: str) -> float:
        """Speed in km/h for a unit kind, falling back to ``default``."""
        return self.speed_kmh.get(kind, self.speed_kmh["default"])


def road_minutes(params: TravelParams, distance_km: T, speed_kmh: FloatArray | float,
                 terrain: Terrain) -> T:
    """The road-time formula, the only one (scalars or arrays): ``60 × distance_km ×
    detour[terrain] ÷ (speed_kmh × road factor)``, the road factor being ``arterial_factor``
    from ``arterial_min_km`` on, else 1. Python floats in, a Python float out."""
    if isinstance(distance_km, np.ndarray):
        road: FloatArray | float = np.where(distance_km >= params.arterial_min_km,
                                            params.arterial_factor, 1.0)
    else:
        road = params.arterial_factor if distance_km >= params.arterial_min_km else 1.0
    return 60.0 * distance_km * params.detour[terrain] / (speed_kmh * road)  # type: ignore[return-value]


def haversine_km_scalar(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in km between two points (``math``: a Python float)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, max(0.0, a))))


def haversine_km(
    lon1: FloatArray | float, lat1: FloatArray | float, lon2: float, lat2: float
) -> FloatArray:
    """Great-circle distance in km from each (lon1, lat1) to the point (lon2, lat2)."""
    lo1 = np.radians(np.asarray(lon1, dtype=np.float64))
    la1 = np.radians(np.asarray(lat1, dtype=np.float64))
    lo2, la2 = math.radians(lon2), math.radians(lat2)
    a = np.sin((la2 - la1) / 2) ** 2 + np.cos(la1) * math.cos(la2) * np.sin((lo2 - lo1) / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0))))


@dataclass
class RoadBlocks:
    """Road blocks in force: slow-down factors per destination township (``inf`` = cut off).

    ``by_township[t]`` applies to every unit travelling into township ``t``;
    ``by_pair[(unit_id, t)]`` only to that unit. Factors multiply.
    """

    by_township: dict[str, float] = field(default_factory=dict)
    by_pair: dict[tuple[str, str], float] = field(default_factory=dict)
    #: the factors behind each entry, in the order added (``(None, t)`` for a whole township)
    _factors: dict[tuple[str | None, str], list[float]] = field(default_factory=dict, repr=False)
    #: bumped on every change (ETAs computed under an older version are stale)
    version: int = 0

    def block(self, township: str, factor: float = math.inf, unit: str | None = None) -> None:
        """Add a block: travel into ``township`` takes ``factor`` times longer (inf: impossible)."""
        if factor < 1:
            raise ValueError("a road-block factor must be >= 1 (inf makes the pair unreachable)")
        self.version += 1
        if unit is None:
            self.by_township[township] = self.by_township.get(township, 1.0) * factor
        else:
            key = (unit, township)
            self.by_pair[key] = self.by_pair.get(key, 1.0) * factor
        self._factors.setdefault((unit, township), []).append(factor)

    def unblock(self, township: str, factor: float = math.inf, unit: str | None = None) -> None:
        """Lift one block added by :meth:`block` with the same arguments; others stay.

        The remaining factors are multiplied again in the order they were added, so the result
        equals what it would be had the lifted block never been added. Lifting a block that is
        not in force does nothing.
        """
        key = (unit, township)
        factors = self._factors.get(key)
        if not factors or factor not in factors:
            return
        factors.remove(factor)
        self.version += 1
        product = 1.0
        for f in factors:
            product *= f
        if not factors:
            del self._factors[key]
        if unit is None:
            if factors:
                self.by_township[township] = product
            else:
                self.by_township.pop(township, None)
        elif factors:
            self.by_pair[(unit, township)] = product
        else:
            self.by_pair.pop((unit, township), None)

    def clear(self, township: str) -> None:
        """Lift every block into ``township``."""
        self.version += 1
        self.by_township.pop(township, None)
        for key in [k for k in self.by_pair if k[1] == township]:
            del self.by_pair[key]
        for fkey in [k for k in self._factors if k[1] == township]:
            del self._factors[fkey]


class TravelModel:
    """Vectorised ETAs for a fixed set of origins (usually every unit of a region)."""

    def __init__(
        self,
        params: TravelParams,
        origin_ids: list[str],
        origin_lon: FloatArray,
        origin_lat: FloatArray,
        origin_kinds: list[str],
    ) -> None:
        self.params = params
        self.origin_ids = list(origin_ids)
        self._index = {u: i for i, u in enumerate(self.origin_ids)}
        self.lon = np.asarray(origin_lon, dtype=np.float64)
        self.lat = np.asarray(origin_lat, dtype=np.float64)
        self.speed = np.array([params.speed_for(k) for k in origin_kinds], dtype=np.float64)
        self.blocks = RoadBlocks()

    def distance_km(self, lon: float, lat: float) -> FloatArray:
        """Straight-line (great-circle) km from every origin to (lon, lat)."""
        return haversine_km(self.lon, self.lat, lon, lat)

    def eta_minutes(
        self, lon: float, lat: float, terrain: Terrain, township: str | None = None
    ) -> FloatArray:
        """Road minutes from every origin to (lon, lat) in a township of ``terrain``.

        ``township`` (the destination's id) enables road blocks; unreachable pairs are ``inf``.
        """
        eta = road_minutes(self.params, self.distance_km(lon, lat), self.speed, terrain)
        if township is not None:
            eta = self._apply_blocks(eta, township)
        return np.asarray(eta)

    def _apply_blocks(self, eta: FloatArray, township: str) -> FloatArray:
        f = self.blocks.by_township.get(township)
        if f is not None:
            eta = eta * f
        pairs = [(u, f) for (u, t), f in self.blocks.by_pair.items() if t == township]
        if pairs:
            eta = eta.copy()
            for u, f in pairs:
                i = self._index.get(u)
                if i is not None:
                    eta[i] *= f
        return eta


def point_eta_minutes(
    params: TravelParams,
    kind: str,
    lon1: float,
    lat1: float,
    lon2: float,
    lat2: float,
    terrain: Terrain,
) -> float:
    """ETA in minutes for one origin of unit ``kind`` (e.g. a depot's truck) to one destination."""
    d = float(haversine_km(lon1, lat1, lon2, lat2))
    return road_minutes(params, d, params.speed_for(kind), terrain)
