"""Bad rule packs and rubrics give clear errors; the `score` command; baseline percentiles."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from evalhelp import COUNTY, build, known_drill, with_final_report

from engine.eventlog import write_jsonl
from evaluators import percentiles_against, score_records, score_replications
from evaluators.rubric import load_rubric
from evaluators.rules import load_pack, load_packs
from scenarios.loading import InputError
from ui.cli import cli

GOOD_CLOCK = ("  - {id: c1, name_zh: 甲, name_en: a, limit_min: 5,\n"
              "     start: {kind: alarm_raised}, end: {kind: alarm_taken}}\n")
HEAD = "schema: blinddrill.rules/1\nid: p\nname_zh: 包\nname_en: pack\nclocks:\n"


def write(tmp: Path, name: str, text: str) -> Path:
    p = tmp / name
    p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize("body, expect", [
    (GOOD_CLOCK.replace("limit_min: 5", "limit_min: -1"), "clocks[0].limit_min"),
    (GOOD_CLOCK.replace("alarm_taken", "alarm_takn"), "clocks[0].end.kind"),
    (GOOD_CLOCK.replace("limit_min: 5", "limit_min: 5, colour: red"), "clocks[0].colour"),
    (GOOD_CLOCK + GOOD_CLOCK, "duplicate clock 'c1'"),
    (GOOD_CLOCK.replace("{kind: alarm_taken}", "{kind: alarm_taken, unit_kinds: [tank]}"),
     "clocks[0].end.unit_kinds"),
    (GOOD_CLOCK.replace("limit_min: 5", "limit_min: 5, scope: unit"), "per-unit event"),
])
def test_bad_rule_pack(tmp_path: Path, body: str, expect: str) -> None:
    p = write(tmp_path, "bad.yaml", HEAD + body)
    with pytest.raises(InputError) as exc:
        load_pack(p)
    assert str(p) in str(exc.value) and expect in str(exc.value)


def test_unknown_pack_id_lists_shipped() -> None:
    with pytest.raises(InputError, match="city-1-10-15"):
        load_pack("city-1-10-16")


def test_clock_defined_twice_across_packs(tmp_path: Path) -> None:
    p = write(tmp_path, "dup.yaml", HEAD + GOOD_CLOCK.replace("c1", "take_alarm"))
    with pytest.raises(InputError, match="take_alarm"):
        load_packs(["city-1-10-15", str(p)])


def rubric_text(**subs: str) -> str:
    text = (Path(__file__).resolve().parents[2] / "evaluators" / "rubric.yaml").read_text("utf-8")
    for a, b in subs.items():
        assert a in text
        text = text.replace(a, b, 1)
    return text


@pytest.mark.parametrize("old, new, expect", [
    ("metric: report.accuracy,", "metric: report.acuracy,", "unknown metric 'report.acuracy'"),
    ("min_score: 60", "min_score: 90", "must decrease"),
    ("clock.take_alarm.compliance, weight: 2, best: 1.0, worst: 0.0",
     "clock.take_alarm.compliance, weight: 2, best: 1.0, worst: 1.0", "best and worst"),
    ("critical: [clock.take_alarm]", "critical: [coord.nothing]", "unknown metric 'coord.nothing'"),
    ("good: {min_score: 70", "good: {min_score: 95", "levels: min_score must decrease"),
    ("  report.first_delay: 60", "  report.first_dely: 60", "wait_limits: unknown metric"),
    ("clock.take_alarm.compliance,", "clock.take_alarm.median,", "clock keys are"),
    ("  U:\n", "  X:\n", "ratings"),
])
def test_bad_rubric(tmp_path: Path, old: str, new: str, expect: str) -> None:
    p = write(tmp_path, "rubric.yaml", rubric_text(**{old: new}))
    with pytest.raises(InputError) as exc:
        load_rubric(p)
    assert str(p) in str(exc.value) and expect in str(exc.value)


def test_explicit_rubric_must_match_packs(tmp_path: Path) -> None:
    p = write(tmp_path, "rubric.yaml", rubric_text())
    with pytest.raises(InputError, match="clock 'take_alarm' is in no loaded rule pack"):
        score_records(build(known_drill()), rules=["scene-visible-30"], rubric=p)
    # the default rubric leaves such items unscored and says so
    card = score_records(build(known_drill()), rules=["scene-visible-30"])
    assert any("clock.take_alarm.compliance" in n for n in card.notes)


def test_unknown_kind_in_log() -> None:
    recs = build(known_drill())
    recs[3]["kind"] = "alarm_taaken"
    with pytest.raises(InputError, match="record 4: unknown event kind 'alarm_taaken'"):
        score_records(recs)


# ----- the CLI ------------------------------------------------------------------------------
def make_run(root: Path, events: list, region: bool = True) -> Path:  # type: ignore[type-arg]
    root.mkdir(parents=True)
    write_jsonl(build(events), root / "events.jsonl")
    if region:
        (root / "inputs").mkdir()
        shutil.copy(COUNTY, root / "inputs" / "region.yaml")
    return root


def test_score_json(tmp_path: Path) -> None:
    run = make_run(tmp_path / "run", with_final_report(known_drill(), ["time"]))
    res = CliRunner().invoke(cli, ["score", str(run), "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    assert 0 <= doc["overall"]["score"] <= 100 and "rating" not in doc["overall"]
    assert doc["overall"]["level"] in doc["levels"] and "HSEEP" in doc["overall"]["scheme"]
    assert doc["schema"] == "blinddrill.scorecard/2" and "P/S/M/U" in doc["rating_scheme"]
    assert doc["clocks"]["take_alarm"] == {**doc["clocks"]["take_alarm"], "compliance": 0.5,
                                           "p50": 1.25, "p90": 1.85, "n": 2, "n_open": 0}
    # open items are marked: B's scene video never came and its limit passed (breached)
    sv = doc["incidents"]["B"]["clocks"]["scene_visible"]
    assert (sv["status"], sv["value"]) == ("breached", None)
    assert doc["run"]["region"] is True  # inputs/region.yaml was used
    assert doc["metrics"]["coord.dispatch_gap"]["available"] is True


def test_score_text_zh_en_and_rules(tmp_path: Path) -> None:
    run = make_run(tmp_path / "run", known_drill())
    zh = CliRunner().invoke(cli, ["score", str(run)])
    assert zh.exit_code == 0 and "总体评分" in zh.output and "1分钟接警" in zh.output
    en = CliRunner().invoke(cli, ["score", str(run), "--lang", "en", "--rules", "fire-1-3-5",
                                  "--rules", "city-1-10-15"])
    assert en.exit_code == 0 and "Fire brigade on scene" in en.output
    assert "Scene visible" not in en.output  # only the packs asked for


def test_score_bad_inputs_exit_2(tmp_path: Path) -> None:
    from ui.errors import run_cli

    assert run_cli(cli, ["score", str(tmp_path / "missing")]) == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run_cli(cli, ["score", str(empty)]) == 2
    run = make_run(tmp_path / "run", known_drill())
    bad = write(tmp_path, "bad.yaml", HEAD + GOOD_CLOCK.replace("limit_min: 5", "limit_min: x"))
    assert run_cli(cli, ["score", str(run), "--rules", str(bad)]) == 2
    assert run_cli(cli, ["score", str(run), "--rubric", str(tmp_path / "nope.yaml")]) == 2


def test_score_help() -> None:
    res = CliRunner().invoke(cli, ["score", "--help"])
    assert res.exit_code == 0 and "--baseline" in res.output and "--json" in res.output


# ----- baseline ------------------------------------------------------------------------------
def shifted(dt: float) -> list:  # type: ignore[type-arg]
    """The known drill with B's arrival moved by dt minutes."""
    out = []
    for t, kind, kw in known_drill():
        if kind == "unit_arrived" and kw.get("incident") == "B":
            t = t + dt
        out.append((t, kind, kw))
    return out


def test_percentiles_against_replications() -> None:
    drill = score_records(build(shifted(0.0)))  # arrive values 2.5 and 12 → p50 7.25
    reps = [score_records(build(shifted(dt))) for dt in (-8.0, -6.0, -4.0, -2.0, 0.0, 4.0)]
    base = percentiles_against(drill, reps)
    e = base.entries["clock.arrive.p50"]
    # replication p50s: 3.25 4.25 5.25 6.25 7.25 9.25: 4 faster, 1 tie, 1 slower
    assert (e.n, e.worse_than, e.percentile) == (6, round(4 / 6, 6), round(100 * 4.5 / 6, 6))
    assert e.higher_is_better is False
    t03 = base.entries["clock.arrive.by_township.T03.p50"]
    assert t03.value == 12.0 and t03.worse_than == round(4 / 6, 6)
    # B arrives 4, 6, 8, 10 (met: ≤ 10), 12, 16 after the alarm: reps compliance 1,1,1,1,.5,.5
    comp = base.entries["clock.arrive.compliance"]
    assert comp.higher_is_better is True and comp.worse_than == round(4 / 6, 6)


def test_cli_baseline(tmp_path: Path) -> None:
    run = make_run(tmp_path / "run", shifted(0.0), region=False)
    for k, dt in enumerate((-8.0, -6.0, 4.0)):
        make_run(tmp_path / "reps" / f"r{k}", shifted(dt), region=False)
    res = CliRunner().invoke(cli, ["score", str(run), "--baseline", str(tmp_path / "reps"),
                                   "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    assert doc["baseline"]["replications"] == 3
    assert doc["baseline"]["entries"]["clock.arrive.p50"]["worse_than"] == round(2 / 3, 6)
    txt = CliRunner().invoke(cli, ["score", str(run), "--baseline", str(tmp_path / "reps")])
    assert "模拟运行" in txt.output


def test_cli_baseline_reuses_the_replications_cached_scorecards(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # `score --baseline` reads the replications' scorecards that demo/report cached in the
    # baseline (experiments.baseline): the same numbers, the 20 replications not scored again
    import experiments.baseline as eb

    run = make_run(tmp_path / "run", shifted(0.0), region=False)
    for k, dt in enumerate((-8.0, -6.0, 4.0)):
        make_run(tmp_path / "reps" / f"r{k}", shifted(dt), region=False)
    args = ["score", str(run), "--baseline", str(tmp_path / "reps"), "--json"]
    first = CliRunner().invoke(cli, args)
    assert first.exit_code == 0, first.output
    assert (tmp_path / "reps" / "scorecards.json").is_file()

    def no_rescoring(*a: object, **k: object) -> None:
        raise AssertionError("the replications were scored again")

    monkeypatch.setattr(eb, "score_replications", no_rescoring)
    again = CliRunner().invoke(cli, args)
    assert again.exit_code == 0, again.output
    assert again.output == first.output
    # with rule packs of the user's choosing the cache (made with the shipped ones) is not read
    monkeypatch.setattr(eb, "score_replications", score_replications)
    monkeypatch.setattr(eb, "_cached", no_rescoring)
    custom = CliRunner().invoke(cli, [*args, "--rules", "city-1-10-15"])
    assert custom.exit_code == 0, custom.output
    assert json.loads(custom.output)["baseline"]["replications"] == 3
