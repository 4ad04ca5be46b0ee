"""``blinddrill demo``: a whole six-no drill on the built-in seed city (or ``--region FILE``),
end to end.

generate a surprise scenario and seal it → simulate the drill → simulate replications of the
same scenario as a baseline → score the drill → write the HTML and Word after-action reports.

The baseline replications are simulated on an executor (a local process pool by default) and
written as run directories under RUN/baseline/ by :mod:`experiments.baseline`.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

DEMO_PLAN = Path(__file__).resolve().parents[2] / "scenarios" / "plans" / "demo.yaml"


_STEPS = {
    "zh": {"gen": "生成并封存盲演情景", "commit": "承诺值(演练前公布)", "sim": "模拟演练",
           "base": "模拟基线(同一情景重复演练)", "score": "评估", "report": "写出评估报告",
           "overall": "总体评分", "caps": "各项能力评级", "reports": "评估报告",
           "runs": "运行目录", "verify": "演练结束后核验情景"},
    "en": {"gen": "Generating and sealing a surprise scenario", "commit": "commitment (publish before the drill)",
           "sim": "Simulating the drill", "base": "Simulating the baseline (replications of the same scenario)",
           "score": "Scoring", "report": "Writing the after-action reports", "overall": "Overall",
           "caps": "Capability ratings", "reports": "Reports", "runs": "run directory",
           "verify": "verify the scenario after the drill"},
}


@click.command()
@click.option("--seed", type=click.IntRange(min=0), default=4, show_default=True,
              help="Random seed of the scenario and of the simulated drill.")
@click.option("-o", "--output", "out", type=click.Path(file_okay=False, path_type=Path),
              default=Path("demo-out"), show_default=True,
              help="Directory for the sealed scenario, the run and the reports.")
@click.option("--replications", type=click.IntRange(min=0, max=500), default=20,
              show_default=True, help="Simulated replications for the baseline comparison.")
@click.option("--params", "params_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Behaviour-parameter file for the drill and its baseline (default: shipped).")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Processes simulating the baseline (default: all cores; 1: in process).")
@click.option("--region", "region_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Region file to play on (default: the built-in seed city).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of text.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of the scenario's injects, the printed summary and the reports.")
def demo(seed: int, out: Path, replications: int, params_file: Path | None,
         workers: int | None, region_file: Path | None, as_json: bool, lang: str) -> None:
    """Play a whole six-no drill on the built-in seed city (or a region file): generate, seal,
    simulate, score, report.

    在内置示范市(或指定区域文件)上完整演示一次"六不"盲演:生成并封存情景、模拟演练、评估、写出评估报告。
    """
    from engine.params import load_params
    from engine.rundir import BASELINE, Sources, simulate_run
    from experiments.baseline import write_baseline
    from experiments.executors import make_executor
    from scenarios.catalogue import load_catalogue
    from scenarios.generator import generate
    from scenarios.plan import load_plan
    from scenarios.region import load_region
    from scenarios.sealing import seal, write_sealed
    from scenarios.seed_city import default_region
    from ui.commands.runsummary import category_names, format_summary, summarise
    from ui.reports import write_both
    from ui.reports.content import build_report

    t = _STEPS[lang]

    def say(msg: str) -> None:
        if not as_json:
            click.echo(msg, err=True)

    region = load_region(region_file) if region_file is not None else default_region()
    catalogue = load_catalogue()
    plan = load_plan(DEMO_PLAN).model_copy(update={"language": lang})  # injects in `lang`
    out.mkdir(parents=True, exist_ok=True)

    say(f"[1/5] {t['gen']} …")
    scenario = generate(region, catalogue, plan, seed, source=str(region_file or DEMO_PLAN))
    sealed = seal(scenario)
    sealed_path = out / "sealed.json"
    write_sealed(sealed, sealed_path)
    say(f"      {t['commit']}: {sealed.commitment}")

    say(f"[2/5] {t['sim']} …")
    run_dir = out / "run"
    params = load_params(params_file)
    command = ["blinddrill", "demo", "--seed", str(seed), "--lang", lang]
    if params_file is not None:
        command += ["--params", str(params_file)]
    if region_file is not None:
        command += ["--region", str(region_file)]
    log = simulate_run(run_dir, region, scenario, params, seed,
                       Sources(region=region_file, scenario=sealed_path, params=params_file,
                               sealed=True),
                       command, overwrite=True)

    say(f"[3/5] {t['base']} × {replications} …")
    if replications:
        write_baseline(run_dir / BASELINE, region, scenario, seed, replications, params,
                       make_executor(workers) if replications > 4 else None)

    say(f"[4/5] {t['score']} …")  # the report scores the drill and its baseline once
    content = build_report(run_dir, lang, region=region)
    card, baseline = content.card, content.baseline

    say(f"[5/5] {t['report']} …")
    reports = write_both(content, out / "reports")

    names = category_names(catalogue, lang)
    s = summarise(log.records, region)
    s["run_dir"] = str(run_dir)
    if as_json:
        doc = {"commitment": sealed.commitment, "sealed": str(sealed_path), "summary": s,
               "overall": card.overall.model_dump(mode="json"),
               "capabilities": {c.id: c.rating for c in card.capabilities},
               "baseline_replications": baseline.replications if baseline else 0,
               "reports": [str(p) for p in reports]}
        click.echo(json.dumps(doc, ensure_ascii=False))
        return
    click.echo(format_summary(s, lang, names))
    o = card.overall
    click.echo(f"{t['overall']}: {o.score:.1f} ({o.level_zh if lang == 'zh' else o.level_en})"
               if o.score is not None
               else f"{t['overall']}: —")
    caps = ", ".join(f"{(c.name_zh if lang == 'zh' else c.name_en)} {c.rating or '—'}"
                     for c in card.capabilities)
    click.echo(f"{t['caps']}: {caps}")
    click.echo(f"{t['reports']}: " + "  ".join(str(p) for p in reports))
    click.echo(f"{t['verify']}: blinddrill verify {sealed_path}")
