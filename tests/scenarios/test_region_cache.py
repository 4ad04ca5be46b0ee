"""The seed city's disk cache returns exactly the city the build gives, and never a stale one."""

from __future__ import annotations

from pathlib import Path

import pytest

from scenarios import region_cache
from scenarios.fingerprint import region_digest
from scenarios.region_cache import CACHE_ENV, cached_region, code_key
from scenarios.seed_city import DEFAULT_SEED, build_seed_city


@pytest.fixture()
def built(seed_city):
    return seed_city


class Counting:
    """``build_seed_city`` that counts its calls."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, seed: int):
        self.calls += 1
        return build_seed_city(seed)


def test_the_cached_city_is_the_built_city(tmp_path, monkeypatch, built):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    build = Counting()
    first = cached_region(DEFAULT_SEED, build)
    again = cached_region(DEFAULT_SEED, build)
    assert build.calls == 1  # the second read came from the file
    assert len(list(tmp_path.glob("seed-city-*.json"))) == 1
    assert region_digest(again) == region_digest(first) == region_digest(built)
    assert again == built


@pytest.mark.parametrize("damage", [b"", b"{not json", b'{"digest": "sha256:0", "region": {}}'])
def test_a_damaged_cache_file_is_rebuilt_and_replaced(tmp_path, monkeypatch, built, damage):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    cached_region(DEFAULT_SEED, Counting())
    (path,) = tmp_path.glob("seed-city-*.json")
    path.write_bytes(damage)
    build = Counting()
    assert region_digest(cached_region(DEFAULT_SEED, build)) == region_digest(built)
    assert build.calls == 1
    assert cached_region(DEFAULT_SEED, build) == built and build.calls == 1  # replaced


def test_an_edited_region_that_still_validates_is_not_used(tmp_path, monkeypatch, built):
    """The digest stored beside the region catches an edit that keeps the file valid."""
    import orjson

    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    cached_region(DEFAULT_SEED, Counting())
    (path,) = tmp_path.glob("seed-city-*.json")
    doc = orjson.loads(path.read_bytes())
    doc["region"]["units"][0]["headcount"] += 1
    path.write_bytes(orjson.dumps(doc))
    build = Counting()
    assert cached_region(DEFAULT_SEED, build) == built
    assert build.calls == 1


def test_the_key_changes_with_the_seed_and_the_code(tmp_path, monkeypatch):
    assert code_key(1) != code_key(2)
    key = code_key(DEFAULT_SEED)
    pkg = tmp_path / "scenarios"
    pkg.mkdir()
    for p in Path(region_cache.__file__).parent.glob("*.py"):
        (pkg / p.name).write_bytes(p.read_bytes())
    monkeypatch.setattr(region_cache, "__file__", str(pkg / "region_cache.py"))
    copied = code_key(DEFAULT_SEED)
    assert copied != key  # fewer files (no data files copied)
    (pkg / "seed_city.py").write_bytes((pkg / "seed_city.py").read_bytes() + b"\n# edit\n")
    assert code_key(DEFAULT_SEED) != copied


def test_off_builds_every_time_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_ENV, "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    build = Counting()
    cached_region(DEFAULT_SEED, build)
    cached_region(DEFAULT_SEED, build)
    assert build.calls == 2
    assert not list(tmp_path.rglob("*.json"))


def test_an_unwritable_cache_only_costs_a_build(tmp_path, monkeypatch, built):
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache directory would be")
    monkeypatch.setenv(CACHE_ENV, str(blocked / "cache"))
    build = Counting()
    assert cached_region(DEFAULT_SEED, build) == built
    assert cached_region(DEFAULT_SEED, build) == built
    assert build.calls == 2
