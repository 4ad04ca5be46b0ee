"""Integers beyond 64 bits survive reading: a scenario generated without ``--seed`` (a 128-bit
seed in its ``meta``) verifies, simulates and imports into a live drill. orjson read that seed
as a float, so the commitment of every such sealed file failed ("MISMATCH - the scenario or
salt was changed after sealing")."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scenarios.jsonexact import LONG_RUN, has_long_digit_run, loads
from scenarios.region import Region
from scenarios.sealing import read_scenario_deferred, read_sealed, seal, write_sealed

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=8), inner,
                                                                  max_size=5),
    max_leaves=30)


@given(_JSON)
def test_loads_is_exact_for_any_document(doc: object) -> None:
    """Whatever the integers' size, ``loads`` gives what the standard library gives."""
    text = json.dumps(doc, ensure_ascii=False)
    got = loads(text.encode("utf-8"))
    assert got == json.loads(text) and type(got) is type(json.loads(text))
    assert loads(text) == got


@given(st.binary(max_size=200))
def test_digit_runs_are_found_like_a_regex_finds_them(raw: bytes) -> None:
    want = re.search(rb"[0-9]{%d}" % LONG_RUN, raw) is not None
    assert has_long_digit_run(raw) is want


def test_a_128_bit_seed_was_a_float_with_orjson() -> None:
    big = 113721926178364731803344519897304779925
    doc = json.dumps({"meta": {"seed": big}}).encode()
    assert orjson.loads(doc)["meta"]["seed"] != big  # the cause
    assert loads(doc)["meta"]["seed"] == big


@pytest.fixture(scope="module")
def unseeded(tmp_path_factory: pytest.TempPathFactory, county: Region) -> Path:
    """A scenario sealed with the 128-bit seed ``generate`` draws when none is given."""
    from scenarios.catalogue import load_catalogue
    from scenarios.generator import generate
    from scenarios.plan import load_plan

    seed = 2**127 + 12345
    sc = generate(county, load_catalogue(None), load_plan(None), seed)
    assert sc.meta["seed"] == seed
    path = tmp_path_factory.mktemp("unseeded") / "sealed.json"
    write_sealed(seal(sc), path)
    return path


def test_a_generated_scenario_with_a_big_seed_verifies(unseeded: Path) -> None:
    sealed = read_sealed(unseeded)
    assert sealed.scenario.meta["seed"] == 2**127 + 12345
    for defer in (False, True):  # at once, and on the second core
        sc, commitment, confirm = read_scenario_deferred(unseeded, defer=defer)
        confirm()
        assert commitment == sealed.commitment and sc == sealed.scenario


def test_the_cli_generates_verifies_and_simulates_without_a_seed(tmp_path: Path) -> None:
    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "ui", *args], capture_output=True,
                              text=True)

    out = tmp_path / "s.json"
    assert cli("generate", "-o", str(out)).returncode == 0
    assert orjson.loads(out.read_bytes())["scenario"]["meta"]["seed"] >= 0
    r = cli("verify", str(out))
    assert r.returncode == 0 and "verified" in r.stdout, r.stdout + r.stderr
    r = cli("simulate", str(out), "--seed", "1", "-o", str(tmp_path / "run"), "--json")
    assert r.returncode == 0, r.stderr


def test_a_live_drill_imports_and_unlocks_it(tmp_path: Path, unseeded: Path) -> None:
    from live import LiveService, ManualClock
    from tests.live.conftest import PASSPHRASE, PASSWORD, new_live

    county_yaml = (Path(__file__).resolve().parents[2] / "scenarios" / "regions" /
                   "county.yaml").read_text(encoding="utf-8")
    lv = new_live(tmp_path, unseeded.read_bytes(), county_yaml)
    assert lv.svc.msel(lv.director, lv.drill)
    lv.svc.close()
    svc = LiveService(lv.path, clock=ManualClock())  # after a restart: unlock re-verifies
    d = svc.login("director1", PASSWORD)
    svc.unlock(d, lv.drill, PASSPHRASE)
    assert svc.msel(d, lv.drill)
    svc.close()
