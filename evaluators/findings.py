"""Strengths and areas for improvement, one finding per cause per capability, with evidence.

An item scoring at least ``findings.strength_min`` is a strength; at most
``findings.improvement_max`` an area for improvement. Findings are grouped, never one per
incident:

* clocks of a capability with a weak item give at most two findings: ``late`` (the stop event
  came after the limit) and ``not_done`` (the limit passed and it never came), each listing its
  incidents with value (or time waited) against the limit;
* a weak metric gives one finding listing its worst incidents (waits not done within their
  limit, reports with their missing fields …);
* strong clocks of a capability give one ``met`` finding; a strong metric one finding.

Evidence is the ``seq`` numbers of the events that show the problem — the late arrival, the
report with missing fields, the escalation that started a report clock — never the
``incident_occurred`` records. Open items (not assessable yet) are never findings. Umpire
``observation`` events rated P become strengths, rated M or U areas for improvement.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import numpy as np

from evaluators.clocks import BREACHED, MET, ClockResult
from evaluators.metrics.base import Outcome
from evaluators.rubric import Capability, Rubric
from evaluators.scorecard import (
    CapabilityScore,
    Finding,
    Findings,
    MetricSummary,
    construct_all,
)
from evaluators.table import KIND_CODE, LogTable

#: incidents named in a finding's text (all of them are in ``incidents`` and ``details``)
TEXT_LIST = 8
_OCCURRED = KIND_CODE["incident_occurred"]


def _fmt(value: float, ratio: bool) -> tuple[str, str]:
    if ratio:
        return f"{value * 100:.0f}%", f"{value * 100:.0f}%"
    return f"{value:.1f}分钟", f"{value:.1f} min"


def _rows_ev(tab: LogTable, rows: list[int]) -> list[int]:
    """Seqs of rows that show something (no -1, no incident_occurred)."""
    keep = [r for r in rows if r >= 0 and int(tab.kind[r]) != _OCCURRED]
    return tab.seqs(np.array(keep, dtype=np.int64)) if keep else []


def _seq_ev(tab: LogTable, seqs: list[int]) -> list[int]:
    """Drop the seqs of incident_occurred records."""
    if not seqs:
        return []
    occ = tab.occurred_seqs
    return [s for s in seqs if s not in occ]


def _finding(kind: Literal["strength", "improvement"], capability: str, metric: str,
             text_zh: str, text_en: str, cause: str, evidence: list[int],
             incidents: list[str] | None = None, details: list[dict[str, Any]] | None = None
             ) -> Finding:
    """A :class:`Finding` from the scorer's own typed values, built without re-validating
    (its detail rows, one per incident, are most of a large drill's findings)."""
    return construct_all(Finding, {
        "kind": kind, "capability": capability, "metric": metric, "text_zh": text_zh,
        "text_en": text_en, "cause": cause, "incidents": incidents or [],
        "details": details or [], "evidence": evidence})


def _more(count: int, zh: bool) -> str:
    extra = count - TEXT_LIST
    if extra <= 0:
        return ""
    return f"等{count}起" if zh else f" and {extra} more"


def _clock_findings(
    tab: LogTable, cap: Capability, cs: CapabilityScore, weak: list[ClockResult],
    strong: list[ClockResult], max_ev: int,
) -> list[tuple[float, Finding]]:
    out: list[tuple[float, Finding]] = []
    ids = tab.incident_ids
    score = cs.score if cs.score is not None else 0.0
    for cause in ("late", "not_done"):
        parts_zh: list[str] = []
        parts_en: list[str] = []
        incidents: list[str] = []
        details: list[dict[str, Any]] = []
        ev: list[int] = []
        for res in weak:
            if cause == "late":
                sel = np.flatnonzero((res.status == BREACHED) & ~res.censored)
                sel = sel[np.argsort(-res.value[sel], kind="stable")]
            else:
                sel = np.flatnonzero((res.status == BREACHED) & res.censored)
                sel = sel[np.argsort(-res.elapsed[sel], kind="stable")]
            if not len(sel):
                continue
            lim = res.rule.limit_min
            items_zh: list[str] = []
            items_en: list[str] = []
            known = set(incidents)
            uids = tab.unit_ids
            late = cause == "late"
            vals = (res.value if late else res.elapsed)[sel].tolist()
            ends, starts = res.end_row[sel].tolist(), res.start_row[sel].tolist()
            for c, u, v, e, st in zip(res.incident[sel].tolist(), res.unit[sel].tolist(), vals,
                                      ends, starts, strict=True):
                iid = ids[c]
                unit = uids[u] if u >= 0 else None
                who = f"{iid}/{unit}" if unit else iid
                if iid not in known:
                    known.add(iid)
                    incidents.append(iid)
                if late:
                    d: dict[str, Any] = {"incident": iid, "clock": res.rule.id, "value": v,
                                         "limit_min": lim}
                    if len(items_zh) < TEXT_LIST:
                        items_zh.append(f"{who} {v:.1f}分钟")
                        items_en.append(f"{who} {v:.1f} min")
                    rows = [e, st]
                else:
                    d = {"incident": iid, "clock": res.rule.id, "value": None,
                         "waited_min": v, "limit_min": lim}
                    if len(items_zh) < TEXT_LIST:
                        items_zh.append(f"{who} 已过{v:.1f}分钟")
                        items_en.append(f"{who} {v:.1f} min without it")
                    rows = [st]
                if unit:
                    d["unit"] = unit
                details.append(d)
                if len(ev) < max_ev:
                    ev.extend(_rows_ev(tab, rows))
            extra = len(sel) - len(items_zh)
            shown_zh = "、".join(items_zh) + (f"等{len(sel)}次" if extra else "")
            shown_en = ", ".join(items_en) + (f" and {extra} more" if extra else "")
            if cause == "late":
                parts_zh.append(f"{res.rule.name_zh}超时{len(sel)}次（时限{lim:g}分钟）：{shown_zh}")
                parts_en.append(f"{res.rule.name_en}: late {len(sel)}× (limit {lim:g} min): "
                                f"{shown_en}")
            else:
                parts_zh.append(f"{res.rule.name_zh}超过时限仍未完成{len(sel)}次（时限{lim:g}分钟）："
                                f"{shown_zh}")
                parts_en.append(f"{res.rule.name_en}: not done within the limit {len(sel)}× "
                                f"(limit {lim:g} min): {shown_en}")
        if not details:
            continue
        f = _finding(kind="improvement", capability=cap.id,
                     metric=",".join(f"clock.{r.rule.id}" for r in weak), cause=cause,
                     text_zh=f"{cap.name_zh}：" + "；".join(parts_zh),
                     text_en=f"{cap.name_en}: " + "; ".join(parts_en),
                     incidents=incidents, details=details, evidence=sorted(set(ev))[:max_ev])
        out.append((score, f))
    if strong:
        parts_zh, parts_en, ev = [], [], []
        for res in strong:
            ok = res.assessable
            n, met = int(ok.sum()), int((res.status == MET).sum())
            parts_zh.append(f"{res.rule.name_zh}{n}起中{met}起达标")
            parts_en.append(f"{res.rule.name_en}: met in {met} of {n}")
            sel = np.flatnonzero(res.status == MET)[:max_ev]
            ev.extend(_rows_ev(tab, res.end_row[sel].tolist()))
        f = _finding(kind="strength", capability=cap.id,
                     metric=",".join(f"clock.{r.rule.id}" for r in strong), cause="met",
                     text_zh=f"{cap.name_zh}：" + "；".join(parts_zh),
                     text_en=f"{cap.name_en}: " + "; ".join(parts_en),
                     evidence=sorted(set(ev))[:max_ev])
        out.append((score, f))
    return out


def _metric_finding(
    tab: LogTable, cap: Capability, kind: Literal["strength", "improvement"], mid: str, value: float, score: float,
    o: Outcome, m: MetricSummary, max_ev: int, field_names: Mapping[str, tuple[str, str]],
) -> Finding:
    vzh, ven = _fmt(value, m.unit == "ratio")
    zh, en = f"{cap.name_zh}：{m.name_zh}{vzh}", f"{cap.name_en}: {m.name_en} {ven}"
    incidents: list[str] = []
    details: list[dict[str, Any]] = []
    ev: list[int] = []
    if kind == "improvement" and o.per_incident:
        worst = sorted(o.per_incident.items(), key=lambda kv: kv[1], reverse=not m.higher_is_better)
        bad = [(k, v) for k, v in worst if (v < 1.0 if m.higher_is_better else v > 0)]
        parts_zh: list[str] = []  # the first TEXT_LIST cases are named in the text
        parts_en: list[str] = []
        unstopped = set(o.unstopped)
        for k, v in bad:
            d: dict[str, Any] = {"incident": k, "value": v}
            named = len(parts_zh) < TEXT_LIST
            if k in unstopped:
                d.update(value=None, not_done=True, limit_min=o.limit_min)
                if named:
                    parts_zh.append(f"{k} 超过{o.limit_min:g}分钟仍未完成")
                    parts_en.append(f"{k} not done within {o.limit_min:g} min")
            elif k in o.missing:
                d["missing"] = o.missing[k]
                if named:
                    shown = [field_names.get(f, (f, f)) for f in o.missing[k][:6]]
                    parts_zh.append(f"{k} 缺{'、'.join(n[0] for n in shown)}"
                                    + ("等" if len(o.missing[k]) > 6 else ""))
                    parts_en.append(f"{k} lacks {', '.join(n[1] for n in shown)}"
                                    + ("…" if len(o.missing[k]) > 6 else ""))
            elif named:
                a, b = _fmt(v, m.unit == "ratio")
                parts_zh.append(f"{k} {a}")
                parts_en.append(f"{k} {b}")
            incidents.append(k)
            details.append(d)
            if len(ev) < max_ev:
                rows = o.case_rows.get(k)
                if rows is not None:
                    ev.extend(_rows_ev(tab, np.asarray(rows).tolist()))
        if parts_zh:  # cases that list missing fields are set apart by a semicolon
            lists = any("missing" in d for d in details)
            zh += "：" + ("；" if lists else "、").join(parts_zh) + _more(len(bad), True)
            en += ": " + ("; " if lists else ", ").join(parts_en) + _more(len(bad), False)
    if not ev:  # no per-case rows (e.g. over-dispatch): the metric's own evidence records
        ev = _seq_ev(tab, list(o.evidence))
    return _finding(kind=kind, capability=cap.id, metric=mid,
                    cause=mid, text_zh=zh, text_en=en, incidents=incidents, details=details,
                    evidence=sorted(set(ev))[:max_ev])


def extract(
    tab: LogTable,
    rubric: Rubric,
    caps: list[CapabilityScore],
    clocks: dict[str, ClockResult],
    outcomes: dict[str, Outcome],
    metrics: dict[str, MetricSummary],
    field_names: Mapping[str, tuple[str, str]],
) -> Findings:
    """All findings of one drill, weakest/strongest capability first. ``field_names``: a
    report field's display names by id (:attr:`scenarios.templates.TemplateSet.field_names`),
    so that a finding names the fields a report lacked, not their ids."""
    rules = rubric.findings
    scored: list[tuple[float, Finding]] = []
    by_id = {c.id: c for c in rubric.capabilities}
    for cs in caps:
        cap = by_id[cs.id]
        weak: dict[str, ClockResult] = {}
        strong: dict[str, ClockResult] = {}
        middling: set[str] = set()  # a clock is a strength only if all its items are strong
        for item in cs.items:
            if item.score is None or item.value is None:
                continue
            if item.metric.startswith("clock."):
                cid = item.metric.split(".")[1]
                if item.score <= rules.improvement_max:
                    weak[cid] = clocks[cid]
                if item.score >= rules.strength_min:
                    strong.setdefault(cid, clocks[cid])
                else:
                    middling.add(cid)
                continue
            kind: Literal["strength", "improvement"]
            if item.score <= rules.improvement_max:
                kind = "improvement"
            elif item.score >= rules.strength_min:
                kind = "strength"
            else:
                continue
            f = _metric_finding(tab, cap, kind, item.metric, item.value, item.score,
                                outcomes[item.metric], metrics[item.metric], rules.max_evidence,
                                field_names)
            scored.append((item.score, f))
        strong = {k: v for k, v in strong.items() if k not in middling}
        scored.extend(_clock_findings(tab, cap, cs, list(weak.values()), list(strong.values()),
                                      rules.max_evidence))
    for r in tab.of_kind("observation"):
        d = tab.records[r].get("data", {})
        rating = d.get("rating")
        if rating not in ("P", "M", "U"):
            continue
        text = str(d.get("text", ""))
        kind = "strength" if rating == "P" else "improvement"
        f = Finding(kind=kind, capability=str(d.get("capability") or ""), metric="observation",
                    cause="observation", text_zh=f"评估员观察（{rating}）：{text}",
                    text_en=f"Umpire observation ({rating}): {text}",
                    incidents=[str(tab.records[r]["incident"])] if tab.records[r]["incident"]
                    else [], evidence=tab.seqs(np.array([r])))
        scored.append((100.0 if rating == "P" else 0.0, f))
    strengths = [f for s, f in sorted(scored, key=lambda x: -x[0]) if f.kind == "strength"]
    improvements = [f for s, f in sorted(scored, key=lambda x: x[0]) if f.kind == "improvement"]
    return Findings(strengths=strengths, improvements=improvements)
