"""What a what-if difference was computed over: the cases and incidents behind each value.

An alternative can change what a value is a mean over (a second station: fewer incidents need
mutual aid, so the mutual-aid latency is then over other incidents). The paired differences
say so (:class:`experiments.aggregate.Difference`), and the printed summary flags them."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from engine.params import load_params
from experiments.aggregate import Difference, RepSummary, summarise_card
from experiments.batch import make_spec, run_batch
from experiments.whatif import build_alternatives, load_whatif
from scenarios.seed_city import default_region
from tests.experiments.helpers import demo_scenario


def _rep(rep: int, values: dict[str, float | None], cases: dict[str, int],
         incidents: dict[str, tuple[str, ...]]) -> RepSummary:
    return RepSummary(rep, rep, 0, 0, 0, values, {}, cases, incidents)


def test_difference_counts_cases_incidents_and_unpaired_exactly() -> None:
    diff = Difference()
    # replication 0: the alternative counts one incident fewer for metric m (I2 left out)
    diff.add(_rep(0, {"metric.m": 10.0, "clock.c.mean": 5.0, "metric.r": 1.0},
                  {"metric.m": 2, "clock.c.mean": 3},
                  {"metric.m": ("I1", "I2"), "clock.c": ("I1", "I2", "I3")}),
             _rep(0, {"metric.m": 14.0, "clock.c.mean": 4.0, "metric.r": None},
                  {"metric.m": 1, "clock.c.mean": 3},
                  {"metric.m": ("I1",), "clock.c": ("I1", "I2", "I3")}))
    # replication 1: the same count but another incident (I3 for I2)
    diff.add(_rep(1, {"metric.m": 8.0, "clock.c.mean": 6.0, "metric.r": 2.0},
                  {"metric.m": 2, "clock.c.mean": 3},
                  {"metric.m": ("I1", "I2"), "clock.c": ("I1", "I2", "I3")}),
             _rep(1, {"metric.m": 9.0, "clock.c.mean": 5.0},
                  {"metric.m": 2, "clock.c.mean": 3},
                  {"metric.m": ("I1", "I3"), "clock.c": ("I1", "I2", "I3")}))
    out = diff.result()
    m = out["metric.m"]
    assert (m["n"], m["mean"]) == (2, 2.5)  # (14 - 10 + 9 - 8) / 2
    # one side only: {I2} in rep 0 of {I1, I2}; {I2, I3} in rep 1 of {I1, I2, I3}: 3 / 5
    assert m["cases"] == {"current_mean": 2.0, "alternative_mean": 1.5,
                          "replications_differ": 2, "incidents_one_side": 0.6}
    assert "unpaired" not in m
    c = out["clock.c.mean"]  # the clock's incidents are keyed by the clock, not the statistic
    assert c["cases"] == {"current_mean": 3.0, "alternative_mean": 3.0,
                          "replications_differ": 0, "incidents_one_side": 0.0}
    r = out["metric.r"]  # the alternative never had a value: nothing paired, said so
    assert (r["n"], r["mean"], r["unpaired"], r["significant"]) == (0, None, 2, False)
    assert "cases" not in r


def test_a_replication_summary_holds_each_values_cases(tmp_path: Path) -> None:
    from engine.simulation import simulate
    from evaluators import score_records

    region = default_region()
    card = score_records(simulate(region, demo_scenario(), seed=3).records, region=region)
    s = summarise_card(card, 0, 3)
    for mid, m in card.metrics.items():
        if m.available:
            assert s.cases[f"metric.{mid}"] == m.n
            assert s.incidents_of.get(f"metric.{mid}", ()) == tuple(sorted(
                iid for iid, inc in card.incidents.items() if mid in inc.metrics))
    for cid, c in card.clocks.items():
        if c.available:
            assert s.cases[f"clock.{cid}.compliance"] == c.n
            assert s.incidents_of[f"clock.{cid}"] == tuple(sorted(
                iid for iid, inc in card.incidents.items() if cid in inc.clocks))
    assert "overall.score" not in s.cases  # a composite score has no cases of its own
    assert any(s.incidents_of.values())


def _doc(diff: dict[str, object]) -> dict[str, object]:
    return {"replications": 9, "executor": "serial",
            "value_names": {"metric.coord.mutual_aid_latency": {
                "zh": "跨区域增援响应时间", "en": "Mutual-aid latency", "unit": "min",
                "higher_is_better": False}},
            "alternatives": [{"name": "current", "clocks": {}, "difference": {}},
                             {"name": "A", "difference": diff}]}


def test_the_summary_flags_a_difference_over_other_cases() -> None:
    from ui.commands.whatif import render

    def d(cases: dict[str, object] | None, unpaired: int = 0) -> dict[str, object]:
        out: dict[str, object] = {"n": 9, "mean": 2.0, "sd": 1.0, "ci95": [1.2, 2.8],
                                  "significant": True}
        if cases is not None:
            out["cases"] = cases
        if unpaired:
            out["unpaired"] = unpaired
        return out

    other = d({"current_mean": 3.0, "alternative_mean": 2.0, "replications_differ": 7,
               "incidents_one_side": 0.4})
    zh = render(_doc({"metric.coord.mutual_aid_latency": other}), "zh", Path("w"))
    line = next(x for x in zh.splitlines() if "跨区域增援响应时间" in x)
    assert "统计对象不同(平均每次 3.0 → 2.0 个,40% 的事件只在一方计入)" in line
    assert not re.search(r"[A-Za-z_]{3,}", line)  # no code identifiers in the Chinese text
    en = render(_doc({"metric.coord.mutual_aid_latency": other}), "en", Path("w"))
    assert "counted over different cases (3.0 → 2.0 per replication, 40% of the incidents " \
        "counted on one side only)" in en
    # a unit more or less among 30 in a few replications is noise: no note
    noise = d({"current_mean": 30.0, "alternative_mean": 30.2, "replications_differ": 2,
               "incidents_one_side": 0.01})
    assert "统计对象" not in render(_doc({"metric.coord.mutual_aid_latency": noise}), "zh",
                                   Path("w"))
    # the same incidents in the same number: no note; values on one side only: said
    same = d({"current_mean": 3.0, "alternative_mean": 3.0, "replications_differ": 0,
              "incidents_one_side": 0.0}, unpaired=2)
    text = render(_doc({"metric.coord.mutual_aid_latency": same}), "en", Path("w"))
    assert "different cases" not in text
    assert "2 more replications had a value on one side only, left out" in text


def test_more_stations_change_which_incidents_need_mutual_aid(tmp_path: Path) -> None:
    """Three more stations where the demo's incidents call for county mutual aid: the
    latency's difference is then over other incidents, and says so; an identical alternative
    is over exactly the same ones."""
    p = tmp_path / "alts.yaml"
    p.write_text(yaml.safe_dump({"alternatives": [
        {"name": "same"},
        {"name": "more stations", "changes": [
            {"add_unit": {"like": "U-K05-T01", "id": f"U-X{k}", "township": "K05-T01"}}
            for k in range(3)]}]}), encoding="utf-8")
    alts = build_alternatives(load_whatif(p), default_region(), load_params(), p)
    doc = run_batch(make_spec(demo_scenario(), alts), 6, 1).document(1)
    same = doc["alternatives"][1]["difference"]
    for key, d in same.items():
        if "cases" in d:
            assert d["cases"]["replications_differ"] == 0, key
            assert d["cases"]["incidents_one_side"] in (0.0, None), key
    more = doc["alternatives"][2]["difference"]["metric.coord.mutual_aid_latency"]["cases"]
    assert more["replications_differ"] > 0 and more["incidents_one_side"] > 0.05


def test_a_value_missing_on_one_side_is_not_called_unchanged() -> None:
    """Zero difference over the paired replications is "unchanged" only if no replication had
    the value on one side only (then "equal in every replication" would be false)."""
    from matplotlib.text import Text

    from ui.charts.whatif import whatif_figure
    from ui.commands.whatif import render

    zero = {"n": 4, "mean": 0.0, "sd": 0.0, "ci95": [0.0, 0.0], "significant": False}
    part = {**zero, "unpaired": 3}
    clocks = {"arrive": {"name_zh": "10分钟到场", "name_en": "On scene within 10 minutes"}}

    def doc(d: dict[str, object]) -> dict[str, object]:
        return {"replications": 7, "executor": "serial", "alternatives": [
            {"name": "current", "clocks": clocks, "difference": {}},
            {"name": "A", "difference": {"clock.arrive.compliance": d}}]}

    assert "every score equals the current setup's" in render(doc(zero), "en", Path("w"))
    text = render(doc(part), "en", Path("w"))
    assert "unchanged" not in text and "every score equals" not in text
    assert "+0.000 [+0.000, +0.000] not significant (3 more replications had a value on one " \
        "side only, left out)" in text
    for d, shown in ((zero, True), (part, False)):
        fig = whatif_figure(doc(d), "en", keys=("clock.arrive.compliance",))
        texts = {t.get_text() for t in fig.findobj(Text)}
        assert ("unchanged in every alternative" in texts) is shown


def test_one_replication_is_said_to_give_no_interval() -> None:
    """With one replication there is no CI: the summary says so once and per row, instead of
    calling a real change "not significant"."""
    from ui.commands.whatif import render

    one = {"n": 1, "mean": 0.111, "sd": None, "ci95": None, "significant": False}
    doc = {"replications": 1, "executor": "serial", "alternatives": [
        {"name": "current", "clocks": {"arrive": {"name_zh": "10分钟到场",
                                                  "name_en": "On scene within 10 minutes"}},
         "difference": {}},
        {"name": "A", "difference": {"clock.arrive.compliance": one}}]}
    en = render(doc, "en", Path("w")).splitlines()
    assert en[0] == "What-if on common random numbers: 1 replication (serial)"
    assert en[1].startswith("  one replication gives no confidence interval")
    assert "    On scene within 10 minutes compliance: +0.111 no confidence interval" in en
    assert not any("not significant" in x for x in en)
    zh = render(doc, "zh", Path("w")).splitlines()
    assert "    10分钟到场 达标率: +0.111 无置信区间" in zh
    assert zh[1].startswith("  只有 1 次重复")
    doc["replications"] = 2
    assert "one replication" not in render(doc, "en", Path("w"))


def test_the_chart_hatches_a_difference_over_other_cases() -> None:
    from matplotlib.text import Text

    from ui.charts.whatif import whatif_figure

    other = {"current_mean": 30.0, "alternative_mean": 24.0, "replications_differ": 7,
             "incidents_one_side": 0.2}
    same = {"current_mean": 30.0, "alternative_mean": 30.0, "replications_differ": 0,
            "incidents_one_side": 0.0}

    def d(cases: dict[str, object]) -> dict[str, object]:
        return {"n": 9, "mean": 0.05, "sd": 0.02, "ci95": [0.03, 0.07], "significant": True,
                "cases": cases}

    clocks = {"arrive": {"name_zh": "10分钟到场", "name_en": "On scene within 10 minutes"}}
    doc = {"alternatives": [{"name": "current", "clocks": clocks},
                            {"name": "A", "difference": {"clock.arrive.compliance": d(other)}},
                            {"name": "B", "difference": {"clock.arrive.compliance": d(same)}}]}
    for lang, note in (("zh", "斜线:两方统计对象不同"), ("en", "hatched: counted over different")):
        fig = whatif_figure(doc, lang, keys=("clock.arrive.compliance",))
        bars = fig.axes[0].patches
        assert [b.get_hatch() for b in bars] == ["//", None]  # A's bar only
        assert any(t.get_text().startswith(note) for t in fig.findobj(Text))
    doc["alternatives"][1]["difference"]["clock.arrive.compliance"] = d(same)
    fig = whatif_figure(doc, "en", keys=("clock.arrive.compliance",))
    assert not any(b.get_hatch() for b in fig.axes[0].patches)
    assert not any("hatched" in t.get_text() for t in fig.findobj(Text))
