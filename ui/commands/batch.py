"""``blinddrill batch``: Monte Carlo replications of one scenario on a process pool or Dask.

Writes BATCH_DIR/summary.json (per clock and metric: mean, 95 % CI, percentiles, probability of
meeting each limit, overall and per township), BATCH_DIR/replications.parquet and
townships.parquet (one row per replication), and BATCH_DIR/inputs/ (the run-directory inputs
layout). The work itself is :mod:`experiments.batch`; this module parses options and prints.
"""

from __future__ import annotations

import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from scenarios.limits import MAX_REPLICATIONS, MAX_SEED

if TYPE_CHECKING:
    from engine.params import BehaviourParams
    from experiments.executors import Executor
    from scenarios.region import Region
    from scenarios.schema import Scenario

_FILE = click.Path(dir_okay=False, path_type=Path)
EXIT_INTERRUPTED = 130

_T = {
    "zh": {"head": "蒙特卡洛批量模拟", "reps": "次重复", "of": "/", "interrupted": "已中断,保留已完成的重复",
           "clock": "时限", "pmeet": "达标概率", "comp": "每次演练达标率均值", "all": "全部达标的演练占比",
           "dur": "用时中位数/90%分位(分钟)", "worst": "达标概率最低的乡镇", "out": "输出目录",
           "bar": "模拟并评估", "secs": "秒",
           "none": "各次重复均未涉及(没有这类情形,不计达标率)"},
    "en": {"head": "Monte Carlo batch", "reps": "replications", "of": "/",
           "interrupted": "interrupted; finished replications kept", "clock": "clock",
           "pmeet": "P(meet limit)", "comp": "mean per-drill compliance",
           "all": "drills with every instance met", "dur": "median/p90 duration (min)",
           "worst": "townships least likely to meet it", "out": "output directory",
           "bar": "simulating and scoring", "secs": "s",
           "none": "not exercised in any replication (no such case; no compliance)"},
}


def executor_from_options(workers: int | None, scheduler: str | None) -> Executor:
    """``--workers`` / ``--scheduler`` → an executor (errors are user errors)."""
    from experiments.executors import make_executor
    from ui.errors import UserError

    if workers is not None and scheduler is not None:
        raise UserError("--workers and --scheduler exclude each other (Dask decides the workers)")
    try:
        return make_executor(workers, scheduler)
    except ValueError as exc:  # an address Dask cannot parse ("missing port number")
        raise UserError(f"--scheduler {scheduler}: not an address like tcp://HOST:PORT "
                        f"({exc})") from None
    except (OSError, RuntimeError, TimeoutError) as exc:
        raise UserError(f"--scheduler {scheduler}: cannot connect ({exc})") from None


def check_out(out: Path, force: bool) -> None:
    """Refuse, before anything is read or written, an output that is not a writable
    directory, or that holds a previous batch without ``--force``."""
    from scenarios.outputs import check_output_dir
    from ui.errors import UserError

    check_output_dir(out)
    if (out / "summary.json").exists() and not force:
        raise UserError(f"{out}: already holds a batch (summary.json); choose another "
                        "directory, or pass --force to replace it")


def prepare_out(out: Path, force: bool, executor: Executor | None = None) -> None:
    """Clear a previous batch (``--force``) and make the directory - only once every input
    was read and checked, so a refused input leaves the old results as they were. On a
    failure here ``executor`` is closed."""
    try:
        check_out(out, force)
        _clear(out)
    except BaseException:
        close = getattr(executor, "close", None)
        if close is not None:
            close()
        raise


def _clear(out: Path) -> None:
    import shutil

    if (out / "summary.json").exists():
        for name in ("summary.json", "replications.parquet", "townships.parquet"):
            (out / name).unlink(missing_ok=True)
        shutil.rmtree(out / "inputs", ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)


def render(doc: dict[str, Any], lang: str, out: Path,
           names: dict[str, str] | None = None) -> str:
    """Readable text of a batch summary (the first alternative); ``names`` maps township ids
    to their names."""
    t = _T[lang]
    names = names or {}
    alt = doc["alternatives"][0]
    lines = [f"{t['head']}: {doc['replications']}{t['of']}{doc['requested']} {t['reps']}, "
             f"{doc['seconds']:.1f} {t['secs']} ({doc['executor']})"]
    if doc["interrupted"]:
        lines.append(f"  ({t['interrupted']})")
    for c in alt["clocks"].values():
        cname = c["name_zh"] if lang == "zh" else c["name_en"]
        if not c["instances"]:  # e.g. a grade-I report limit in a drill of grade-IV incidents
            lines.append(f"  {cname}: {t['none']}")
            continue
        comp = c["compliance"]
        ci = comp["ci95"]
        ci_s = f" [{ci[0]:.2f}, {ci[1]:.2f}]" if ci else ""
        d = c["duration_min"]
        p50 = "—" if d["p50"] is None else f"{d['p50']:.1f}"
        p90 = "—" if d["p90"] is None else f"{d['p90']:.1f}"
        pm = "—" if c["p_meet"] is None else f"{c['p_meet']:.2f}"
        pa = "—" if c["p_all_met"] is None else f"{c['p_all_met']:.2f}"
        mean = "—" if comp["mean"] is None else f"{comp['mean']:.2f}"
        lines.append(f"  {cname}: {t['pmeet']} {pm}; "
                     f"{t['comp']} {mean}{ci_s}; {t['all']} {pa}; {t['dur']} {p50}/{p90}")
        towns = sorted(((v["p_meet"], k) for k, v in c["by_township"].items()
                        if v["p_meet"] is not None))[:3]
        if towns and len(c["by_township"]) > 1:
            lines.append(f"    {t['worst']}: "
                         + ", ".join(f"{names.get(k, k)} {p:.2f}" for p, k in towns))
    lines.append(f"{t['out']}: {out}")
    return "\n".join(lines)


class ProgressBar:
    """A click progress bar with an ETA on stderr, fed by the batch's progress callback."""

    def __init__(self, total: int, label: str, enabled: bool) -> None:
        self._bar: Any = None
        self._last = 0
        if enabled:
            self._bar = click.progressbar(length=total, label=label, show_eta=True,
                                          show_percent=True, show_pos=True, file=sys.stderr)
            self._bar.__enter__()

    def __call__(self, done: int, total: int) -> None:
        if self._bar is not None:
            self._bar.update(done - self._last)
            self._last = done

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None


def common_options(f: Any) -> Any:
    """Options shared by ``batch`` and ``whatif``."""
    opts = [
        click.argument("scenario_file", metavar="SCENARIO|SEALED", type=_FILE),
        click.option("-n", "--replications", "n",
                     type=click.IntRange(min=1, max=MAX_REPLICATIONS), required=True,
                     help="Number of replications."),
        click.option("--region", "region_file", type=_FILE,
                     help="Region file (default: the built-in seed city)."),
        click.option("--params", "params_file", type=_FILE,
                     help="Behaviour parameters (default: the shipped ones)."),
        click.option("--catalogue", "catalogue_file", type=_FILE,
                     help="Hazard catalogue the scenario was drawn from (default: the "
                          "shipped one); its incident categories must be in it."),
        click.option("--rules", "rules", multiple=True, metavar="PACK",
                     help="Rule pack file or shipped id (repeatable; default packs otherwise)."),
        click.option("--workers", type=click.IntRange(min=1), default=None,
                     help="Local worker processes (default: all cores; 1: in this process)."),
        click.option("--scheduler", metavar="tcp://HOST:PORT", default=None,
                     help="Run on this Dask scheduler instead (pip install 'blinddrill[cluster]')."),
        click.option("--seed", type=click.IntRange(min=0, max=MAX_SEED), default=0,
                     show_default=True,
                     help="Root seed; replication i uses SeedSequence(seed).spawn(n)[i]."),
        click.option("-o", "--output", "out", type=click.Path(file_okay=False, path_type=Path),
                     required=True, help="Directory to write."),
        click.option("--force", is_flag=True, help="Replace the results already in it."),
        click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON."),
        click.option("--lang", type=click.Choice(["zh", "en"]), default="zh",
                     show_default=True, help="Language of the printed summary."),
    ]
    for o in reversed(opts):
        f = o(f)
    return f


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def interruptible() -> dict[int, Any]:
    """Make Ctrl-C (SIGINT, even if inherited as ignored) and SIGTERM stop the batch the same
    way — workers stopped, finished replications kept; return the previous handlers."""
    old: dict[int, Any] = {}
    for sig in (signal.SIGINT, signal.SIGTERM):
        old[sig] = signal.getsignal(sig)
        signal.signal(sig, _interrupt)
    return old


def execute(spec: Any, n: int, seed: int, executor: Executor, out: Path, as_json: bool,
            lang: str, inputs: tuple[Path, Region, Scenario, BehaviourParams, Path | None,
                                     Path | None, bool]) -> tuple[dict[str, Any], bool]:
    """Run the batch with a progress bar, write summary.json and inputs/; (doc, interrupted)."""
    import orjson

    from engine.rundir import Sources, package_version, write_inputs
    from experiments.batch import run_batch
    from scenarios.outputs import atomic_write

    scenario_file, region, scenario, params, region_file, params_file, sealed = inputs
    write_inputs(out, region, scenario, params,
                 Sources(region=region_file, scenario=scenario_file, params=params_file,
                         sealed=sealed),
                 {"seed": seed, "version": package_version(),
                  "command": ["blinddrill", *sys.argv[1:]], "scenario": scenario.id,
                  "region": region.name, "replications": n})
    bar = ProgressBar(n, _T[lang]["bar"], enabled=not as_json)
    old = interruptible()
    try:
        result = run_batch(spec, n, seed, executor=executor, out=out, progress=bar)
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)
        bar.close()
        close = getattr(executor, "close", None)
        if close is not None:
            close()
    doc = result.document(seed)
    atomic_write(out / "summary.json", orjson.dumps(doc, option=orjson.OPT_INDENT_2))
    return doc, result.interrupted


@click.command()
@common_options
def batch(scenario_file: Path, n: int, region_file: Path | None, params_file: Path | None,
          catalogue_file: Path | None, rules: tuple[str, ...], workers: int | None, scheduler: str | None, seed: int,
          out: Path, force: bool, as_json: bool, lang: str) -> None:
    """Replicate SCENARIO N times on a process pool or a Dask cluster; aggregate the scores.

    批量重复模拟同一情景并评估:各时限的达标概率、置信区间、分位数(总体及各乡镇)。
    """
    import orjson

    from evaluators.rules import load_packs
    from experiments.batch import Alternative, make_spec
    from ui.commands.inputs import load_inputs

    check_out(out, force)
    scenario, sealed, region, params = load_inputs(scenario_file, region_file, params_file,
                                                   catalogue_file)
    packs = load_packs(list(rules) or None)
    executor = executor_from_options(workers, scheduler)
    prepare_out(out, force, executor)
    spec = make_spec(scenario, [Alternative("base", region, params)], packs)
    doc, interrupted = execute(spec, n, seed, executor, out, as_json, lang,
                               (scenario_file, region, scenario, params, region_file,
                                params_file, sealed))
    if as_json:
        click.echo(orjson.dumps(doc).decode())
    else:
        from ui.charts.labels import place_name
        from ui.charts.names import Lang

        lg: Lang = "en" if lang == "en" else "zh"  # townships romanised in English
        click.echo(render(doc, lang, out, {j.id: place_name(region, j.id, lg)
                                           for j in region.jurisdictions}))
    if interrupted:
        click.get_current_context().exit(EXIT_INTERRUPTED)
