"""Umpire corrections: a ``record_corrected`` withdraws the umpire record it names, so a wrong
tap never decides a clock; the log itself keeps both records."""

from __future__ import annotations

from typing import Any

from evalhelp import build, incident

from evaluators import score_records
from evaluators.corrections import apply_corrections, corrected_seqs

FLOOD = [{"capability": "flood_control", "units": 1}]


def drill(correct_at: float | None) -> list[dict[str, Any]]:
    """Alarm taken at 2; an umpire taps 'arrived' at 4 by mistake (the unit came at 15)."""
    recs = build([(0.0, "drill_started", {"scenario": "C", "mode": "live"}),
                  incident(1.0, "X", grade="IV", category="flood", township="T03",
                           template="flood", requires=FLOOD),
                  (1.5, "alarm_raised", {"incident": "X", "level": "township"}),
                  (2.0, "alarm_taken", {"incident": "X", "level": "township"})])
    wrong = {"seq": len(recs), "t": 4.0, "kind": "unit_arrived", "incident": "X", "unit": "U1",
             "inject": None, "depot": None, "post": None, "source": "umpire",
             "data": {"author": "u1"}}
    recs.append(wrong)
    if correct_at is not None:
        recs.append({"seq": len(recs), "t": correct_at, "kind": "record_corrected",
                     "incident": None, "unit": None, "inject": None, "depot": None,
                     "post": None, "source": "umpire",
                     "data": {"corrects": wrong["seq"], "reason": "wrong team", "author": "u1"}})
    recs.append({"seq": len(recs), "t": 15.0, "kind": "unit_arrived", "incident": "X",
                 "unit": "U1", "inject": None, "depot": None, "post": None, "source": "umpire",
                 "data": {"author": "u1"}})
    recs.append({"seq": len(recs), "t": 60.0, "kind": "drill_ended", "incident": None,
                 "unit": None, "inject": None, "depot": None, "post": None,
                 "source": "system", "data": {"reason": "ended"}})
    return recs


def arrive(records: list[dict[str, Any]], as_of: float | None = None) -> Any:
    return score_records(records, as_of=as_of).incidents["X"].clocks["arrive"]


def test_uncorrected_tap_counts() -> None:
    c = arrive(drill(None))
    assert c["status"] == "met" and c["value"] == 2.0


def test_corrected_tap_is_withdrawn_and_the_real_arrival_counts() -> None:
    c = arrive(drill(5.0))
    assert c["status"] == "breached" and c["value"] == 13.0


def test_correction_after_now_does_not_apply_yet() -> None:
    recs = drill(20.0)
    assert arrive(recs, as_of=10.0)["status"] == "met"
    assert arrive(recs)["status"] == "breached"


def test_only_umpire_records_can_be_withdrawn() -> None:
    recs = drill(None)
    recs.append({"seq": len(recs), "t": 61.0, "kind": "record_corrected", "incident": None,
                 "unit": None, "inject": None, "depot": None, "post": None,
                 "source": "umpire", "data": {"corrects": 1, "reason": "not mine"}})
    assert corrected_seqs(recs) == set()
    assert apply_corrections(recs) is recs
