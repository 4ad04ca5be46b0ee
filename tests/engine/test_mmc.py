"""Validity: a drill configured as an M/M/c queue reproduces Erlang C (see docs/validation.md).

c identical county units at the incident's own location (zero travel), zero take-alarm,
turn-out and handover delays, Poisson alarms, exponential on-scene work (the ``work_time``
override), one unit per incident, first come first served. The wait is alarm_raised →
unit_dispatched. Over R independent replications the 95 % confidence interval (Student t) of
the mean wait and of P(wait > 0) must cover the analytic values.

Two configurations: zero escalation delays, and the *shipped* escalation delays (county 3 min,
city 5 min, lognormal) at ρ = 0.8. Every waiting alarm is escalated to the city desk; the
requirement stays on the county desk's board meanwhile, so a freed unit serves it at once and
the queue is still M/M/c first come first served — the escalation neither strands a waiting
alarm nor lets a later one overtake it.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from engine.params import load_params
from engine.simulation import simulate
from scenarios.region import Region
from scenarios.schema import scenario_from_data
from tests.engine.conftest import fixed_params

N, WARMUP, REPS = 600, 50, 20
T_975 = {19: 2.093}  # Student t, 97.5 % quantile, df = REPS − 1
LON, LAT = 117.0, 31.5
MU = 1.0
#: (c, λ, escalation delays shipped?) — ρ = λ / (c μ) = 0.5 and 0.8
CONFIGS = [(2, 1.0, False), (3, 2.4, True)]


def erlang_c(c: int, lam: float, mu: float) -> tuple[float, float]:
    """(P(wait > 0), mean wait) of M/M/c."""
    a = lam / mu
    rho = a / c
    top = a**c / math.factorial(c) / (1 - rho)
    p_wait = top / (sum(a**k / math.factorial(k) for k in range(c)) + top)
    return p_wait, p_wait / (c * mu - lam)


def mmc_region(c: int = 2) -> Region:
    units = [{"id": f"U{i}", "name": f"队{i}", "kind": "fire_rescue", "tier": "county",
              "jurisdiction": "T", "lon": LON, "lat": LAT, "headcount": 10,
              "capabilities": {"x": 1}} for i in range(c)]
    return Region.model_validate({
        "name": "mmc", "capabilities": [{"id": "x", "name_zh": "x", "name_en": "x"}], "items": [],
        "jurisdictions": [
            {"id": "C", "name": "c", "level": "city", "lon": LON, "lat": LAT, "population": 1},
            {"id": "K", "name": "k", "level": "county", "parent": "C", "lon": LON, "lat": LAT,
             "population": 1},
            {"id": "T", "name": "t", "level": "township", "parent": "K", "lon": LON, "lat": LAT,
             "population": 1}],
        "units": units})


def mmc_params(shipped_delays: bool = False):
    over = {"on_scene.work_time": {"dist": "exponential", "mean": 1 / MU}}
    if shipped_delays:
        shipped = load_params().dispatch.escalate_delay
        assert shipped["city"].median >= 5.0  # type: ignore[union-attr]  # really non-zero
        over["dispatch.escalate_delay"] = {
            k: v.model_dump(mode="json") for k, v in shipped.items()}
    return fixed_params(over)


def run_log(region: Region, rep: int, lam: float, shipped_delays: bool):
    arrivals = np.cumsum(np.random.default_rng([rep, 99]).exponential(1 / lam, size=N))
    injects = [{"id": f"J{i}", "t": float(t), "kind": "incident", "incident": {
        "id": f"I{i}", "category": "q", "grade": "IV",
        "location": {"township": "T", "lon": LON, "lat": LAT},
        "requires": [{"capability": "x", "effort": 1.0}], "template": "building_fire"}}
        for i, t in enumerate(arrivals)]
    sc = scenario_from_data({"id": "mmc", "duration_min": float(arrivals[-1]) + 60,
                             "injects": injects})
    return arrivals, simulate(region, sc, seed=rep, params=mmc_params(shipped_delays))


def one_replication(region: Region, rep: int, lam: float,
                    shipped_delays: bool) -> tuple[float, float]:
    _, log = run_log(region, rep, lam, shipped_delays)
    raised = {r["incident"]: r["t"] for r in log if r["kind"] == "alarm_raised"}
    waits = np.array([r["t"] - raised[r["incident"]] for r in log
                      if r["kind"] == "unit_dispatched"])
    assert len(waits) == N, "every customer is served"
    w = waits[WARMUP:]
    return float(w.mean()), float((w > 1e-9).mean())


def ci(xs: list[float]) -> tuple[float, float]:
    a = np.array(xs)
    half = T_975[len(a) - 1] * a.std(ddof=1) / math.sqrt(len(a))
    return float(a.mean() - half), float(a.mean() + half)


@pytest.mark.parametrize(("c", "lam", "shipped_delays"), CONFIGS)
def test_mmc_matches_erlang_c(c: int, lam: float, shipped_delays: bool):
    region = mmc_region(c)
    reps = [one_replication(region, r, lam, shipped_delays) for r in range(REPS)]
    p_wait, wq = erlang_c(c, lam, MU)
    lo, hi = ci([m for m, _ in reps])
    assert lo <= wq <= hi, f"mean wait CI [{lo:.4f}, {hi:.4f}] misses Erlang C {wq:.4f}"
    lo, hi = ci([p for _, p in reps])
    assert lo <= p_wait <= hi, f"P(wait) CI [{lo:.4f}, {hi:.4f}] misses Erlang C {p_wait:.4f}"
    assert hi - lo < 0.15, "the interval is informative (not trivially wide)"


@pytest.mark.parametrize(("c", "lam", "shipped_delays"), CONFIGS)
def test_mmc_waits_equal_fifo_recursion(c: int, lam: float, shipped_delays: bool):
    """Exact check: given the log's own arrival and service times, an independent c-server
    FIFO recursion reproduces every wait (the engine adds no hidden delay or idling, and an
    escalation in progress does not let a later alarm overtake a waiting one)."""
    import heapq

    _, log = run_log(mmc_region(c), 1, lam, shipped_delays)
    if shipped_delays:
        assert sum(r["kind"] == "mutual_aid_requested" for r in log) > 50  # escalations ran
    raised = {r["incident"]: r["t"] for r in log if r["kind"] == "alarm_raised"}
    disp = {r["incident"]: r["t"] for r in log if r["kind"] == "unit_dispatched"}
    rel = {r["incident"]: r["t"] for r in log if r["kind"] == "unit_released"}
    free = [0.0] * c
    for i in range(N):
        a, s = raised[f"I{i}"], rel[f"I{i}"] - disp[f"I{i}"]
        start = max(a, heapq.heappop(free))
        heapq.heappush(free, start + s)
        assert abs(start - disp[f"I{i}"]) < 1e-5, f"customer {i}"


def test_fifo_recursion_with_every_shipped_parameter():
    """The same exact check with the *shipped* behaviour throughout (only the on-scene work
    replaced by exponential work for a queue): the county desk's two duty officers take each
    alarm in a log-normal time, the shipped escalation delays run, fire crews turn out in their
    shipped time and the commander hands over before the last unit is released. The queue's
    arrivals are then the ``alarm_taken`` times (the desk is a queue of its own, so the queue is
    no longer M/M/c and Erlang C does not apply), its service ``unit_released −
    unit_dispatched``; a c-server first-come-first-served recursion over those reproduces
    every dispatch: no idle unit while a requirement waits, no overtaking during an escalation,
    whatever delays the shipped parameters add around the queue."""
    import heapq

    c, lam = 3, 0.45  # service ≈ turn-out 1.5 + work 1 + handover 3 min: ρ ≈ 0.8
    shipped = load_params().model_dump(mode="json", by_alias=True, exclude_none=True)
    shipped["on_scene"]["work_time"] = {"dist": "exponential", "mean": 1 / MU}
    params = type(load_params()).model_validate(shipped)
    assert params.alarm.take_alarm["county"].median > 0  # type: ignore[union-attr]
    arrivals = np.cumsum(np.random.default_rng([7, 99]).exponential(1 / lam, size=N))
    injects = [{"id": f"J{i}", "t": float(t), "kind": "incident", "incident": {
        "id": f"I{i}", "category": "q", "grade": "IV",
        "location": {"township": "T", "lon": LON, "lat": LAT},
        "requires": [{"capability": "x", "effort": 1.0}], "template": "building_fire"}}
        for i, t in enumerate(arrivals)]
    sc = scenario_from_data({"id": "mmc", "duration_min": float(arrivals[-1]) + 120,
                             "injects": injects})
    log = simulate(mmc_region(c), sc, seed=7, params=params)
    assert sum(r["kind"] == "mutual_aid_requested" for r in log) > 50  # escalations ran
    taken = {r["incident"]: r["t"] for r in log if r["kind"] == "alarm_taken"}
    raised = {r["incident"]: r["t"] for r in log if r["kind"] == "alarm_raised"}
    assert sum(taken[i] - raised[i] for i in taken) / N > 0.3  # the desk added real delay
    disp = {r["incident"]: r["t"] for r in log if r["kind"] == "unit_dispatched"}
    rel = {r["incident"]: r["t"] for r in log if r["kind"] == "unit_released"}
    assert len(disp) == N
    free, waited = [0.0] * c, 0
    for i in sorted(taken, key=lambda k: (taken[k], int(k[1:]))):
        a, s = taken[i], rel[i] - disp[i]
        start = max(a, heapq.heappop(free))
        heapq.heappush(free, start + s)
        assert abs(start - disp[i]) < 1e-5, f"customer {i}"
        waited += start > a + 1e-9
    assert waited > 100, "the units were busy often enough for a queue to form"


def test_erlang_c_formula():
    # textbook value: c = 2, a = 1 → P(wait) = 1/3, Wq = 1/3 with μ = 1
    p, w = erlang_c(2, 1.0, 1.0)
    assert math.isclose(p, 1 / 3) and math.isclose(w, 1 / 3)
