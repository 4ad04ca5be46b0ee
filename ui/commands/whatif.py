"""``blinddrill whatif``: compare alternatives (add/move a station, headcount, move a depot,
another dispatch policy) with the current setup on common random numbers.

Writes DIR/summary.json (each alternative's aggregate and its paired differences from the
current setup with 95 % CIs), the Parquet summaries, DIR/whatif.png and DIR/inputs/. The work
is :mod:`experiments.whatif` and :mod:`experiments.batch`; this module parses and prints.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ui.commands.batch import (
    EXIT_INTERRUPTED,
    check_out,
    common_options,
    execute,
    executor_from_options,
    prepare_out,
)
from ui.commands.inputs import load_inputs

KEYS = ("clock.take_alarm.compliance", "clock.arrive.compliance", "clock.handle.compliance",
        "clock.scene_visible.compliance", "clock.arrive.mean", "overall.score")

_T = {"zh": {"head": "备选方案比较(同一随机数)", "reps": "次重复", "vs": "相对现状",
             "sig": "显著", "ns": "不显著", "chart": "图表", "out": "输出目录",
             "compliance": "达标率", "mean": "平均用时(分钟)", "overall.score": "总体评分",
             "same": "不变(每次重复都与现状相同)",
             "others": "其他显著变化", "more": "另有 {n} 项,见",
             "better": "改善", "worse": "变差", "capability": "能力评分", "score": "分", "min": "分钟",
             "all_same": "每次重复的全部评分都与现状相同:这一改动没有影响本情景评估的任何结果"
                         "(例如改动的队伍没有被调派)",
             "no_ci": "无置信区间",
             "one_rep": "只有 1 次重复,无法给出置信区间和显著性:请用 -n 2 或更多(区间要窄需 30 次以上)",
             "cases": "统计对象不同(平均每次 {a:.1f} → {b:.1f} 个,{p:.0f}% 的事件只在一方计入),"
                      "差值含统计范围变化的影响",
             "unpaired": "另有 {u} 次重复只有一方有值,未计入"},
      "en": {"head": "What-if on common random numbers", "reps": "replications",
             "vs": "vs current", "sig": "significant", "ns": "not significant",
             "chart": "chart", "out": "output directory", "compliance": "compliance",
             "mean": "mean duration (min)", "overall.score": "overall score",
             "same": "unchanged (equal in every replication)",
             "others": "other significant changes", "more": "{n} more in",
             "better": "better", "worse": "worse", "capability": "capability score", "score": "points", "min": "min",
             "all_same": "every score equals the current setup's in every replication: the "
                         "change affected nothing this scenario scores (e.g. the changed unit "
                         "was never dispatched)",
             "no_ci": "no confidence interval",
             "one_rep": "one replication gives no confidence interval or significance: run "
                        "-n 2 or more (30 or more for narrow intervals)",
             "cases": "counted over different cases ({a:.1f} → {b:.1f} per replication, "
                      "{p:.0f}% of the incidents counted on one side only), so the difference "
                      "mixes in what is counted",
             "unpaired": "{u} more replications had a value on one side only, left out"}}


def signed(x: float, digits: int = 3) -> str:
    """A difference with its sign (``+0.125``, ``-0.125``); one that rounds to zero as
    ``+0.000``, like an exact zero, never ``-0.000`` (a minus there claims a loss)."""
    return f"{round(x, digits) + 0.0:+.{digits}f}"  # + 0.0 turns -0.0 into 0.0


def unchanged(d: dict[str, Any]) -> bool:
    """A paired difference that is exactly zero in every replication (the chart's rule,
    :func:`ui.charts.whatif.unchanged`)."""
    from ui.charts.whatif import unchanged as same  # (matplotlib: only when printing)

    return same(d)


def cases_note(d: dict[str, Any], lang: str) -> str:
    """`` (…)`` after a difference computed over other cases in the alternative than in the
    current setup (a metric over the incidents that needed mutual aid, a clock's instances:
    see :func:`ui.charts.whatif.over_other_cases`), or with replications where only one side
    had a value; empty otherwise."""
    from ui.charts.whatif import over_other_cases  # (matplotlib: only when printing)

    t = _T[lang]
    notes = []
    if over_other_cases(d):
        c = d["cases"]
        notes.append(t["cases"].format(a=c["current_mean"], b=c["alternative_mean"],
                                       p=100 * (c.get("incidents_one_side") or 0.0)))
    if d.get("unpaired"):
        notes.append(t["unpaired"].format(u=d["unpaired"]))
    if not notes:
        return ""
    return f" ({'；'.join(notes)})" if lang == "zh" else f" ({'; '.join(notes)})"


def value_label(key: str, doc: dict[str, Any], lang: str) -> str:
    """A readable name of a value key (no code identifiers in the Chinese text)."""
    t = _T[lang]
    parts = key.split(".")
    if parts[0] == "clock" and len(parts) == 3:
        c = doc["alternatives"][0]["clocks"].get(parts[1], {})
        name = c.get("name_zh" if lang == "zh" else "name_en", parts[1])
        return f"{name} {t.get(parts[2], parts[2])}"
    return t.get(key, key)


#: at most this many "other significant changes" per alternative in the printed summary
MAX_OTHERS = 8


def _others(doc: dict[str, Any], diff: dict[str, Any], lang: str, out: Path) -> list[str]:
    """The significant changes not among :data:`KEYS`: capability scores, other clocks'
    compliance and metrics, each group by the size of the change (relative to its spread),
    so what moved the overall score is named. Keys the summary has no name for are left out
    (no code identifiers in the text)."""
    from ui.charts.whatif import higher_is_better  # (matplotlib: only when printing)

    names: dict[str, Any] = doc.get("value_names", {})
    t = _T[lang]
    found = [(k, d) for k, d in diff.items()
             if k not in KEYS and (k in names or k.endswith(".compliance"))
             and d["mean"] is not None and d["significant"] and not unchanged(d)]
    if not found:
        return []

    def order(item: tuple[str, dict[str, Any]]) -> tuple[int, float, str]:
        k, d = item
        sd = d.get("sd") or 0.0
        size = abs(d["mean"]) / sd if sd else float("inf")
        return ({"capability": 0, "clock": 1}.get(k.split(".")[0], 2), -size, k)

    found.sort(key=order)
    lines = [f"    {t['others']}:"]
    for k, d in found[:MAX_OTHERS]:
        nm = names.get(k, {"unit": "ratio"})  # a clock's compliance
        unit = t.get(nm.get("unit", ""), "")  # score, min; a ratio or count has none
        better = (d["mean"] > 0) == higher_is_better(k, doc)
        ci = d["ci95"]
        ci_s = f" [{signed(ci[0])}, {signed(ci[1])}]" if ci else ""
        if k.startswith("clock."):  # another clock's compliance
            label = value_label(k, doc, lang)
        else:
            label = nm["zh" if lang == "zh" else "en"]
        if k.startswith("capability."):
            label = f"{label} {t['capability']}"
        lines.append(f"      {label}: {signed(d['mean'])}{ci_s}"
                     f"{' ' + unit if unit else ''} ({t['better'] if better else t['worse']})"
                     f"{cases_note(d, lang)}")
    if len(found) > MAX_OTHERS:
        lines.append(f"      ({t['more'].format(n=len(found) - MAX_OTHERS)} "
                     f"{out / 'summary.json'})")
    return lines


def render(doc: dict[str, Any], lang: str, out: Path) -> str:
    """Readable differences of each alternative from the current setup."""
    t = _T[lang]
    reps = doc["replications"]
    word = "replication" if lang == "en" and reps == 1 else t["reps"]
    lines = [f"{t['head']}: {reps} {word} ({doc['executor']})"]
    if reps < 2:
        lines.append(f"  {t['one_rep']}")
    for alt in doc["alternatives"][1:]:
        lines.append(f"  {alt['name']} {t['vs']}:")
        diffs = [d for d in alt["difference"].values() if d["mean"] is not None]
        if diffs and all(map(unchanged, diffs)):
            lines.append(f"    {t['all_same']}")
            continue
        for key in KEYS:
            d = alt["difference"].get(key)
            if d is None or d["mean"] is None:
                continue
            if unchanged(d):
                lines.append(f"    {value_label(key, doc, lang)}: {t['same']}")
                continue
            ci = d["ci95"]
            ci_s = f" [{signed(ci[0])}, {signed(ci[1])}]" if ci else ""
            lines.append(f"    {value_label(key, doc, lang)}: {signed(d['mean'])}{ci_s} "
                         f"{t['no_ci'] if ci is None else t['sig'] if d['significant'] else t['ns']}"
                         f"{cases_note(d, lang)}")
        lines += _others(doc, alt["difference"], lang, out)
    lines.append(f"{t['chart']}: {out / 'whatif.png'}")
    lines.append(f"{t['out']}: {out}")
    return "\n".join(lines)


@click.command()
@click.option("--alternatives", "alt_file", required=True,
              type=click.Path(dir_okay=False, path_type=Path),
              help="YAML file listing the alternatives (see docs/cluster.md).")
@common_options
def whatif(alt_file: Path, scenario_file: Path, n: int, region_file: Path | None,
           params_file: Path | None, catalogue_file: Path | None, rules: tuple[str, ...],
           workers: int | None, scheduler: str | None, seed: int, out: Path, force: bool,
           as_json: bool, lang: str) -> None:
    """Compare ALTERNATIVES with the current setup on the same seeds (common random numbers).

    在同一组随机数上比较备选方案(增设/迁移站点、调整人数、迁移储备库、调度策略)与现状的差异。
    """
    import shutil

    import orjson

    from evaluators.rules import load_packs
    from experiments.batch import make_spec
    from experiments.whatif import build_alternatives, load_whatif
    from ui.charts.fonts import to_png
    from ui.charts.whatif import whatif_figure

    defs = load_whatif(alt_file)
    check_out(out, force)
    scenario, sealed, region, params = load_inputs(scenario_file, region_file, params_file,
                                                   catalogue_file)
    alternatives = build_alternatives(defs, region, params, alt_file)
    packs = load_packs(list(rules) or None)
    executor = executor_from_options(workers, scheduler)
    prepare_out(out, force, executor)
    spec = make_spec(scenario, alternatives, packs)
    doc, interrupted = execute(spec, n, seed, executor, out, as_json, lang,
                               (scenario_file, region, scenario, params, region_file,
                                params_file, sealed))
    shutil.copyfile(alt_file, out / "inputs" / "alternatives.yaml")
    (out / "whatif.png").write_bytes(to_png(whatif_figure(doc, lang)))
    if as_json:
        click.echo(orjson.dumps(doc).decode())
    else:
        click.echo(render(doc, lang, out))
    if interrupted:
        click.get_current_context().exit(EXIT_INTERRUPTED)
