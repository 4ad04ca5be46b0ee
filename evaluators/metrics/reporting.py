"""Information-reporting metrics: 首报快、续报准、终报全 (first fast, follow-ups accurate, final complete).

Definitions (``docs/scoring.md``):

* ``report.first_delay`` — per incident, minutes from ``incident_occurred`` to its first
  ``report_submitted`` (any stage); an incident not reported yet is breached once the wait
  limit passed before the censoring time (counted at the limit), else open (excluded).
* ``report.followup_cadence`` — per incident, over its reports to the level of its first report
  (relays of the same report upward are not counted again), with ≥ 2 such reports: the mean gap
  in minutes between consecutive reports; the drill value is the mean over such incidents.
* ``report.accuracy`` — per follow-up or final report carrying casualties, 1 − Σ|reported − true|
  ÷ max(1, Σ true) (floored at 0) over the casualty keys present in the report or non-zero in
  the truth; the truth is the latest of ``incident_occurred`` and ``complication_applied``
  (``type: casualty_update``) at the report's time. Mean over reports.
* ``report.first_completeness`` / ``report.final_completeness`` — per incident, the share of the
  template's fields required at that stage present in its first / last final report (0 if none);
  ``missing`` lists the fields each incident's report lacked (all of them if no report).
  An incident without a first report is judged (0) only once the first-report wait limit
  passed (it is open before);
  final completeness is judged only for incidents whose final report is due: a final report
  was made, or the incident was closed (``incident_closed``) before the censoring time; others
  are open.
"""

from __future__ import annotations

import heapq
import itertools
import operator
from typing import Any

import numpy as np

from engine.eventvalues import CASUALTY_KEYS
from evaluators.metrics.base import (
    Context,
    Outcome,
    metric,
    per_incident_outcome,
    row_pairs,
    unavailable,
    wait_outcome,
)
from evaluators.table import LogTable, label_codes


def _known_rows(ctx: Context) -> tuple[np.ndarray, np.ndarray]:
    """Report rows of known incidents (log order) and their incident codes."""
    tab = ctx.tab
    rows = tab.of_kind("report_submitted")
    inc = tab.incident[rows]
    ok = inc >= 0
    ok[ok] = tab.incidents.known[inc[ok]]
    return rows[ok], inc[ok]


@metric("report.first_delay", "首报用时", "First report delay", "min", higher_is_better=False)
def first_delay(ctx: Context) -> Outcome:
    """Minutes from occurrence to the first report, per incident (a censored wait)."""
    tab, incs = ctx.tab, ctx.tab.incidents
    rows, inc = _known_rows(ctx)
    codes = np.flatnonzero(incs.known)
    first = np.full(len(tab.incident_ids), -1, dtype=np.int64)
    uk, idx = np.unique(inc, return_index=True)
    first[uk] = rows[idx]
    ev = row_pairs(first[codes])
    return wait_outcome(ctx, "report.first_delay", codes, incs.t_occurred[codes], first[codes], ev)


@metric("report.followup_cadence", "续报间隔", "Follow-up cadence", "min", higher_is_better=False)
def followup_cadence(ctx: Context) -> Outcome:
    """Mean gap between consecutive reports of an incident (incidents with ≥ 2 reports)."""
    tab = ctx.tab
    rows, inc = _known_rows(ctx)
    # keep each incident's reports to the level of its first report (relays upward repeat them)
    to, _ = label_codes([str(x) for x in tab.data_column("report_submitted", "to")])
    to = to[np.isin(tab.of_kind("report_submitted"), rows)]
    # the level of each incident's first report (rows are in log order)
    uk, first = np.unique(inc, return_index=True)
    keep = to == to[first][np.searchsorted(uk, inc)] if len(inc) else np.zeros(0, dtype=bool)
    rows, inc = rows[keep], inc[keep]
    order = np.lexsort((rows, inc))
    rows, inc = rows[order], inc[order]
    codes, start, counts = np.unique(inc, return_index=True, return_counts=True)
    sel = counts >= 2
    codes, start, counts = codes[sel], start[sel], counts[sel]
    last = start + counts - 1
    vals = (tab.t[rows[last]] - tab.t[rows[start]]) / (counts - 1)
    ev = [rows[a:b + 1] for a, b in zip(start, last, strict=True)]
    return per_incident_outcome(tab, codes, vals, ev, higher_is_better=False)


@metric("report.accuracy", "续报准确率", "Report accuracy", "ratio", higher_is_better=True)
def accuracy(ctx: Context) -> Outcome:
    """Mean casualty accuracy of follow-up and final reports against the truth at that time."""
    tab, incs = ctx.tab, ctx.tab.incidents
    # later truth (casualty updates) per incident, in time order
    updates: dict[int, list[tuple[float, dict[str, Any]]]] = {}
    for r in tab.of_kind("complication_applied").tolist():
        d = tab.records[r].get("data", {})
        if d.get("type") != "casualty_update" or not isinstance(d.get("casualties"), dict):
            continue
        iid = tab.records[r]["incident"] or d.get("incident")
        code = tab.incident_code.get(str(iid), -1)
        if code >= 0:
            updates.setdefault(code, []).append((float(tab.t[r]), d["casualties"]))
    rows = tab.of_kind("report_submitted")
    inc_of = tab.incident[rows].tolist()
    t_of = tab.t[rows].tolist()
    seq_of = tab.seqs(rows)
    known = incs.known.tolist()  # plain bools: indexed once per report
    accs: list[float] = []
    per: dict[int, list[float]] = {}
    worst: list[tuple[float, int]] = []
    for i, (stage, vals) in enumerate(zip(tab.data_column("report_submitted", "stage"),
                                          tab.data_column("report_submitted", "values"),
                                          strict=True)):
        if (stage != "followup" and stage != "final") or not isinstance(vals, dict):
            continue
        rep = vals.get("casualties", vals)
        code = inc_of[i]
        if not isinstance(rep, dict) or code < 0 or not known[code]:
            continue
        truth = incs.casualties[code]
        for tt, u in updates.get(code, ()):
            if tt <= t_of[i]:
                truth = u
        err = tot = 0.0
        reported = False
        for k in CASUALTY_KEYS:
            tv = truth.get(k, 0) or 0
            rv = rep.get(k)
            if isinstance(rv, _NUMBER):
                err += abs(rv - tv)
                tot += tv
                reported = True
            elif tv:
                err += tv
                tot += tv
        if not reported:
            continue
        acc = max(0.0, 1.0 - err / max(1.0, tot))
        accs.append(acc)
        per.setdefault(code, []).append(acc)
        worst.append((acc, seq_of[i]))
    if not accs:
        return Outcome(value=None, n=0)
    return Outcome(
        value=round(float(np.mean(accs)), 6), n=len(accs),
        per_incident={tab.incident_ids[c]: round(_mean(v), 6) for c, v in per.items()},
        evidence=sorted(s for _, s in heapq.nsmallest(5, worst)),
    )


_NUMBER = (int, float)


def _mean(values: list[float]) -> float:
    """``float(np.mean(values))`` of a non-empty list of accuracies (in [0, 1], never -0.0):
    numpy adds fewer than 8 values one after the other from 0.0, so a short list (an
    incident's few reports) gets the same float from a plain loop, without numpy's per-call
    overhead (~5 µs; a drill of 20,000 incidents has 20,000 such means)."""
    if len(values) >= 8:
        return float(np.mean(values))
    total = 0.0
    for v in values:
        total += v
    return total / len(values)


def _completeness(ctx: Context, stage: str) -> Outcome:
    tab, incs, tpl = ctx.tab, ctx.tab.incidents, ctx.templates
    if tpl is None:
        return unavailable("no report templates")
    rows = tab.of_kind("report_submitted")
    stages = tab.data_column("report_submitted", "stage")
    fields = tab.data_column("report_submitted", "fields")
    # operator.eq, not stage.__eq__: a stage that is not text (None, a number) gives
    # NotImplemented there, which numpy reads as True
    sel = np.fromiter(map(operator.eq, stages, itertools.repeat(stage)), dtype=bool,
                      count=len(stages))
    sel &= tab.incident[rows] >= 0
    idx = np.flatnonzero(sel)
    if stage == "final":  # the last final report; the first 'first' report
        idx = idx[::-1]
    uk, first = np.unique(tab.incident[rows[idx]], return_index=True)
    pick = dict(zip(uk.tolist(), idx[first].tolist(), strict=True))  # incident → index into rows
    required: dict[str, list[str]] = {}
    codes: list[int] = []
    vals: list[float] = []
    ev = []
    missing: dict[str, list[str]] = {}
    open_: list[str] = []
    due = _final_due(tab) if stage == "final" else _first_due(ctx)
    for c in np.flatnonzero(incs.known).tolist():
        template = incs.template[c]
        if template not in tpl.by_id:
            continue
        need = required.get(template)
        if need is None:
            need = required[template] = list(tpl.required(template, stage))  # type: ignore[arg-type]
        got = pick.get(c)
        if got is None and due is not None and c not in due:
            open_.append(tab.incident_ids[c])  # the incident is still running: not due yet
            continue
        have = set(fields[got] or []) if got is not None else set()
        codes.append(c)
        vals.append(sum(map(have.__contains__, need)) / len(need) if need else 1.0)
        lacks = list(itertools.filterfalse(have.__contains__, need))
        if lacks:
            missing[tab.incident_ids[c]] = lacks
        ev.append(int(rows[got]) if got is not None else -1)
    if not codes:
        return Outcome(value=None, n=0, open=open_)
    out = per_incident_outcome(tab, np.array(codes, dtype=np.int64), np.array(vals),
                               row_pairs(np.array(ev, dtype=np.int64)), higher_is_better=True)
    out.missing, out.open = missing, open_
    return out


def _first_due(ctx: Context) -> set[int]:
    """Incident codes whose first report is due: the first-report wait limit (rubric
    ``wait_limits``) passed before the censoring time (none without a limit)."""
    tab, incs = ctx.tab, ctx.tab.incidents
    limit = ctx.wait_limits.get("report.first_delay")
    if limit is None:
        return set()
    late = (tab.censor_time - incs.t_occurred) > limit + 1e-9
    return set(np.flatnonzero(incs.known & late).tolist())


def _final_due(tab: LogTable) -> set[int]:
    """Incident codes whose final report is due: closed (``incident_closed``) by the censoring
    time."""
    rows = tab.of_kind("incident_closed")
    return set(tab.incident[rows][tab.incident[rows] >= 0].tolist())


@metric("report.first_completeness", "首报要素完整率", "First report completeness", "ratio",
        higher_is_better=True)
def first_completeness(ctx: Context) -> Outcome:
    """Share of the template's first-stage fields in each incident's first 'first' report."""
    return _completeness(ctx, "first")


@metric("report.final_completeness", "终报要素完整率", "Final report completeness", "ratio",
        higher_is_better=True)
def final_completeness(ctx: Context) -> Outcome:
    """Share of the template's final-stage fields in each incident's last final report."""
    return _completeness(ctx, "final")
