"""The built-in seed city cached on disk: built once per machine and code version, not per command.

Building the seed city in code (:func:`scenarios.seed_city.build_seed_city`: ~6,400 faker names
and phone numbers, geography, reference checks) takes ~0.7 s, which every ``blinddrill simulate``
paid; reading the cached copy back and validating it takes ~0.05 s. The cached file is the
region's JSON (what ``build_seed_city`` validated) with its canonical digest
(:func:`scenarios.fingerprint.region_digest`) beside it.

**Keyed by everything that makes the city:** the seed, the bytes of every source and data file
of the ``scenarios`` package (generator, schema, vocabulary …) and the versions of Python,
numpy, faker and pydantic, so a changed generator or library never reuses an old city. A file
that does not parse, does not validate or does not match its digest is rebuilt and replaced;
a cache that cannot be written (read-only home) is skipped. The cache only ever saves time: the
region returned is the one the build gives, digest for digest (a test compares them).

Where: ``$BLINDDRILL_CACHE_DIR``, else ``$XDG_CACHE_HOME/blinddrill``, else
``~/.cache/blinddrill``; ``BLINDDRILL_CACHE_DIR=off`` builds every time.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import platform
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import orjson
from pydantic import ValidationError

from scenarios.fingerprint import region_digest, tree_digest
from scenarios.region import Region

#: environment variable naming the cache directory ("off" disables the cache)
CACHE_ENV = "BLINDDRILL_CACHE_DIR"
_SUFFIXES = (".py", ".yaml", ".yml", ".json")


def cache_dir() -> Path | None:
    """The cache directory, or None when the cache is off."""
    v = os.environ.get(CACHE_ENV)
    if v is not None:
        return None if v.strip().lower() in ("", "off", "0", "no", "none") else Path(v)
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path.home() / ".cache") / "blinddrill"


def _version(dist: str) -> str:
    try:
        return version(dist)
    except PackageNotFoundError:
        return "?"


def code_key(seed: int) -> str:
    """The cache key for the city of ``seed``: a digest of the ``scenarios`` package's files
    and of the libraries' versions (any change makes a new key)."""
    h = hashlib.sha256(f"seed={seed};python={platform.python_version()}".encode())
    for dist in ("numpy", "faker", "pydantic", "pydantic-core"):
        h.update(f";{dist}={_version(dist)}".encode())
    h.update(tree_digest(Path(__file__).resolve().parent, suffixes=_SUFFIXES).encode())
    return h.hexdigest()[:32]


def _load(path: Path) -> Region | None:
    try:
        doc = orjson.loads(path.read_bytes())
        region = Region.model_validate(doc["region"])
    except (OSError, ValueError, KeyError, TypeError, ValidationError):
        return None  # missing, truncated, edited or from an incompatible schema: rebuild
    return region if region_digest(region) == doc.get("digest") else None


def _store(path: Path, region: Region) -> None:
    data = region.model_dump(mode="json", by_alias=True)
    raw = orjson.dumps({"digest": region_digest(region), "region": data})
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(raw)
        os.replace(tmp, path)  # readers see the old file or the whole new one
    except OSError:  # a cache that cannot be written only costs the next command a build
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


def cached_region(seed: int, build: Callable[[int], Region]) -> Region:
    """The region ``build(seed)`` gives, read from the cache when a valid copy is there (else
    built and stored)."""
    d = cache_dir()
    if d is None:
        return build(seed)
    path = d / f"seed-city-{seed}-{code_key(seed)}.json"
    region = _load(path) if path.is_file() else None
    if region is None:
        region = build(seed)
        _store(path, region)
    return region
