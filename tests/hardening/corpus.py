"""The bad-input corpus: broken versions of every input the project reads, built from the real
files by programmatic mutations, each with the command line that reads it.

A :class:`Case` writes its broken file(s) into a temporary folder and says how to run the CLI
on it. Generic mutations (every file): empty, whitespace only, not a mapping, malformed,
truncated, GBK-encoded, with a BOM, a directory, a missing file, an unknown top-level key,
each required top-level key missing, a wrong type for each top-level key. Record mutations
(the first record of every list of records, up to two levels deep): an unknown key, each
required key missing, a wrong type for each field, NaN / negative / huge / zero numbers, the
record duplicated. Specific cases (sealed files, MSEL workbooks, event logs, baselines,
histories, output paths) are listed by hand in ``test_corpus.py``.
"""

from __future__ import annotations

import copy
import types
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

ROOT = Path(__file__).resolve().parents[2]
COUNTY = ROOT / "scenarios" / "regions" / "county.yaml"


@dataclass
class Case:
    """One broken input. ``write(folder)`` returns the broken file's path; ``argv(path, folder)``
    the command line; ``outputs(folder)`` paths that must not exist afterwards."""

    id: str
    write: Callable[[Path], Path]
    argv: Callable[[Path, Path], list[str]]
    expect: tuple[str, ...] = ()  #: substrings the message must contain besides the path
    outputs: Callable[[Path], list[Path]] = field(default=lambda d: [d / "out.json",
                                                                      d / "run"])


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _strip(tp: Any) -> Any:
    """The model class inside ``Annotated[...]``, ``X | None``, ``list[X]``, ``dict[K, X]``."""
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _strip(typing.get_args(tp)[0])
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return _strip(args[0]) if len(args) == 1 else None
    if origin in (list, tuple):
        return _strip(typing.get_args(tp)[0])
    if origin is dict:
        return _strip(typing.get_args(tp)[1])
    return tp


def _field_model(model: type[BaseModel], key: str) -> type[BaseModel] | None:
    for name, f in model.model_fields.items():
        if key in (name, f.alias):
            inner = _strip(f.annotation)
            return inner if isinstance(inner, type) and issubclass(inner, BaseModel) else None
    return None


def required_keys(model: type[BaseModel]) -> list[str]:
    """Keys (aliases where set) a record of ``model`` must have."""
    return [f.alias or n for n, f in model.model_fields.items() if f.is_required()]


def _wrong(value: Any) -> Any:
    """A value of a clearly wrong type for ``value``'s field."""
    if isinstance(value, bool):
        return {"not": "a flag"}
    if isinstance(value, int | float):
        return "lots"
    if isinstance(value, str):
        return {"not": "text"}
    if isinstance(value, list):
        return 7
    if isinstance(value, dict):
        return [1, 2]
    return {"x": 1}


def _records(data: Any, model: type[BaseModel] | None, path: tuple[Any, ...] = (),
             depth: int = 0) -> Iterator[tuple[tuple[Any, ...], dict[str, Any],
                                               type[BaseModel] | None]]:
    """(path, first record, its model) of each list of records, up to two levels deep."""
    if depth > 2 or not isinstance(data, dict):
        return
    for key, value in data.items():
        sub = _field_model(model, key) if model is not None else None
        if isinstance(value, list) and value and isinstance(value[0], dict):
            yield (*path, key, 0), value[0], sub
            yield from _records(value[0], sub, (*path, key, 0), depth + 1)
        elif isinstance(value, dict):
            yield from _records(value, sub, (*path, key), depth + 1)


def _set(data: Any, path: tuple[Any, ...], fn: Callable[[Any], Any]) -> Any:
    d = copy.deepcopy(data)
    node = d
    for p in path[:-1]:
        node = node[p]
    node[path[-1]] = fn(node[path[-1]])
    return d


def _label(path: tuple[Any, ...]) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else ("." if out else "") + str(p)
    return out


def file_cases(name: str, src: Path, model: type[BaseModel] | None,
               argv: Callable[[Path, Path], list[str]], suffix: str = ".yaml",
               records: bool = True) -> list[Case]:
    """Generic and record mutations of the YAML/JSON input ``src`` read by ``argv``."""
    text = src.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    out: list[Case] = []

    def add(cid: str, content: str | bytes | None, *expect: str, kind: str = "file") -> None:
        def write(d: Path, content: Any = content, kind: str = kind) -> Path:
            p = d / f"{name}{suffix}"
            if kind == "dir":
                p.mkdir()
            elif kind == "file":
                if isinstance(content, str):
                    p.write_text(content, encoding="utf-8")
                else:
                    p.write_bytes(content)
            return p
        out.append(Case(f"{name}:{cid}", write, argv, tuple(expect)))

    add("empty", "", "empty")
    add("whitespace", "  \n\n", "empty")
    add("list", "- 1\n- 2\n", "mapping")
    add("scalar", "just some words\n", "mapping")
    add("malformed", text[: len(text) // 3] + "\n  - [unclosed: {\n", "line")
    add("truncated", text[: len(text) // 2].rsplit("\n", 3)[0] + "\n")
    if any(ord(c) > 127 for c in text):
        try:
            add("gbk", text.encode("gbk"), "UTF-8")
        except UnicodeEncodeError:
            add("latin", text.encode("utf-8").replace(b"\xe5", b"\xff"), "UTF-8")
    add("bom", b"\xef\xbb\xbf" + text.encode("utf-8"))
    add("directory", None, kind="dir")
    add("missing", None, "not found", kind="none")
    if isinstance(data, dict):
        add("unknown-top-key", _dump({**data, "colour_scheme": "red"}), "colour_scheme")
        if model is not None:
            for key in required_keys(model):
                if key in data:
                    add(f"missing-{key}", _dump({k: v for k, v in data.items() if k != key}),
                        key)
        for key, value in data.items():
            add(f"wrong-type-{key}", _dump({**data, key: _wrong(value)}), key)
        if records:
            for path, rec, sub in _records(data, model):
                lab = _label(path)
                add(f"{lab}:unknown-key", _dump(_set(data, path, lambda r: {**r, "zz_typo": 1})),
                    "zz_typo")
                if sub is not None:
                    for key in required_keys(sub):
                        if key in rec:
                            add(f"{lab}:missing-{key}", _dump(_set(
                                data, path, lambda r, k=key: {a: b for a, b in r.items()
                                                              if a != k})), key)
                for key, value in rec.items():
                    fp = (*path, key)
                    add(f"{lab}.{key}:wrong-type", _dump(_set(data, fp, _wrong)), key)
                    if isinstance(value, int | float) and not isinstance(value, bool):
                        add(f"{lab}.{key}:nan", _dump(_set(data, fp, lambda v: float("nan"))),
                            key)
                        add(f"{lab}.{key}:negative", _dump(_set(data, fp, lambda v: -1)), key)
                        add(f"{lab}.{key}:huge", _dump(_set(data, fp, lambda v: 10**15)), key)
                        add(f"{lab}.{key}:zero", _dump(_set(data, fp, lambda v: 0)), key)
                container = path[:-1]
                add(f"{lab}:duplicated", _dump(_set(data, container,
                                                    lambda lst: [lst[0], *lst])))
    return out
