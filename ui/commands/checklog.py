"""``blinddrill checklog``: check an event log line by line; recover the intact part of a log
whose last line was cut off by a crash."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click

from ui.errors import UserError


@click.command()
@click.argument("log", type=click.Path(path_type=Path))
@click.option("--region", "region_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Region file to check unit/depot/post references against "
                   "(default: RUN_DIR/inputs/region.yaml when LOG is a run directory).")
@click.option("--scenario", "scenario_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Scenario or sealed file to check inject references against.")
@click.option("--expect", metavar="sha256:HEX",
              help="The log's published final hash (default: the one in RUN_DIR/inputs/run.json "
                   "when LOG is a run directory); seals the last record too.")
@click.option("--recover", "recover", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the intact lines of a log whose LAST line was cut off to this file.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def checklog(log: Path, region_file: Path | None, scenario_file: Path | None,
             expect: str | None, recover: Path | None, as_json: bool) -> None:
    """Check LOG (events.jsonl or a run directory): lines, order, seq, references and the hash
    chain - an edited, removed or moved record is named as such (检查日志)."""
    from engine.logchain import no_chain_warning
    from engine.logcheck import check_log, write_prefix
    from scenarios.region import load_region
    from scenarios.sealing import load_scenario_file

    path = log / "events.jsonl" if log.is_dir() else log
    if region_file is None and log.is_dir() and (log / "inputs" / "region.yaml").is_file():
        region_file = log / "inputs" / "region.yaml"
    region = load_region(region_file) if region_file else None
    scenario = load_scenario_file(scenario_file) if scenario_file else None
    if recover is not None:
        kept = write_prefix(path, recover)
        click.echo(f"{path}: the last line was cut off; wrote the {kept} intact event(s) to "
                   f"{recover} (the original is unchanged)")
        return
    anchor = expect.strip() if expect else _final_hash(log)
    if expect is not None and not re.fullmatch(r"sha256:[0-9a-f]{64}", anchor or ""):
        raise UserError(f"--expect: '{expect}' is not a log hash (sha256: and 64 hex digits, "
                        "as the scorecard's run.log_hash)")
    res = check_log(path, region=region, scenario=scenario, expect_final=anchor)
    if as_json:
        click.echo(json.dumps({"ok": res.ok, "events": len(res.records), "lines": res.lines,
                               "truncated": res.truncated, "final_hash": res.final_hash,
                               "chained": res.chained,
                               "anchored": anchor is not None, "problems": res.messages()},
                              ensure_ascii=False))
        if not res.ok:
            raise click.exceptions.Exit(2)
        return
    if res.ok:
        if not res.chained:  # only without a final hash (check_log refuses one otherwise)
            click.echo(no_chain_warning(str(path), len(res.records), res.schema))
            return
        # check_log compared the last line's hash with the anchor: an OK log matched it
        sealed = " (final hash matches)" if anchor else ""
        click.echo(f"OK {path}: {len(res.records)} events{sealed}")
        return
    raise UserError("\n".join(res.messages()))


def _final_hash(log: Path) -> str | None:
    """The final log hash a run directory's ``inputs/run.json`` records, if any."""
    run_file = log / "inputs" / "run.json"
    if not (log.is_dir() and run_file.is_file()):
        return None
    try:
        run = json.loads(run_file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UserError(f"{run_file}: not valid JSON ({exc})") from None
    got = (run.get("log") or {}).get("final_hash") if isinstance(run, dict) else None
    return got if isinstance(got, str) else None
