"""Logistics metrics: supply requests, deliveries by depot tier, shortages, stock left.

* ``supply.delivery_time`` — per request id, minutes from its first ``supplies_requested`` to its
  last ``supplies_delivered``; a request with no delivery yet is a censored wait (breached once
  the wait limit passed, counted at the limit; open before); ``by_group`` gives the mean per
  depot tier (each delivery timed from its request).
* ``supply.shortage`` — Σ ``supplies_short.qty`` ÷ Σ ``supplies_requested.qty``.
* ``supply.stock_left`` (needs the region) — over the (depot, item) pairs that delivered,
  Σ (stock − delivered) ÷ Σ stock; ``by_group`` gives what is left per depot and item.
"""

from __future__ import annotations

import numpy as np

from evaluators.metrics.base import (
    Context,
    Outcome,
    metric,
    row_pairs,
    unavailable,
    wait_outcome,
)


def _num(x: object) -> float:
    return float(x) if isinstance(x, int | float) else 0.0


@metric("supply.delivery_time", "物资送达用时", "Supply delivery time", "min",
        higher_is_better=False)
def delivery_time(ctx: Context) -> Outcome:
    """Request → last delivery, per request (a censored wait); mean per depot tier in
    ``by_group``."""
    tab = ctx.tab
    req_rows = tab.of_kind("supplies_requested")
    requested: dict[str, int] = {}
    for r, rid in zip(req_rows.tolist(), tab.data_column("supplies_requested", "request"),
                      strict=True):
        requested.setdefault(str(rid), int(r))
    last: dict[str, int] = {}
    tier_times: dict[str, list[float]] = {}
    for r, rid, tier in zip(tab.of_kind("supplies_delivered").tolist(),
                            tab.data_column("supplies_delivered", "request"),
                            tab.data_column("supplies_delivered", "tier"), strict=True):
        s = requested.get(str(rid))
        if s is None:
            continue
        last[str(rid)] = int(r)
        tier_times.setdefault(str(tier), []).append(float(tab.t[r] - tab.t[s]))
    if not requested:
        return Outcome(value=None, n=0, limit_min=ctx.wait_limits.get("supply.delivery_time"))
    keys = list(requested)
    s_rows = np.array([requested[k] for k in keys], dtype=np.int64)
    e_rows = np.array([last.get(k, -1) for k in keys], dtype=np.int64)
    ev = row_pairs(s_rows, e_rows)
    out = wait_outcome(ctx, "supply.delivery_time", tab.incident[s_rows], tab.t[s_rows], e_rows,
                       ev, names=keys)
    # per_incident is keyed by request id here (incident cards ignore it)
    out.by_group = {"tier": {t: round(float(np.mean(v)), 6) for t, v in sorted(tier_times.items())}}
    return out


@metric("supply.shortage", "物资缺口率", "Supply shortage share", "ratio", higher_is_better=False)
def shortage(ctx: Context) -> Outcome:
    """Quantity short ÷ quantity requested."""
    tab = ctx.tab
    asked = sum(_num(q) for q in tab.data_column("supplies_requested", "qty"))
    if asked <= 0:
        return Outcome(value=None, n=0)
    short_rows = tab.of_kind("supplies_short")
    by_item: dict[str, float] = {}
    for item, q in zip(tab.data_column("supplies_short", "item"),
                       tab.data_column("supplies_short", "qty"), strict=True):
        by_item[str(item)] = by_item.get(str(item), 0.0) + _num(q)
    return Outcome(value=round(sum(by_item.values()) / asked, 6), n=len(short_rows),
                   by_group={"short_by_item": by_item}, evidence=tab.seqs(short_rows[:20]))


@metric("supply.stock_left", "库存剩余率", "Stock left", "ratio", higher_is_better=True)
def stock_left(ctx: Context) -> Outcome:
    """Share of the delivering depots' stock of the delivered items left at the end."""
    tab, region = ctx.tab, ctx.region
    if region is None:
        return unavailable("needs the region (depot stock)")
    delivered: dict[tuple[str, str], float] = {}
    for r, item, q in zip(tab.of_kind("supplies_delivered"),
                          tab.data_column("supplies_delivered", "item"),
                          tab.data_column("supplies_delivered", "qty"), strict=True):
        depot = tab.records[r]["depot"]
        if depot is not None:
            key = (str(depot), str(item))
            delivered[key] = delivered.get(key, 0.0) + _num(q)
    if not delivered:
        return Outcome(value=None, n=0)
    total = left = 0.0
    detail: dict[str, float] = {}
    for (depot, item), q in sorted(delivered.items()):
        d = region.depot_by_id.get(depot)
        stock = float(d.stock.get(item, 0)) if d else 0.0
        total += stock
        left += max(stock - q, 0.0)
        detail[f"{depot}:{item}"] = max(stock - q, 0.0)
    return Outcome(value=round(left / total, 6) if total else 0.0, n=len(delivered),
                   by_group={"left": detail})
