"""The metric protocol: what a metric is given (:class:`Context`) and returns (:class:`Outcome`).

A metric is any object with ``id``, ``name_zh``, ``name_en``, ``unit``, ``higher_is_better`` and
``compute(ctx) -> Outcome`` (:class:`Metric`). Most are plain functions wrapped with the
:func:`metric` decorator. Metrics read only the log table, the declared inputs in the context
(region, report templates) and the clocks already computed; never engine internals.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal, Protocol

import numpy as np

from evaluators.clocks import ClockResult
from evaluators.table import FloatArray, IntArray, LogTable
from scenarios.region import Region
from scenarios.templates import TemplateSet

Unit = Literal["min", "ratio", "count"]


@dataclass
class Context:
    """Everything a metric may read."""

    tab: LogTable
    region: Region | None = None
    templates: TemplateSet | None = None
    clocks: dict[str, ClockResult] = field(default_factory=dict)
    wait_limits: dict[str, float] = field(default_factory=dict)

    @property
    def unit_kind(self) -> list[str] | None:
        """Kind of each unit code (``""`` for units not in the region); None without a region."""
        if self.region is None:
            return None
        by_id = self.region.unit_by_id
        return [by_id[u].kind if u in by_id else "" for u in self.tab.unit_ids]


@dataclass
class Outcome:
    """What a metric found: a drill-level value and its detail.

    ``value`` None with ``available`` True means "not exercised" (e.g. no mutual aid asked);
    ``available`` False means the metric could not be computed (``reason`` says why).
    ``evidence`` holds the ``seq`` numbers of the events behind the worst cases.

    For a metric that waits for an event (see :func:`wait_outcome`): ``n`` counts the assessable
    cases; ``open`` lists the incidents (or requests) still waiting within ``limit_min`` (not
    assessable, excluded), ``unstopped`` those whose limit passed without the event (counted
    at the limit), ``excluded`` the ones not waited for at all with the reason (e.g. the
    command post was already running). ``case_rows`` gives each case's own event rows (see :meth:`LogTable.seqs`) and
    ``missing`` the fields a report lacked (completeness metrics).
    """

    value: float | None
    n: int = 0
    available: bool = True
    reason: str = ""
    per_incident: dict[str, float] = field(default_factory=dict)
    per_unit: dict[str, float] = field(default_factory=dict)
    by_group: dict[str, dict[str, float]] = field(default_factory=dict)
    evidence: list[int] = field(default_factory=list)
    limit_min: float | None = None
    open: list[str] = field(default_factory=list)
    unstopped: list[str] = field(default_factory=list)
    excluded: dict[str, str] = field(default_factory=dict)
    case_rows: dict[str, IntArray] = field(default_factory=dict)
    missing: dict[str, list[str]] = field(default_factory=dict)


def unavailable(reason: str) -> Outcome:
    """An outcome for a metric that cannot be computed from the inputs given."""
    return Outcome(value=None, available=False, reason=reason)


class Metric(Protocol):
    """A pluggable metric (attributes may be plain or read-only)."""

    @property
    def id(self) -> str:
        """Stable id, e.g. ``report.accuracy`` (used by rubrics)."""

    @property
    def name_zh(self) -> str:
        """Chinese name."""

    @property
    def name_en(self) -> str:
        """English name."""

    @property
    def unit(self) -> Unit:
        """``min``, ``ratio`` or ``count``."""

    @property
    def higher_is_better(self) -> bool:
        """Direction of goodness."""

    def compute(self, ctx: Context) -> Outcome:
        """Compute the metric on one drill."""
        ...


@dataclass(frozen=True)
class FunctionMetric:
    """A :class:`Metric` made from a function (see :func:`metric`)."""

    id: str
    name_zh: str
    name_en: str
    unit: Unit
    higher_is_better: bool
    fn: Callable[[Context], Outcome]
    description: str = ""

    def compute(self, ctx: Context) -> Outcome:
        """Run the wrapped function."""
        return self.fn(ctx)


def metric(
    id: str, name_zh: str, name_en: str, unit: Unit, *, higher_is_better: bool
) -> Callable[[Callable[[Context], Outcome]], FunctionMetric]:
    """Decorator: turn ``fn(ctx) -> Outcome`` into a :class:`FunctionMetric`."""

    def wrap(fn: Callable[[Context], Outcome]) -> FunctionMetric:
        return FunctionMetric(id, name_zh, name_en, unit, higher_is_better, fn, fn.__doc__ or "")

    return wrap


def per_incident_outcome(
    tab: LogTable, codes: IntArray, values: FloatArray, evidence_rows: list[IntArray],
    *, higher_is_better: bool, worst: int = 5,
) -> Outcome:
    """Mean of per-incident values, with the worst cases' event seqs as evidence."""
    if len(values) == 0:
        return Outcome(value=None, n=0)
    ids = tab.incident_ids
    names = [ids[c] for c in codes.tolist()]
    per = dict(zip(names, np.round(values, 6).tolist(), strict=True))
    order = np.argsort(values if higher_is_better else -values, kind="stable")[:worst]
    ev: list[int] = []
    for i in order:
        ev.extend(tab.seqs(evidence_rows[int(i)]))
    return Outcome(value=round(float(np.mean(values)), 6), n=len(values), per_incident=per,
                   evidence=sorted(set(ev)),
                   case_rows=dict(zip(names, evidence_rows, strict=True)))


def wait_outcome(
    ctx: Context, metric_id: str, codes: IntArray, t_start: FloatArray, end_row: IntArray,
    evidence_rows: list[IntArray], *, excluded: dict[str, str] | None = None,
    names: list[str] | None = None, worst: int = 5,
) -> Outcome:
    """A metric that waits, per case, from ``t_start`` for an event (``end_row``, -1: none yet).

    A case whose event came has its real duration. One still waiting is **breached** if its
    wait limit (``ctx.wait_limits[metric_id]``, from the rubric) passed before the censoring
    time — it is counted at the limit, a lower bound, never at the drill's end — and **open**
    otherwise (excluded from the value, listed). Without a limit every waiting case is open.
    ``names`` label the cases (default: incident ids of ``codes``). The value is the mean over
    assessable cases; the worst cases' events are the evidence.
    """
    tab = ctx.tab
    limit = ctx.wait_limits.get(metric_id)
    labels = names if names is not None else [tab.incident_ids[c] for c in codes.tolist()]
    censor = tab.censor_time
    stopped = end_row >= 0
    t_end = tab.t[np.maximum(end_row, 0)] if len(end_row) else np.zeros(0)
    dur = np.where(stopped, np.maximum(t_end - t_start, 0.0), np.nan)
    waited = censor - t_start
    late = ~stopped & (waited > limit + 1e-9) if limit is not None else np.zeros(len(codes), bool)
    use = stopped | late
    vals = np.where(stopped, dur, limit if limit is not None else 0.0)
    out = Outcome(value=None, n=int(use.sum()), limit_min=limit, excluded=dict(excluded or {}))
    out.open = [labels[i] for i in np.flatnonzero(~use).tolist()]
    out.unstopped = [labels[i] for i in np.flatnonzero(late).tolist()]
    out.case_rows = dict(zip(labels, evidence_rows, strict=True))
    if not use.any():
        return out
    sel = np.flatnonzero(use)
    out.value = round(float(vals[sel].mean()), 6)
    sel_l = sel.tolist()
    out.per_incident = dict(zip([labels[i] for i in sel_l],
                                [round(v, 6) for v in vals[sel].tolist()], strict=True))
    order = sel[np.argsort(-vals[sel], kind="stable")[:worst]]
    ev: list[int] = []
    for i in order.tolist():
        ev.extend(tab.seqs(evidence_rows[i]))
    out.evidence = sorted(set(ev))
    return out


def row_pairs(first: IntArray, second: IntArray | None = None) -> list[IntArray]:
    """Per case, its evidence rows: without ``second``, ``[first[i]]`` (none if it is -1);
    with it, ``[first[i], second[i]]``, or ``[first[i]]`` when ``second[i]`` is -1. Read-only
    views of one array, not an array per case (a large drill has ~100,000 cases)."""
    n = len(first)
    if second is None:
        col = np.asarray(first, dtype=np.int64).reshape(n, 1)
        col.flags.writeable = False
        ok = (col[:, 0] >= 0).tolist()
        return [col[i] if k else _NO_ROWS for i, k in enumerate(ok)]
    pair = np.stack([np.asarray(first, dtype=np.int64), np.asarray(second, dtype=np.int64)],
                    axis=1)
    pair.flags.writeable = False
    both = (pair[:, 1] >= 0).tolist()
    return [pair[i] if b else pair[i, :1] for i, b in enumerate(both)]


_NO_ROWS: IntArray = np.zeros(0, dtype=np.int64)
_NO_ROWS.flags.writeable = False


def first_per_key(keys: IntArray, rows: IntArray) -> tuple[IntArray, IntArray]:
    """Unique keys (sorted) and the first row of each (rows in log order)."""
    uk, idx = np.unique(keys, return_index=True)
    return uk, rows[idx]


def lookup(keys: IntArray, table_keys: IntArray, table_vals: IntArray) -> IntArray:
    """``table_vals`` for each key (``-1`` when absent); ``table_keys`` sorted and unique."""
    out = np.full(len(keys), -1, dtype=np.int64)
    if len(table_keys) == 0 or len(keys) == 0:
        return out
    pos = np.searchsorted(table_keys, keys)
    ok = pos < len(table_keys)
    ok[ok] = table_keys[pos[ok]] == keys[ok]
    out[ok] = table_vals[pos[ok]]
    return out
