"""``blinddrill demo``: a whole six-no drill on the built-in seed city, end to end.

generate a surprise scenario and seal it → simulate the drill → simulate replications of the
same scenario as a baseline → score the drill → write the HTML and Word after-action reports.

Also home of the readable run summary (:func:`summarise`, :func:`format_summary`) that
``blinddrill simulate`` prints: counts and times read from the event log (no scoring; the
evaluators do that).
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from scenarios.region import Region

DEMO_PLAN = Path(__file__).resolve().parents[2] / "scenarios" / "plans" / "demo.yaml"


def summarise(records: list[dict[str, Any]], region: Region | None = None) -> dict[str, Any]:
    """Per-incident times (minutes), units and reports, plus totals, from a log's records."""
    incs: dict[str, dict[str, Any]] = {}
    units_used: set[str] = set()
    for r in records:
        k, iid, d = r["kind"], r["incident"], r["data"]
        if k == "incident_occurred":
            tname = d["township"]
            if region is not None and tname in region.jurisdiction_by_id:
                tname = region.jurisdiction_by_id[tname].name
            incs[iid] = {"id": iid, "category": d["category"], "grade": d["grade"],
                         "township": tname, "occurred": r["t"], "alarm_taken": None,
                         "first_arrival": None, "controlled": None, "unresolved": False,
                         "units": [], "mutual_aid": 0, "reports": {}, "scene_visible": None,
                         "supplies_short": 0}
            continue
        inc = incs.get(iid) if iid else None
        if inc is None:
            continue
        if k == "alarm_taken" and inc["alarm_taken"] is None:
            inc["alarm_taken"] = r["t"]
        elif k == "unit_dispatched":
            inc["units"].append(r["unit"])
            units_used.add(r["unit"])
            inc["mutual_aid"] += bool(d.get("mutual_aid"))
        elif k == "unit_arrived" and inc["first_arrival"] is None:
            inc["first_arrival"] = r["t"]
        elif k == "incident_controlled":
            inc["controlled"] = r["t"]
        elif k == "incident_unresolved":
            inc["unresolved"] = True
        elif k == "scene_visible" and inc["scene_visible"] is None:
            inc["scene_visible"] = r["t"]
        elif k == "supplies_short":
            inc["supplies_short"] += d["qty"]
        elif k == "report_submitted":
            inc["reports"].setdefault(d["stage"], r["t"])
    arrivals = [i["first_arrival"] - i["occurred"] for i in incs.values()
                if i["first_arrival"] is not None]
    return {
        "incidents": len(incs),
        "controlled": sum(1 for i in incs.values() if i["controlled"] is not None),
        "unresolved": sum(1 for i in incs.values() if i["unresolved"]),
        "units_used": len(units_used),
        "events": len(records),
        "mean_arrival_min": round(sum(arrivals) / len(arrivals), 2) if arrivals else None,
        "by_incident": list(incs.values()),
    }


_T = {
    "zh": {"head": "演练小结", "inc": "事件", "ctl": "已控制", "unres": "未处置完毕", "units": "动用队伍",
           "events": "事件日志条数", "marr": "平均到场(分钟)", "cols": "编号 类型 等级 乡镇 | 接警 到场 控制 (距发生, 分钟) | 队伍(增援) | 首报/续报/终报",
           "no": "—", "run": "运行目录"},
    "en": {"head": "Drill summary", "inc": "incidents", "ctl": "controlled", "unres": "unresolved",
           "units": "units used", "events": "log events", "marr": "mean arrival (min)",
           "cols": "id category grade township | alarm taken, arrived, controlled (min after occurrence) | units (mutual aid) | first/follow-up/final report",
           "no": "-", "run": "run directory"},
}


def pad(text: str, width: int) -> str:
    """Left-justify ``text`` to ``width`` terminal columns (CJK characters take two)."""
    cols = sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)
    return text + " " * max(0, width - cols)


def format_summary(s: dict[str, Any], lang: str = "zh",
                   category_names: dict[str, str] | None = None) -> str:
    """The summary as readable text in Chinese (default) or English.

    ``category_names`` maps category ids to display names (e.g. from the hazard catalogue).
    """
    t = _T[lang]
    names = category_names or {}

    def rel(i: dict[str, Any], key: str) -> str:
        v = i[key]
        return t["no"] if v is None else f"{v - i['occurred']:.1f}"

    def rep(i: dict[str, Any], stage: str) -> str:
        v = i["reports"].get(stage)
        return t["no"] if v is None else f"{v - i['occurred']:.0f}"

    lines = [f"{t['head']}: {s['incidents']} {t['inc']}, {s['controlled']} {t['ctl']}, "
             f"{s['unresolved']} {t['unres']}; {t['units']} {s['units_used']}; "
             f"{t['marr']} {s['mean_arrival_min']}; {t['events']} {s['events']}", t["cols"]]
    for i in s["by_incident"]:
        lines.append(
            f"  {i['id']:<5} {pad(names.get(i['category'], i['category']), 28)} {i['grade']:<3} "
            f"{pad(i['township'], 10)} | "
            f"{rel(i, 'alarm_taken'):>5} {rel(i, 'first_arrival'):>6} {rel(i, 'controlled'):>6} | "
            f"{len(i['units'])} ({i['mutual_aid']}) | "
            f"{rep(i, 'first')}/{rep(i, 'followup')}/{rep(i, 'final')}"
        )
    if "run_dir" in s:
        lines.append(f"{t['run']}: {s['run_dir']}")
    return "\n".join(lines)


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


def replication_seed(seed: int, k: int) -> int:
    """Seed of the ``k``-th baseline replication of a drill simulated with ``seed``."""
    import numpy as np

    return int(np.random.SeedSequence([seed, k]).generate_state(1)[0])


@click.command()
@click.option("--seed", type=click.IntRange(min=0), default=4, show_default=True,
              help="Random seed of the scenario and of the simulated drill.")
@click.option("-o", "--output", "out", type=click.Path(file_okay=False, path_type=Path),
              default=Path("demo-out"), show_default=True,
              help="Directory for the sealed scenario, the run and the reports.")
@click.option("--replications", type=click.IntRange(min=0, max=500), default=20,
              show_default=True, help="Simulated replications for the baseline comparison.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of text.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of the printed summary and the reports.")
def demo(seed: int, out: Path, replications: int, as_json: bool, lang: str) -> None:
    """Play a whole six-no drill on the built-in seed city: generate, seal, simulate, score, report.

    在内置示范市上完整演示一次"六不"盲演:生成并封存情景、模拟演练、评估、写出评估报告。
    """
    from engine.eventlog import write_jsonl
    from engine.params import load_params
    from engine.simulation import simulate
    from scenarios.catalogue import load_catalogue
    from scenarios.generator import generate
    from scenarios.plan import load_plan
    from scenarios.sealing import seal, write_sealed
    from scenarios.seed_city import default_region
    from ui.commands.simulate import run_and_save
    from ui.reports import write_both
    from ui.reports.content import build_report

    t = _STEPS[lang]
    say = (lambda _msg: None) if as_json else (lambda msg: click.echo(msg, err=True))
    region = default_region()
    catalogue = load_catalogue()
    out.mkdir(parents=True, exist_ok=True)

    say(f"[1/5] {t['gen']} …")
    scenario = generate(region, catalogue, load_plan(DEMO_PLAN), seed)
    sealed = seal(scenario)
    sealed_path = out / "sealed.json"
    write_sealed(sealed, sealed_path)
    say(f"      {t['commit']}: {sealed.commitment}")

    say(f"[2/5] {t['sim']} …")
    run_dir = out / "run"
    params = load_params()
    log = run_and_save(region, scenario, params, seed, run_dir,
                       {"region": None, "scenario": sealed_path, "params": None},
                       ["blinddrill", "demo", "--seed", str(seed)], overwrite=True)

    say(f"[3/5] {t['base']} × {replications} …")
    base_dir = run_dir / "baseline"
    for k in range(1, replications + 1):
        rep = simulate(region, scenario, seed=replication_seed(seed, k), params=params)
        write_jsonl(rep.records, base_dir / f"rep-{k:03d}" / "events.jsonl")

    say(f"[4/5] {t['score']} …")  # the report scores the drill and its baseline once
    content = build_report(run_dir, lang, region=region)
    card, baseline = content.card, content.baseline

    say(f"[5/5] {t['report']} …")
    reports = write_both(content, out / "reports")

    names = {c.id: (c.name_zh if lang == "zh" else c.name_en) for c in catalogue.categories}
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
