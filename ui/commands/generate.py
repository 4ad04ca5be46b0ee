"""``blinddrill generate``: draw and seal a six-no scenario (``verify`` is in ``verify.py``).

``generate`` prints only what an organiser may announce: the commitment, the output file, the
start window, the novelty reached, coverage counts and (with ``--difficulty``) the predicted
compliance band - never the categories, sites, grades, units or the drawn start.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from ui.errors import UserError

_FILE = click.Path(path_type=Path, dir_okay=False)


def _parse_band(text: str | None) -> tuple[float, float] | None:
    if text is None:
        return None
    try:
        lo, hi = (float(x) for x in text.split("-"))
    except ValueError:
        raise UserError(f"--band: expected LOW-HIGH such as 0.4-0.6, got '{text}'") from None
    if not (0 <= lo <= hi <= 1):
        raise UserError(f"--band: need 0 <= LOW <= HIGH <= 1, got '{text}'")
    return lo, hi


@click.command()
@click.option("--region", "region_file", type=_FILE, help="Region YAML (default: the seed city).")
@click.option("--catalogue", "catalogue_file", type=_FILE,
              help="Hazard catalogue YAML (default: the shipped 12 categories).")
@click.option("--plan", "plan_file", type=_FILE, help="Drill plan YAML (default: shipped plan).")
@click.option("--history", "history_path", type=click.Path(path_type=Path),
              help="Past scenarios (file or directory) to stay away from (no rehearsal).")
@click.option("--record-history", "record", type=_FILE,
              help="Append the new sealed scenario to this history file (a JSON list).")
@click.option("--difficulty", type=click.Choice(["easy", "normal", "hard"]),
              help="Calibrate by simulation to the plan's band for this level.")
@click.option("--band", "band_text", metavar="LOW-HIGH",
              help="Explicit band of predicted 1-10-15 compliance, e.g. 0.4-0.6.")
@click.option("--params", "params_file", type=_FILE,
              help="Behaviour parameters for calibration (default: the shipped ones).")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Processes simulating calibration candidates (default: all cores).")
@click.option("--seed", type=int, default=None,
              help="Seed (default: 128 fresh random bits; a small seed lets anyone holding the "
                   "inputs re-create the scenario).")
@click.option("--lang", type=click.Choice(["zh", "en"]), help="Language of the injects.")
@click.option("-o", "--output", type=_FILE, required=True, help="Sealed scenario JSON to write.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def generate(region_file: Path | None, catalogue_file: Path | None, plan_file: Path | None,
             history_path: Path | None, record: Path | None, difficulty: str | None,
             band_text: str | None, params_file: Path | None, workers: int | None,
             seed: int | None, lang: str | None, output: Path, as_json: bool) -> None:
    """Generate a surprise scenario and write it SEALED; print only its commitment."""
    import numpy as np

    from scenarios.catalogue import load_catalogue, require_compatible
    from scenarios.fingerprint import region_stamp
    from scenarios.generator import generate as gen
    from scenarios.novelty import history_with, load_history
    from scenarios.outputs import atomic_write_many, check_output_file, refuse_input_overwrite
    from scenarios.plan import load_plan
    from scenarios.region import load_region
    from scenarios.sealing import seal
    from scenarios.seed_city import default_region

    band = _parse_band(band_text)
    if seed is not None and seed < 0:
        raise UserError("--seed: must be >= 0")
    inputs = [region_file, catalogue_file, plan_file, history_path, params_file]
    # check every output before any work: nothing is written unless all of it can be
    refuse_input_overwrite(output, inputs, option="-o")
    check_output_file(output)
    if record is not None:
        refuse_input_overwrite(record, [region_file, catalogue_file, plan_file],
                               option="--record-history")
        refuse_input_overwrite(record, [output], option="--record-history")
        check_output_file(record, create_parents=False)
    region = load_region(region_file) if region_file else default_region()
    catalogue = load_catalogue(catalogue_file)
    plan = load_plan(plan_file)
    require_compatible(catalogue, region,
                       f"{catalogue_file or 'the shipped catalogue'} (catalogue vs region "
                       f"{region_file or 'seed city'})")
    if lang:
        plan = plan.model_copy(update={"language": lang})
    history = load_history(history_path) if history_path else []
    if seed is None:
        seed = int(np.random.SeedSequence().entropy)  # type: ignore[arg-type]
    cal = None
    if difficulty or band:
        from engine.params import load_params
        from experiments.calibration import calibrator
        from experiments.executors import make_executor

        cal = calibrator(load_params(params_file), make_executor(workers))
    scenario = gen(region, catalogue, plan, seed, history=history,
                   difficulty=difficulty, band=band,  # type: ignore[arg-type]
                   source=str(plan_file or "the shipped plan"), calibrator=cal)
    scenario = scenario.model_copy(update={"meta": {**scenario.meta,
                                                    "region": region_stamp(region)}})
    sealed = seal(scenario)
    files: list[tuple[Path, bytes]] = []
    if record is not None:  # the history first: the sealed file is not written without it
        files.append((record, history_with(record, sealed.document)))
    files.append((output, sealed.to_bytes()))
    atomic_write_many(files)  # all temporary files on disk first, then renamed into place
    nov = scenario.meta["novelty"]
    out = {"commitment": sealed.commitment, "output": str(output),
           "window": scenario.meta["window"],
           "novelty": {k: nov[k] for k in ("value", "threshold", "reached", "history")}}
    if "difficulty" in scenario.meta:
        d = scenario.meta["difficulty"]
        out["difficulty"] = {"level": d["level"], "band": d["band"], "in_band": d["in_band"],
                             "predicted": d["predicted"]["mean"],
                             "ci95": d["predicted"]["ci95"]}
    # counts only: an uncovered unit's id or reason names where the drill is (a county's
    # unit) or what it is (a category); they stay in the sealed file, which the organiser holds
    cov = scenario.meta["coverage"]
    out["coverage"] = {"units": cov["units"], "covered": cov["covered"],
                       "uncovered": len(cov["uncovered"])}
    if as_json:
        click.echo(json.dumps(out, ensure_ascii=False))
        return
    click.echo(f"sealed scenario written to {output}")
    click.echo(f"commitment: {sealed.commitment}")
    click.echo(f"start window: {out['window']['start']} .. {out['window']['end']} "
               "(the start itself is secret)")
    flag = "" if nov["reached"] else "  WARNING: below the threshold"
    click.echo(f"novelty vs {nov['history']} past drill(s): {nov['value']:.3f} "
               f"(threshold {nov['threshold']}){flag}")
    click.echo(f"coverage: {cov['covered']}/{cov['units']} exercised units have an inject "
               "that needs them")
    if cov["uncovered"]:
        click.echo(f"  {len(cov['uncovered'])} unit(s) not covered: which and why are in the "
                   "sealed file (meta.coverage; it reveals the scenario)")
    if "difficulty" in out:
        d = out["difficulty"]
        tag = "in band" if d["in_band"] else "NOT in band (nearest candidate kept)"
        click.echo(f"predicted 1-10-15 compliance: {d['predicted']:.2f} "
                   f"(95% CI {d['ci95'][0]:.2f}-{d['ci95'][1]:.2f}); band "
                   f"{d['band'][0]:.2f}-{d['band'][1]:.2f}: {tag}")
    click.echo("publish the commitment now; after the drill run `blinddrill verify` on the file.")
