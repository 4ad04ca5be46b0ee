"""Fuzzing every loader and the log checker with hypothesis.

Property: whatever the bytes, a loader either returns a valid model or raises
:class:`scenarios.loading.InputError` naming the file - never another exception. The log
checker never raises at all; when it says a log is fine, the log really has consecutive
``seq`` and non-decreasing ``t``.

Profiles (registered here, chosen per test, never loaded globally):
``fuzz-ci`` (default, a few dozen examples per target, runs in CI) and ``fuzz-long``
(thousands): ``BLINDDRILL_FUZZ=fuzz-long .venv/bin/python -m pytest tests/hardening/test_fuzz.py``.
"""

from __future__ import annotations

import copy
import math
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.logcheck import check_log, recoverable_prefix
from scenarios.loading import InputError
from tests.hardening.corpus import COUNTY, ROOT

settings.register_profile("fuzz-ci", max_examples=30, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow,
                                                 HealthCheck.function_scoped_fixture])
settings.register_profile("fuzz-long", max_examples=3000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow,
                                                 HealthCheck.function_scoped_fixture])
FUZZ = settings.get_profile(os.environ.get("BLINDDRILL_FUZZ", "fuzz-ci"))


def _loaders() -> dict[str, tuple[Callable[[Path], Any], Path, str]]:
    from engine.params import DEFAULT_PARAMS, load_params
    from evaluators.rubric import DEFAULT_RUBRIC, load_rubric
    from evaluators.rules import load_pack
    from scenarios.catalogue import DEFAULT_CATALOGUE, load_catalogue
    from scenarios.novelty import load_history
    from scenarios.plan import DEFAULT_PLAN, load_plan
    from scenarios.region import load_region
    from scenarios.sealing import load_scenario_file, read_sealed
    from scenarios.templates import DEFAULT_TEMPLATES, load_templates

    scen = ROOT / "tests" / "hardening" / "data" / "county_scenario.yaml"
    return {
        "region": (load_region, COUNTY, ".yaml"),
        "catalogue": (load_catalogue, DEFAULT_CATALOGUE, ".yaml"),
        "templates": (load_templates, DEFAULT_TEMPLATES, ".yaml"),
        "plan": (load_plan, DEFAULT_PLAN, ".yaml"),
        "params": (load_params, DEFAULT_PARAMS, ".yaml"),
        "pack": (load_pack, ROOT / "evaluators" / "packs" / "city-1-10-15.yaml", ".yaml"),
        "rubric": (load_rubric, DEFAULT_RUBRIC, ".yaml"),
        "scenario": (load_scenario_file, scen, ".yaml"),
        "sealed": (read_sealed, scen, ".json"),
        "history": (load_history, scen, ".json"),
    }


LOADERS = _loaders()
NAMES = sorted(LOADERS)

scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20),
                    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12))
values = st.recursive(scalars, lambda kids: st.one_of(
    st.lists(kids, max_size=3), st.dictionaries(st.text(max_size=8), kids, max_size=3)),
    max_leaves=8)


def _write(data: bytes, suffix: str) -> Path:
    fd, name = tempfile.mkstemp(suffix=suffix)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    return Path(name)


def _only_input_errors(load: Callable[[Path], Any], path: Path) -> None:
    try:
        load(path)
    except InputError as exc:
        assert str(path) in str(exc), str(exc)
    finally:
        path.unlink()


@FUZZ
@given(name=st.sampled_from(NAMES), data=st.binary(max_size=400))
def test_loaders_on_random_bytes(name: str, data: bytes) -> None:
    load, _, suffix = LOADERS[name]
    _only_input_errors(load, _write(data, suffix))


def _paths(obj: Any, prefix: tuple[Any, ...] = (), depth: int = 0) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if depth > 4:
        return out
    if isinstance(obj, dict):
        for k, v in list(obj.items())[:12]:
            out += _paths(v, (*prefix, k), depth + 1)
    elif isinstance(obj, list):
        for i, v in enumerate(obj[:3]):
            out += _paths(v, (*prefix, i), depth + 1)
    return out


_DATA = {n: yaml.safe_load(LOADERS[n][1].read_text(encoding="utf-8")) for n in NAMES}
_PATHS = {n: _paths(_DATA[n]) for n in NAMES}


@FUZZ
@given(name=st.sampled_from([n for n in NAMES if n not in ("sealed", "history")]),
       pick=st.integers(min_value=0), value=values, drop=st.booleans())
def test_loaders_on_mutated_real_files(name: str, pick: int, value: Any, drop: bool) -> None:
    """A real file with one value replaced by random data (or one key/element removed)."""
    load, _, suffix = LOADERS[name]
    data = copy.deepcopy(_DATA[name])
    path = _PATHS[name][pick % len(_PATHS[name])]
    node = data
    for p in path[:-1]:
        node = node[p]
    if drop:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    _only_input_errors(load, _write(text.encode("utf-8"), suffix))


@FUZZ
@given(data=st.binary(max_size=600))
def test_msel_import_on_random_bytes(data: bytes) -> None:
    from scenarios.msel import import_xlsx

    _only_input_errors(import_xlsx, _write(data, ".xlsx"))


@FUZZ
@given(text=st.text(max_size=12))
def test_parse_clock(text: str) -> None:
    from scenarios.limits import MAX_DURATION_MIN
    from scenarios.msel import parse_clock

    try:
        t = parse_clock(text)
    except ValueError:
        return
    assert 0 <= t <= MAX_DURATION_MIN and math.isfinite(t)


# ----- the log checker -------------------------------------------------------------------------
def _good_log() -> list[bytes]:
    return (ROOT / "tests" / "hardening" / "data" / "county_events.jsonl").read_bytes() \
        .splitlines(keepends=True)


_LOG = _good_log()


def _check_invariants(path: Path) -> None:
    res = check_log(path)
    for m in res.problems:
        assert m.startswith(str(path)), m
    if res.ok:
        seqs = [r["seq"] for r in res.records]
        ts = [r["t"] for r in res.records]
        assert seqs == list(range(len(seqs)))
        assert all(a <= b for a, b in zip(ts, ts[1:], strict=False))
        assert res.records[0]["kind"] == "drill_started"
    if res.truncated:
        prefix = recoverable_prefix(path) if len(res.problems) == 1 else None
        if prefix is not None:
            assert prefix.endswith(b"\n") or prefix == b""


@FUZZ
@given(data=st.binary(max_size=800))
def test_logcheck_random_bytes(data: bytes) -> None:
    p = _write(data, ".jsonl")
    try:
        _check_invariants(p)
    finally:
        p.unlink()


@FUZZ
@given(ops=st.lists(st.tuples(st.sampled_from(["drop", "dup", "swap", "field", "cut", "junk"]),
                              st.integers(min_value=0), st.sampled_from(
                                  ["seq", "t", "kind", "incident", "unit", "source", "data"]),
                              values), min_size=1, max_size=4))
def test_logcheck_mutated_log(ops: list[tuple[str, int, str, Any]]) -> None:
    lines = list(_LOG)
    for op, k, key, value in ops:
        if not lines:
            break
        i = k % len(lines)
        if op == "drop":
            del lines[i]
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = (i * 7 + 3) % len(lines)
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "field":
            try:
                rec = orjson.loads(lines[i])
                rec[key] = value
                lines[i] = orjson.dumps(rec) + b"\n"
            except (orjson.JSONDecodeError, TypeError):
                pass
        elif op == "cut":
            lines[-1] = lines[-1][: max(1, len(lines[-1]) // 2)]
        else:
            lines[i] = b"\x00\xff" + lines[i]
    p = _write(b"".join(lines), ".jsonl")
    try:
        _check_invariants(p)
    finally:
        p.unlink()


@FUZZ
@given(text=st.text(alphabet="&*ab01[]{}:,-<? \n", max_size=60))
def test_yaml_reader_on_anchor_soup(text: str) -> None:
    """Anchors, aliases, merge keys and flow collections in any order: the one YAML reader
    returns data or raises InputError naming the source (never a RecursionError, a
    constructor error or a hang on a recursive alias)."""
    from scenarios.loading import parse_yaml_text

    try:
        parse_yaml_text(text, "soup.yaml")
    except InputError as exc:
        assert str(exc).startswith("soup.yaml: invalid input"), str(exc)


_SEALED: list[bytes] = []


def _good_sealed() -> bytes:
    if not _SEALED:
        from scenarios.catalogue import load_catalogue
        from scenarios.generator import generate
        from scenarios.plan import load_plan
        from scenarios.sealing import seal
        from scenarios.seed_city import default_region

        _SEALED.append(seal(generate(default_region(), load_catalogue(), load_plan(None),
                                     5)).to_bytes())
    return _SEALED[0]


@FUZZ
@given(cut=st.integers(min_value=0), junk=st.binary(max_size=40), at=st.integers(min_value=0),
       raw=st.booleans())
def test_upload_reader_on_damaged_files(cut: int, junk: bytes, at: int, raw: bool) -> None:
    """The console's upload (and ``live import``) on a sealed file cut, spliced with junk, or
    on junk alone: a verified scenario or UploadRefused with a known reason, nothing else."""
    from live.upload import REASONS, UploadRefused, read_upload
    from scenarios.seed_city import default_region

    good = _good_sealed()
    if raw:
        data = junk
    else:
        k, j = cut % (len(good) + 1), at % (len(good) + 1)
        data = (good[:k] + junk + good[k:])[: max(j, 1)] if junk else good[:k]
    try:
        read_upload(data, "upload.json", default_region())
    except UploadRefused as exc:
        assert exc.reason in REASONS and str(exc).startswith("upload.json: ")
