"""``blinddrill generate`` prints nothing that tells where or what the sealed drill is.

An uncovered unit's id names its county (``U-K03-FLOOD1``), and the drill's incidents are in
that county; generate prints how many units are uncovered, never which or why.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from scenarios.sealing import read_sealed
from scenarios.seed_city import default_region
from ui.cli import cli

SEED_WITH_AN_UNCOVERED_UNIT = "2"  # the seed city, default plan: one unit cannot be covered


def _secrets(sealed: Path) -> set[str]:
    """Strings of the sealed scenario that would give away its place or content."""
    scenario = read_sealed(sealed).scenario
    region = default_region()
    meta = scenario.meta
    out = set(meta["exercised_units"]) | set(meta["area"])
    out |= {u["unit"] for u in meta["coverage"]["uncovered"]}
    out |= {u["reason"] for u in meta["coverage"]["uncovered"]}
    for spec in scenario.incidents:
        out |= {spec.category, spec.location.township}
        county = region.ancestor(spec.location.township, "county")
        if county is not None:
            out |= {county.id, county.name}
        out.add(region.jurisdiction_by_id[spec.location.township].name)
    return out


@pytest.mark.parametrize("as_json", [False, True])
def test_generate_prints_coverage_counts_only(tmp_path: Path, as_json: bool) -> None:
    out = tmp_path / "s.json"
    args = ["generate", "--seed", SEED_WITH_AN_UNCOVERED_UNIT, "-o", str(out)]
    r = CliRunner().invoke(cli, [*args, "--json"] if as_json else args)
    assert r.exit_code == 0, r.output
    cov = read_sealed(out).scenario.meta["coverage"]
    assert len(cov["uncovered"]) == 1, "the seed no longer leaves a unit uncovered"
    printed = r.output.replace(str(out), "")
    leaked = sorted(s for s in _secrets(out) if s in printed)
    assert not leaked, f"generate printed {leaked}"
    if as_json:
        assert json.loads(r.output)["coverage"] == {"units": cov["units"],
                                                    "covered": cov["covered"], "uncovered": 1}
    else:
        assert f"{cov['covered']}/{cov['units']} exercised units" in printed
        assert "1 unit(s) not covered" in printed
