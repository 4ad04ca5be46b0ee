"""``blinddrill verify``: check a sealed scenario, a run directory's log, or a stored drill.

* ``verify SEALED [--expect sha256:…]`` — re-compute a sealed scenario's commitment;
* ``verify RUN_DIR [--expect sha256:…]`` — check ``events.jsonl``'s hash chain (and the final
  hash against ``--expect``, e.g. the scorecard's ``run.log_hash``, else the one in
  ``inputs/run.json`` when the run has one), the sealed scenario in ``inputs/`` if present, and
  that the log's ``drill_started`` names that scenario's commitment;
* ``verify --db FILE --drill ID`` — check a drill in the live store.

A break names the record that was edited, removed or reordered. A ``blinddrill.events/1``
log has no hash chain: with no final hash to hold it to (no ``--expect``, none in
``inputs/run.json``) it is reported with a warning that it is not verified (exit 0); with a
final hash it fails, since a sealed log had a chain. Exit 2 on any mismatch.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from ui.errors import UserError


def _fail(what: str, problems: list[str]) -> None:
    raise UserError(f"{what}: NOT verified\n  " + "\n  ".join(problems))


@click.command()
@click.argument("target", metavar="SEALED|RUN_DIR", required=False,
                type=click.Path(path_type=Path))
@click.option("--expect", metavar="sha256:HEX",
              help="A sealed file's published commitment, or a run's final log hash.")
@click.option("--db", "db", type=click.Path(path_type=Path, dir_okay=False),
              help="A live drill store (with --drill).")
@click.option("--drill", help="The drill id in --db.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def verify(target: Path | None, expect: str | None, db: Path | None, drill: str | None,
           as_json: bool) -> None:
    """Verify a sealed scenario, a run directory's hash-chained log, or a stored drill."""
    if db is not None or drill is not None:
        if db is None or drill is None or target is not None:
            raise UserError("--db FILE and --drill ID go together (and without a TARGET)")
        _verify_db(db, drill, as_json)
    elif target is None:
        raise UserError("give a sealed file, a run directory, or --db FILE --drill ID")
    elif target.is_dir():
        _verify_run(target, expect, as_json)
    else:
        _verify_sealed(target, expect, as_json)


def _verify_sealed(sealed_file: Path, expect: str | None, as_json: bool) -> None:
    from scenarios.sealing import read_sealed

    sealed = read_sealed(sealed_file)  # raises InputError (exit 2) on any tampering
    if expect is not None and expect.strip() != sealed.commitment:
        raise UserError(f"{sealed_file}: commitment {sealed.commitment} is NOT the published "
                        f"{expect.strip()}")
    if as_json:
        click.echo(json.dumps({"ok": True, "commitment": sealed.commitment,
                               "scenario": sealed.scenario.id}))
        return
    click.echo(f"OK {sealed_file}: commitment {sealed.commitment} verified"
               + (" and matches the published one" if expect else ""))


def _verify_run(run_dir: Path, expect: str | None, as_json: bool) -> None:
    import orjson

    from engine.eventlog import read_lines, verify_lines
    from engine.logchain import no_chain_warning
    from scenarios.sealing import read_sealed

    log = run_dir / "events.jsonl"
    if not log.is_file():
        raise UserError(f"{run_dir}: no events.jsonl here (is this a run directory?)")
    run_file = run_dir / "inputs" / "run.json"
    run: dict[str, Any] = {}
    if run_file.is_file():
        try:
            run = json.loads(run_file.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise UserError(f"{run_file}: not valid JSON ({exc.msg})") from None
    anchor = expect.strip() if expect else (run.get("log") or {}).get("final_hash")
    lines = read_lines(log)
    rep = verify_lines(lines, str(log), anchor)
    problems = list(rep.problems)
    out: dict[str, Any] = {"ok": False, "log": str(log), "records": rep.records,
                           "schema": rep.schema, "chained": rep.chained,
                           "final_hash": rep.final_hash, "anchored": anchor is not None}
    sealed_file = run_dir / "inputs" / "sealed.json"
    if sealed_file.is_file():
        sealed = read_sealed(sealed_file)  # InputError (exit 2) if it was changed
        out["commitment"] = sealed.commitment
        first = orjson.loads(lines[0]) if lines else {}
        said = (first.get("data") or {}).get("commitment") if first.get(
            "kind") == "drill_started" else None
        if said is not None and said != sealed.commitment:
            problems.append(f"drill_started names commitment {said}, inputs/sealed.json is "
                            f"{sealed.commitment}")
    if problems:
        _fail(str(run_dir), problems)
    out["ok"] = True
    if not rep.chained:
        out["warning"] = "no hash chain: the log is in order but NOT verified"
    if as_json:
        click.echo(json.dumps(out))
        return
    if not rep.chained:  # only with no final hash anywhere (verify_lines refuses one)
        click.echo(no_chain_warning(str(log), rep.records, rep.schema))
        return
    how = ("and its final hash matches " + ("--expect" if expect else "inputs/run.json")
           if anchor else "(no final hash to check the last record against: pass --expect)")
    click.echo(f"OK {log}: {rep.records} records, hash chain verified {how}; final hash "
               f"{rep.final_hash}" + (f"; sealed scenario {out['commitment']} verified"
                                      if "commitment" in out else ""))


def _verify_db(db: Path, drill: str, as_json: bool) -> None:
    from live.events import verify_drill
    from live.store import Store, StoreError

    try:
        store = Store(db, create=False)
    except StoreError as exc:
        raise UserError(str(exc)) from None
    try:
        rep = verify_drill(store.conn(), drill)
    except KeyError:
        raise UserError(f"{db}: no drill '{drill}'") from None
    finally:
        store.close()
    if rep.problems:
        _fail(f"{db} drill {drill}", rep.problems)
    if as_json:
        click.echo(json.dumps({"ok": True, "db": str(db), "drill": drill,
                               "records": rep.records, "final_hash": rep.final_hash}))
        return
    click.echo(f"OK {db} drill {drill}: {rep.records} records, hash chain verified; final "
               f"hash {rep.final_hash}")
