"""Supply requests of a simulated drill: nearest depot tier with stock first, then upward.

After the first unit arrives the scene asks for the incident's supplies (one request per item).
Depots are tried village → township (in the incident's township) → county → city, nearest first
within a tier; each depot gives what it has (stock is reserved at once and never goes
negative) and its truck delivers after loading plus road time. What no depot has is reported
short at once. Requests and deliveries are scheduled calls, not simpy processes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from engine.state import IncidentState
from scenarios.region import Depot
from scenarios.travel import haversine_km, point_eta_minutes

if TYPE_CHECKING:
    from engine.context import DrillContext

_TIER = {"village": 0, "township": 1, "county": 2, "city": 3}


def stock_of(d: DrillContext, depot: Depot) -> dict[str, int]:
    """The run's current stock of ``depot`` (copied from the region on first use)."""
    s = d.stock.get(depot.id)
    if s is None:
        s = d.stock[depot.id] = dict(depot.stock)
    return s


def request(d: DrillContext, inc: IncidentState) -> None:
    """Request every item the incident needs, after the request delay."""
    d.call_in(d.p.supplies.request_delay.sample(d.dr["supplies"]), _request_now, d, inc)


def _request_now(d: DrillContext, inc: IncidentState) -> None:
    loc = inc.spec.location
    chain = sorted(
        d.ix.depot_chain(inc.township),
        key=lambda dep: (_TIER[dep.tier], float(haversine_km(dep.lon, dep.lat, loc.lon, loc.lat))),
    )
    sp = d.p.supplies
    for item, qty in inc.spec.supplies.items():
        inc.requests += 1
        rid = f"{inc.id}-S{inc.requests}"
        d.log_add("supplies_requested", d.env.now, inc.id, None, None, None, None,
                  {"item": item, "qty": qty, "request": rid})
        left = qty
        for dep in chain:
            if left <= 0:
                break
            stock = stock_of(d, dep)
            take = min(stock.get(item, 0), left)
            if take > 0:
                stock[item] -= take
                left -= take
                road = point_eta_minutes(d.region.travel, sp.truck_kind, dep.lon, dep.lat,
                                         loc.lon, loc.lat, inc.terrain)
                road *= d.tm.blocks.by_township.get(inc.township, 1.0)
                d.call_in(sp.loading.sample(d.dr["supplies"]) + road * d.f.travel,
                              _delivered, d, inc, dep, item, take, rid)
        if left > 0:
            d.log_add("supplies_short", d.env.now, inc.id, None, None, None, None,
                      {"item": item, "qty": left, "request": rid})


def _delivered(d: DrillContext, inc: IncidentState, dep: Depot, item: str, qty: int, rid: str) -> None:
    d.log_add("supplies_delivered", d.env.now, inc.id, None, None, dep.id, None,
              {"item": item, "qty": qty, "request": rid, "tier": dep.tier})
