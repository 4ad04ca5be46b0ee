"""No rehearsal: a distance between scenarios, and the history of past drills.

Each incident is a point (category, place, grade, time of day). The distance between two
incidents is a weighted sum, each term in [0, 1]::

    d = w_category·[categories differ] + w_site·min(1, km / site_scale_km)
      + w_grade·|grade rank difference| / 3 + w_timing·(circular hour-of-day difference / 12)

The distance between two scenarios is the symmetric mean nearest-neighbour (Chamfer) distance:
half the mean, over A's incidents, of the distance to the nearest incident of B, plus the same
from B to A. It is 0 for identical scenarios and at most 1. A scenario's **novelty** is its
distance to the nearest past drill (1.0 with no history).
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import Field

from scenarios.catalogue import GRADES
from scenarios.loading import InputError, StrictModel, read_yaml
from scenarios.schema import Scenario, scenario_from_data


class NoveltyWeights(StrictModel):
    """Weights of the incident-distance terms (they should sum to 1) and the site scale."""

    category: float = Field(default=0.4, ge=0)
    site: float = Field(default=0.3, ge=0)
    grade: float = Field(default=0.1, ge=0)
    timing: float = Field(default=0.2, ge=0)
    site_scale_km: float = Field(default=10.0, gt=0)


def _features(s: Scenario) -> tuple[list[str], np.ndarray]:
    """Categories and a numeric matrix (lon, lat, grade rank, hour of day) per incident."""
    cats: list[str] = []
    rows: list[list[float]] = []
    for inj in s.injects:
        if inj.kind != "incident":
            continue
        spec = inj.incident
        hour = inj.t / 60.0
        if s.start is not None:
            when = s.start + timedelta(minutes=inj.t)
            hour = when.hour + when.minute / 60.0
        cats.append(spec.category)
        rows.append([spec.location.lon, spec.location.lat, GRADES.index(spec.grade), hour % 24])
    return cats, np.array(rows, dtype=float).reshape(-1, 4)


def _pairwise(a: tuple[list[str], np.ndarray], b: tuple[list[str], np.ndarray],
              w: NoveltyWeights) -> np.ndarray:
    ca, fa = a
    cb, fb = b
    cat = (np.array(ca)[:, None] != np.array(cb)[None, :]).astype(float)
    lat0 = np.radians((fa[:, 1].mean() + fb[:, 1].mean()) / 2)
    dx = (fa[:, 0][:, None] - fb[:, 0][None, :]) * 111.2 * np.cos(lat0)
    dy = (fa[:, 1][:, None] - fb[:, 1][None, :]) * 111.2
    site = np.minimum(1.0, np.hypot(dx, dy) / w.site_scale_km)
    grade = np.abs(fa[:, 2][:, None] - fb[:, 2][None, :]) / 3.0
    dh = np.abs(fa[:, 3][:, None] - fb[:, 3][None, :])
    timing = np.minimum(dh, 24 - dh) / 12.0
    total = w.category + w.site + w.grade + w.timing
    return np.asarray((w.category * cat + w.site * site + w.grade * grade + w.timing * timing)
                      / (total or 1.0))


def distance(a: Scenario, b: Scenario, weights: NoveltyWeights | None = None) -> float:
    """Distance in [0, 1] between two scenarios (0 = the same incidents at the same times)."""
    w = weights or NoveltyWeights()
    fa, fb = _features(a), _features(b)
    if not fa[0] or not fb[0]:
        return 0.0 if not fa[0] and not fb[0] else 1.0
    d = _pairwise(fa, fb, w)
    return float(0.5 * d.min(axis=1).mean() + 0.5 * d.min(axis=0).mean())


def novelty(s: Scenario, history: list[Scenario], weights: NoveltyWeights | None = None) -> float:
    """Distance from ``s`` to the nearest scenario of ``history`` (1.0 if there is none)."""
    return min((distance(s, h, weights) for h in history), default=1.0)


def _scenarios_in(data: Any, source: str) -> list[Scenario]:
    from scenarios.sealing import SEALED_SCHEMA, verify_document

    if isinstance(data, list):
        out: list[Scenario] = []
        for k, item in enumerate(data):
            out.extend(_scenarios_in(item, f"{source}[{k}]"))
        return out
    if isinstance(data, dict) and data.get("schema") == SEALED_SCHEMA:
        return [verify_document(data, source)]
    if isinstance(data, dict):
        return [scenario_from_data(data, source)]
    raise InputError(source, ["expected a scenario, a sealed scenario or a list of them"])


def load_history(path: str | Path) -> list[Scenario]:
    """Past scenarios from a file (a scenario, a sealed file or a list) or a directory of them."""
    p = Path(path)
    if p.is_dir():
        files = sorted(f for f in p.iterdir() if f.suffix.lower() in (".json", ".yaml", ".yml"))
        return [s for f in files for s in _scenarios_in(read_yaml(f), str(f))]
    data = read_yaml(p)
    if data is None:
        return []
    return _scenarios_in(data, str(p))


def history_with(path: str | Path, document: dict[str, Any]) -> bytes:
    """The bytes of the history file at ``path`` with ``document`` appended (not written)."""
    p = Path(path)
    items: list[Any] = []
    if p.exists():
        data = read_yaml(p)
        if data is not None:
            if not isinstance(data, list):
                raise InputError(str(p), ["a history file to append to must be a list"])
            items = data
    items.append(document)
    return (json.dumps(items, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def append_history(path: str | Path, document: dict[str, Any]) -> int:
    """Append a sealed document to a history file (a JSON list), atomically; returns the new
    length."""
    from scenarios.outputs import atomic_write

    data = history_with(path, document)
    atomic_write(path, data)
    return len(json.loads(data))
