"""Import layers (docs/architecture.md): scenarios → engine → evaluators → {live, experiments} → ui.

Every module of every package is parsed with :mod:`ast` and every import is checked — at the top
level, inside functions and methods, and under ``if TYPE_CHECKING:`` alike: a module may import
only its own layer and the layers to its left; ``live`` and ``experiments`` share a layer and
import neither each other nor ``ui``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: package → layer rank (lower is further left, i.e. more basic)
LAYERS = {"scenarios": 0, "engine": 1, "evaluators": 2, "live": 3, "experiments": 3, "ui": 4}
#: pairs on the same rank that must still not import each other
SIBLINGS = {("live", "experiments"), ("experiments", "live")}


def imported_packages(source: str, module: str) -> list[tuple[int, str]]:
    """(line, top-level package) of every import in ``source`` (module ``module``), anywhere in
    the file; relative imports are resolved against ``module``."""
    out: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name.split(".")[0]) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from . import x / from ..pkg import y
                base = module.split(".")[: -node.level]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            out.append((node.lineno, name.split(".")[0]))
    return out


def violations(package: str, source: str, module: str) -> list[str]:
    """Imports of ``source`` (in ``package``) that break the layer order."""
    rank = LAYERS[package]
    bad = []
    for line, target in imported_packages(source, module):
        if target not in LAYERS or target == package:
            continue
        if LAYERS[target] > rank or (package, target) in SIBLINGS:
            bad.append(f"{module}:{line} imports {target} ({package} may not)")
    return bad


def modules() -> list[tuple[str, Path]]:
    found = []
    for pkg in LAYERS:
        d = ROOT / pkg
        if d.is_dir():
            found += [(pkg, f) for f in sorted(d.rglob("*.py"))]
    return found


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1] + ["__init__"]
    return ".".join(parts)


def test_every_package_keeps_to_its_layer() -> None:
    mods = modules()
    assert {p for p, _ in mods} >= {"scenarios", "engine", "evaluators", "experiments", "ui"}
    bad: list[str] = []
    for pkg, f in mods:
        bad += violations(pkg, f.read_text(encoding="utf-8"), module_name(f))
    assert not bad, "imports against the layer order:\n" + "\n".join(bad)


@pytest.mark.parametrize(("package", "source", "expected"), [
    ("scenarios", "def f():\n    from engine.simulation import simulate\n", 1),
    ("scenarios", "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import evaluators\n", 1),
    ("engine", "import evaluators.rules\n", 1),
    ("evaluators", "class A:\n    def m(self):\n        import experiments.batch\n", 1),
    ("experiments", "from live import store\n", 1),
    ("live", "def g():\n    import experiments\n", 1),
    ("experiments", "from ui.charts import whatif\n", 1),
    ("experiments", "from ..ui import cli\n", 1),
    ("engine", "from scenarios.region import Region\nimport numpy\nfrom . import drill\n", 0),
    ("ui", "import experiments, live, evaluators, engine, scenarios\n", 0),
])
def test_the_checker_sees_function_level_and_relative_imports(package: str, source: str,
                                                              expected: int) -> None:
    assert len(violations(package, source, f"{package}.mod")) == expected
