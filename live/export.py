"""Export a live drill as a run directory, the layout ``simulate`` writes (``engine.rundir``).

``RUN_DIR/events.jsonl`` holds the stored lines byte for byte (so the hash chain verifies and
the final hash equals the store's), ``RUN_DIR/inputs/`` the sealed scenario (the imported file
itself: ``verify`` checks its commitment), the region, the shipped behaviour parameters (for a
simulated baseline of the same scenario) and ``run.json`` with ``mode: live`` and the log's
final hash and length. ``score``, ``report`` and ``verify`` read it unchanged.

The layout's names, the overwrite rule and the version come from :mod:`engine.rundir`; the
files are written here because the sealed file and the log are bytes held by the store
(``rundir.write_run`` copies input *files* and re-encodes records).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import orjson

from engine.eventlog import GENESIS, line_hash
from engine.rundir import EVENTS, INPUTS, RUN_JSON, RunDirExists, package_version, prepare

__all__ = ["ExportError", "write_run_dir"]

#: the run directory already holds a drill log (and overwriting was not asked for).
ExportError = RunDirExists


def _write(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def write_run_dir(out: Path, *, lines: list[bytes], sealed: bytes, region_yaml: str | None,
                  info: dict[str, Any], overwrite: bool = False) -> Path:
    """Write the run directory ``out``; an existing drill log there is replaced only with
    ``overwrite`` (:func:`engine.rundir.prepare`). The log is written last, so a directory
    with ``events.jsonl`` is always complete."""
    from engine.params import load_params

    prepare(out, overwrite)
    inputs = out / INPUTS
    inputs.mkdir(parents=True, exist_ok=True)
    _write(inputs / "sealed.json", sealed)
    if region_yaml is None:
        from scenarios.seed_city import default_region

        region = orjson.dumps(default_region().model_dump(mode="json", by_alias=True),
                              option=orjson.OPT_APPEND_NEWLINE)
    else:
        region = region_yaml.encode("utf-8")
    _write(inputs / "region.yaml", region)
    _write(inputs / "params.yaml", load_params().to_yaml().encode("utf-8"))
    final = line_hash(lines[-1]) if lines else GENESIS
    run = {"mode": "live", **info, "version": package_version(), "seed": None,
           "log": {"events": len(lines), "final_hash": final},
           "inputs": {"scenario": "sealed.json", "region": "region.yaml",
                      "params": "built-in"}}
    _write(inputs / RUN_JSON,
           (json.dumps(run, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    _write(out / EVENTS, b"".join(ln + b"\n" for ln in lines))
    return out
