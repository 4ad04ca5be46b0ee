"""Export a live drill as a run directory, the layout ``simulate`` writes.

``RUN_DIR/events.jsonl`` holds the stored lines byte for byte (so the hash chain verifies and
the final hash equals the store's), ``RUN_DIR/inputs/`` the sealed scenario (the imported file
itself: ``verify`` checks its commitment), the region, the default behaviour parameters (for a
simulated baseline of the same scenario) and ``run.json`` with ``mode: live`` and the log's
final hash and length. ``score``, ``report`` and ``verify`` read it unchanged.

(The run-directory module of the batch work is not on main yet; this writes the same layout.)
"""

from __future__ import annotations

import json
import os
import shutil
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from engine.eventlog import GENESIS, line_hash


class ExportError(ValueError):
    """The run directory cannot be written (it already holds a drill, …)."""


def _version() -> str:
    try:
        return version("blinddrill")
    except PackageNotFoundError:  # pragma: no cover
        return "unknown"


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
    ``overwrite``."""
    from engine.params import load_params

    if (out / "events.jsonl").exists():
        if not overwrite:
            raise ExportError(f"{out}: already holds a drill log (events.jsonl); choose another "
                              "directory, or pass --force to replace it")
        if (out / "inputs").is_dir():
            shutil.rmtree(out / "inputs")
    inputs = out / "inputs"
    inputs.mkdir(parents=True, exist_ok=True)
    _write(inputs / "sealed.json", sealed)
    if region_yaml is None:
        from scenarios.seed_city import default_region

        region_yaml = default_region().to_yaml()
    _write(inputs / "region.yaml", region_yaml.encode("utf-8"))
    _write(inputs / "params.yaml", load_params().to_yaml().encode("utf-8"))
    final = line_hash(lines[-1]) if lines else GENESIS
    run = {"mode": "live", **info, "version": _version(), "seed": None,
           "log": {"events": len(lines), "final_hash": final},
           "inputs": {"scenario": "sealed.json", "region": "region.yaml",
                      "params": "built-in"}}
    _write(inputs / "run.json",
           (json.dumps(run, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    _write(out / "events.jsonl", b"".join(ln + b"\n" for ln in lines))
    return out
