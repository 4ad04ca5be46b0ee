"""Intervals of bounded values stay inside the value's range; a zero prints without a sign.

A batch printed a compliance's 95 % CI as [0.84, 1.01] and a score's up to 100.49; what-if
printed ``总体评分: -0.000 [-0.000, +0.000]``."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from experiments.aggregate import Aggregate, ClockRep, Difference, RepSummary
from experiments.batch import value_names
from ui.commands.whatif import render


def _rep(rep: int, values: dict[str, float | None],
         clocks: dict[str, ClockRep] | None = None) -> RepSummary:
    return RepSummary(rep, rep, 0, 10, 1, values, clocks or {})


#: a share near 1 and a score near 100: the t interval of 4 such replications passes the bound
NEAR_TOP = [1.0, 1.0, 1.0, 0.7]


def test_every_value_kind_of_a_batch_has_its_range() -> None:
    """From what each value is, not from its name: every capability score and metric the
    summary names (``value_names``) gets the range of its declared unit."""
    from experiments.aggregate import value_kind, value_range

    names = value_names(None)
    assert names
    for key, nm in names.items():
        assert value_kind(key) == nm["unit"], key
    assert value_range("overall.score") == (0.0, 100.0)
    assert value_range("clock.some_pack_clock.compliance") == (0.0, 1.0)
    assert value_range("clock.some_pack_clock.p90") == (None, None)  # minutes: not clipped


def test_a_share_and_a_score_interval_stay_in_range() -> None:
    ratio = next(k for k, nm in value_names(None).items() if nm["unit"] == "ratio")
    agg = Aggregate()
    for i, x in enumerate(NEAR_TOP):
        agg.add(_rep(i, {"clock.arrive.compliance": x, "overall.score": 100 * x,
                         ratio: x, "clock.arrive.mean": 10 * x - 9.5},
                     {"arrive": ClockRep(n=10, n_met=round(10 * x))}))
    res = agg.result()
    v = res["values"]
    assert v["clock.arrive.compliance"]["ci95"][1] == 1.0
    assert v[ratio]["ci95"][1] == 1.0
    assert v["overall.score"]["ci95"][1] == 100.0
    assert v["clock.arrive.compliance"]["ci95"][0] < v["clock.arrive.compliance"]["mean"]
    assert v["clock.arrive.mean"]["ci95"][0] < 0  # minutes are not clipped (nothing known)
    assert res["clocks"]["arrive"]["compliance"]["ci95"][1] == 1.0  # per drill share met
    low = Aggregate()
    for i, x in enumerate(NEAR_TOP):
        low.add(_rep(i, {"clock.arrive.compliance": 1 - x, "overall.score": 100 * (1 - x)}))
    assert low.result()["values"]["clock.arrive.compliance"]["ci95"][0] == 0.0
    assert low.result()["values"]["overall.score"]["ci95"][0] == 0.0


def test_a_difference_interval_stays_within_the_width_of_the_range() -> None:
    d = Difference()
    for i, x in enumerate(NEAR_TOP):  # alternative - current = 1, 1, 1, 0
        d.add(_rep(i, {"clock.arrive.compliance": 0.0}),
              _rep(i, {"clock.arrive.compliance": 1.0 if x == 1.0 else 0.0}))
    out = d.result()["clock.arrive.compliance"]
    assert out["ci95"][1] == 1.0 and out["ci95"][0] < 0.75 and out["significant"] is False


def test_a_mean_that_rounds_to_zero_has_no_minus_sign() -> None:
    agg = Aggregate()
    for i in range(3):
        agg.add(_rep(i, {"overall.score": -1e-9}))
    mean = agg.result()["values"]["overall.score"]["mean"]
    assert mean == 0.0 and math.copysign(1.0, mean) == 1.0


@pytest.mark.parametrize(("x", "text"), [(-0.00004, "+0.000"), (0.0, "+0.000"),
                                         (-0.0, "+0.000"), (0.0004, "+0.000"),
                                         (0.0006, "+0.001"),
                                         (-0.125, "-0.125")])
def test_signed(x: float, text: str) -> None:
    from ui.commands.whatif import signed

    assert signed(x) == text


def test_whatif_prints_a_difference_that_rounds_to_zero_without_a_sign() -> None:
    diff: dict[str, Any] = {"overall.score": {"n": 4, "mean": -0.00003, "sd": 0.0001,
                                              "ci95": [-0.00019, 0.00013],
                                              "significant": False}}
    doc = {"replications": 4, "executor": "serial", "value_names": {},
           "alternatives": [{"name": "current", "clocks": {}},
                            {"name": "a", "difference": diff}]}
    text = render(doc, "zh", Path("w"))
    assert "总体评分: +0.000 [+0.000, +0.000] 不显著" in text, text
    assert "-0.000" not in text
