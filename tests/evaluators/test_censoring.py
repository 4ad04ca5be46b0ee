"""Censoring, worked out by hand: a clock or wait whose stop event has not come is *breached*
if its limit passed before the censoring time (the drill's end, or "now" for a live drill) and
*open* (not assessable, excluded) otherwise; events that already happened are not waited for;
grade-dependent limits start at the escalation; the censoring time is never a stop time."""

from __future__ import annotations

import random
from typing import Any

import pytest
from evalhelp import Ev, build, county, incident, known_drill, random_drill
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluators import score_records, score_table
from evaluators.scorecard import Scorecard
from evaluators.table import LogTable

FLOOD = [{"capability": "flood_control", "units": 1}]


def one_incident(*events: Ev, end: float = 60.0, grade: str = "IV") -> list[Ev]:
    """Incident X (flood, T03) occurring at 1 plus ``events``; the drill ends at ``end``."""
    return [(0.0, "drill_started", {"scenario": "C", "mode": "sim"}),
            incident(1.0, "X", grade=grade, category="flood", township="T03", template="flood",
                     requires=FLOOD),
            *events, (end, "drill_ended", {"reason": "duration"})]


def clk(card: Scorecard, cid: str, iid: str = "X") -> dict[str, Any]:
    return dict(card.incidents[iid].clocks[cid])


def test_breached_before_the_end_has_no_duration() -> None:
    # alarm taken at 2, no unit ever arrives; 10 min passed long before the end (60)
    card = score_records(build(one_incident((1.5, "alarm_raised", {"incident": "X", "level": "t"}),
                                            (2.0, "alarm_taken", {"incident": "X", "level": "t"}))))
    a = clk(card, "arrive")
    assert (a["status"], a["value"], a["elapsed"], a["deadline"]) == ("breached", None, 58.0, 12.0)
    s = card.clocks["arrive"]
    assert (s.n, s.n_met, s.n_open, s.n_unstopped, s.compliance) == (1, 0, 0, 1, 0.0)
    assert s.lower_bound is True and s.p50 == 58.0  # a lower bound, flagged
    # the capability's critical task (arrival) was not performed at all: U
    resp = next(c for c in card.capabilities if c.id == "response")
    assert resp.performed == 0.0 and resp.rating == "U"


def test_open_at_the_end_is_excluded_and_counted() -> None:
    # alarm taken at 55, drill ends at 60: 5 of 10 minutes gone, not assessable
    card = score_records(build(one_incident((54.5, "alarm_raised", {"incident": "X", "level": "t"}),
                                            (55.0, "alarm_taken", {"incident": "X", "level": "t"}))))
    a = clk(card, "arrive")
    assert (a["status"], a["value"], a["elapsed"]) == ("open", None, 5.0)
    s = card.clocks["arrive"]
    assert (s.n, s.n_open, s.compliance, s.p50) == (0, 1, None, None)
    # I13's case: a 6-hour written-report limit is open, not failed, 59 min into the drill
    w = clk(card, "report_written_general")
    assert w["status"] == "open" and card.clocks["report_written_general"].n == 0
    # the first report's wait (limit 60) has not passed either: open, excluded
    fd = card.metrics["report.first_delay"]
    assert (fd.value, fd.n, fd.open) == (None, 0, ["X"])
    resp = next(c for c in card.capabilities if c.id == "response")
    assert resp.rating != "U"  # nothing was due yet


def test_late_stop_is_breached_with_its_real_duration() -> None:
    card = score_records(build(one_incident(
        (2.0, "alarm_taken", {"incident": "X", "level": "t"}),
        (15.0, "unit_arrived", {"incident": "X", "unit": "U-T03"}))))
    a = clk(card, "arrive")
    assert (a["status"], a["value"], a["censored"]) == ("breached", 13.0, False)
    resp = next(c for c in card.capabilities if c.id == "response")
    assert resp.performed == 1.0 and resp.rating in ("S", "M")  # late, not "unable"


def test_post_already_active_is_not_waited_for() -> None:
    # T03's post runs from 5 (for an earlier incident W); X's alarm is taken at 14
    evs = one_incident((14.0, "alarm_taken", {"incident": "X", "level": "t"}))
    evs.insert(1, incident(0.5, "W", grade="IV", category="flood", township="T03",
                           template="flood", requires=FLOOD))
    evs += [(3.0, "alarm_taken", {"incident": "W", "level": "t"}),
            (5.0, "command_post_activated", {"post": "CP-T03", "incident": "W"})]
    card = score_records(build(evs), region=county())
    m = card.metrics["coord.post_activation"]
    assert m.value == 2.0 and m.n == 1  # W: 3 → 5; X not counted
    assert m.excluded == {"X": "already_active"} and m.n_excluded == 1
    assert "coord.post_activation" not in card.incidents["X"].metrics


def test_mutual_aid_runs_to_the_first_arrival_of_a_granted_unit() -> None:
    evs = one_incident(
        (2.0, "alarm_taken", {"incident": "X", "level": "t"}),
        (3.0, "mutual_aid_requested", {"incident": "X", "from_jurisdiction": "T03",
                                       "to_level": "county"}),
        (4.0, "unit_dispatched", {"incident": "X", "unit": "U-T03", "level": "t", "eta_min": 2}),
        (6.0, "unit_arrived", {"incident": "X", "unit": "U-T03"}),  # not a granted unit
        (5.0, "mutual_aid_granted", {"incident": "X", "unit": "U-K-FIRE1",
                                     "from_jurisdiction": "K1"}),
        (5.0, "unit_dispatched", {"incident": "X", "unit": "U-K-FIRE1", "level": "county",
                                  "eta_min": 4}),
        (9.0, "unit_arrived", {"incident": "X", "unit": "U-K-FIRE1"}))
    card = score_records(build(evs))
    assert card.metrics["coord.mutual_aid_latency"].value == 6.0  # 3 → 9, not 3 → 5
    # cut at 8: granted but not there yet, 5 min into a 60-min wait limit: open
    live = score_records(build(evs), as_of=8.0)
    m = live.metrics["coord.mutual_aid_latency"]
    assert (m.value, m.n, m.open) == (None, 0, ["X"])


def test_escalated_mid_clock_starts_the_grade_clock_at_the_escalation() -> None:
    # grade IV at 1, phone report at 20 (before it is major), escalated to II at 30,
    # phone report at 40, written report at 70
    card = score_records(build(one_incident(
        (20.0, "report_submitted", {"incident": "X", "stage": "first", "to": "county",
                                    "channel": "phone", "fields": [], "values": {}}),
        (30.0, "incident_escalated", {"incident": "X", "grade": "II", "grade_from": "IV"}),
        (40.0, "report_submitted", {"incident": "X", "stage": "followup", "to": "county",
                                    "channel": "phone", "fields": [], "values": {}}),
        (70.0, "report_submitted", {"incident": "X", "stage": "followup", "to": "county",
                                    "channel": "written", "fields": [], "values": {}}),
        end=400.0)))
    phone = clk(card, "report_phone_major")
    assert (phone["status"], phone["value"]) == ("met", 10.0)  # 30 → 40, limit 15
    written = clk(card, "report_written_major")
    assert (written["status"], written["value"]) == ("breached", 40.0)  # 30 → 70 > 35
    assert card.clocks["report_phone_major"].n == 1
    # the IV clock ran from the occurrence, when IV was in force: 1 → 70, within 6 h
    general = clk(card, "report_written_general")
    assert (general["status"], general["value"]) == ("met", 69.0)
    # cut at 35: the major phone clock started at 30 is open (5 of 15 min), not breached
    live = score_records(build(one_incident(
        (30.0, "incident_escalated", {"incident": "X", "grade": "II", "grade_from": "IV"}),
        end=400.0)), as_of=35.0)
    assert clk(live, "report_phone_major")["status"] == "open"


def test_escalation_record_is_the_evidence_of_a_grade_clock() -> None:
    evs = one_incident(
        (30.0, "incident_escalated", {"incident": "X", "grade": "II", "grade_from": "IV"}),
        end=100.0)
    recs = build(evs)
    card = score_records(recs)
    phone = clk(card, "report_phone_major")
    assert phone["status"] == "breached" and phone["elapsed"] == 70.0
    assert recs[phone["evidence"][0]]["kind"] == "incident_escalated"
    f = next(f for f in card.findings.improvements if f.cause == "not_done"
             and f.capability == "reporting")
    assert "X" in f.incidents
    assert all(recs[s]["kind"] != "incident_occurred" for s in f.evidence)


def test_live_log_cut_at_now() -> None:
    recs = build(known_drill())
    # at 20: A arrived (5) and handled (12); B's alarm was taken at 14, its unit arrives at 26
    card = score_records(recs, as_of=20.0)
    assert card.run.censor_time == 20.0 and card.run.as_of == 20.0
    b = clk(card, "arrive", "B")
    assert (b["status"], b["value"], b["elapsed"], b["deadline"]) == ("open", None, 6.0, 24.0)
    assert clk(card, "arrive", "A")["status"] == "met"
    assert card.clocks["arrive"].n == 1 and card.clocks["arrive"].n_open == 1
    # at 25: B's 10 minutes are over: breached, still without a duration
    late = score_records(recs, as_of=25.0)
    assert clk(late, "arrive", "B")["status"] == "breached"
    assert clk(late, "arrive", "B")["value"] is None
    # at the end it stopped at 26: breached with its real duration
    full = score_records(recs)
    assert clk(full, "arrive", "B")["value"] == 12.0
    # score_table with as_of gives the same as cutting the records
    tab = LogTable.from_records(recs)
    assert score_table(tab, as_of=25.0).values() == late.values()
    # "now" after the drill's end is the drill's end
    assert score_records(recs, as_of=500.0).values() == full.values()


def test_bad_as_of_is_a_clear_error() -> None:
    from scenarios.loading import InputError

    with pytest.raises(InputError, match="as_of"):
        score_records(build(known_drill()), as_of=float("nan"))


def statuses(card: Scorecard) -> dict[tuple[str, str], str]:
    """(clock, incident) → status, for the incident-scoped clocks (one instance each)."""
    return {(cid, iid): c["status"] for iid, inc in card.incidents.items()
            for cid, c in inc.clocks.items() if card.clocks[cid].scope == "incident"}


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10**6), n=st.integers(1, 6), cut=st.floats(0.0, 200.0))
def test_cutting_the_log_never_turns_met_into_breached(seed: int, n: int, cut: float) -> None:
    """A clock met in the full log is met or open at any earlier time; an open one is never
    counted; a breach seen early stays a breach."""
    recs = build(random_drill(random.Random(seed), n))
    full = score_records(recs)
    part = score_records(recs, as_of=cut)
    fs, ps = statuses(full), statuses(part)
    for key, st_cut in ps.items():
        st_full = fs[key]
        if st_full == "met":
            assert st_cut in ("met", "open"), key
        if st_cut == "breached":
            assert st_full == "breached", key
    for cid, c in part.clocks.items():
        if c.scope == "incident":  # open instances are not in the denominator
            assert c.n == sum(1 for (k, _), s in ps.items() if k == cid and s != "open"), cid
            assert c.n_open == sum(1 for (k, _), s in ps.items() if k == cid and s == "open")
        for inc in part.incidents.values():
            v = inc.clocks.get(cid)
            if v is not None and v["value"] is not None:
                assert v["value"] <= cut + 1e-6  # no duration beyond "now"


def test_report_completeness_names_missing_fields_and_waits_for_the_report() -> None:
    from scenarios.templates import load_templates

    recs = build(known_drill())
    need = list(load_templates().required("flood", "first"))
    full = score_records(recs)
    f = next(f for f in full.findings.improvements if f.metric == "report.first_completeness")
    b = next(d for d in f.details if d["incident"] == "B")
    assert b["missing"] == [x for x in need if x not in ("time", "place")]
    assert f.incidents == ["B"]
    assert all(recs[s]["incident"] == "B" and recs[s]["kind"] == "report_submitted"
               for s in f.evidence)
    # at 40 B (occurred at 10) has not reported yet and its 60-min wait has not passed: open
    live = score_records(recs, as_of=40.0)
    m = live.metrics["report.first_completeness"]
    assert m.open == ["B"] and m.n == 1 and m.value == 1.0
