"""The bad-input corpus, run through the real CLI.

Every case must exit non-zero with a message naming the file and the field or line, with no
traceback and no partial output - or be listed in :data:`ACCEPTED` with the reason it is
legal. A case accepted without a listed reason fails ("silent acceptance"), and so does a
listed case that is now refused (the table must stay true).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from engine.params import DEFAULT_PARAMS, BehaviourParams
from evaluators.rubric import DEFAULT_RUBRIC, Rubric
from evaluators.rules import RulePack
from scenarios.catalogue import DEFAULT_CATALOGUE, HazardCatalogue
from scenarios.plan import DEFAULT_PLAN, DrillPlan
from scenarios.region import Region
from scenarios.schema import Scenario
from scenarios.templates import DEFAULT_TEMPLATES, TemplateSet
from tests.hardening.conftest import Ran, run
from tests.hardening.corpus import COUNTY, ROOT, Case, file_cases

PACK = ROOT / "evaluators" / "packs" / "city-1-10-15.yaml"
#: the county scenario and run are built once per session; argv builders get them lazily.
FILES: dict[str, Path] = {}

#: cases that are accepted, with the reason (case ids; ``*`` matches anything).
ACCEPTED: dict[str, str] = {
    "*:bom": "a UTF-8 byte-order mark before YAML is skipped by the YAML reader; the content "
             "is intact (Excel/WPS on Windows add one)",
    "plan:truncated": "a YAML file cut at a line boundary is a valid shorter document and the "
                      "plan's later keys have documented defaults (see docs/security.md: "
                      "files are protected by seals and run copies, not by parsing)",
    "region:truncated": "cut at a line boundary the county region is a smaller valid region "
                        "(county-only regions without a city are valid, issue #12); "
                        "`region show` lists exactly what it holds and a run copies it "
                        "into inputs/ with its hash (docs/security.md, threat model)",
    "rubric:truncated": "cut at a line boundary the rubric is a valid rubric with fewer "
                        "capabilities (see docs/security.md, threat model)",
    "*].lon:zero": "WGS-84 longitude 0 is in range; the region's extent is not declared",
    "*].lon:negative": "WGS-84 longitude -1 is in range (west of Greenwich)",
    "*].lat:zero": "WGS-84 latitude 0 is in range (the equator)",
    "*].lat:negative": "WGS-84 latitude -1 is in range (south of the equator)",
    "region:jurisdictions[0].population:zero": "an uninhabited area (industrial park, reserve)",
    "region:units[0].vehicles:zero": "a team without vehicles moves on foot or is carried",
    "catalogue:categories[0].cascades[0].p:zero": "a cascade with probability 0 is switched off",
    "catalogue:categories[0].cascades[0]:duplicated": "two entries are two independent "
                                                      "chances of the cascade",
    "catalogue:categories[0].requires[0]:duplicated": "two requirements of one capability are "
                                                      "two separate tasks",
    "scenario:injects[0].incident.requires[0]:duplicated": "two requirements of one capability "
                                                           "are two separate tasks",
    "scenario:injects[0].t:zero": "an inject at the very start of the drill",
    "rubric:capabilities[0]*.weight:huge": "weights are relative; only their ratio matters",
    "rubric:capabilities[0].items[0].best:negative": "best/worst are on the metric's own "
                                                     "scale (negative deltas, large counts)",
    "rubric:capabilities[0].items[0].best:huge": "best/worst are on the metric's own scale",
    "rubric:capabilities[0].items[0].worst:negative": "best/worst are on the metric's own scale",
    "rubric:capabilities[0].items[0].worst:huge": "best/worst are on the metric's own scale",
    "rubric:capabilities[0].items[0].worst:zero": "0 minutes or 0 % is a natural worst/best",
}


def _argv(kind: str) -> Callable[[Path, Path], list[str]]:
    def build(p: Path, d: Path) -> list[str]:
        out = d / "out.json"
        runs = {
            "region": ["region", "show", p],
            "catalogue": ["generate", "--catalogue", p, "--seed", 1, "-o", out],
            "plan": ["generate", "--plan", p, "--seed", 1, "-o", out],
            "params": ["simulate", FILES["scenario"], "--region", COUNTY, "--params", p,
                       "--seed", 1, "-o", d / "run"],
            "scenario": ["simulate", p, "--region", COUNTY, "--seed", 1, "-o", d / "run"],
            "pack": ["score", FILES["run"], "--rules", p, "--out", out],
            "rubric": ["score", FILES["run"], "--rubric", p, "--out", out],
            "templates": ["__load_templates__", p],
        }
        return [str(a) for a in runs[kind]]
    return build


def _cases() -> list[Case]:
    scen_src = ROOT / "tests" / "hardening" / "data" / "county_scenario.yaml"
    out: list[Case] = []
    out += file_cases("region", COUNTY, Region, _argv("region"))
    out += file_cases("catalogue", DEFAULT_CATALOGUE, HazardCatalogue, _argv("catalogue"))
    out += file_cases("templates", DEFAULT_TEMPLATES, TemplateSet, _argv("templates"))
    out += file_cases("plan", DEFAULT_PLAN, DrillPlan, _argv("plan"))
    out += file_cases("params", DEFAULT_PARAMS, BehaviourParams, _argv("params"))
    out += file_cases("pack", PACK, RulePack, _argv("pack"))
    out += file_cases("rubric", DEFAULT_RUBRIC, Rubric, _argv("rubric"))
    if scen_src.is_file():
        out += file_cases("scenario", scen_src, Scenario, _argv("scenario"))
    return out


CASES = _cases()


def accepted_reason(case_id: str) -> str | None:
    """The stated reason a case is accepted, if any."""
    for pattern, reason in ACCEPTED.items():
        if re.fullmatch(re.escape(pattern).replace(r"\*", ".*"), case_id):
            return reason
    return None


def run_case(argv: list[str]) -> Ran:
    """Run a case's command line (the template loader has no command of its own)."""
    if argv[0] == "__load_templates__":
        import contextlib
        import io

        from scenarios.loading import InputError
        from scenarios.templates import load_templates

        err = io.StringIO()
        try:
            with contextlib.redirect_stderr(err):
                load_templates(argv[1])
        except InputError as exc:
            return Ran(2, "", f"Error: {exc}", None)
        except BaseException as exc:  # noqa: BLE001
            return Ran(-1, "", "", exc)
        return Ran(0, "", "", None)
    return run(argv)


@pytest.fixture(autouse=True)
def _files(county_files: dict[str, Path]) -> None:
    FILES.update(county_files)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(case: Case, tmp_path: Path) -> None:
    path = case.write(tmp_path)
    argv = case.argv(path, tmp_path)
    r = run_case(argv)
    assert r.crash is None, f"{case.id}: traceback: {type(r.crash).__name__}: {r.crash}"
    reason = accepted_reason(case.id)
    if r.code == 0:
        assert reason is not None, f"{case.id}: accepted silently:\n{r.out[-500:]}"
        return
    msg = r.err
    assert reason is None, f"{case.id}: listed as accepted ({reason}) but refused:\n{msg}"
    assert r.code == 2, f"{case.id}: exit {r.code}\n{msg}"
    assert "Traceback" not in msg
    assert str(path) in msg or path.name in msg, f"{case.id}: the file is not named:\n{msg}"
    for want in case.expect:
        assert want.lower() in msg.lower(), f"{case.id}: '{want}' not in the message:\n{msg}"
    for o in case.outputs(tmp_path):
        assert not o.exists(), f"{case.id}: partial output {o} left behind"
