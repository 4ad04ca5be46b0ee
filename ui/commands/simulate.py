"""``blinddrill simulate``: play a scenario with the simpy engine and write a run directory.

RUN_DIR/events.jsonl is the event log; RUN_DIR/inputs/ holds a copy of every input (region,
scenario, behaviour parameters) and run.json (seed, package version, command), so the run can
be reproduced and scored later.
"""

from __future__ import annotations

import json
import shutil
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from engine.eventlog import EventLog
    from engine.params import BehaviourParams
    from scenarios.region import Region
    from scenarios.schema import Scenario


def load_scenario_file(path: Path) -> Scenario:
    """Load a scenario file: a plain scenario YAML/JSON or a sealed file (verified first)."""
    from scenarios.sealing import load_scenario_file as load

    return load(path)


def _is_sealed(path: Path) -> bool:
    from scenarios.loading import read_yaml
    from scenarios.sealing import is_sealed_document

    return bool(is_sealed_document(read_yaml(path)))


def package_version() -> str:
    """The installed blinddrill version (or 'unknown')."""
    try:
        return version("blinddrill")
    except PackageNotFoundError:  # pragma: no cover
        return "unknown"


def run_and_save(
    region: Region,
    scenario: Scenario,
    params: BehaviourParams,
    seed: int,
    out: Path,
    sources: dict[str, Path | None],
    command: list[str],
    overwrite: bool = False,
) -> EventLog:
    """Simulate and write RUN_DIR (events.jsonl + inputs/). ``sources`` maps input names
    (region/scenario/params) to the files given, ``None`` for built-ins (dumped as YAML).

    A directory that already holds a drill log is never overwritten silently (it may be a live
    drill's record): ``overwrite=True`` replaces that run (its log, inputs and baseline)."""
    from engine.simulation import simulate
    from scenarios.fingerprint import check_scenario_region, region_digest
    from scenarios.loading import InputError
    from scenarios.outputs import check_output_dir, refuse_input_overwrite, staged_dir
    from scenarios.region import ReferenceProblems
    from ui.errors import UserError

    check_output_dir(out)
    for src in sources.values():
        refuse_input_overwrite(out, [src], option="-o")
    if (out / "events.jsonl").exists() and not overwrite:
        raise UserError(f"{out}: already holds a drill log (events.jsonl); choose another "
                        "directory, or pass --force to replace that run")
    check_scenario_region(scenario, region, str(sources.get("scenario") or scenario.id),
                          str(sources.get("region") or "the built-in seed city"))
    try:
        log = simulate(region, scenario, seed=seed, params=params)
    except ReferenceProblems as exc:
        src = sources.get("scenario")
        raise InputError(str(src) if src else scenario.id, exc.problems) from None
    # the whole run is built beside RUN_DIR and swapped in at the end: a failure leaves the
    # old run (or nothing) exactly as it was; a stale baseline of the old run is dropped
    with staged_dir(out, discard=("events.jsonl", "inputs", "baseline")) as new:
        inputs = new / "inputs"
        inputs.mkdir(parents=True, exist_ok=True)
        dumps = {"region": region.to_yaml, "scenario": scenario.to_yaml,
                 "params": params.to_yaml}
        for name, dump in dumps.items():
            src = sources.get(name)
            dst = inputs / f"{name}.yaml"
            if name == "scenario" and src is not None and _is_sealed(src):
                dst = inputs / "sealed.json"  # the sealed file itself: it verifies on reading
            if src is not None:
                shutil.copyfile(src, dst)
            else:
                dst.write_text(dump(), encoding="utf-8")
        run = {"seed": seed, "version": package_version(), "command": command,
               "scenario": scenario.id, "region": region.name,
               "commitment": _commitment(sources.get("scenario")),
               "region_digest": region_digest(region),
               "inputs": {k: (str(v) if v else "built-in") for k, v in sources.items()}}
        (inputs / "run.json").write_text(json.dumps(run, ensure_ascii=False, indent=2) + "\n",
                                         encoding="utf-8")
        log.write_jsonl(new / "events.jsonl")
    return log


def _commitment(src: Path | None) -> str | None:
    """The commitment of a sealed scenario file (None for a plain scenario or a built-in)."""
    if src is None or not _is_sealed(src):
        return None
    from scenarios.sealing import read_sealed

    return read_sealed(src).commitment


@click.command()
@click.argument("scenario_file", metavar="SCENARIO.yaml",
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("--region", "region_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Region file (default: the built-in seed city).")
@click.option("--params", "params_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Behaviour-parameter file (default: engine/data/behaviour.yaml).")
@click.option("--seed", type=click.IntRange(min=0, max=2**64 - 1), required=True,
              help="Random seed (0 .. 2^64-1).")
@click.option("-o", "--output", "out", type=click.Path(file_okay=False, path_type=Path),
              required=True, help="Run directory to write.")
@click.option("--force", is_flag=True,
              help="Replace the run already in RUN_DIR (its log, inputs and baseline).")
@click.option("--json", "as_json", is_flag=True, help="Print the run summary as JSON.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of the printed summary.")
def simulate(scenario_file: Path, region_file: Path | None, params_file: Path | None, seed: int,
             out: Path, force: bool, as_json: bool, lang: str) -> None:
    """Simulate SCENARIO.yaml and write RUN_DIR/events.jsonl and RUN_DIR/inputs/.

    模拟一次演练：写出事件日志和全部输入的副本，便于复现和评估。
    """
    import sys

    from engine.params import load_params
    from scenarios.region import load_region
    from ui.commands.demo import format_summary, summarise

    scenario = load_scenario_file(scenario_file)
    if region_file is not None:
        region = load_region(region_file)
    else:
        from scenarios.seed_city import default_region

        region = default_region()
    params = load_params(params_file)
    sources: dict[str, Path | None] = {"region": region_file, "scenario": scenario_file,
                                       "params": params_file}
    log = run_and_save(region, scenario, params, seed, out, sources,
                       ["blinddrill", *sys.argv[1:]], overwrite=force)
    summary: dict[str, Any] = summarise(log.records, region)
    summary["run_dir"] = str(out)
    if as_json:
        click.echo(json.dumps(summary, ensure_ascii=False))
    else:
        click.echo(format_summary(summary, lang))
