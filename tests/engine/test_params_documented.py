"""Every behaviour parameter the engine ships has a row in docs/engine.md's parameter table
with its source or stated assumption, and every row names a real parameter."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from engine.params import DEFAULT_PARAMS, BehaviourParams

DOC = Path(__file__).resolve().parents[2] / "docs" / "engine.md"


def table() -> dict[str, str]:
    """Documented key → its source cell (keys of a row separated by commas)."""
    text = DOC.read_text(encoding="utf-8")
    start = text.index("| key | default | meaning | source or assumption |")
    rows: dict[str, str] = {}
    for line in text[start:].splitlines()[2:]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip("|").split("|")]
        assert len(cells) == 4, line
        for key in re.findall(r"`([a-z_.]+)`", cells[0]):
            rows[key] = cells[3]
    return rows


def shipped_keys() -> list[str]:
    data = yaml.safe_load(DEFAULT_PARAMS.read_text(encoding="utf-8"))
    keys: list[str] = []
    for section, body in data.items():
        if section == "schema":
            continue
        if section == "units":
            keys += [f"units.{kind}.{f}" for kind, fields in body.items() for f in fields]
        else:
            keys += [f"{section}.{k}" for k in body]
    return keys


def test_every_shipped_parameter_has_a_source_or_assumption() -> None:
    rows = table()
    missing = []
    for key in shipped_keys():
        kind_row = key.rsplit(".", 1)[0] if key.startswith("units.") else None
        src = rows.get(key) or (rows.get(kind_row) if kind_row else None)
        if not src:
            missing.append(key)
    assert not missing, f"undocumented in docs/engine.md: {missing}"


def test_every_documented_key_is_a_parameter() -> None:
    fields = BehaviourParams.model_fields
    for key in table():
        section, _, rest = key.partition(".")
        if section == "schema_":
            continue
        assert section in fields or section == "schema", key
        if section == "units":
            kind, _, field = rest.partition(".")
            assert kind, key
            if field:
                assert field in fields["units"].annotation.__args__[1].model_fields, key
            continue
        model = fields[section].annotation
        assert rest in model.model_fields, key
