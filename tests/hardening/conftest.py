"""Fixtures of the hardening tests: a small county scenario and run, and a CLI runner that goes
through the real error handling (``ui.errors.run_cli``), as a user's shell would."""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.hardening.corpus import COUNTY


@dataclass
class Ran:
    """The outcome of one command line."""

    code: int
    out: str
    err: str
    crash: BaseException | None  #: an exception that escaped the CLI (would be a traceback)


def run(argv: list[str]) -> Ran:
    """Run ``blinddrill ARGV`` in-process with the CLI's own error handling."""
    from ui.cli import cli
    from ui.errors import run_cli

    out, err = io.StringIO(), io.StringIO()
    crash: BaseException | None = None
    code = -1
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = run_cli(cli, [str(a) for a in argv])
        except BaseException as exc:  # noqa: BLE001 - anything escaping is the finding
            crash = exc
    return Ran(code, out.getvalue(), err.getvalue(), crash)


def refused(r: Ran, *want: str) -> str:
    """Assert a clean refusal and return the message."""
    assert r.crash is None, f"traceback: {type(r.crash).__name__}: {r.crash}"
    assert r.code == 2, f"exit {r.code}\nout: {r.out[-400:]}\nerr: {r.err}"
    assert "Traceback" not in r.err
    for w in want:
        assert w.lower() in r.err.lower(), f"'{w}' not in:\n{r.err}"
    return r.err



@pytest.fixture(scope="session")
def county_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A county scenario (YAML and sealed), a run of it and two replications (a baseline)."""
    from scenarios.catalogue import load_catalogue
    from scenarios.generator import generate
    from scenarios.plan import load_plan
    from scenarios.region import load_region
    from scenarios.sealing import seal, write_sealed

    d = tmp_path_factory.mktemp("county")
    sc = generate(load_region(COUNTY), load_catalogue(), load_plan(None), 7)
    (d / "scenario.yaml").write_text(sc.to_yaml(), encoding="utf-8")
    write_sealed(seal(sc), d / "sealed.json")
    r = run(["simulate", d / "scenario.yaml", "--region", COUNTY, "--seed", 1, "-o",
             d / "run"])
    assert r.code == 0, r.err
    for k in (1, 2):
        r = run(["simulate", d / "scenario.yaml", "--region", COUNTY, "--seed", 10 + k, "-o",
                 d / "baseline" / f"rep-{k}"])
        assert r.code == 0, r.err
    return {"dir": d, "scenario": d / "scenario.yaml", "sealed": d / "sealed.json",
            "run": d / "run", "baseline": d / "baseline"}
