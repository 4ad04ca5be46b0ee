"""Which kind of disaster information officer (灾害信息员) fits a place.

An officer's role follows what is around their jurisdiction: a forest ranger (护林员) where a
forest is near, a geohazard monitor (地质灾害群测群防员) at a geohazard point, a water-level
monitor (水雨情监测员) by a river or reservoir, a grid worker (网格员) in towns and wherever no
site calls for a specialist; earthquake observers (地震宏观测报员) are placed one per township by
whoever builds the region. The seed city draws its officers' roles from :func:`roles_by_place`;
:func:`misplaced` finds officers of a hand-written region whose role has nothing to watch.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from scenarios.travel import haversine_km

#: the site kinds a specialist officer watches
ROLE_SITES: dict[str, tuple[str, ...]] = {
    "forest_ranger": ("forest",),
    "geohazard_monitor": ("geohazard_point",),
    "hydro_monitor": ("river", "reservoir"),
}
#: a site this close to a jurisdiction's centre (km) is within its officers' watch
NEAR_KM = 5.0

Point = tuple[str, float, float]  # (id or kind, lon, lat)


def _near(points: Sequence[Point], sites: Sequence[Point], kinds: tuple[str, ...]) -> np.ndarray:
    """For each point, whether a site of one of ``kinds`` is within :data:`NEAR_KM`."""
    xs = [(lon, lat) for kind, lon, lat in sites if kind in kinds]
    out = np.zeros(len(points), dtype=bool)
    if not xs or not points:
        return out
    slon, slat = np.array([x[0] for x in xs]), np.array([x[1] for x in xs])
    for i, (_, lon, lat) in enumerate(points):
        out[i] = bool((haversine_km(slon, slat, lon, lat) <= NEAR_KM).any())
    return out


def roles_by_place(points: Sequence[Point], terrains: Sequence[str],
                   sites: Sequence[Point]) -> dict[str, list[str]]:
    """The roles that fit each jurisdiction ``(id, lon, lat)`` of terrain ``terrains[i]``,
    given the region's ``sites`` ``(kind, lon, lat)``: the specialists whose sites are near,
    plus a grid worker in towns (urban terrain) or where no specialist fits."""
    near = {role: _near(points, sites, kinds) for role, kinds in ROLE_SITES.items()}
    out: dict[str, list[str]] = {}
    for i, (jid, _, _) in enumerate(points):
        roles = [role for role in ROLE_SITES if near[role][i]]
        if terrains[i] == "urban" or not roles:
            roles.append("grid_worker")
        out[jid] = roles
    return out


def misplaced(officers: Sequence[tuple[str, str, str]], points: dict[str, tuple[float, float]],
              sites: Sequence[Point]) -> list[tuple[int, str]]:
    """Officers ``(id, role, jurisdiction)`` whose specialist role has no site of its kinds
    within :data:`NEAR_KM` of their jurisdiction's centre: (index, the kinds missing)."""
    out: list[tuple[int, str]] = []
    for i, (oid, role, jid) in enumerate(officers):
        kinds = ROLE_SITES.get(role)
        where = points.get(jid)
        if kinds is None or where is None:
            continue
        if not _near([(oid, where[0], where[1])], sites, kinds)[0]:
            out.append((i, " or ".join(kinds)))
    return out
