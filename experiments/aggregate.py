"""Per-replication summaries and their streaming aggregation (memory flat in the replications).

A :class:`RepSummary` is what one replication leaves behind: flat values (overall and capability
scores, each clock's compliance and duration statistics, metric values) and per clock the
instance counts and incident-level durations by township. :class:`Aggregate` folds summaries
**in replication order** (the batch reorders them), so the result is bit-identical whatever the
executor, the worker count or the chunking. Per value: mean, 95 % CI (Student t over
replications, the independent unit; clipped to the value's range, :func:`value_range`), and
percentiles of its distribution over replications.
Per clock, overall and per township: the probability of meeting the limit (pooled instances met
/ instances), the replication-level compliance with its CI, the share of replications in which
every instance met it, and percentiles of the pooled durations. Sketches: :mod:`experiments.sketch`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from evaluators.metrics import METRICS
from evaluators.scorecard import Scorecard
from experiments.sketch import LogHistogram, Moments

BATCH_SCHEMA = "blinddrill.batch/1"
CLOCK_STATS = ("compliance", "mean", "p50", "p90")


@dataclass
class ClockRep:
    """One clock in one replication: per township (n, n_met) and incident-level durations."""

    n: int = 0
    n_met: int = 0
    by_township: dict[str, tuple[int, int]] = field(default_factory=dict)
    durations: list[tuple[str, float]] = field(default_factory=list)


@dataclass
class RepSummary:
    """What a replication leaves behind (small; sent from the workers)."""

    rep: int
    seed: int
    alternative: int
    events: int
    incidents: int
    values: dict[str, float | None]
    clocks: dict[str, ClockRep]
    #: how many cases each clock or metric value was computed over (a clock's instances, a
    #: metric's incidents, reports or units): the paired differences say when they differ
    cases: dict[str, int] = field(default_factory=dict)
    #: the incidents behind each clock (``clock.<id>``) and metric (``metric.<id>``), sorted:
    #: what a paired difference compares to say how many of them one side counted alone
    incidents_of: dict[str, tuple[str, ...]] = field(default_factory=dict)


def summarise_card(card: Scorecard, rep: int, seed: int, alternative: int = 0) -> RepSummary:
    """The summary of one scored replication."""
    values: dict[str, float | None] = {"overall.score": card.overall.score}
    cases: dict[str, int] = {}
    for cap in card.capabilities:
        values[f"capability.{cap.id}.score"] = cap.score
    clocks: dict[str, ClockRep] = {}
    for cid, c in card.clocks.items():
        if not c.available:
            continue
        for s in CLOCK_STATS:
            values[f"clock.{cid}.{s}"] = getattr(c, s)
            cases[f"clock.{cid}.{s}"] = c.n
        clocks[cid] = ClockRep(c.n, c.n_met,
                               {t: (st.n, st.n_met) for t, st in c.by_township.items()})
    for mid, m in card.metrics.items():
        if m.available:
            values[f"metric.{mid}"] = m.value
            cases[f"metric.{mid}"] = m.n
    behind: dict[str, list[str]] = {}
    for iid, inc in card.incidents.items():
        for cid, ic in inc.clocks.items():
            v = ic["value"]  # None: the stop event never came (open, or breached unstopped)
            if cid in clocks and v is not None and ic["status"] != "open":
                clocks[cid].durations.append((inc.township, float(v)))
            behind.setdefault(f"clock.{cid}", []).append(iid)
        for mid in inc.metrics:
            behind.setdefault(f"metric.{mid}", []).append(iid)
    return RepSummary(rep, seed, alternative, card.run.events, card.run.incidents, values,
                      clocks, cases, {k: tuple(sorted(v)) for k, v in behind.items()})


def case_set_key(value_key: str) -> str:
    """The :attr:`RepSummary.incidents_of` key of a value key (``clock.arrive.p90`` →
    ``clock.arrive``; a metric's is its own)."""
    parts = value_key.split(".")
    return ".".join(parts[:2]) if parts[0] == "clock" else value_key


class _Group:
    """A clock over some incidents (all, or one township's) across replications."""

    __slots__ = ("n", "n_met", "reps", "reps_all_met", "compliance", "durations")

    def __init__(self) -> None:
        self.n = 0
        self.n_met = 0
        self.reps = 0
        self.reps_all_met = 0
        self.compliance = Moments()
        self.durations = LogHistogram()

    def add_rep(self, n: int, n_met: int) -> None:
        if n == 0:
            return
        self.n += n
        self.n_met += n_met
        self.reps += 1
        self.reps_all_met += int(n_met == n)
        self.compliance.add(n_met / n)

    def result(self) -> dict[str, Any]:
        return {"instances": self.n, "met": self.n_met,
                "p_meet": _r(self.n_met / self.n) if self.n else None,
                "compliance": moments_dict(self.compliance, KIND_RANGE["ratio"]),
                "p_all_met": _r(self.reps_all_met / self.reps) if self.reps else None,
                "replications": self.reps,
                "duration_min": self.durations.summary((0.5, 0.9, 0.95))}


def _r(x: float | None) -> float | None:
    # + 0.0: a value that rounds to zero is 0.0, never -0.0 (printed "-0.000")
    return None if x is None else round(x, 6) + 0.0


#: Bounds (low, high; None: unbounded) of a value by its kind: the scorecard's ratios (a
#: clock's compliance, a share) are in [0, 1], its scores in [0, 100], counts not below 0
KIND_RANGE: dict[str, tuple[float | None, float | None]] = {
    "ratio": (0.0, 1.0), "score": (0.0, 100.0), "count": (0.0, None)}

Bounds = tuple[float | None, float | None]


def value_kind(key: str) -> str | None:
    """The kind of a value key of :func:`summarise_card` (``score``, ``ratio``, ``min``,
    ``count``): scores from the card's overall and capability scores, a clock's compliance a
    ratio and its durations minutes, a metric as the metric registry declares it."""
    parts = key.split(".")
    if parts[-1] == "score" and parts[0] in ("overall", "capability"):
        return "score"
    if parts[0] == "clock":
        return "ratio" if parts[-1] == "compliance" else "min"
    if parts[0] == "metric":
        mid = key[len("metric."):]
        return next((m.unit for m in METRICS if m.id == mid), None)
    return None


def value_range(key: str) -> Bounds:
    """The bounds of a value key's values (:data:`KIND_RANGE`; (None, None) when unbounded)."""
    return KIND_RANGE.get(value_kind(key) or "", (None, None))


def difference_range(key: str) -> Bounds:
    """The bounds of a paired difference of a value key: ± the width of its range."""
    lo, hi = value_range(key)
    if lo is None or hi is None:
        return None, None
    return lo - hi, hi - lo


def clip(x: float, bounds: Bounds) -> float:
    """``x`` inside ``bounds``."""
    lo, hi = bounds
    if lo is not None and x < lo:
        return lo
    if hi is not None and x > hi:
        return hi
    return x


def moments_dict(m: Moments, bounds: Bounds = (None, None)) -> dict[str, Any]:
    """Mean, sd and 95 % CI of a :class:`Moments`; the CI clipped to ``bounds``, the range of
    the value (a t interval of a share near 1 reaches past 1; the value cannot)."""
    ci = m.ci95()
    return {"n": m.n, "mean": _r(m.mean) if m.n else None, "sd": _r(m.sd),
            "ci95": [_r(clip(ci[0], bounds)), _r(clip(ci[1], bounds))] if ci else None}


class Aggregate:
    """Streaming aggregate of one alternative's replications (fold them in order)."""

    def __init__(self) -> None:
        self.replications = 0
        self.values: dict[str, tuple[Moments, LogHistogram]] = {}
        self.clocks: dict[str, tuple[_Group, dict[str, _Group]]] = {}

    def add(self, s: RepSummary) -> None:
        """Fold one replication in (callers keep replication order)."""
        self.replications += 1
        for key, v in s.values.items():
            if v is None:
                continue
            if key not in self.values:
                self.values[key] = (Moments(), LogHistogram())
            mo, h = self.values[key]
            mo.add(float(v))
            h.add(float(v))
        for cid, c in s.clocks.items():
            if cid not in self.clocks:
                self.clocks[cid] = (_Group(), {})
            overall, towns = self.clocks[cid]
            overall.add_rep(c.n, c.n_met)
            for t, (n, met) in c.by_township.items():
                if t not in towns:
                    towns[t] = _Group()
                towns[t].add_rep(n, met)
            for t, d in c.durations:
                overall.durations.add(d)
                if t in towns:
                    towns[t].durations.add(d)

    def result(self, limits: dict[str, float] | None = None,
               names: dict[str, tuple[str, str]] | None = None) -> dict[str, Any]:
        """JSON-ready statistics (keys sorted; see ``docs/cluster.md`` for the schema);
        ``limits`` and ``names`` (zh, en) per clock id come from the rule packs."""
        values = {}
        for key in sorted(self.values):
            mo, h = self.values[key]
            values[key] = {**moments_dict(mo, value_range(key)), **h.summary()}
        clocks = {}
        for cid in sorted(self.clocks):
            overall, towns = self.clocks[cid]
            zh, en = (names or {}).get(cid, (cid, cid))
            clocks[cid] = {"name_zh": zh, "name_en": en, "limit_min": (limits or {}).get(cid),
                           **overall.result(),
                           "by_township": {t: towns[t].result() for t in sorted(towns)}}
        return {"replications": self.replications, "values": values, "clocks": clocks}


class _Cases:
    """What one value was computed over in the paired replications: the cases each side
    counted, and of the incidents behind them those one side counted alone."""

    __slots__ = ("pairs", "current", "alternative", "differ", "one_side", "either")

    def __init__(self) -> None:
        self.pairs = 0
        self.current = 0
        self.alternative = 0
        self.differ = 0
        self.one_side = 0
        self.either = 0

    def add(self, current: int, alternative: int, cur_incidents: tuple[str, ...],
            alt_incidents: tuple[str, ...]) -> None:
        """One pair: each side's count of cases and the incidents behind them (empty for a
        value over units or reports not tied to incidents)."""
        a, b = set(cur_incidents), set(alt_incidents)
        self.pairs += 1
        self.current += current
        self.alternative += alternative
        self.one_side += len(a ^ b)
        self.either += len(a | b)
        self.differ += int(current != alternative or a != b)

    def result(self) -> dict[str, Any]:
        return {"current_mean": _r(self.current / self.pairs),
                "alternative_mean": _r(self.alternative / self.pairs),
                "replications_differ": self.differ,
                "incidents_one_side": _r(self.one_side / self.either) if self.either else None}


class Difference:
    """Paired differences (alternative − reference) per value, on common random numbers.

    A clock's statistics and a metric are computed over cases (instances, incidents, reports)
    that an alternative may change: a second station means fewer mutual-aid requests, so the
    mutual-aid latency is then a mean over other, harder incidents. Each difference therefore
    says (``cases``) how many cases stood behind it on each side, in how many replications
    they differed, and what share of the incidents behind it only one side counted; and
    (``unpaired``) in how many replications only one side had a value at all (those are left
    out of the mean). A reader can then tell a change in what is counted from a change in
    how well it went."""

    def __init__(self) -> None:
        self.values: dict[str, Moments] = {}
        self.cases: dict[str, _Cases] = {}
        self.unpaired: dict[str, int] = {}

    def add(self, ref: RepSummary, alt: RepSummary) -> None:
        """Fold one replication's pair in (same seed for both)."""
        for key in alt.values.keys() | ref.values.keys():
            a, b = alt.values.get(key), ref.values.get(key)
            if a is None or b is None:
                if a is not None or b is not None:
                    self.unpaired[key] = self.unpaired.get(key, 0) + 1
                continue
            self.values.setdefault(key, Moments()).add(float(a) - float(b))
            na, nb = alt.cases.get(key), ref.cases.get(key)
            if na is not None and nb is not None:
                ck = case_set_key(key)
                self.cases.setdefault(key, _Cases()).add(
                    nb, na, ref.incidents_of.get(ck, ()), alt.incidents_of.get(ck, ()))

    def result(self) -> dict[str, Any]:
        """Per value: mean difference, sd, 95 % CI, whether the CI excludes zero, the cases
        behind it (clocks and metrics) and the unpaired replications (when there are any)."""
        out: dict[str, Any] = {}
        for key in sorted(self.values.keys() | self.unpaired.keys()):
            d = moments_dict(self.values[key] if key in self.values else Moments(),
                             difference_range(key))
            ci = d["ci95"]
            d["significant"] = bool(ci and (ci[0] > 0 or ci[1] < 0))
            if key in self.cases:
                d["cases"] = self.cases[key].result()
            if key in self.unpaired:
                d["unpaired"] = self.unpaired[key]
            out[key] = d
        return out
