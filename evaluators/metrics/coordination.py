"""Coordination metrics: synchrony, over-dispatch, mutual aid, information flow, command.

Definitions (``docs/scoring.md``), each per incident then averaged over incidents:

* ``coord.arrival_spread`` — minutes from the first to the k-th unit's first arrival, where k is
  the number of units the incident requires (all arrivals if unknown), capped by the number that
  arrived; incidents with k ≥ 2 only.
* ``coord.over_dispatch`` — (repeat dispatches of a unit already sent + distinct units beyond
  the number required) ÷ all dispatches, over the drill.
* ``coord.mutual_aid_latency`` — first ``mutual_aid_requested`` → the first arrival
  (``unit_arrived``) of a unit granted for it at or after the request: a ``mutual_aid_granted``
  unit, or a unit dispatched by the level asked (``unit_dispatched.level`` = a request's
  ``to_level``: the county answering a township's call with its own team).
* ``coord.info_flow`` — occurrence → the moment the last involved party was informed: each unit
  dispatched to the incident at its first ``unit_dispatched``, each recipient of a
  ``message_sent`` about the incident at the first such message.
* ``coord.commander_delay`` — first ``unit_arrived`` → first ``commander_designated`` (0 if
  a commander was designated before the first arrival).
* ``coord.post_activation`` — first ``alarm_taken`` → ``command_post_activated`` for the
  incident (an activation naming the incident, or — with the region — of the post of the
  incident's township). An incident whose township post was already running when its alarm
  was taken is not waited for: excluded as "already active".

The waits (mutual aid, commander, post) are censored (:func:`~evaluators.metrics.base.wait_outcome`):
a wait whose event never came is breached once its limit (rubric ``wait_limits``) passed before
the censoring time, and open (excluded, listed) before that.
"""

from __future__ import annotations

import numpy as np

from evaluators.metrics.base import (
    Context,
    Outcome,
    first_per_key,
    metric,
    per_incident_outcome,
    row_pairs,
    wait_outcome,
)
from evaluators.table import BoolArray, FloatArray, IntArray, LogTable


def _first_by_incident(tab: LogTable, kind: str) -> tuple[IntArray, IntArray]:
    rows = tab.of_kind(kind)
    rows = rows[tab.incident[rows] >= 0]
    return first_per_key(tab.incident[rows], rows)


def _first_after(
    tab: LogTable, s_key: IntArray, t_start: FloatArray, end_rows: IntArray, end_keys: IntArray,
    *, before_is_zero: bool = False,
) -> tuple[IntArray, BoolArray]:
    """Per start key (sorted): the first end row at/after its start (-1: none), and whether an
    end row came before the start (only looked for with ``before_is_zero``)."""
    end_row = np.full(len(s_key), -1, dtype=np.int64)
    before = np.zeros(len(s_key), dtype=bool)
    if len(s_key) == 0 or len(end_rows) == 0:
        return end_row, before
    pos = np.searchsorted(s_key, end_keys)
    ok = pos < len(s_key)
    ok[ok] = s_key[pos[ok]] == end_keys[ok]
    after = ok.copy()
    after[ok] = tab.t[end_rows[ok]] >= t_start[pos[ok]] - 1e-9
    e_pos, e_row = first_per_key(pos[after], end_rows[after])
    end_row[e_pos] = e_row
    if before_is_zero:
        early = ok & ~after
        before[np.unique(pos[early])] = True
    return end_row, before


def _wait(ctx: Context, mid: str, start: tuple[IntArray, IntArray], end_rows: IntArray,
          end_keys: IntArray, *, before_is_zero: bool = False) -> Outcome:
    """Per start key: the wait from its start row to the first end row after it."""
    tab = ctx.tab
    s_key, s_row = start
    if len(s_key) == 0:
        return Outcome(value=None, n=0, limit_min=ctx.wait_limits.get(mid))
    t0 = tab.t[s_row]
    end_row, before = _first_after(tab, s_key, t0, end_rows, end_keys,
                                   before_is_zero=before_is_zero)
    end_row = np.where(before, s_row, end_row)  # done before the wait began: 0 minutes
    ev = [np.array([s] + ([e] if e >= 0 and e != s else [])) for s, e in
          zip(s_row.tolist(), end_row.tolist(), strict=True)]
    return wait_outcome(ctx, mid, s_key, t0, end_row, ev)


@metric("coord.arrival_spread", "力量到齐用时", "Time until all units on scene", "min", higher_is_better=False)
def arrival_spread(ctx: Context) -> Outcome:
    """First to k-th required unit arrival, per multi-unit incident."""
    tab, incs = ctx.tab, ctx.tab.incidents
    rows = tab.of_kind("unit_arrived")
    rows = rows[(tab.incident[rows] >= 0) & (tab.unit[rows] >= 0)]
    nu = len(tab.unit_ids) + 1
    _, first = first_per_key(tab.incident[rows] * nu + tab.unit[rows], rows)
    first = first[np.lexsort((tab.t[first], tab.incident[first]))]
    inc = tab.incident[first]
    codes, start, counts = np.unique(inc, return_index=True, return_counts=True)
    req = np.array([incs.required_units(c) if incs.known[c] and incs.requires[c] else n
                    for c, n in zip(codes, counts, strict=True)], dtype=np.int64)
    k = np.minimum(req, counts)
    sel = k >= 2
    codes, start, k = codes[sel], start[sel], k[sel]
    vals = tab.t[first[start + k - 1]] - tab.t[first[start]]
    ev = [first[a:a + kk] for a, kk in zip(start, k, strict=True)]
    return per_incident_outcome(tab, codes, vals, ev, higher_is_better=False)


@metric("coord.over_dispatch", "重复/过量派遣率", "Duplicate or over-dispatch share", "ratio",
        higher_is_better=False)
def over_dispatch(ctx: Context) -> Outcome:
    """(Repeat dispatches + units beyond the requirement) ÷ dispatches."""
    tab, incs = ctx.tab, ctx.tab.incidents
    rows = tab.of_kind("unit_dispatched")
    rows = rows[(tab.incident[rows] >= 0) & (tab.unit[rows] >= 0)]
    if len(rows) == 0:
        return Outcome(value=None, n=0)
    nu = len(tab.unit_ids) + 1
    inc = tab.incident[rows]
    codes, total = np.unique(inc, return_counts=True)
    pairs = np.unique(inc * nu + tab.unit[rows])
    distinct = np.bincount(pairs // nu, minlength=len(tab.incident_ids))[codes]
    req = np.array([incs.required_units(c) if incs.known[c] and incs.requires[c] else d
                    for c, d in zip(codes, distinct, strict=True)], dtype=np.int64)
    excess = (total - distinct) + np.maximum(distinct - req, 0)
    per = {tab.incident_ids[c]: round(float(x / t), 6)  # the incident's own share
           for c, x, t in zip(codes, excess, total, strict=True) if x}
    bad = np.isin(inc, codes[excess > 0])
    return Outcome(value=round(float(excess.sum() / total.sum()), 6), n=int(total.sum()),
                   per_incident=per, evidence=tab.seqs(rows[bad][:20]))


@metric("coord.mutual_aid_latency", "跨区域增援响应时间", "Mutual-aid latency", "min",
        higher_is_better=False)
def mutual_aid_latency(ctx: Context) -> Outcome:
    """First mutual-aid request → first arrival of a unit granted for it, per incident."""
    tab = ctx.tab
    nu = len(tab.unit_ids) + 1
    s_key, s_row = _first_by_incident(tab, "mutual_aid_requested")
    # units granted for a request: a mutual_aid_granted, or a dispatch by the level asked
    asked: dict[int, set[str]] = {}
    for r, lvl in zip(tab.of_kind("mutual_aid_requested").tolist(),
                      tab.data_column("mutual_aid_requested", "to_level"), strict=True):
        asked.setdefault(int(tab.incident[r]), set()).add(str(lvl))
    g = tab.of_kind("mutual_aid_granted")
    d = tab.of_kind("unit_dispatched")
    by_level = np.fromiter(
        (lvl is not None and str(lvl) in asked.get(int(c), ()) for c, lvl in
         zip(tab.incident[d].tolist(), tab.data_column("unit_dispatched", "level"), strict=True)),
        dtype=bool, count=len(d)) if asked else np.zeros(len(d), dtype=bool)  # none asked
    g = np.r_[g, d[by_level]]
    g = np.sort(g[(tab.incident[g] >= 0) & (tab.unit[g] >= 0)])
    # grants at/after the incident's first request: (incident, unit) → grant time
    pos = np.searchsorted(s_key, tab.incident[g])
    ok = pos < len(s_key)
    ok[ok] = s_key[pos[ok]] == tab.incident[g][ok]
    ok[ok] = tab.t[g[ok]] >= tab.t[s_row[pos[ok]]] - 1e-9
    g_pair, g_first = first_per_key(tab.incident[g[ok]] * nu + tab.unit[g[ok]], g[ok])
    a = tab.of_kind("unit_arrived")
    a = a[(tab.incident[a] >= 0) & (tab.unit[a] >= 0)]
    a_pair = tab.incident[a] * nu + tab.unit[a]
    gi = np.searchsorted(g_pair, a_pair)
    okg = gi < len(g_pair)
    okg[okg] = g_pair[gi[okg]] == a_pair[okg]
    okg[okg] = tab.t[a[okg]] >= tab.t[g_first[gi[okg]]] - 1e-9
    arr = a[okg]
    return _wait(ctx, "coord.mutual_aid_latency", (s_key, s_row), arr, tab.incident[arr])


@metric("coord.info_flow", "信息传达用时", "Information-flow latency", "min",
        higher_is_better=False)
def info_flow(ctx: Context) -> Outcome:
    """Occurrence → last involved party informed (dispatch or message), per incident."""
    tab, incs = ctx.tab, ctx.tab.incidents
    nu = len(tab.unit_ids) + 1
    d = tab.of_kind("unit_dispatched")
    d = d[(tab.incident[d] >= 0) & (tab.unit[d] >= 0)]
    m = tab.of_kind("message_sent")
    party = dict(tab.unit_code)  # recipients that are not units in the log get new codes
    rec = np.array([party.setdefault(str(x), len(party)) if x is not None else -1
                    for x in tab.data_column("message_sent", "recipient")], dtype=np.int64)
    nu = max(nu, len(party) + 1)
    okm = (tab.incident[m] >= 0) & (rec >= 0) if len(m) else np.zeros(0, dtype=bool)
    keys = np.r_[tab.incident[d] * nu + tab.unit[d], tab.incident[m[okm]] * nu + rec[okm]]
    rows = np.r_[d, m[okm]]
    order = np.argsort(rows, kind="stable")
    pk, first = first_per_key(keys[order], rows[order])
    inc = pk // nu
    keep = incs.known[inc]
    inc, first = inc[keep], first[keep]
    order = np.lexsort((tab.t[first], inc))  # per incident, the last informed last
    inc, first = inc[order], first[order]
    last_i = np.r_[np.flatnonzero(inc[1:] != inc[:-1]), len(inc) - 1] if len(inc) else inc
    codes, last = inc[last_i], first[last_i]
    vals = np.maximum(tab.t[last] - incs.t_occurred[codes], 0.0)
    ev = row_pairs(incs.row[codes], last)
    return per_incident_outcome(tab, codes, vals, ev, higher_is_better=False)


@metric("coord.commander_delay", "现场指挥员明确用时", "Time to designate a commander", "min",
        higher_is_better=False)
def commander_delay(ctx: Context) -> Outcome:
    """First arrival → first commander designated, per incident (0 if designated before)."""
    tab = ctx.tab
    end = tab.of_kind("commander_designated")
    end = end[tab.incident[end] >= 0]
    return _wait(ctx, "coord.commander_delay", _first_by_incident(tab, "unit_arrived"), end,
                 tab.incident[end], before_is_zero=True)


@metric("coord.control_time", "全面控制用时", "Time to bring under control", "min",
        higher_is_better=False)
def control_time(ctx: Context) -> Outcome:
    """First arrival → first ``incident_controlled``, per incident (a censored wait): the end of
    the incident, not the early-stage handling the 15-minute standard is about."""
    tab = ctx.tab
    end = tab.of_kind("incident_controlled")
    end = end[tab.incident[end] >= 0]
    return _wait(ctx, "coord.control_time", _first_by_incident(tab, "unit_arrived"), end,
                 tab.incident[end])


@metric("coord.post_activation", "指挥部启动用时", "Command-post activation", "min",
        higher_is_better=False)
def post_activation(ctx: Context) -> Outcome:
    """Alarm taken → the incident's township command post activated, per incident; incidents
    whose post was already running are excluded ("already active")."""
    tab, incs = ctx.tab, ctx.tab.incidents
    posts_of_town: dict[str, list[str]] = {}
    for cp in (ctx.region.command_posts if ctx.region else []):
        posts_of_town.setdefault(cp.township, []).append(cp.id)
    # activation times (log order = time order) per post and per incident named on the event
    act = tab.of_kind("command_post_activated").tolist()
    t_all = tab.t
    first_of_post: dict[str, int] = {}  # a post runs from its first activation on
    by_inc: dict[int, list[int]] = {}
    recs = tab.records
    for r, c in zip(act, tab.incident[act].tolist(), strict=True):
        first_of_post.setdefault(str(recs[r]["post"]), r)
        if c >= 0:
            by_inc.setdefault(c, []).append(r)
    s_key, s_row = _first_by_incident(tab, "alarm_taken")
    end_row = np.full(len(s_key), -1, dtype=np.int64)
    already = np.zeros(len(s_key), dtype=bool)
    t_act = dict(zip(act, t_all[act].tolist(), strict=True))  # plain floats, no numpy calls
    known = incs.known.tolist()
    for i, (c, t_r0) in enumerate(zip(s_key.tolist(), t_all[s_row].tolist(), strict=True)):
        rows = list(by_inc.get(c, ()))
        if known[c]:
            for p in posts_of_town.get(incs.township[c], ()):
                if p in first_of_post:
                    rows.append(first_of_post[p])
        if not rows:
            continue
        t0 = t_r0 - 1e-9
        ts = [t_act[r] for r in rows]
        low = min(ts)
        if low < t0:
            already[i] = True
            continue
        end_row[i] = rows[ts.index(low)]  # the first of the earliest, as argmin
    mid = "coord.post_activation"
    keep = ~already
    t_start = t_all[s_row[keep]]
    ev = row_pairs(s_row[keep], end_row[keep])
    out = wait_outcome(ctx, mid, s_key[keep], t_start, end_row[keep], ev)
    out.excluded = {tab.incident_ids[c]: "already_active" for c in s_key[already].tolist()}
    return out
