"""``blinddrill region``: write the built-in seed city, or validate and summarise a region file."""

from __future__ import annotations

import json
from pathlib import Path

import click


@click.group()
def region() -> None:
    """Regions (the world model): write the built-in one, check your own."""


@region.command("default")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="YAML file to write.")
@click.option("--seed", type=click.IntRange(min=0, max=2**64 - 1), default=None,
              help="Generate a different seed city (default: the built-in seed 2024).")
def default_cmd(output: Path, seed: int | None) -> None:
    """Write the built-in "seed city" region (1 city, 10 counties, 223 townships …) as YAML."""
    from scenarios.outputs import atomic_write, check_output_file
    from scenarios.seed_city import DEFAULT_SEED, build_seed_city, default_region

    check_output_file(output)
    r = default_region() if seed is None or seed == DEFAULT_SEED else build_seed_city(seed)
    atomic_write(output, r.to_yaml())
    c = r.counts()
    click.echo(f"wrote {output}: {c['counties']} counties, {c['townships']} townships, "
               f"{c['villages']} villages, {c['units']} units, {sum(c['depots'].values())} depots")


@region.command("show")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object of counts.")
def show_cmd(file: Path, as_json: bool) -> None:
    """Validate a region FILE and print its counts per kind."""
    from scenarios.region import load_region

    r = load_region(file)
    c = r.counts()
    warnings = r.warnings()
    if as_json:
        click.echo(json.dumps({**c, "warnings": warnings}, ensure_ascii=False, sort_keys=False))
        return
    click.echo(f"{c['name']}: valid")
    for w in warnings:
        click.echo(f"  warning: {w}", err=True)
    click.echo(f"  jurisdictions: {c['cities']} city, {c['counties']} counties/districts, "
               f"{c['townships']} townships/streets, {c['villages']} villages/communities")
    kinds = ", ".join(f"{k} {v}" for k, v in c["units_by_kind"].items())
    click.echo(f"  units: {c['units']} ({kinds})")
    click.echo(f"  township stations: at least {c['township_station_min_headcount']} people each")
    click.echo("  depots: " + ", ".join(f"{k} {v}" for k, v in c["depots"].items()))
    click.echo(f"  command posts: {c['command_posts']}; integrated emergency service centres: "
               f"{c['service_centres']}")
    click.echo("  hazard sites: " + ", ".join(f"{k} {v}" for k, v in c["hazard_sites"].items()))
    click.echo(f"  experts: {c['experts']}; disaster information officers: {c['info_officers']} ("
               + ", ".join(f"{k} {v}" for k, v in c["info_officers_by_level"].items()) + ")")
