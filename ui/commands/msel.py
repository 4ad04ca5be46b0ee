"""``blinddrill msel``: print the MSEL of a sealed scenario to xlsx/csv, or import an edited one.

Organiser only: the MSEL reveals the whole scenario.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from ui.errors import UserError

_FILE = click.Path(path_type=Path, dir_okay=False)


@click.command()
@click.argument("sealed_file", metavar="SEALED", type=_FILE, required=False)
@click.option("-o", "--output", type=_FILE, required=True,
              help="msel.xlsx / msel.csv to write (export), or the re-sealed JSON (import).")
@click.option("--import", "import_file", type=_FILE,
              help="An edited MSEL workbook (.xlsx) to turn back into a sealed scenario.")
@click.option("--catalogue", "catalogue_file", type=_FILE,
              help="With --import: the hazard catalogue the scenario was drawn from (default: "
                   "the shipped one); its incident categories must be in it.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Header language.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def msel(sealed_file: Path | None, output: Path, import_file: Path | None,
         catalogue_file: Path | None, lang: str, as_json: bool) -> None:
    """Export SEALED's MSEL (organiser only: it reveals the scenario) or import an edited one."""
    from scenarios.catalogue import load_catalogue, require_known_categories
    from scenarios.msel import import_xlsx, write_csv, write_xlsx
    from scenarios.outputs import atomic_write, check_output_file, refuse_input_overwrite
    from scenarios.sealing import commitment_of, read_sealed, scenario_data, seal

    refuse_input_overwrite(output, [sealed_file, import_file, catalogue_file], option="-o")
    check_output_file(output)

    if import_file is not None:
        if sealed_file is not None:
            raise UserError("give either SEALED (export) or --import FILE, not both")
        if import_file.suffix.lower() != ".xlsx":
            kind = {".csv": "a CSV sheet has no hidden scenario sheet",
                    ".json": "that looks like the sealed file itself; export its MSEL with "
                             "blinddrill msel SEALED -o msel.xlsx"}.get(
                import_file.suffix.lower(), f"not a {import_file.suffix or 'suffix-less'} file")
            raise UserError(f"--import: only .xlsx workbooks written by `blinddrill msel` can be "
                            f"imported ({kind})")
        scenario, doc = import_xlsx(import_file)
        require_known_categories(load_catalogue(catalogue_file), scenario,
                                 f"{import_file}: sheet scenario")
        same = commitment_of(doc["salt"], scenario_data(scenario)) == doc["commitment"]
        import hashlib

        from scenarios.sealing import canonical

        salt = doc["salt"] if same else hashlib.sha256(
            (doc["salt"] + ":").encode() + canonical(scenario_data(scenario))).hexdigest()[:32]
        sealed = seal(scenario, salt)
        atomic_write(output, sealed.to_bytes())
        out = {"commitment": sealed.commitment, "output": str(output), "changed": not same,
               "previous": doc["commitment"], "injects": len(scenario.injects)}
        if as_json:
            click.echo(json.dumps(out, ensure_ascii=False))
        else:
            state = "edited, re-sealed" if not same else "unchanged (same commitment)"
            click.echo(f"{import_file}: {state}; wrote {output}\ncommitment: {sealed.commitment}")
        return
    if sealed_file is None:
        raise UserError("missing SEALED (or use --import FILE)")
    sealed = read_sealed(sealed_file)
    suffix = output.suffix.lower()
    if suffix == ".xlsx":
        write_xlsx(sealed.scenario, sealed.document, output, lang)
    elif suffix == ".csv":
        write_csv(sealed.scenario, output, lang)
    else:
        raise UserError(f"-o: '{output}' must end in .xlsx or .csv")
    if as_json:
        click.echo(json.dumps({"output": str(output), "injects": len(sealed.scenario.injects),
                               "commitment": sealed.commitment}))
    else:
        click.echo(f"wrote {output}: {len(sealed.scenario.injects)} injects "
                   "(organiser only: this file reveals the scenario)")
