"""Dispatch optimality: how much closer a capable, free unit was at the moment of dispatch.

``coord.dispatch_gap`` (needs the region): for each ``unit_dispatched``, the road minutes of the
dispatched unit to the incident minus the minimum over the region's units that have the
dispatch's capability (``data.capability``; else any capability the incident requires; else
any unit) and are free at that moment, both from the region's travel model (no road blocks:
the evaluator judges the choice, not the traffic). A unit is busy from its dispatch to an
incident until its ``unit_released`` from it (or the drill end). Floored at 0; the drill value
is the mean over dispatches; per incident, the largest gap.
"""

from __future__ import annotations

import itertools

import numpy as np

from evaluators.metrics.base import Context, Outcome, metric, unavailable
from evaluators.table import FloatArray, IntArray, LogTable
from scenarios.region import Region
from scenarios.travel import EARTH_RADIUS_KM


def busy_intervals(tab: LogTable) -> tuple[IntArray, FloatArray, FloatArray, IntArray]:
    """Per (incident, unit) assignment: unit code, dispatch time, release time, dispatch row."""
    nu = len(tab.unit_ids) + 1
    d = tab.of_kind("unit_dispatched")
    d = d[(tab.incident[d] >= 0) & (tab.unit[d] >= 0)]
    dk, di = np.unique(tab.incident[d] * nu + tab.unit[d], return_index=True)
    d_row = d[di]
    r = tab.of_kind("unit_released")
    r = r[(tab.incident[r] >= 0) & (tab.unit[r] >= 0)]
    rk = tab.incident[r] * nu + tab.unit[r]
    release = np.full(len(dk), tab.censor_time)
    if len(dk) and len(r):
        pos = np.searchsorted(dk, rk)
        ok = pos < len(dk)
        ok[ok] = dk[pos[ok]] == rk[ok]
        ok[ok] = tab.t[r[ok]] >= tab.t[d_row[pos[ok]]]
        p, idx = np.unique(pos[ok], return_index=True)
        release[p] = tab.t[r[ok][idx]]
    return dk % nu, tab.t[d_row], release, d_row


def eta_matrix(region: Region, lon: FloatArray, lat: FloatArray, terrain: list[str]) -> FloatArray:
    """Road minutes from every region unit (columns) to every point (rows), no road blocks.

    The same formula as :meth:`scenarios.travel.TravelModel.eta_minutes`, broadcast over points.
    """
    model = region.travel_model()
    p = region.travel
    la1, lo1 = np.radians(model.lat)[None, :], np.radians(model.lon)[None, :]
    la2, lo2 = np.radians(lat)[:, None], np.radians(lon)[:, None]
    a = np.sin((la2 - la1) / 2) ** 2 + np.cos(la1) * np.cos(la2) * np.sin((lo2 - lo1) / 2) ** 2
    d = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    road = np.where(d >= p.arterial_min_km, p.arterial_factor, 1.0)
    detour = np.array([p.detour[t] for t in terrain])[:, None]  # type: ignore[index]
    return np.asarray(60.0 * d * detour / (model.speed[None, :] * road))


@metric("coord.dispatch_gap", "派遣最优差距", "Dispatch optimality gap", "min",
        higher_is_better=False)
def dispatch_gap(ctx: Context) -> Outcome:
    """Dispatched unit's road minutes minus the best free capable unit's, per dispatch."""
    tab, region, incs = ctx.tab, ctx.region, ctx.tab.incidents
    if region is None:
        return unavailable("needs the region (unit positions and travel model)")
    units = region.units
    ru = {u.id: i for i, u in enumerate(units)}
    reg_of = np.array([ru.get(u, -1) for u in tab.unit_ids] + [-1], dtype=np.int64)
    juris = region.jurisdiction_by_id
    # incident positions (their own, else their township's) and terrain
    n_inc = len(tab.incident_ids)
    lon, lat = incs.lon.copy(), incs.lat.copy()
    terrain = ["plain"] * n_inc
    located = incs.known.copy()
    for c in np.flatnonzero(incs.known).tolist():
        town = juris.get(incs.township[c])
        if town is not None:
            terrain[c] = town.terrain
            if np.isnan(lon[c]):
                lon[c], lat[c] = town.lon, town.lat
        located[c] = not np.isnan(lon[c])
    rows = tab.of_kind("unit_dispatched")
    caps_col = tab.data_column("unit_dispatched", "capability")
    inc = tab.incident[rows]
    act = reg_of[tab.unit[rows]]
    ok = (inc >= 0) & (act >= 0)
    ok[ok] = located[inc[ok]]
    if not ok.any():
        if len(rows) == 0:
            return Outcome(value=None, n=0)
        return unavailable("no dispatch of a region unit to a located incident")
    sel = np.flatnonzero(ok)
    rows, inc, act = rows[sel], inc[sel], act[sel]
    # capability row per dispatch: a declared capability, else the incident's requirements
    cap_ids = [c.id for c in region.capabilities]
    cap_rows = [np.array([cid in u.capabilities for u in units]) for cid in cap_ids]
    cap_index = {cid: i for i, cid in enumerate(cap_ids)}
    extra: dict[frozenset[str], int] = {}
    declared = np.fromiter(map(cap_index.get, caps_col, itertools.repeat(-1)), np.int64,
                           len(caps_col))
    cap_of = declared[sel]
    undeclared = np.flatnonzero(cap_of < 0)  # these take the incident's requirements
    for k, c in zip(undeclared.tolist(), inc[undeclared].tolist(), strict=True):
        need = incs.caps[c]
        ci = extra.get(need)
        if ci is None:
            masks = [cap_rows[cap_index[x]] for x in need if x in cap_index]
            cap_rows.append(np.logical_or.reduce(masks) if masks
                            else np.ones(len(units), dtype=bool))
            ci = extra[need] = len(cap_rows) - 1
        cap_of[k] = ci
    capable_all = np.array(cap_rows)
    # busy[j, d]: region unit j between a dispatch and its release at dispatch d's time
    a_unit, a_start, a_end, _ = busy_intervals(tab)
    a_reg = reg_of[a_unit]
    T = tab.t[rows]
    busy = np.zeros((len(units), len(rows)), dtype=bool)
    for j in np.unique(a_reg[a_reg >= 0]).tolist():
        m = a_reg == j
        s, e = np.sort(a_start[m]), np.sort(a_end[m])
        busy[j] = (np.searchsorted(s, T, "left") - np.searchsorted(e, T, "right")) > 0
    u_inc, inc_pos = np.unique(inc, return_inverse=True)
    eta = eta_matrix(region, lon[u_inc], lat[u_inc], [terrain[c] for c in u_inc.tolist()])
    gaps = np.empty(len(rows))
    for b in range(0, len(rows), 8192):  # bounded memory: 8192 × units at a time
        blk = slice(b, b + 8192)
        e_d = eta[inc_pos[blk]]
        free = capable_all[cap_of[blk]] & ~busy[:, blk].T
        own = e_d[np.arange(e_d.shape[0]), act[blk]]
        best = np.where(free, e_d, np.inf).min(axis=1)
        best = np.where(np.isinf(best), own, best)
        gaps[blk] = np.maximum(own - best, 0.0)
    per_max = np.zeros(n_inc)
    np.maximum.at(per_max, inc, gaps)
    per = {tab.incident_ids[c]: round(float(per_max[c]), 6) for c in u_inc.tolist()}
    worst = np.argsort(-gaps, kind="stable")[:5]
    return Outcome(value=round(float(gaps.mean()), 6), n=len(gaps), per_incident=per,
                   evidence=sorted(tab.seqs(rows[worst[gaps[worst] > 0]])))
