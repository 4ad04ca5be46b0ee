"""Cross-file identity: the region's digest, and the checks that a scenario, a run and a
baseline belong together.

A generated (sealed) scenario records ``meta.region = {"name", "digest"}`` - the region it was
drawn for - and a run records the scenario's commitment and the region's digest in
``inputs/run.json``. Playing a scenario on another region, or comparing a drill with
replications of another scenario, is then refused with one line naming both sides.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import orjson

from scenarios.loading import InputError


def region_digest(region: Any) -> str:
    """``sha256:<hex>`` of the region's canonical JSON (independent of the file's layout)."""
    data = region.model_dump(mode="json", by_alias=True)
    raw = orjson.dumps(data, option=orjson.OPT_SORT_KEYS)
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def region_stamp(region: Any) -> dict[str, str]:
    """What a scenario records of the region it was made for: name and digest."""
    return {"name": str(region.name), "digest": region_digest(region)}


def check_scenario_region(scenario: Any, region: Any, scenario_source: str,
                          region_source: str) -> None:
    """Refuse to play ``scenario`` on a region other than the one it was generated for.

    Scenarios without ``meta.region`` (hand-written ones) are not checked here; their
    references are still checked township by township by the engine.
    """
    stamp = scenario.meta.get("region") if isinstance(scenario.meta, dict) else None
    if not isinstance(stamp, dict) or "digest" not in stamp:
        return
    digest = region_digest(region)
    if stamp["digest"] != digest:
        raise InputError(scenario_source, [
            f"was generated for region '{stamp.get('name')}' ({stamp['digest'][:19]}…), but "
            f"{region_source} is region '{region.name}' ({digest[:19]}…); give the region it "
            "was made for"])


def check_same_scenario(drill: dict[str, Any], other: dict[str, Any], drill_source: str,
                        other_source: str) -> None:
    """Refuse a comparison of runs of different scenarios or regions.

    ``drill`` and ``other`` are identities as returned by the run-directory reader: mappings
    with optional ``scenario``, ``commitment``, ``region`` and ``region_digest`` keys; a key
    missing on either side is not compared.
    """
    for key, what in (("commitment", "scenario commitment"), ("scenario", "scenario"),
                      ("region_digest", "region digest"), ("region", "region")):
        a, b = drill.get(key), other.get(key)
        if a is not None and b is not None and a != b:
            raise InputError(other_source, [
                f"is a run of {what} '{b}', but {drill_source} is of {what} '{a}'; a baseline "
                "must be replications of the same scenario in the same region"])


def tree_digest(*dirs: Path, suffixes: tuple[str, ...] | None = None) -> str:
    """``sha256`` hex of the files below ``dirs`` (relative names and bytes, in sorted order;
    ``__pycache__`` skipped; only ``suffixes`` if given): a code-version key for caches."""
    h = hashlib.sha256()
    for base in dirs:
        for p in sorted(base.rglob("*")):
            if "__pycache__" in p.parts or not p.is_file() or p.suffix == ".pyc":
                continue
            if suffixes is not None and p.suffix not in suffixes:
                continue
            h.update(p.relative_to(base.parent).as_posix().encode() + b"\0")
            h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()
