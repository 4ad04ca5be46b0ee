"""The run directory: one place that writes and reads its layout.

::

    RUN_DIR/events.jsonl            the event log (engine.eventlog's JSON Lines)
    RUN_DIR/inputs/region.yaml      the region, as given (copied byte for byte) or, for the
                                    built-in seed city, written as JSON (JSON is YAML; readers
                                    take a fast JSON path)
    RUN_DIR/inputs/scenario.yaml    a plain scenario file, copied as given …
    RUN_DIR/inputs/sealed.json      … or the sealed file itself (it verifies on reading)
    RUN_DIR/inputs/params.yaml      behaviour parameters (copied, or the shipped ones dumped)
    RUN_DIR/inputs/run.json         seed, package version, command, scenario id, region name
    RUN_DIR/baseline/rep-NNN/…      optional simulated replications (run directories too)

``simulate``, ``demo``, ``score``, ``batch`` and ``live export`` all go through this module, so
the layout has one definition. Writing never overwrites a directory that already holds a drill
log unless asked to (it may be a live drill's record).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from scenarios import jsonexact
from scenarios.fingerprint import check_scenario_region, region_digest
from scenarios.loading import InputError, read_input_bytes, read_yaml
from scenarios.outputs import check_output_dir, staged_dir
from scenarios.region import Region, region_from_data

if TYPE_CHECKING:
    from engine.eventlog import EventLog
    from engine.params import BehaviourParams
    from scenarios.schema import Scenario

EVENTS = "events.jsonl"
INPUTS = "inputs"
BASELINE = "baseline"
RUN_JSON = "run.json"


class RunDirExists(InputError):
    """The target directory already holds a drill log and overwriting was not asked for."""


def package_version() -> str:
    """The installed blinddrill version (or 'unknown')."""
    try:
        return version("blinddrill")
    except PackageNotFoundError:  # pragma: no cover
        return "unknown"


def read_data(path: str | Path) -> Any:
    """Parse a JSON or YAML input file once: JSON (a file starting with ``{`` or ``[``) with
    orjson (exact: :mod:`scenarios.jsonexact`), anything else with the YAML loader. Errors are
    :class:`InputError`."""
    p = Path(path)
    raw = read_input_bytes(p)
    head = raw.lstrip()[:1]
    if head in (b"{", b"["):
        try:
            return jsonexact.loads(raw)
        except orjson.JSONDecodeError:
            pass  # e.g. a YAML flow mapping: let the YAML loader say what is wrong
    return read_yaml(p)


def prepare(out: Path, overwrite: bool = False) -> None:
    """Check that ``out`` can take a new run: refuse (``RunDirExists``) if it holds a drill
    log, unless ``overwrite``; refuse a path that cannot be a directory. Nothing is removed
    here: the new run is built beside ``out`` and swapped in whole (:func:`_staged`), so a
    failure leaves the old run exactly as it was."""
    check_output_dir(out)
    if (out / EVENTS).exists() and not overwrite:
        raise RunDirExists(str(out), [
            "already holds a drill log (events.jsonl); choose another directory, or pass "
            "--force to replace that run"])


def _staged(out: Path) -> AbstractContextManager[Path]:
    """The new run directory, swapped in for ``out`` on success; other files of ``out`` are
    kept, the old run's log, inputs and (stale) baseline are dropped."""
    return staged_dir(out, discard=(EVENTS, INPUTS, BASELINE))


@dataclass(frozen=True)
class Sources:
    """The input files a run was made from (``None``: built-in or made in memory)."""

    region: Path | None = None
    scenario: Path | None = None
    params: Path | None = None
    sealed: bool = False  #: the scenario file is a sealed document
    commitment: str | None = None  #: its commitment, when the reader has it at hand

    def as_dict(self) -> dict[str, str]:
        """For run.json: each input's path, or "built-in"."""
        return {k: (str(v) if v else "built-in")
                for k, v in (("region", self.region), ("scenario", self.scenario),
                             ("params", self.params))}


def write_inputs(out: Path, region: Region, scenario: Scenario, params: BehaviourParams,
                 sources: Sources, run: dict[str, Any]) -> None:
    """Write ``out/inputs/``: files given are copied as written; built-ins are dumped once."""
    inputs = out / INPUTS
    inputs.mkdir(parents=True, exist_ok=True)
    if sources.region is not None:
        shutil.copyfile(sources.region, inputs / "region.yaml")
    else:
        (inputs / "region.yaml").write_bytes(
            orjson.dumps(region.model_dump(mode="json", by_alias=True),
                         option=orjson.OPT_APPEND_NEWLINE))
    if sources.scenario is not None:
        name = "sealed.json" if sources.sealed else "scenario.yaml"
        shutil.copyfile(sources.scenario, inputs / name)
    else:
        (inputs / "scenario.yaml").write_text(scenario.to_yaml(), encoding="utf-8")
    if sources.params is not None:
        shutil.copyfile(sources.params, inputs / "params.yaml")
    else:
        (inputs / "params.yaml").write_text(params.to_yaml(), encoding="utf-8")
    doc = {**run, "inputs": sources.as_dict()}
    (inputs / RUN_JSON).write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n",
                                   encoding="utf-8")


def simulate_run(out: Path, region: Region, scenario: Scenario, params: BehaviourParams,
                 seed: int, sources: Sources, command: list[str],
                 overwrite: bool = False, confirm: Callable[[], None] | None = None
                 ) -> EventLog:
    """Simulate and write a whole run directory (log + inputs). Bad scenario references are an
    :class:`InputError` naming the scenario file; nothing is written then. ``confirm``: the
    input check still running (:func:`scenarios.sealing.read_scenario_deferred`), called
    after the simulation and before anything is written; its refusal comes first."""
    from engine.simulation import simulate
    from scenarios.region import ReferenceProblems

    done = confirm or (lambda: None)
    try:
        prepare(out, overwrite)
        check_scenario_region(scenario, region, str(sources.scenario or scenario.id),
                              str(sources.region or "the built-in seed city"))
        try:
            log = simulate(region, scenario, seed=seed, params=params)
        except ReferenceProblems as exc:
            raise InputError(str(sources.scenario) if sources.scenario else scenario.id,
                             exc.problems) from None
    except BaseException:
        done()  # a changed sealed file is the first thing to say
        raise
    done()
    run = {"seed": seed, "version": package_version(), "command": command,
           "scenario": scenario.id, "region": region.name,
           "region_digest": region_digest(region)}
    if sources.sealed and sources.scenario is not None:
        # the caller read and verified this file (``read_scenario_file``); its commitment is
        # one of its fields (verifying a 10,000-inject file again took seconds, parsing it
        # again 0.06 s)
        run["commitment"] = sources.commitment if sources.commitment is not None else \
            orjson.loads(read_input_bytes(sources.scenario))["commitment"]
    with _staged(out) as new:
        log.write_jsonl(new / EVENTS)  # chains the log as it writes it (one hash per record)
        # the hash of the last record seals the whole log (each record carries the one
        # before): kept beside it, it makes an edited or cut last record visible to verify and
        # checklog
        run["log"] = {"events": len(log.records), "final_hash": log.final_hash}
        write_inputs(new, region, scenario, params, sources, run)
    return log


def write_run(out: Path, records: Iterable[dict[str, Any]], region: Region, scenario: Scenario,
              params: BehaviourParams, sources: Sources, run: dict[str, Any],
              overwrite: bool = False) -> None:
    """Write a run directory from records already made (e.g. ``live export`` of a recorded
    drill): the same layout as :func:`simulate_run`. ``run`` goes to run.json (add ``seed``,
    ``mode`` … as known); the version is filled in if absent."""
    from engine.eventlog import write_jsonl

    prepare(out, overwrite)
    with _staged(out) as new:
        write_inputs(new, region, scenario, params, sources,
                     {"version": package_version(), "region_digest": region_digest(region),
                      **run})
        write_jsonl(records, new / EVENTS)


def replication_dir(root: Path, k: int) -> Path:
    """The ``k``-th replication's run directory under a baseline root (``rep-001`` …)."""
    return root / f"rep-{k:03d}"


@dataclass
class RunDir:
    """A run directory opened for reading; each input is parsed at most once, on first use."""

    path: Path
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def events(self) -> Path:
        """The log file."""
        return self.path / EVENTS

    @property
    def inputs(self) -> Path:
        """The inputs folder."""
        return self.path / INPUTS

    def has_log(self) -> bool:
        """True if the directory holds an event log."""
        return self.events.is_file()

    def region(self) -> Region | None:
        """The region the run was played in, if recorded (JSON fast path, else YAML)."""
        if "region" not in self._cache:
            f = self.inputs / "region.yaml"
            self._cache["region"] = (region_from_data(read_data(f), str(f)) if f.is_file()
                                     else None)
        r: Region | None = self._cache["region"]
        return r

    def scenario(self) -> Scenario | None:
        """The scenario (a sealed copy is verified), if recorded."""
        from scenarios.sealing import load_scenario_file

        for name in ("sealed.json", "scenario.yaml"):
            f = self.inputs / name
            if f.is_file():
                return load_scenario_file(f)
        return None

    def params(self) -> BehaviourParams | None:
        """The behaviour parameters, if recorded."""
        from engine.params import load_params

        f = self.inputs / "params.yaml"
        return load_params(f) if f.is_file() else None

    def run_info(self) -> dict[str, Any]:
        """run.json (empty if absent)."""
        f = self.inputs / RUN_JSON
        if not f.is_file():
            return {}
        data = read_data(f)
        return data if isinstance(data, dict) else {}

    def records(self) -> list[dict[str, Any]]:
        """The log's records (plain dicts, not validated)."""
        from engine.eventlog import read_records

        if not self.has_log():
            raise InputError(str(self.path), ["no events.jsonl here (is this a run directory?)"])
        return read_records(self.events)


def open_run(path: str | Path) -> RunDir:
    """Open a run directory for reading."""
    return RunDir(Path(path))
