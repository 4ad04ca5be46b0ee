"""What-if on common random numbers: identical alternatives differ by exactly zero; a real
change shows up with a CI clear of zero; bad alternatives name the file and field; the CLI
writes the summary and the chart."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from engine.params import load_params
from experiments.batch import make_spec, run_batch
from experiments.executors import PoolExecutor
from experiments.whatif import build_alternatives, load_whatif
from scenarios.loading import InputError
from scenarios.sealing import seal, write_sealed
from scenarios.seed_city import default_region
from tests.experiments.helpers import demo_scenario
from ui.cli import cli


def _write(tmp_path: Path, doc: object) -> Path:
    p = tmp_path / "alts.yaml"
    p.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return p


def test_identical_alternatives_differ_by_exactly_zero(tmp_path: Path) -> None:
    region = default_region()
    u = region.units[0]
    p = _write(tmp_path, {"alternatives": [
        {"name": "same"},
        {"name": "same, rebuilt", "changes": [
            {"move_unit": {"unit": u.id, "lon": u.lon, "lat": u.lat}}]},
    ]})
    alts = build_alternatives(load_whatif(p), region, load_params(), p)
    assert alts[2].region is not region and alts[2].region == region
    doc = run_batch(make_spec(demo_scenario(), alts), 4, 1,
                    executor=PoolExecutor(2), chunk=1).document(1)
    for alt in doc["alternatives"][1:]:
        assert alt["difference"], "differences were computed"
        for key, d in alt["difference"].items():
            assert d["mean"] == 0.0 and d["ci95"] == [0.0, 0.0], key
            assert d["significant"] is False


def test_a_slower_alarm_desk_is_a_significant_loss(tmp_path: Path) -> None:
    data = load_params().model_dump(mode="json")
    data["alarm"]["take_alarm"] = {k: {"dist": "fixed", "value": 3.0}
                                   for k in data["alarm"]["take_alarm"]}
    (tmp_path / "slow.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    p = _write(tmp_path, {"alternatives": [{"name": "slow desks", "params": "slow.yaml"}]})
    alts = build_alternatives(load_whatif(p), default_region(), load_params(), p)
    doc = run_batch(make_spec(demo_scenario(), alts), 4, 2).document(2)
    d = doc["alternatives"][1]["difference"]["clock.take_alarm.compliance"]
    assert d["significant"] and d["ci95"][1] < 0
    assert doc["alternatives"][1]["values"]["clock.take_alarm.compliance"]["mean"] == 0.0


def test_policy_is_a_parameter_plug_in(tmp_path: Path) -> None:
    p = _write(tmp_path, {"alternatives": [{"name": "p", "policy": "no_such_policy"}]})
    with pytest.raises(InputError, match=r"alternatives\[0\]\.policy"):
        build_alternatives(load_whatif(p), default_region(), load_params(), p)
    ok = _write(tmp_path, {"alternatives": [{"name": "p", "policy": "nearest_eta"}]})
    alts = build_alternatives(load_whatif(ok), default_region(), load_params(), ok)
    assert alts[1].params is not None and alts[1].params.dispatch.policy == "nearest_eta"


@pytest.mark.parametrize(("change", "message"), [
    ({"headcount": {"unit": "NOPE", "headcount": 3}}, "headcount.unit: no unit 'NOPE'"),
    ({"add_unit": {"like": "U-K01-T01", "id": "U-K01-T01", "township": "K01-T02"}},
     "already exists"),
    ({"move_depot": {"depot": "D-C00", "township": "NOWHERE"}}, "no jurisdiction 'NOWHERE'"),
])
def test_bad_changes_name_the_file_and_field(tmp_path: Path, change: dict[str, object],
                                             message: str) -> None:
    p = _write(tmp_path, {"alternatives": [{"name": "x", "changes": [change]}]})
    with pytest.raises(InputError, match=r"alternatives\[0\]\.changes\[0\]") as err:
        build_alternatives(load_whatif(p), default_region(), load_params(), p)
    assert message in str(err.value) and str(p) in str(err.value)


def test_whatif_cli_writes_summary_and_chart(tmp_path: Path) -> None:
    sealed = tmp_path / "sealed.json"
    write_sealed(seal(demo_scenario()), sealed)
    p = _write(tmp_path, {"alternatives": [{"name": "第二站", "changes": [
        {"add_unit": {"like": "U-K05-T15", "id": "U-K05-T15-b", "township": "K05-T15"}}]}]})
    out = tmp_path / "w"
    res = CliRunner().invoke(cli, ["whatif", "--alternatives", str(p), str(sealed), "-n", "3",
                                   "--workers", "1", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "第二站" in res.output and "相对现状" in res.output
    doc = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert [a["name"] for a in doc["alternatives"]] == ["current", "第二站"]
    assert "clock.arrive.compliance" in doc["alternatives"][1]["difference"]
    assert (out / "whatif.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (out / "inputs" / "alternatives.yaml").read_bytes() == p.read_bytes()


@pytest.mark.parametrize("how", ["township", "lon_lat", "depot"])
def test_a_service_centre_moves_as_one(tmp_path: Path, how: str) -> None:
    """Moving an integrated service centre's station (or its depot) takes the centre, its
    depot and the supplies in it along: the documented "station moved" example failed with
    "'U-K01-T01' is in K01-T03, not in the centre's township 'K01-T01'"."""
    region = default_region()
    c = next(c for c in region.service_centres if c.unit == "U-K01-T01")
    depot = next(d for d in region.depots if d.id == c.depot)
    target = region.jurisdiction_by_id["K01-T03"]
    change: dict[str, object] = {"township": {"move_unit": {"unit": c.unit, "township": target.id}},
              "lon_lat": {"move_unit": {"unit": c.unit, "lon": 117.2, "lat": 31.5}},
              "depot": {"move_depot": {"depot": depot.id, "township": target.id}}}[how]
    p = _write(tmp_path, {"alternatives": [{"name": "moved", "changes": [change]}]})
    moved = build_alternatives(load_whatif(p), region, load_params(), p)[1].region
    mc = next(x for x in moved.service_centres if x.id == c.id)
    unit = next(u for u in moved.units if u.id == c.unit)
    md = next(d for d in moved.depots if d.id == depot.id)
    was = next(u for u in region.units if u.id == c.unit) if how != "depot" else depot
    now = unit if how != "depot" else md
    assert (now.lon, now.lat) == ((target.lon, target.lat) if how != "lon_lat" else (117.2, 31.5))
    dlon, dlat = now.lon - was.lon, now.lat - was.lat  # the others by the same offset
    for before, after in [(c, mc), (depot, md), (next(u for u in region.units
                                                      if u.id == c.unit), unit)]:
        assert after.lon == pytest.approx(before.lon + dlon, abs=1e-6)
        assert after.lat == pytest.approx(before.lat + dlat, abs=1e-6)
    assert md.stock == depot.stock  # the supplies went with it
    if how == "lon_lat":  # moved, not re-homed
        assert mc.township == unit.jurisdiction == md.jurisdiction == c.township
    else:
        assert mc.township == unit.jurisdiction == md.jurisdiction == target.id


def test_the_documented_and_shipped_alternatives_run(tmp_path: Path) -> None:
    """The example in docs/cluster.md and experiments/samples/demo-whatif.yaml build on the
    built-in seed city (every id in them exists, every changed region validates)."""
    import re

    root = Path(__file__).resolve().parents[2]
    doc = (root / "docs" / "cluster.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(alternatives:.*?)```", doc, re.S)
    assert example is not None
    text = "\n".join(ln for ln in example.group(1).splitlines() if "params:" not in ln)
    documented = tmp_path / "documented.yaml"
    documented.write_text(text, encoding="utf-8")
    for p in (documented, root / "experiments" / "samples" / "demo-whatif.yaml"):
        alts = build_alternatives(load_whatif(p), default_region(), load_params(), p)
        assert len(alts) >= 5, p


def test_unchanged_values_are_said_so() -> None:
    """A difference that is exactly zero in every replication reads "unchanged", and an
    alternative that changes no score at all gets one line saying so (not a column of
    "+0.000 [+0.000, +0.000] not significant")."""
    from ui.commands.whatif import render

    zero = {"n": 9, "mean": 0.0, "sd": 0.0, "ci95": [0.0, 0.0], "significant": False}
    real = {"n": 9, "mean": 0.05, "sd": 0.02, "ci95": [0.03, 0.07], "significant": True}
    clocks = {"arrive": {"name_zh": "10分钟到场", "name_en": "On scene within 10 minutes"},
              "take_alarm": {"name_zh": "1分钟接警", "name_en": "Alarm taken within 1 minute"}}
    doc = {"replications": 9, "executor": "serial", "alternatives": [
        {"name": "current", "clocks": clocks, "difference": {}},
        {"name": "A", "difference": {"clock.take_alarm.compliance": zero,
                                     "clock.arrive.compliance": real}},
        {"name": "B", "difference": {"clock.take_alarm.compliance": zero,
                                     "clock.arrive.compliance": zero}}]}
    zh = render(doc, "zh", Path("w")).splitlines()
    assert "    1分钟接警 达标率: 不变(每次重复都与现状相同)" in zh
    assert "    10分钟到场 达标率: +0.050 [+0.030, +0.070] 显著" in zh
    b = zh.index("  B 相对现状:")
    assert zh[b + 1].startswith("    每次重复的全部评分都与现状相同") and "达标率" not in zh[b + 2]
    en = render(doc, "en", Path("w"))
    assert "Alarm taken within 1 minute compliance: unchanged (equal in every replication)" in en
    assert "every score equals the current setup's in every replication" in en


def test_chart_names_clocks_as_their_pack_does(tmp_path: Path) -> None:
    """Panel titles come from the summary's clock names (the packs), not a fixed list that
    called early-stage handling "under control"; a panel where nothing moved says so."""
    from matplotlib.text import Text

    from ui.charts.whatif import whatif_figure

    zero = {"n": 9, "mean": 0.0, "sd": 0.0, "ci95": [0.0, 0.0], "significant": False}
    clocks = {"handle": {"name_zh": "15分钟先期处置", "name_en": "Early-stage handling"}}
    doc = {"alternatives": [{"name": "current", "clocks": clocks},
                            {"name": "A", "difference": {"clock.handle.compliance": zero}}]}
    for lang, title, same in [("zh", "15分钟先期处置达标率", "各方案均不变"),
                              ("en", "Early-stage handling compliance",
                               "unchanged in every alternative")]:
        fig = whatif_figure(doc, lang, keys=("clock.handle.compliance",))
        texts = {" ".join(t.get_text().split()) for t in fig.findobj(Text)}  # wrapped titles
        assert title in texts and same in texts, texts
        assert not any("control" in t for t in texts)


def test_other_significant_changes_are_named_with_their_direction() -> None:
    """What moved the overall score is printed under the headline rows: capability scores
    first, then other clocks' compliance, then metrics, each named (never its id), with its
    unit and whether the change is better or worse for that value; unchanged and
    non-significant values are not listed, and a long list is cut with a pointer to the file."""
    from ui.commands.whatif import MAX_OTHERS, render

    def d(mean: float, sd: float, sig: bool = True) -> dict[str, object]:
        return {"n": 9, "mean": mean, "sd": sd, "ci95": [mean - sd, mean + sd],
                "significant": sig}

    names = {"capability.command.score": {"zh": "指挥协调", "en": "Command", "unit": "score",
                                          "higher_is_better": True},
             "metric.coord.mutual_aid_latency": {"zh": "跨区域增援响应时间",
                                                 "en": "Mutual-aid latency", "unit": "min",
                                                 "higher_is_better": False},
             "metric.coord.info_flow": {"zh": "信息传达用时", "en": "Information flow",
                                        "unit": "min", "higher_is_better": False},
             "metric.report.accuracy": {"zh": "续报准确率", "en": "Accuracy", "unit": "ratio",
                                        "higher_is_better": True}}
    clocks = {"arrive_all": {"name_zh": "各队伍10分钟到场", "name_en": "Every team in 10 min"}}
    diff = {"metric.coord.info_flow": d(-0.4, 0.2),            # better (lower), t = 2
            "metric.coord.mutual_aid_latency": d(13.4, 0.9),   # worse (higher), t ≈ 15
            "capability.command.score": d(-4.0, 0.9),          # worse
            "clock.arrive_all.compliance": d(0.05, 0.01),      # better
            "metric.report.accuracy": d(0.01, 0.05, sig=False),
            "metric.unnamed.thing": d(5.0, 0.1)}               # no name: left out
    doc = {"replications": 9, "executor": "serial", "value_names": names, "alternatives": [
        {"name": "current", "clocks": clocks}, {"name": "A", "difference": diff}]}
    zh = render(doc, "zh", Path("w")).splitlines()
    at = zh.index("    其他显著变化:")
    assert zh[at + 1:at + 5] == [
        "      指挥协调 能力评分: -4.000 [-4.900, -3.100] 分 (变差)",
        "      各队伍10分钟到场 达标率: +0.050 [+0.040, +0.060] (改善)",
        "      跨区域增援响应时间: +13.400 [+12.500, +14.300] 分钟 (变差)",
        "      信息传达用时: -0.400 [-0.600, -0.200] 分钟 (改善)"]
    assert zh[at + 5].startswith("图表")
    assert not any("续报准确率" in ln or "unnamed" in ln or "coord." in ln for ln in zh)
    en = render(doc, "en", Path("w"))
    assert "      Command capability score: -4.000 [-4.900, -3.100] points (worse)" in en
    assert "      Mutual-aid latency: +13.400 [+12.500, +14.300] min (worse)" in en
    many = {f"metric.m{i}": d(1.0 + i, 0.5) for i in range(MAX_OTHERS + 3)}
    doc["value_names"] = {k: {"zh": f"指标{i}", "en": f"m{i}", "unit": "count",
                              "higher_is_better": True} for i, k in enumerate(many)}
    doc["alternatives"][1]["difference"] = many
    zh = render(doc, "zh", Path("w")).splitlines()
    at = zh.index("    其他显著变化:")
    assert len([ln for ln in zh[at + 1:] if ln.startswith("      指标")]) == MAX_OTHERS
    assert zh[at + 1 + MAX_OTHERS] == f"      (另有 3 项,见 {Path('w') / 'summary.json'})"


def test_the_summary_names_every_capability_and_metric(tmp_path: Path) -> None:
    """The batch summary carries a name (Chinese and English), a unit and a direction for
    every capability score and metric it holds, so readers print names, never ids."""
    from evaluators.metrics import METRICS
    from evaluators.rubric import load_rubric

    alts = build_alternatives(load_whatif(_write(tmp_path, {"alternatives": [{"name": "x"}]})),
                              default_region(), load_params(), tmp_path / "alts.yaml")
    doc = run_batch(make_spec(demo_scenario(), alts), 2, 1).document(1)
    names = doc["value_names"]
    keys = {k for a in doc["alternatives"] for k in a["values"] if not k.startswith("clock.")}
    keys.discard("overall.score")
    assert keys and keys <= names.keys()
    assert {f"capability.{c.id}.score" for c in load_rubric().capabilities} \
        | {f"metric.{m.id}" for m in METRICS} == names.keys()
    for k, v in names.items():
        assert v["zh"] and v["en"] and v["zh"] != k.split(".")[1], k
        assert not any("a" <= ch <= "z" for ch in v["zh"]), (k, v["zh"])
        assert v["unit"] in {"score", "min", "ratio", "count"}
        assert isinstance(v["higher_is_better"], bool)


def test_chart_colours_by_what_is_better_and_centres_zero() -> None:
    """Green is a significant improvement and red a significant loss *for that value*: a
    longer mean arrival is red though its difference is positive, a higher compliance green;
    zero sits in the middle of every panel with each whisker inside the frame, and a panel
    where nothing moved has no scale."""
    from matplotlib.colors import to_hex

    from ui.charts.whatif import higher_is_better, whatif_figure

    def d(mean: float, lo: float, hi: float) -> dict[str, object]:
        return {"n": 9, "mean": mean, "sd": 1.0, "ci95": [lo, hi], "significant": lo > 0 or hi < 0}

    zero = {"n": 9, "mean": 0.0, "sd": 0.0, "ci95": [0.0, 0.0], "significant": False}
    keys = ("clock.arrive.compliance", "clock.arrive.mean", "metric.coord.info_flow",
            "clock.handle.compliance")
    doc = {"value_names": {"metric.coord.info_flow": {"higher_is_better": False}},
           "alternatives": [{"name": "current", "clocks": {}}, {"name": "A", "difference": {
               "clock.arrive.compliance": d(0.05, 0.02, 0.08),
               "clock.arrive.mean": d(1.5, 0.5, 2.5),
               "metric.coord.info_flow": d(-2.0, -3.0, -1.0),
               "clock.handle.compliance": zero}}]}
    assert [higher_is_better(k, doc) for k in keys] == [True, False, False, True]
    fig = whatif_figure(doc, "en", keys=keys)
    axes = fig.axes
    colours = [to_hex(ax.patches[0].get_facecolor()) for ax in axes]
    assert colours[:3] == ["#2e7d32", "#c62828", "#2e7d32"]
    for ax, reach in zip(axes[:3], (8.0, 2.5, 3.0), strict=True):
        lo, hi = ax.get_xlim()
        assert lo == -hi and hi > reach, (ax.get_title(), lo, hi)
    assert list(axes[3].get_xticks()) == [0.0]


def test_baseline_and_whatif_agree_on_which_way_is_better() -> None:
    """One rule (evaluators.scorecard.value_higher_is_better) for the baseline, which reads a
    scorecard's metrics by id, and the what-if chart, which reads a batch summary's names."""
    from evaluators.baseline import higher_is_better as baseline_rule
    from evaluators.metrics import METRICS
    from evaluators.scorecard import MetricSummary, Scorecard
    from experiments.batch import value_names
    from ui.charts.whatif import higher_is_better as chart_rule

    card = Scorecard()
    card.metrics = {m.id: MetricSummary(name_zh="", name_en="", unit=m.unit,
                                        higher_is_better=m.higher_is_better) for m in METRICS}
    doc = {"value_names": value_names(None)}
    lower = [m.id for m in METRICS if not m.higher_is_better]
    assert lower and len(lower) < len(METRICS)  # both directions are exercised
    for m in METRICS:
        assert baseline_rule(m.id, card) is chart_rule(f"metric.{m.id}", doc) \
            is m.higher_is_better
    for key, up in (("clock.arrive.compliance", True), ("clock.arrive.p90", False),
                    ("clock.arrive.by_township.T03.compliance", True),
                    ("clock.arrive.by_township.T03.mean", False)):
        assert baseline_rule(key, card) is chart_rule(key, doc) is up
    assert chart_rule("capability.alarm.score", doc) is True
    assert baseline_rule("no.such.metric", card) is chart_rule("no.such.metric", doc) is True
