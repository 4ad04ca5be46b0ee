"""The damage-report limit as data: the ``disaster-statistics`` pack scores the engine's
``damage_reported`` events (the township's 初报 within 60 min of a natural disaster)."""

from __future__ import annotations

from typing import Any

from evalhelp import county

from engine.simulation import simulate
from evaluators import score_records
from evaluators.rules import builtin_packs, load_pack
from tests.engine.conftest import fixed_params, incident, scenario


def flood(iid: str, t: float, township: str = "T02", template: str = "flood") -> dict[str, Any]:
    lon, lat = {"T02": (117.30, 31.66), "T05": (117.00, 31.86)}[township]
    return incident(iid, t, township, lon, lat,
                    [{"capability": "fire_suppression", "effort": 60.0}], template=template)


def card(known: float, late: float, injects: list[dict[str, Any]], duration: float = 240.0):
    p = fixed_params({"officers.damage_report": {"dist": "fixed", "value": known},
                      "officers.damage_report_late": late})
    log = simulate(county(), scenario(injects, duration=duration), seed=1, params=p)
    return score_records(list(log.records), rules=["disaster-statistics"])


def test_pack_is_shipped_and_reads_the_first_damage_report() -> None:
    pack = load_pack("disaster-statistics")
    assert "disaster-statistics" in builtin_packs()
    (clock,) = pack.clocks
    assert (clock.start.kind, clock.end.kind, clock.limit_min) == (
        "incident_occurred", "damage_reported", 60.0)


def test_reported_in_time_incomplete_at_the_limit_and_late() -> None:
    got = card(20.0, 0.0, [flood("A", 2.0), flood("B", 5.0, "T05"),
                           flood("F", 8.0, template="building_fire")]).clocks[
        "damage_first_report"]
    assert (got.n, got.n_met, got.compliance, got.max) == (2, 2, 1.0, 20.0)  # F: not natural
    # facts after 80 min: what is known goes at the limit (met), the facts follow
    got = card(80.0, 0.0, [flood("A", 2.0)]).clocks["damage_first_report"]
    assert (got.n, got.n_met, got.max) == (1, 1, 60.0)
    # a late officer: the first report comes with the facts, 80 min after the flood
    got = card(80.0, 1.0, [flood("A", 2.0)]).clocks["damage_first_report"]
    assert (got.n, got.n_met, got.compliance, got.max) == (1, 0, 0.0, 80.0)


def test_never_reported_is_breached_once_the_limit_passed() -> None:
    """The drill ends 70 min after the flood, before the late report (80): breached."""
    got = card(80.0, 1.0, [flood("A", 2.0)], duration=72.0).clocks["damage_first_report"]
    assert (got.n, got.n_met, got.n_unstopped) == (1, 0, 1)


def test_rubric_scores_the_pack_under_reporting_when_it_is_loaded() -> None:
    """An optional item of the reporting capability: scored with the pack, skipped without."""
    injects = [flood("A", 2.0)]
    p = fixed_params({"officers.damage_report": {"dist": "fixed", "value": 80.0},
                      "officers.damage_report_late": 1.0})
    recs = list(simulate(county(), scenario(injects, duration=240.0), seed=1, params=p).records)
    with_pack = score_records(recs, rules=["city-1-10-15", "disaster-statistics"])
    without = score_records(recs, rules=["city-1-10-15"])

    def items(c):  # type: ignore[no-untyped-def]
        cap = next(x for x in c.capabilities if x.id == "reporting")
        return {i.metric: i.score for i in cap.items}

    assert items(with_pack)["clock.damage_first_report.compliance"] == 0.0
    assert items(without)["clock.damage_first_report.compliance"] is None  # not scored
