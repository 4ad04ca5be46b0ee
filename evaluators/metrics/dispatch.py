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

import numpy as np

from evaluators.metrics.base import Context, Outcome, metric, unavailable
from evaluators.table import FloatArray, IntArray, LogTable


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
    release = np.full(len(dk), tab.end_time)
    if len(dk) and len(r):
        pos = np.searchsorted(dk, rk)
        ok = pos < len(dk)
        ok[ok] = dk[pos[ok]] == rk[ok]
        ok[ok] = tab.t[r[ok]] >= tab.t[d_row[pos[ok]]]
        p, idx = np.unique(pos[ok], return_index=True)
        release[p] = tab.t[r[ok][idx]]
    return dk % nu, tab.t[d_row], release, d_row


@metric("coord.dispatch_gap", "派遣最优差距", "Dispatch optimality gap", "min",
        higher_is_better=False)
def dispatch_gap(ctx: Context) -> Outcome:
    """Dispatched unit's road minutes minus the best free capable unit's, per dispatch."""
    tab, region, incs = ctx.tab, ctx.region, ctx.tab.incidents
    if region is None:
        return unavailable("needs the region (unit positions and travel model)")
    rows = tab.of_kind("unit_dispatched")
    ok = (tab.incident[rows] >= 0) & (tab.unit[rows] >= 0)
    caps_col = [c for c, k in zip(tab.data_column("unit_dispatched", "capability"), ok,
                                  strict=True) if k]
    rows = rows[ok]
    if len(rows) == 0:
        return Outcome(value=None, n=0)
    units = region.units
    ru = {u.id: i for i, u in enumerate(units)}
    # region index of each log unit code (-1: unknown to the region)
    reg_of = np.array([ru.get(u, -1) for u in tab.unit_ids], dtype=np.int64)
    # busy[j, d]: region unit j busy at dispatch d's time (assignments with s < T < e)
    a_unit, a_start, a_end, _ = busy_intervals(tab)
    T = tab.t[rows]
    busy = np.zeros((len(units), len(rows)), dtype=bool)
    for j in np.unique(reg_of[a_unit][reg_of[a_unit] >= 0]):
        sel = reg_of[a_unit] == j
        s, e = np.sort(a_start[sel]), np.sort(a_end[sel])
        busy[j] = (np.searchsorted(s, T, "left") - np.searchsorted(e, T, "right")) > 0
    cap_sets = {c.id: np.array([c.id in u.capabilities for u in units]) for c in region.capabilities}
    anyone = np.ones(len(units), dtype=bool)
    model = region.travel_model()
    juris = region.jurisdiction_by_id
    eta_cache: dict[int, FloatArray] = {}
    gaps = np.zeros(len(rows))
    valid = np.zeros(len(rows), dtype=bool)
    for k, r in enumerate(rows):
        c, j_act = int(tab.incident[r]), int(reg_of[tab.unit[r]])
        if j_act < 0 or not incs.known[c]:
            continue
        eta = eta_cache.get(c)
        if eta is None:
            town = juris.get(incs.township[c])
            lon, lat = incs.lon[c], incs.lat[c]
            if town is None and np.isnan(lon):
                continue
            if np.isnan(lon):
                lon, lat = town.lon, town.lat  # type: ignore[union-attr]
            eta = model.eta_minutes(float(lon), float(lat), town.terrain if town else "plain")
            eta_cache[c] = eta
        cap = caps_col[k]
        if cap in cap_sets:
            capable = cap_sets[cap]
        else:
            need = [cap_sets[x] for x in incs.capabilities(c) if x in cap_sets]
            capable = np.logical_or.reduce(need) if need else anyone
        free = capable & ~busy[:, k]
        best = float(eta[free].min()) if free.any() else float(eta[j_act])
        gaps[k] = max(0.0, float(eta[j_act]) - best)
        valid[k] = True
    if not valid.any():
        return unavailable("no dispatch of a region unit to a located incident")
    g, vr = gaps[valid], rows[valid]
    per: dict[str, float] = {}
    for r, x in zip(vr, g, strict=True):
        iid = tab.incident_ids[int(tab.incident[r])]
        per[iid] = round(max(per.get(iid, 0.0), float(x)), 6)
    worst = np.argsort(-g, kind="stable")[:5]
    return Outcome(value=round(float(g.mean()), 6), n=int(valid.sum()), per_incident=per,
                   evidence=sorted(tab.seqs(vr[worst[g[worst] > 0]])))
