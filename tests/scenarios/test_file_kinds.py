"""An input of the wrong kind (a plan where a scenario belongs, a rubric given as a rule pack, an
event log given as a document, a newer format version) is refused with one line naming what the
file is and where it goes, not with every field the expected model misses."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest

from engine.eventschema import EVENT_LOG_SCHEMA
from engine.params import DEFAULT_PARAMS, BehaviourParams, load_params
from evaluators.improvement import ActionTable, load_actions
from evaluators.rubric import DEFAULT_RUBRIC, Rubric, load_rubric
from evaluators.rules import PACK_DIR, RulePack, load_pack
from evaluators.scorecard import SCORECARD_SCHEMA, Scorecard
from experiments.aggregate import BATCH_SCHEMA
from scenarios.catalogue import DEFAULT_CATALOGUE, HazardCatalogue, load_catalogue
from scenarios.filekinds import KINDS, expected_schemas, wrong_kind
from scenarios.loading import InputError
from scenarios.plan import DEFAULT_PLAN, DrillPlan, load_plan
from scenarios.region import Region, load_region
from scenarios.schema import Scenario
from scenarios.sealing import SEALED_SCHEMA, load_scenario_file
from scenarios.templates import DEFAULT_TEMPLATES, TemplateSet, load_templates

ROOT = Path(__file__).resolve().parents[2]
REGION = ROOT / "scenarios" / "regions" / "county.yaml"
PACK = PACK_DIR / "city-1-10-15.yaml"
ACTIONS = ROOT / "evaluators" / "data" / "actions.yaml"


def _problems(load: Callable[[Path], Any], path: Path) -> list[str]:
    with pytest.raises(InputError) as err:
        load(path)
    assert err.value.source == str(path)
    return err.value.problems


@pytest.mark.parametrize("load, path, what, hint", [
    (load_scenario_file, DEFAULT_PLAN, "a drill plan ('blinddrill.plan/1'), not a scenario",
     "blinddrill generate --plan FILE"),
    (load_scenario_file, REGION, "a region file ('blinddrill.region/1'), not a scenario",
     "--region"),
    (load_region, DEFAULT_PLAN, "a drill plan ('blinddrill.plan/1'), not a region file",
     "generate --plan"),
    (load_plan, REGION, "a region file ('blinddrill.region/1'), not a drill plan", "--region"),
    (load_params, DEFAULT_RUBRIC, "a rubric ('blinddrill.rubric/2'), not a behaviour-parameter",
     "--rubric"),
    (load_pack, DEFAULT_RUBRIC, "a rubric ('blinddrill.rubric/2'), not a rule pack", "--rubric"),
    (load_rubric, PACK, "a rule pack ('blinddrill.rules/1'), not a rubric", "--rules"),
    (load_catalogue, DEFAULT_PARAMS, "a behaviour-parameter file", "--params"),
    (load_templates, DEFAULT_CATALOGUE, "a hazard catalogue", "--catalogue"),
    (load_actions, DEFAULT_TEMPLATES, "a set of event-report templates", "scorer"),
])
def test_another_kind_of_file_is_named(load: Callable[[Path], Any], path: Path, what: str,
                                       hint: str) -> None:
    problems = _problems(load, path)
    assert len(problems) == 1, problems
    assert problems[0].startswith("schema: this file is ") and what in problems[0], problems
    assert hint in problems[0], problems


def test_sealed_file_given_as_a_plan(tmp_path: Path) -> None:
    sealed = tmp_path / "sealed.json"
    sealed.write_bytes(orjson.dumps({"schema": SEALED_SCHEMA, "commitment": "x", "salt": "00",
                                     "scenario": {}}))
    problems = _problems(load_plan, sealed)
    assert problems == [
        "schema: this file is a sealed scenario ('blinddrill.sealed/1'), not a drill plan "
        "('blinddrill.plan/1'): simulate, verify, msel, batch, whatif and live take it"]


@pytest.mark.parametrize("schema, expected", [
    ("blinddrill.sealed/2", "'blinddrill.sealed/2' is a newer format version of a sealed "
                            "scenario; this version of blinddrill reads 'blinddrill.sealed/1' "
                            "(was the file written by a newer blinddrill?)"),
    ("blinddrill.scenario/7", "'blinddrill.scenario/7' is a newer format version of a scenario; "
                              "this version of blinddrill reads 'blinddrill.scenario/1'"),
])
def test_newer_scenario_versions(tmp_path: Path, schema: str, expected: str) -> None:
    path = tmp_path / "s.json"
    path.write_bytes(orjson.dumps({"schema": schema, "commitment": "x", "scenario": {}}))
    problems = _problems(load_scenario_file, path)
    assert len(problems) == 1 and problems[0].startswith("schema: " + expected), problems


def test_older_rubric_version(tmp_path: Path) -> None:
    old = tmp_path / "rubric.yaml"
    old.write_text(DEFAULT_RUBRIC.read_text(encoding="utf-8").replace(
        "blinddrill.rubric/2", "blinddrill.rubric/1"), encoding="utf-8")
    assert _problems(load_rubric, old) == [
        "schema: 'blinddrill.rubric/1' is another format version of a rubric; this version of "
        "blinddrill reads 'blinddrill.rubric/2'"]


def test_event_log_given_as_a_document(tmp_path: Path) -> None:
    log = tmp_path / "events.jsonl"
    recs = [{"seq": i, "t": 0.0, "kind": "drill_started", "data": {}, "prev": EVENT_LOG_SCHEMA}
            for i in range(2)]
    log.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in recs))
    for load in (load_plan, load_scenario_file, load_region):
        problems = _problems(load, log)
        assert len(problems) == 1 and problems[0].startswith(
            "this file is an event log (one JSON record per line)"), problems


def test_without_a_schema_key_the_fields_are_checked(tmp_path: Path) -> None:
    """No ``schema`` (it is optional) or a value that is no blinddrill id: the usual checks."""
    bare = tmp_path / "bare.yaml"
    bare.write_text("window: {}\n", encoding="utf-8")
    assert any(p.startswith("incidents: Field required") for p in _problems(load_plan, bare))
    odd = tmp_path / "odd.yaml"
    odd.write_text("schema: my-plan\n", encoding="utf-8")
    assert any(p.startswith("schema: Input should be 'blinddrill.plan/1'")
               for p in _problems(load_plan, odd))


def test_every_schema_id_has_a_description() -> None:
    """Each format blinddrill reads or writes is described (a new one must be added there)."""
    models: list[type[Any]] = [Region, Scenario, DrillPlan, HazardCatalogue, BehaviourParams,
                               RulePack, Rubric, TemplateSet, ActionTable, Scorecard]
    ids = [i for m in models for i in expected_schemas(m)]
    assert len(ids) == len(models)
    ids += [SEALED_SCHEMA, EVENT_LOG_SCHEMA, BATCH_SCHEMA, SCORECARD_SCHEMA]
    for i in ids:
        assert i.split(".", 1)[1].split("/")[0] in KINDS, i
    assert wrong_kind({"schema": "blinddrill.plan/1"}, DrillPlan) is None


def test_cli_says_it_in_one_line(tmp_path: Path) -> None:
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "ui", "simulate", str(DEFAULT_PLAN), "--seed", "1",
                        "-o", str(tmp_path / "run")], capture_output=True, text=True)
    assert r.returncode == 2, r.stderr
    assert "this file is a drill plan" in r.stderr and "Field required" not in r.stderr
    assert "Traceback" not in r.stderr and not (tmp_path / "run").exists()
