"""The improvement plan (evaluators.improvement): owners from the evidence, actions by cause from
the editable YAML table, priority and due date by priority, validated input."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from evaluators.improvement import (
    DEFAULT_ACTIONS,
    finding_cause,
    improvement_plan,
    load_actions,
    owners_from,
)
from evaluators.scorecard import Finding
from scenarios.loading import InputError


def _named_by(records: list[dict[str, Any]], seqs: list[int]) -> set[str]:
    """Every party a set of records names: unit, post, depot, desk, report sender."""
    out: set[str] = set()
    for s in seqs:
        r = records[s]
        d = r.get("data") or {}
        out |= {str(x) for x in (r.get("unit"), r.get("post"), r.get("depot"), d.get("desk"),
                                 d.get("sender")) if x}
    return out


def test_owners_are_units_named_in_the_evidence(run_dir: Path, card: Any) -> None:
    from engine.eventlog import read_records

    records = read_records(run_dir / "events.jsonl")
    plan = improvement_plan(card, records)
    assert plan and len(plan) <= len(card.findings.improvements)
    for row in plan:
        named = _named_by(records, row.evidence)
        assert set(row.owners) <= named, row.cause
        if not row.owners:  # only when the evidence names nobody: the table's fallback owner
            assert not named and row.fallback_owner_zh and row.fallback_owner_en
        for i in row.findings:  # the row's evidence contains its findings' evidence
            assert set(card.findings.improvements[i].evidence) <= set(row.evidence)
    assert sum(bool(r.owners) for r in plan) >= len(plan) - 1


def test_demo_plan_owners_and_actions(tmp_path: Path) -> None:
    """On a simulated drill of the seed city: owners from evidence, actions by cause."""
    from engine.eventlog import read_records
    from evaluators import score_run
    from ui.cli import cli
    from ui.errors import run_cli

    assert run_cli(cli, ["demo", "--seed", "4", "--replications", "0", "-o",
                         str(tmp_path)]) == 0
    run = tmp_path / "run"
    records = read_records(run / "events.jsonl")
    card = score_run(run)
    table = load_actions()
    plan = improvement_plan(card, records, table)
    assert len(plan) >= 4
    assert all(r.action_zh != table.actions["default"].zh for r in plan)  # every cause known
    covered = sorted(i for row in plan for i in row.findings)
    assert covered == list(range(len(card.findings.improvements)))  # every finding, once
    for row in plan:
        assert set(row.owners) <= _named_by(records, row.evidence)
        assert row.action_zh == table.action_for(card.findings.improvements[row.findings[0]]).zh
        assert row.due - row.start == dt.timedelta(days=table.due_days[row.priority])
        role = row.owner_role
        if role == "unit" and row.owners:
            assert all(o.startswith("U-") for o in row.owners)
        if role == "desk" and row.owners:
            assert all(o.startswith("DESK-") for o in row.owners)
    assert all(r.owners for r in plan), "every row's owner comes from its evidence"
    # rows owned by teams (late arrivals, reports, ...) name only the teams in their evidence
    for row in (r for r in plan if r.owner_role in ("unit", "sender")):
        named = {records[s]["unit"] for s in row.evidence if records[s].get("unit")}
        assert set(row.owners) <= named | {records[s]["data"].get("sender")
                                           for s in row.evidence}


def test_owner_role_falls_back_to_dispatch_records() -> None:
    recs: list[dict[str, Any]] = [
        {"seq": 0, "t": 0.0, "kind": "alarm_taken", "incident": "I1", "unit": None,
         "post": None, "depot": None, "data": {"desk": "DESK-K1"}},
        {"seq": 1, "t": 1.0, "kind": "unit_dispatched", "incident": "I1", "unit": "U-1",
         "post": None, "depot": None, "data": {"desk": "DESK-K1"}},
        {"seq": 2, "t": 1.0, "kind": "unit_dispatched", "incident": "I2", "unit": "U-2",
         "post": None, "depot": None, "data": {}},
    ]
    owners, used = owners_from(recs, [0], "unit")  # an arrival that never came
    assert owners == ["U-1"] and used == [0, 1]
    owners, used = owners_from(recs, [0], "desk")
    assert owners == ["DESK-K1"] and used == [0]


def test_cause_of_a_finding() -> None:
    def f(metric: str) -> Finding:
        return Finding(kind="improvement", capability="x", metric=metric, text_zh="a",
                       text_en="a")

    assert finding_cause(f("clock.arrive.compliance")) == "clock.arrive"
    assert finding_cause(f("clock.arrive.p90")) == "clock.arrive"
    assert finding_cause(f("report.accuracy")) == "report.accuracy"
    # scorecard/2 groups a cause over several clocks: the first one picks the action
    assert finding_cause(f("clock.report_phone_major,clock.report_written_major")) == \
        "clock.report_phone_major"


def test_shipped_table_covers_the_default_packs_and_rubric() -> None:
    from evaluators.rubric import load_rubric
    from evaluators.rules import load_packs

    table = load_actions()
    causes = {f"clock.{c.id}" for p in load_packs() for c in p.clocks}
    causes |= {".".join(i.metric.split(".")[:2]) if i.metric.startswith("clock.") else i.metric
               for cap in load_rubric().capabilities for i in cap.items}
    missing = sorted(c for c in causes if c not in table.actions)
    assert not missing, f"no corrective action for {missing}"


@pytest.mark.parametrize(("edit", "field"), [
    (("    owner: desk\n", "    owner: desk\n    ownr: x\n"), "ownr"),
    (("    owner: unit\n", "    owner: team\n"), "owner"),
    (("due_days: {high: 30,", "due_days: {high: -3, urgent: 1,"), "due_days"),
])
def test_bad_action_table_names_file_and_field(tmp_path: Path, edit: tuple[str, str],
                                               field: str) -> None:
    p = tmp_path / "actions.yaml"
    p.write_text(DEFAULT_ACTIONS.read_text(encoding="utf-8").replace(*edit, 1), encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_actions(p)
    assert "actions.yaml" in str(exc.value) and field in str(exc.value)
