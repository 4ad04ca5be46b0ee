"""``blinddrill score``: score a drill's run directory from its event log.

Prints a bilingual summary (Chinese by default, ``--lang en`` for English) or, with ``--json``,
the whole scorecard as one JSON object (schema in ``docs/scoring.md``). ``--baseline DIR``
compares the drill with every run directory under DIR (simulated replications).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from evaluators.baseline import Baseline
    from evaluators.scorecard import Scorecard


def echo_bytes(raw: bytes) -> None:
    """Print UTF-8 bytes and a newline on stdout, skipping a decode when it can.

    A 19 MB scorecard goes to the binary stream as it is (~0.1 s of decoding and re-encoding
    saved); a text-only stdout (a ``StringIO`` under ``redirect_stdout``, an embedding host)
    gets the decoded text instead of a ``TypeError``.
    """
    if getattr(sys.stdout, "buffer", None) is not None:
        click.echo(raw)  # click flushes the text layer, then writes to the binary buffer
    else:
        click.echo(raw.decode("utf-8"))


def render_text(card: Scorecard, lang: str, baseline: Baseline | None = None) -> str:
    """A console summary of a scorecard (no scoring logic, only formatting)."""
    zh = lang == "zh"
    lines: list[str] = []
    o = card.overall
    score = f"{o.score:.1f}" if o.score is not None else "—"
    level = (o.level_zh if zh else o.level_en) or "—"
    lines.append(f"{'总体评分' if zh else 'Overall score'}: {score}  "
                 f"{'评估结论' if zh else 'conclusion'}: {level}")
    lines.append(f"{'事件数' if zh else 'Events'}: {card.run.events}  "
                 f"{'突发事件' if zh else 'Incidents'}: {card.run.incidents}  "
                 + (f"截至第 {card.run.censor_time:g} 分钟" if zh
                    else f"as of t = {card.run.censor_time:g} min"))
    if not card.run.region:
        lines.append("注意：本次运行没有区域文件(inputs/region.yaml)，依赖区域的指标(派遣距离、"
                     "库存等)不可用，指挥部是否已启用等也无从判断，结果与有区域时可能不同。"
                     if zh else
                     "Note: this run has no region file (inputs/region.yaml): metrics that need "
                     "the region (dispatch distances, depot stock) are unavailable and command "
                     "posts already active are not known, so results may differ from a scoring "
                     "with the region.")
    lines.append("")
    lines.append("能力评级(HSEEP P/S/M/U):" if zh else "Capabilities (HSEEP P/S/M/U):")
    for c in card.capabilities:
        s = f"{c.score:.1f}" if c.score is not None else "—"
        why = (c.reason_zh if zh else c.reason_en)
        lines.append(f"  {c.name_zh if zh else c.name_en}: {s} {c.rating or '—'}"
                     + (f" ({why})" if why else ""))
    lines.append("")
    lines.append("时限标准:" if zh else "Clocks:")
    for cid, k in card.clocks.items():
        name = k.name_zh if zh else k.name_en
        if not k.available:
            # the reason is English text (in --json too); the Chinese line says only that
            lines.append(f"  {name}: 不可用" if zh else f"  {name} [{cid}]: unavailable ({k.reason})")
            continue
        ge = "≥" if k.lower_bound else ""
        comp = f"{k.compliance * 100:.0f}%" if k.compliance is not None else "—"
        p50 = f"{ge}{k.p50:.1f}" if k.p50 is not None else "—"
        p90 = f"{ge}{k.p90:.1f}" if k.p90 is not None else "—"
        extra = []
        if k.n_unstopped:
            extra.append(f"{'超时未完成' if zh else 'not done in time'} {k.n_unstopped}")
        if k.n_open:
            extra.append(f"{'未到时限不计' if zh else 'open, not counted'} {k.n_open}")
        lines.append(f"  {name}{'' if zh else f' [{cid}]'}: {'达标率' if zh else 'compliance'} "
                     f"{comp} ({k.n_met}/{k.n}), "
                     + (f"中位 {p50}、90%分位 {p90} 分钟" if zh else f"p50 {p50}, p90 {p90} min")
                     + (f"; {'; '.join(extra)}" if extra else ""))
    waits = [(mid, m) for mid, m in card.metrics.items()
             if m.n_open or m.n_unstopped or m.n_excluded]
    if waits:
        lines.append("")
        lines.append("等待类指标(未完成/不计):" if zh else "Waits (not done / not counted):")
    for mid, m in waits:
        v = "—" if m.value is None else value_text(card, mid, m.value, zh)[1]
        extra = []
        if m.n_unstopped:
            extra.append(f"{'超时未完成' if zh else 'not done in time'} {m.n_unstopped}")
        if m.n_open:
            extra.append(f"{'未到时限不计' if zh else 'open, not counted'} {m.n_open}")
        if m.n_excluded:
            extra.append(f"{'无需等待不计' if zh else 'not waited for'} {m.n_excluded}")
        lines.append(f"  {m.name_zh if zh else m.name_en}{'' if zh else f' [{mid}]'}: {v} "
                     f"(n={m.n}; {'; '.join(extra)})")
    for title, items in (("优势" if zh else "Strengths", card.findings.strengths),
                         ("待改进" if zh else "Areas for improvement", card.findings.improvements)):
        lines.append("")
        lines.append(f"{title}:")
        for f in items or []:
            ev = ", ".join(str(s) for s in f.evidence[:8])
            lines.append(f"  - {f.text_zh if zh else f.text_en}"
                         + (f"  [{'证据记录' if zh else 'evidence seq'}: {ev}]" if ev else ""))
        if not items:
            lines.append("  (无)" if zh else "  (none)")
    if baseline is not None:
        lines.append("")
        lines.append(f"{'与模拟基线比较' if zh else 'Against the simulated baseline'} "
                     f"(n={baseline.replications}):")
        for key, e in baseline.entries.items():
            if key.count(".") > 2:
                continue  # breakdowns are in --json
            name, value = value_text(card, key, e.value, zh)
            lines.append(f"  {name}: {value} — {'差于' if zh else 'worse than'} "
                         f"{e.worse_than * 100:.0f}% {'的模拟运行' if zh else 'of simulated runs'}")
    return "\n".join(lines)


#: a clock statistic's name (zh, en) in the printed baseline comparison
_STATS = {"compliance": ("达标率", "compliance"), "p50": ("用时中位数", "median"),
          "p90": ("用时90%分位", "90th percentile"), "mean": ("平均用时", "mean"),
          "max": ("最长用时", "longest")}


def value_text(card: Scorecard, key: str, value: float, zh: bool) -> tuple[str, str]:
    """A scorecard value key (:meth:`Scorecard.values`) and its value as a reader sees them:
    ``clock.arrive.p50`` → ("10分钟到场 用时中位数", "12.3 分钟"), a metric id → its name and
    its value in its unit (a share as a percentage). No code identifiers in Chinese."""
    minutes = "分钟" if zh else "min"
    parts = key.split(".")
    if parts[0] == "clock" and len(parts) == 3 and parts[1] in card.clocks:
        c = card.clocks[parts[1]]
        stat = _STATS.get(parts[2], (parts[2], parts[2]))[0 if zh else 1]
        name = f"{c.name_zh if zh else c.name_en} {stat}"
        return name, (f"{value * 100:.0f}%" if parts[2] == "compliance"
                      else f"{value:.1f} {minutes}")
    m = card.metrics.get(key)
    if m is None:
        return key, f"{value:g}"
    name = m.name_zh if zh else m.name_en
    if m.unit == "ratio":
        return name, f"{value * 100:.0f}%"
    return name, f"{value:.1f} {minutes}" if m.unit == "min" else f"{value:g}"


@click.command(name="score")
@click.argument("run_dir", type=click.Path(path_type=Path))
@click.option("--rules", "rules", multiple=True, metavar="PACK",
              help="rule pack file or shipped id (repeatable); default: city-1-10-15, "
                   "incident-control, scene-visible-30, report-by-grade")
@click.option("--rubric", type=click.Path(path_type=Path), help="rubric YAML (default: shipped)")
@click.option("--baseline", type=click.Path(path_type=Path), metavar="DIR",
              help="directory of simulated run directories to compare with")
@click.option("--json", "as_json", is_flag=True, help="print the scorecard as one JSON object")
@click.option("--out", type=click.Path(path_type=Path), help="also write the scorecard JSON here")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
def score(run_dir: Path, rules: tuple[str, ...], rubric: Path | None, baseline: Path | None,
          as_json: bool, out: Path | None, lang: str) -> None:
    """Score a drill from RUN_DIR/events.jsonl (评估演练). 按规则包和评分细则给出评分与评级。"""
    import orjson

    from engine.gcpause import keep_until_exit, paused_gc
    from engine.rundir import open_run
    from evaluators import score_run
    from evaluators.rubric import load_rubric
    from evaluators.rules import load_packs
    from experiments.baseline import against_baseline
    from scenarios.outputs import atomic_write, check_output_file, refuse_input_overwrite
    from ui.errors import UserError

    if not run_dir.is_dir():
        raise UserError(f"{run_dir}: not a directory (give a run directory with events.jsonl)")
    if out is not None:
        refuse_input_overwrite(out, [run_dir / "events.jsonl", rubric, *map(Path, rules)],
                               option="--out")
        check_output_file(out)
    with paused_gc():  # log-sized work (engine.gcpause)
        packs = load_packs(list(rules) or None)
        rub = load_rubric(rubric)
        if rubric is not None:
            rub.check_clocks({c.id for p in packs for c in p.clocks}, str(rubric))
        region = open_run(run_dir).region()  # read once (JSON fast path), shared with the baseline
        card = score_run(run_dir, rules=packs, rubric=rub, region=region)
        keep_until_exit(card)  # a one-shot process need not free it (engine.gcpause)
        base = None
        if baseline is not None:  # the replications' cached scorecards, for the shipped rules
            base = against_baseline(card, baseline, region=region, of=run_dir,
                                    rules=packs if rules else None,
                                    rubric=rub if rubric is not None else None)[1]
        if out is not None or as_json:
            # serialised by pydantic straight to UTF-8 JSON bytes (3x faster than model_dump +
            # orjson on a 10,000-incident card, the same bytes); the baseline is the document's
            # last key
            raw = card.__pydantic_serializer__.to_json(card, by_alias=True)
            if base is not None:
                raw = raw[:-1] + b',"baseline":' + base.__pydantic_serializer__.to_json(base) \
                    + b"}"
            if out is not None:
                atomic_write(out, orjson.dumps(orjson.loads(raw), option=orjson.OPT_INDENT_2))
            if as_json:
                echo_bytes(raw)
        else:
            click.echo(render_text(card, lang, base))
