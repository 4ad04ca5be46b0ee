"""The improvement plan (整改计划 / IP): one row per area for improvement, owned by whoever was late.

Each row is tied to one finding of the scorecard. Its **cause** is the finding's clock or metric
(``clock.arrive``, ``report.first_completeness``, ``observation``…); the corrective action comes
from an editable table keyed by cause (``evaluators/data/actions.yaml``, validated by
:class:`ActionTable`). Its **owners** are read from the finding's evidence: the table says which
role is responsible for a cause (the unit for a late arrival, the duty desk for an alarm taken
late, the command post for a scene not visible, the depot for supplies, the sender of a late
report), and the owners are the ids of that role in the evidence records. When the evidence
holds none (an arrival that never came has only its start event), the dispatch records of the
finding's incidents are added to the row's evidence and their units (or desks) named, so every
owner is named by a record the row cites. Priority follows the finding's rubric score
(``priority_by_score``; an observation by its rating, ``priority_by_rating``), unless the action
fixes it; the due date is the drill date plus the priority's days.

Owners are ids; the report shows them by name.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from evaluators.scorecard import Finding, Scorecard
from scenarios.loading import InputError, StrictModel, load_model

DEFAULT_ACTIONS = Path(__file__).parent / "data" / "actions.yaml"
Priority = Literal["high", "medium", "low"]
OwnerRole = Literal["unit", "desk", "post", "depot", "sender", "any"]
#: how many owners a row names at most (the most often cited first)
MAX_OWNERS = 4


class Action(StrictModel):
    """The corrective action for one cause."""

    owner: OwnerRole
    zh: str = Field(min_length=2)
    en: str = Field(min_length=2)
    priority: Priority | None = None


class ActionTable(StrictModel):
    """``actions.yaml``: actions by cause, priority by rating, due days by priority."""

    schema_: Literal["blinddrill.actions/1"] = Field(alias="schema")
    priority_by_rating: dict[Literal["P", "S", "M", "U"], Priority]
    #: a finding whose rubric item scored below ``high`` is high priority, below ``medium``
    #: medium, else low; findings without an item score (observations) go by rating
    priority_by_score: dict[Literal["high", "medium"], Annotated[float, Field(ge=0, le=100)]]
    due_days: dict[Priority, Annotated[int, Field(ge=1, le=3650)]]
    fallback_owner_zh: str
    fallback_owner_en: str
    actions: dict[str, Action]

    def action(self, cause: str) -> Action:
        """The action for ``cause`` (or the ``default`` one)."""
        return self.actions.get(cause) or self.actions["default"]

    def action_for(self, f: Finding) -> Action:
        """The action for a finding: ``<key>:<cause>`` if listed, else ``<key>``, else default."""
        key, sub = finding_cause(f), str(getattr(f, "cause", "") or "")
        refined = self.actions.get(f"{key}:{sub}") if sub else None
        return refined if refined is not None else self.action(key)


def load_actions(path: str | Path | None = None) -> ActionTable:
    """Load and validate an action table (default: the shipped one)."""
    p = Path(path) if path else DEFAULT_ACTIONS
    table = load_model(p, ActionTable)
    problems = []
    if "default" not in table.actions:
        problems.append("actions: needs a 'default' entry (used for causes not listed)")
    for prio in ("high", "medium", "low"):
        if prio not in table.due_days:
            problems.append(f"due_days: missing '{prio}'")
    if set(table.priority_by_score) != {"high", "medium"}:
        problems.append("priority_by_score: needs 'high' and 'medium'")
    for r in ("P", "S", "M", "U"):
        if r not in table.priority_by_rating:
            problems.append(f"priority_by_rating: missing '{r}'")
    if problems:
        raise InputError(str(p), problems)
    return table


class PlanItem(BaseModel):
    """One row of the improvement plan."""

    model_config = ConfigDict(extra="forbid")

    findings: list[int]  # indexes in scorecard.findings.improvements (same cause merged)
    capability: str
    cause: str
    issue_zh: str
    issue_en: str
    action_zh: str
    action_en: str
    owners: list[str]  # party ids (unit, DESK-…, CP-…, depot) named by the evidence
    #: shown when the evidence names nobody (e.g. an observation about the whole drill)
    fallback_owner_zh: str = ""
    fallback_owner_en: str = ""
    owner_role: OwnerRole
    priority: Priority
    start: dt.date
    due: dt.date
    incidents: list[str] = Field(default_factory=list)
    evidence: list[int] = Field(default_factory=list)


def finding_cause(f: Finding) -> str:
    """The cause key of a finding: ``clock.<id>`` for a clock, the metric id, or ``observation``.

    The scorecard's own ``cause`` (``late``, ``not_done``, ``missing_fields`` …) refines it: the
    action table may hold ``<key>:<cause>`` (e.g. ``clock.arrive:not_done``), see
    :meth:`ActionTable.action_for`."""
    metric = f.metric.split(",")[0].strip()  # a grouped finding may list several clocks
    if metric.startswith("clock."):
        return ".".join(metric.split(".")[:2])
    return metric


def _parties(r: dict[str, Any], role: OwnerRole) -> list[str]:
    d = r.get("data") or {}
    unit, post, depot, desk = r.get("unit"), r.get("post"), r.get("depot"), d.get("desk")
    sender = d.get("sender") if r.get("kind") == "report_submitted" else None
    found: dict[OwnerRole, list[Any]] = {
        "unit": [unit], "desk": [desk], "post": [post], "depot": [depot],
        "sender": [sender or unit or post],
        "any": [unit, desk, post, depot, sender]}
    return [str(x) for x in found[role] if x]


def owners_from(records: Sequence[dict[str, Any]], seqs: Sequence[int], role: OwnerRole,
                ) -> tuple[list[str], list[int]]:
    """Owners of ``role`` named by the records ``seqs`` (most cited first), and the seqs
    actually used (``seqs`` plus any dispatch/alarm records added for incidents whose evidence
    names no owner of that role)."""
    recs = [records[s] for s in seqs if 0 <= s < len(records)]
    count: Counter[str] = Counter(p for r in recs for p in _parties(r, role))
    used = list(seqs)
    if not count and recs:
        incidents = {r.get("incident") for r in recs if r.get("incident")}
        kinds = {"unit": ("unit_dispatched",), "desk": ("alarm_taken", "unit_dispatched"),
                 "sender": ("unit_dispatched",), "any": ("unit_dispatched",),
                 "post": ("command_post_activated", "scene_visible"),
                 "depot": ("supplies_delivered",)}[role]
        extra = [r for r in records if r.get("incident") in incidents and r["kind"] in kinds]
        count = Counter(p for r in extra for p in _parties(r, role))
        used += [int(r["seq"]) for r in extra if _parties(r, role)]
    if not count:  # last resort: anyone the evidence names
        count = Counter(p for r in recs for p in _parties(r, "any"))
    owners = [p for p, _ in sorted(count.items(), key=lambda kv: (-kv[1], kv[0]))]
    return owners[:MAX_OWNERS], sorted(set(used))


def drill_date(records: Sequence[dict[str, Any]]) -> dt.date | None:
    """The story date of the drill (``drill_started``'s ``start``), None if the log lacks it."""
    for r in records:
        if r["kind"] == "drill_started":
            try:
                return dt.datetime.fromisoformat(str((r.get("data") or {}).get("start"))).date()
            except (TypeError, ValueError):
                return None
    return None


def improvement_plan(card: Scorecard, records: Sequence[dict[str, Any]],
                     table: ActionTable | None = None,
                     start: dt.date | None = None) -> list[PlanItem]:
    """One :class:`PlanItem` per cause among the areas for improvement of ``card``.

    Findings with the same capability and cause (e.g. a clock's compliance and its 90th
    percentile) share a row; each observation gets its own. Rows are ordered by priority, then
    by the first finding's order.

    ``records`` is the log the card was scored from (evidence seqs index it); ``start`` is the
    plan's start date (default: the drill's date, else today)."""
    table = table or load_actions()
    begin = start or drill_date(records) or dt.date.today()
    ratings = {c.id: c.rating for c in card.capabilities}
    item_scores = {(c.id, i.metric): i.score for c in card.capabilities for i in c.items}
    rows: dict[tuple[str, str], PlanItem] = {}
    for i, f in enumerate(card.findings.improvements):
        cause = finding_cause(f)
        act = table.action_for(f)
        owners, used = owners_from(records, f.evidence, act.owner)
        rating: str | None = ratings.get(f.capability)
        if f.metric == "observation":
            rating = _observation_rating(records, f.evidence) or rating
        prio = act.priority or _priority(table, item_scores.get((f.capability, f.metric)),
                                         rating)
        incidents = list(getattr(f, "incidents", None) or [])
        if not incidents:
            seen = [records[s].get("incident") for s in f.evidence if 0 <= s < len(records)]
            incidents = sorted({str(x) for x in seen if x})
        key = (f.capability, cause if f.metric != "observation" else f"observation-{i}")
        if key in rows:  # the same cause seen by another statistic: one row, both issues
            row = rows[key]
            row.findings.append(i)
            row.issue_zh += "；" + f.text_zh
            row.issue_en += "; " + f.text_en
            row.owners = list(dict.fromkeys(row.owners + owners))[:MAX_OWNERS]
            row.incidents = sorted(set(row.incidents) | set(incidents))
            row.evidence = sorted(set(row.evidence) | set(used))
            continue
        rows[key] = PlanItem(
            findings=[i], capability=f.capability, cause=cause, issue_zh=f.text_zh,
            issue_en=f.text_en, action_zh=act.zh, action_en=act.en, owners=owners,
            owner_role=act.owner, priority=prio, start=begin,
            due=begin + dt.timedelta(days=table.due_days[prio]), incidents=incidents,
            evidence=used,
            fallback_owner_zh="" if owners else table.fallback_owner_zh,
            fallback_owner_en="" if owners else table.fallback_owner_en)
    order = {"high": 0, "medium": 1, "low": 2}
    return sorted(rows.values(), key=lambda r: (order[r.priority], r.findings[0]))


def _priority(table: ActionTable, score: float | None, rating: str | None) -> Priority:
    if score is None:
        for letter, prio in table.priority_by_rating.items():
            if letter == (rating or "S"):
                return prio
        return "medium"
    if score < table.priority_by_score["high"]:
        return "high"
    return "medium" if score < table.priority_by_score["medium"] else "low"


def _observation_rating(records: Sequence[dict[str, Any]], seqs: Sequence[int]) -> str | None:
    for s in seqs:
        if 0 <= s < len(records):
            r = (records[s].get("data") or {}).get("rating")
            if r in ("P", "S", "M", "U"):
                return str(r)
    return None
