"""A large sealed file's commitment compared on a second core gives the at-once verdict.

``read_scenario_deferred`` validates the scenario at once and compares the commitment and the
normal form in a forked child; ``confirm()`` raises what checking at once raises. ``simulate``
waits for that verdict before it writes: a changed sealed file is refused with nothing
written, and reported as changed before any other problem of the scenario.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from scenarios.loading import InputError
from scenarios.sealing import read_scenario_deferred, read_scenario_file
from tests.hardening.conftest import refused, run
from tests.hardening.corpus import COUNTY

pytestmark = pytest.mark.usefixtures("fork_allowed")


def _edited(sealed_file: Path, edit: str) -> Path:
    doc = json.loads(sealed_file.read_text(encoding="utf-8"))
    inc = doc["scenario"]["injects"][0]["incident"]
    if edit == "message":  # still a valid scenario: only the commitment tells
        doc["scenario"]["injects"][0]["delivery"]["message"] += "。"
    elif edit == "category":  # changed and of an unknown category
        inc["category"] = "volcano"
    elif edit == "normal form":  # the commitment matches, the form is not seal's
        import hashlib

        from scenarios.sealing import canonical

        absent = next(k for k in ("cascade_of", "site", "initial_effort") if k not in inc)
        inc[absent] = None  # valid, but seal never writes a null
        doc["commitment"] = "sha256:" + hashlib.sha256(
            canonical({"salt": doc["salt"], "scenario": doc["scenario"]})).hexdigest()
    p = sealed_file.with_name(f"{edit.replace(' ', '_')}.json")
    p.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return p


def _at_once(p: Path) -> str:
    with pytest.raises(InputError) as e:
        read_scenario_file(p)
    return str(e.value)


@pytest.mark.parametrize("edit", ["message", "category", "normal form"])
def test_confirm_raises_what_checking_at_once_raises(sealed_file: Path, edit: str) -> None:
    bad = _edited(sealed_file, edit)
    want = _at_once(bad)
    try:
        _, sealed, confirm = read_scenario_deferred(bad, defer=True)
    except InputError as exc:  # refused before any fork (a scenario that does not validate)
        assert str(exc) == want
        return
    assert sealed
    with pytest.raises(InputError) as got:
        confirm()
    assert str(got.value) == want
    with pytest.raises(InputError):  # asked again: the same verdict, no second wait
        confirm()


def test_a_valid_file_confirms_and_gives_the_same_scenario(sealed_file: Path,
                                                           forked_pids: list[int]) -> None:
    sc, sealed, confirm = read_scenario_deferred(sealed_file, defer=True)
    confirm()
    assert sealed and sc == read_scenario_file(sealed_file)[0]
    assert len(forked_pids) == 1
    with pytest.raises(ChildProcessError):
        os.waitpid(forked_pids[0], os.WNOHANG)  # the child was reaped: none left behind


def test_simulate_refuses_a_changed_large_file_before_writing(sealed_file: Path,
                                                              tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch
                                                              ) -> None:
    import scenarios.sealing as sealing

    monkeypatch.setattr(sealing, "DEFER_MIN_BYTES", 0)  # every sealed file is "large"
    out = tmp_path / "run"
    msg = refused(run(["simulate", _edited(sealed_file, "message"), "--region", COUNTY,
                       "--seed", 1, "-o", out]), "MISMATCH")
    assert "changed after sealing" in msg
    assert not out.exists()
    refused(run(["simulate", _edited(sealed_file, "category"), "--region", COUNTY,
                 "--seed", 1, "-o", out]), "MISMATCH")  # reported as changed, first
    ok = run(["simulate", sealed_file, "--region", COUNTY, "--seed", 1, "-o", out])
    assert ok.code == 0, ok.err
    assert (out / "events.jsonl").is_file()
