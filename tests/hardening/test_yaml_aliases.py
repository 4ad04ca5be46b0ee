"""YAML anchors and aliases: legitimate reuse loads as before; a "billion laughs" file and a
recursive alias are refused by the one YAML reader (``scenarios.loading.parse_yaml_text``)
before anything is constructed, through every command that reads YAML."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml

from scenarios.limits import MAX_YAML_ALIAS_NODES
from scenarios.loading import InputError, parse_yaml_text
from tests.hardening.conftest import refused, run
from tests.hardening.corpus import COUNTY, ROOT


def laughs(levels: int, width: int = 10) -> str:
    """A "billion laughs" document: ``width ** levels`` strings from a few hundred bytes."""
    out = [f"l0: &l0 [{', '.join(['lol'] * width)}]"]
    out += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * width)}]" for i in range(1, levels)]
    return "\n".join(out) + "\n"


def test_the_shipped_files_parse_exactly_as_the_plain_safe_loader_does() -> None:
    for p in (COUNTY, ROOT / "scenarios" / "catalogue" / "hazards.yaml",
              ROOT / "scenarios" / "plans" / "default.yaml"):
        text = p.read_text(encoding="utf-8")
        assert parse_yaml_text(text, str(p)) == yaml.safe_load(text)


def test_anchors_for_reuse_still_work() -> None:
    text = "base: &b {effort: 10, units: 1}\nreq: [*b, *b, {<<: *b, units: 2}]\n"
    assert parse_yaml_text(text, "x.yaml") == {
        "base": {"effort": 10, "units": 1},
        "req": [{"effort": 10, "units": 1}, {"effort": 10, "units": 1},
                {"effort": 10, "units": 2}]}


def test_expansion_up_to_the_limit_is_accepted_and_beyond_it_refused() -> None:
    # 10^5 strings: far below the limit; 10^7 (and 10^9): refused in milliseconds.
    assert len(parse_yaml_text(laughs(5), "ok.yaml")["l4"]) == 10
    for levels in (7, 9):
        t0 = time.perf_counter()
        with pytest.raises(InputError) as info:
            parse_yaml_text(laughs(levels), "bomb.yaml")
        assert time.perf_counter() - t0 < 2.0
        msg = str(info.value)
        assert msg.startswith("bomb.yaml: invalid input")
        assert f"more than the limit of {MAX_YAML_ALIAS_NODES:,}" in msg
        assert f"line {levels - 1}, column " in msg  # the anchor used most


def test_a_recursive_alias_is_refused() -> None:
    with pytest.raises(InputError, match=r"line 1, column 8: an alias refers to the node"):
        parse_yaml_text("units: &u [1, *u]\n", "r.yaml")
    with pytest.raises(InputError, match="recursive alias"):
        parse_yaml_text("a: &m {b: {c: *m}}\n", "r.yaml")


def _bombed(src: Path, dst: Path) -> Path:
    """``src`` with a billion-laughs anchor in front and one alias to it at the end (the
    reader refuses it before any key is validated)."""
    dst.write_text(laughs(9) + src.read_text(encoding="utf-8") + "zz_bomb: *l8\n",
                   encoding="utf-8")
    return dst


@pytest.mark.parametrize("kind", ["region", "scenario", "plan"])
def test_a_bomb_in_a_real_input_is_refused_by_the_command(kind: str, tmp_path: Path,
                                                          county_files: dict[str, Path]
                                                          ) -> None:
    out = tmp_path / "out"
    if kind == "region":
        p = _bombed(COUNTY, tmp_path / "region.yaml")
        argv = ["region", "show", p]
    elif kind == "scenario":
        p = _bombed(county_files["scenario"], tmp_path / "scenario.yaml")
        argv = ["simulate", p, "--region", COUNTY, "--seed", 1, "-o", out]
    else:
        p = _bombed(ROOT / "scenarios" / "plans" / "default.yaml", tmp_path / "plan.yaml")
        argv = ["generate", "--plan", p, "--seed", 1, "-o", out]
    t0 = time.perf_counter()
    msg = refused(run(argv), str(p), "billion laughs")
    assert time.perf_counter() - t0 < 30
    assert msg.count("\n") <= 2, msg
    assert not out.exists()
