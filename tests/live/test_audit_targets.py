"""Audit targets: what the service writes is read back by ``live.audit.describe`` into its
parts (round trips, with hypothesis), so a page words them without parsing text itself; other
targets (ids, reasons, files) are left as stored."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from live.audit import (
    LIVE_SCORE,
    AuditDetail,
    assigned_target,
    calls_target,
    describe,
    injects_target,
    log_read_target,
    retimed_target,
    skipped_target,
    user_target,
)

_ID = st.from_regex(r"[A-Z]{1,3}[0-9]{1,4}", fullmatch=True)
_TEXT = st.text(min_size=0, max_size=40)


@given(st.integers(min_value=0, max_value=10**6))
def test_inject_counts(n: int) -> None:
    for action in ("read_msel", "read_released"):
        assert describe(action, injects_target(n)) == AuditDetail("injects", {"n": n})


@given(st.integers(min_value=-1, max_value=10**7), st.integers(min_value=0, max_value=10**6))
def test_log_reads(after: int, n: int) -> None:
    assert describe("read_log", log_read_target(after, n)) == AuditDetail(
        "log", {"after": after, "n": n})


@given(st.lists(st.tuples(_ID, st.booleans()), min_size=1, max_size=12))
def test_call_cards(cards: list[tuple[str, bool]]) -> None:
    assert describe("read_calls", calls_target(cards)) == AuditDetail("calls", {"cards": cards})


@given(_ID, st.floats(min_value=0, max_value=7 * 24 * 60, allow_nan=False), _TEXT)
def test_retimings(inject: str, t: float, reason: str) -> None:
    got = describe("inject_retimed", retimed_target(inject, t, reason))
    assert got is not None and got.kind == "retimed"
    assert got.values["inject"] == inject and got.values["reason"] == reason
    assert math.isclose(got.values["t"], t, rel_tol=0, abs_tol=0)


@given(st.from_regex(r"[^:\n]{1,20}", fullmatch=True),
       st.sampled_from(["director", "controller", "evaluator", "trainer"]))
def test_accounts(name: str, role: str) -> None:
    assert describe("user_created", user_target(name, role)) == AuditDetail(
        "user", {"name": name, "role": role})


@given(st.one_of(_ID, st.from_regex(r"ADHOC-[0-9]{3}", fullmatch=True)),
       st.from_regex(r"[^\n]{1,20}", fullmatch=True))
def test_assignments(inject: str, controller: str) -> None:
    assert describe("inject_assigned", assigned_target(inject, controller)) == AuditDetail(
        "assigned", {"inject": inject, "controller": controller})


@given(_ID, _TEXT)
def test_skips(inject: str, reason: str) -> None:
    assert describe("inject_skipped", skipped_target(inject, reason)) == AuditDetail(
        "skipped", {"inject": inject, "reason": reason})


def test_live_score_and_other_targets() -> None:
    assert describe("read_score", LIVE_SCORE) == AuditDetail("live_score")
    # ids, reasons and files are not shapes: shown as stored
    for action, target in [("inject_released", "J003"), ("drill_held", "weather"),
                           ("exported", "/tmp/run"), ("read_due", "J001,J002"),
                           ("read_calls", ""), ("read_log", "everything"),
                           ("read_msel", "24 injects and more")]:
        assert describe(action, target) is None, (action, target)
