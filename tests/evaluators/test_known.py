"""Every clock and metric on a hand-built two-incident drill, with answers worked out by hand.

Incident A (grade II hazmat, T02): raised 2, taken 2.5, three units dispatched at 3, arrivals
5 / 22.5 / 33, early-stage handling done 12, controlled 30, reports at 6 (first, phone, county), 20 (followup, written,
county, and its relay to the city), 40 (final, county). Incident B (grade IV flood, T03): occurred 10, raised 12, taken 14, U-T03
dispatched twice at 15, arrived 26, controlled 35, early-stage handling done 45, one written first report at 50, no scene
video. The drill ends at 60.
"""

from __future__ import annotations

import numpy as np
import pytest
from evalhelp import build, county, known_drill, with_final_report

from evaluators import score_records
from evaluators.metrics.workload import gini
from evaluators.rules import builtin_packs
from scenarios.templates import load_templates

FINAL = load_templates().required("hazmat", "final")


@pytest.fixture(scope="module")
def card():  # type: ignore[no-untyped-def]
    recs = build(with_final_report(known_drill(), FINAL[:14]))
    return score_records(recs, region=county(), rules=builtin_packs())


@pytest.fixture(scope="module")
def bare():  # type: ignore[no-untyped-def]
    """Same log, default packs, no region."""
    return score_records(build(with_final_report(known_drill(), FINAL[:14])))


def clock(card, cid):  # type: ignore[no-untyped-def]
    c = card.clocks[cid]
    return (c.n, c.n_met, c.compliance, c.p50, c.p90, c.n_unstopped)


def test_city_1_10_15(card) -> None:  # type: ignore[no-untyped-def]
    # take_alarm: A 0.5 (met), B 2.0 (missed); p90 = 0.5 + 0.9 * 1.5
    assert clock(card, "take_alarm") == (2, 1, 0.5, 1.25, 1.85, 0)
    # arrive: A 5 - 2.5 = 2.5, B 26 - 14 = 12
    assert clock(card, "arrive") == (2, 1, 0.5, 7.25, 11.05, 0)
    # handle (to the early-stage handling): A 12 - 5 = 7, B 45 - 26 = 19 (missed)
    assert clock(card, "handle") == (2, 1, 0.5, 13.0, 17.8, 0)
    # full control, a separate clock: A 30 - 5 = 25, B 35 - 26 = 9, both within 120
    assert clock(card, "control") == (2, 2, 1.0, 17.0, 23.4, 0)
    assert card.metrics["coord.control_time"].value == 17.0


def test_scene_visible_breached_without_a_stop(card) -> None:  # type: ignore[no-untyped-def]
    # A: 10 - 2.5 = 7.5; B never visible and its 30 min passed before the end (60 - 14 = 46):
    # breached, no measured value; its waited time 46 is a lower bound in the statistics
    assert clock(card, "scene_visible") == (2, 1, 0.5, 26.75, 42.15, 1)
    assert card.clocks["scene_visible"].lower_bound is True
    b = card.incidents["B"].clocks["scene_visible"]
    assert (b["status"], b["value"], b["elapsed"], b["censored"]) == ("breached", None, 46.0, True)
    assert b["deadline"] == 44.0


def test_reporting_by_grade(card) -> None:  # type: ignore[no-untyped-def]
    assert clock(card, "report_phone_major") == (1, 1, 1.0, 5.0, 5.0, 0)  # A phone at 6
    assert clock(card, "report_written_major") == (1, 1, 1.0, 19.0, 19.0, 0)  # A written at 20
    assert clock(card, "report_written_general") == (1, 1, 1.0, 40.0, 40.0, 0)  # B at 50
    assert clock(card, "report_written_large") == (0, 0, None, None, None, 0)
    assert clock(card, "accident_to_county") == (1, 1, 1.0, 5.0, 5.0, 0)  # hazmat template
    assert clock(card, "accident_county_to_city") == (1, 1, 1.0, 14.0, 14.0, 0)  # 6 → 20


def test_fire_1_3_5_by_unit_kind(card) -> None:  # type: ignore[no-untyped-def]
    # only A requires fire suppression; enterprise team arrives 2.5 after the alarm is taken
    assert clock(card, "fire_micro_station_1") == (1, 0, 0.0, 2.5, 2.5, 0)
    assert clock(card, "fire_joint_defence_3")[0] == 0  # no joint-defence team sent to A
    assert clock(card, "fire_brigade_5") == (1, 0, 0.0, 20.0, 20.0, 0)  # 22.5 - 2.5


def test_fire_clocks_unavailable_without_region() -> None:
    c = score_records(build(known_drill()), rules=["fire-1-3-5", "city-1-10-15"])
    assert c.clocks["fire_brigade_5"].available is False
    assert "region" in c.clocks["fire_brigade_5"].reason
    assert c.metrics["coord.dispatch_gap"].available is False


def test_breakdowns(card) -> None:  # type: ignore[no-untyped-def]
    arr = card.clocks["arrive"]
    assert arr.by_grade["II"].p50 == 2.5 and arr.by_grade["IV"].p50 == 12.0
    assert arr.by_township["T03"].compliance == 0.0
    assert arr.by_category["hazmat"].compliance == 1.0


def metric(card, mid):  # type: ignore[no-untyped-def]
    m = card.metrics[mid]
    return m.value, m.n


def test_reporting_metrics(card) -> None:  # type: ignore[no-untyped-def]
    assert metric(card, "report.first_delay") == (22.5, 2)  # A 6 - 1, B 50 - 10
    # A's reports to the county (its first level): 6, 20, 40 (the relay to the city is skipped)
    assert metric(card, "report.followup_cadence") == (17.0, 1)
    # followup and its relay at 20 exact (1.0 each); final at 40 says dead 1 injured 4 vs
    # truth 2/4 → 1 - 1/6
    assert metric(card, "report.accuracy") == (round((1 + 1 + 5 / 6) / 3, 6), 3)
    # A first report has all 6 first-stage fields; B has 2 of the flood template's 6
    assert metric(card, "report.first_completeness") == (round((1 + 2 / 6) / 2, 6), 2)
    # A final report has 14 of 16 final fields; B has none but is not closed: not due (open)
    assert len(FINAL) == 16
    assert metric(card, "report.final_completeness") == (0.875, 1)
    assert card.metrics["report.final_completeness"].open == ["B"]
    assert card.incidents["A"].metrics["report.final_completeness"] == 0.875


def test_coordination_metrics(card, bare) -> None:  # type: ignore[no-untyped-def]
    assert metric(card, "coord.arrival_spread") == (28.0, 1)  # A needs 3 units: 33 - 5
    assert metric(card, "coord.over_dispatch") == (0.2, 5)  # B: U-T03 twice; 1 of 5
    # requested 8, U-C-HAZ granted at 11, arrived at 33
    assert metric(card, "coord.mutual_aid_latency") == (25.0, 1)
    assert metric(card, "coord.info_flow") == (6.5, 2)  # A: message at 9 - 1 = 8; B: 15 - 10
    # A 0; B none: 60 - 26 = 34 > the 20 min wait limit → breached, counted at 20
    assert metric(card, "coord.commander_delay") == (10.0, 2)
    assert card.metrics["coord.commander_delay"].unstopped == ["B"]
    # A's post with the incident id: 3.5 - 2.5; B's post by township (region): 20 - 14
    assert metric(card, "coord.post_activation") == (3.5, 2)
    # without the region B's post cannot be matched: 46 min > 45 → breached at 45
    assert metric(bare, "coord.post_activation") == ((1.0 + 45.0) / 2, 2)


def test_dispatch_gap_against_travel_model(card) -> None:  # type: ignore[no-untyped-def]
    region = county()
    tm = region.travel_model()
    idx = {u.id: i for i, u in enumerate(region.units)}
    eta_a = tm.eta_minutes(117.318, 31.652, "plain")
    t03 = region.jurisdiction_by_id["T03"]
    eta_b = tm.eta_minutes(t03.lon, t03.lat, t03.terrain)

    def best(eta, cap):  # type: ignore[no-untyped-def]
        return min(eta[i] for i, u in enumerate(region.units) if cap in u.capabilities)

    gaps = [
        eta_a[idx["U-E-CHEM"]] - best(eta_a, "hazmat"),
        eta_a[idx["U-K-FIRE1"]] - best(eta_a, "fire_suppression"),
        eta_a[idx["U-C-HAZ"]] - best(eta_a, "hazmat"),
        eta_b[idx["U-T03"]] - best(eta_b, "flood_control"),
        eta_b[idx["U-T03"]] - best(eta_b, "flood_control"),
    ]
    assert gaps[0] == 0.0 and gaps[1] > 0
    assert card.metrics["coord.dispatch_gap"].value == pytest.approx(np.mean(gaps), abs=1e-6)


def test_busy_unit_is_not_the_best_choice() -> None:
    """A closer capable unit that is busy elsewhere does not count against the dispatcher."""
    evs = known_drill()
    # U-E-CHEM is busy on A (3 → 45); a second hazmat incident at the same spot at t=10
    evs.append((10.0, "incident_occurred", {
        "incident": "C", "category": "hazmat", "grade": "IV", "township": "T02",
        "template": "hazmat", "casualties": {}, "lon": 117.318, "lat": 31.652,
        "requires": [{"capability": "hazmat", "units": 1}]}))
    evs.append((11.0, "unit_dispatched", {"incident": "C", "unit": "U-K-FIRE2", "level": "county",
                                          "eta_min": 20.0, "capability": "hazmat"}))
    region = county()
    c = score_records(build(evs), region=region)
    tm = region.travel_model()
    idx = {u.id: i for i, u in enumerate(region.units)}
    eta = tm.eta_minutes(117.318, 31.652, "plain")
    free = [i for i, u in enumerate(region.units)
            if "hazmat" in u.capabilities and u.id not in ("U-E-CHEM", "U-K-FIRE1", "U-C-HAZ")]
    expect = max(0.0, eta[idx["U-K-FIRE2"]] - min(eta[i] for i in free))
    assert c.incidents["C"].metrics["coord.dispatch_gap"] == pytest.approx(expect, abs=1e-6)


def test_resources(card) -> None:  # type: ignore[no-untyped-def]
    assert metric(card, "supply.delivery_time") == (18.0, 1)
    assert card.metrics["supply.delivery_time"].by_group == {"tier": {"county": 18.0}}
    assert metric(card, "supply.shortage") == (0.25, 1)
    assert metric(card, "supply.stock_left") == (0.5, 1)  # D-K1 foam 6, 3 delivered


def test_workload(card) -> None:  # type: ignore[no-untyped-def]
    # busy: A's three units 3 → 45 (42 each); U-T03 15 → 40 (25)
    assert card.units["U-T03"].busy_min == 25.0 and card.units["U-T03"].dispatches == 2
    assert card.metrics["workload.gini"].value == round(806 / 604 - 1.25, 6)
    assert gini(np.array([1.0, 1.0, 1.0])) == 0.0
    assert gini(np.array([0.0, 0.0, 0.0, 10.0])) == pytest.approx(0.75)


def test_unit_scoped_clock(tmp_path) -> None:  # type: ignore[no-untyped-def]
    pack = tmp_path / "p.yaml"
    pack.write_text(
        "schema: blinddrill.rules/1\nid: p\nname_zh: 单位\nname_en: per unit\nclocks:\n"
        "  - {id: unit_travel, name_zh: 行驶, name_en: travel, scope: unit, limit_min: 15,\n"
        "     start: {kind: unit_dispatched}, end: {kind: unit_arrived}}\n", encoding="utf-8")
    c = score_records(build(known_drill()), rules=[str(pack)], region=county())
    u = c.clocks["unit_travel"]
    # A: 5-3=2, 22.5-3=19.5, 33-3=30; B: 26-15=11 (first of the two dispatches)
    assert (u.n, u.n_met, u.p50) == (4, 2, 15.25)
    assert u.by_unit["U-K-FIRE1"].p50 == 19.5
    assert u.by_unit_kind["fire_rescue"].compliance == 0.0
    assert c.units["U-E-CHEM"].clocks["unit_travel"].p50 == 2.0
    assert c.incidents["A"].clocks["unit_travel"]["n"] == 3
    assert c.incidents["A"].clocks["unit_travel"]["value"] == 30.0


def test_rubric_scores_and_findings(card) -> None:  # type: ignore[no-untyped-def]
    cap = {c.id: c for c in card.capabilities}
    # take_alarm compliance 0.5 with best 1.0 / worst 0.0 scores 50: an area for improvement
    item = next(i for i in cap["alarm_dispatch"].items if i.metric == "clock.take_alarm.compliance")
    assert item.score == 50.0
    lo = card.findings.improvements
    f = next(x for x in lo if x.capability == "alarm_dispatch" and x.cause == "late")
    assert f.incidents == ["B"]
    assert f.details == [{"incident": "B", "clock": "take_alarm", "value": 2.0, "limit_min": 1.0}]
    # evidence: B's alarm_raised and the late alarm_taken
    recs = build(with_final_report(known_drill(), FINAL[:14]))
    kinds = {recs[s]["kind"] for s in f.evidence}
    assert kinds == {"alarm_raised", "alarm_taken"}
    assert all(recs[s]["incident"] == "B" for s in f.evidence)
    assert "1分钟接警超时1次" in f.text_zh and "B 2.0分钟" in f.text_zh
    assert "Alarm taken" in f.text_en
    # alarms were all taken (late or not): performed, so S or M by score, never U
    assert cap["alarm_dispatch"].performed == 1.0 and cap["alarm_dispatch"].rating in "SM"
    assert card.overall.score is not None and 0 <= card.overall.score <= 100
    assert card.overall.level in card.levels
    assert card.overall.level_zh in ("优秀", "良好", "合格", "不合格")
    assert "HSEEP" in card.rating_scheme


def test_no_evidence_is_an_occurrence_record(card) -> None:  # type: ignore[no-untyped-def]
    recs = build(with_final_report(known_drill(), FINAL[:14]))
    for f in card.findings.strengths + card.findings.improvements:
        assert all(recs[s]["kind"] != "incident_occurred" for s in f.evidence), f.text_en


def test_scorecard_json_round_trip(card) -> None:  # type: ignore[no-untyped-def]
    from evaluators.scorecard import Scorecard

    again = Scorecard.model_validate_json(card.model_dump_json(by_alias=True))
    assert again == card
    assert again.values() == card.values()


def test_indexing_only_needed_kinds_changes_nothing(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """score_records indexes ids only for the kinds it reads; a full index gives the same card,
    and a pack on a kind no metric reads (task_started) still sees its events."""
    from evaluators import score_table
    from evaluators.table import LogTable

    evs = known_drill() + [
        (4.0, "task_started", {"incident": "A", "unit": "U-E-CHEM", "task": "on_scene_work"}),
        (5.5, "task_started", {"incident": "A", "unit": "U-E-CHEM", "task": "on_scene_work"}),
    ]
    pack = tmp_path / "p.yaml"
    pack.write_text(
        "schema: blinddrill.rules/1\nid: p\nname_zh: 作业\nname_en: work\nclocks:\n"
        "  - {id: work_start, name_zh: 开始作业, name_en: work starts, limit_min: 5,\n"
        "     start: {kind: alarm_taken}, end: {kind: task_started}}\n", encoding="utf-8")
    recs = build(evs)
    region = county()
    rules = ["city-1-10-15", str(pack)]
    fast = score_records(recs, region=region, rules=rules)
    full = score_table(LogTable.from_records(recs), region=region, rules=rules)
    assert fast.values() == full.values()
    assert fast.incidents == full.incidents
    assert fast.incidents["A"].clocks["work_start"]["value"] == 1.5  # 4.0 - 2.5


def test_cumulative_1_10_15_reading() -> None:
    """Every limit from the call (first alarm_raised): A raised 2, B raised 12."""
    from evaluators.rules import load_packs
    from scenarios.loading import InputError

    c = score_records(build(known_drill()), rules=["city-1-10-15-cumulative"])
    assert clock(c, "arrive") == (2, 1, 0.5, 8.5, 12.9, 0)  # A 5 - 2 = 3, B 26 - 12 = 14
    assert clock(c, "handle") == (2, 1, 0.5, 21.5, 30.7, 0)  # A 12 - 2 = 10, B 45 - 12 = 33
    assert "city-1-10-15-cumulative" not in builtin_packs()  # an alternative reading
    assert "city-1-10-15-cumulative" in builtin_packs(alternatives=True)
    with pytest.raises(InputError, match="take_alarm"):
        load_packs(["city-1-10-15", "city-1-10-15-cumulative"])
