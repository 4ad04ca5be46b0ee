"""The newer commands (batch, whatif, checklog, console, live) probed as a hostile but
realistic user would: each bad argument or file gets one clear message and exit 2, nothing
half-written, nothing already there lost or changed."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.hardening.conftest import refused, run
from tests.hardening.corpus import COUNTY

PASSWORD = "director password"


@pytest.fixture
def files(tmp_path: Path, county_files: dict[str, Path]) -> dict[str, Path]:
    (tmp_path / "notsqlite.db").write_text("a note, not a database\n", encoding="utf-8")
    (tmp_path / "empty.db").write_bytes(b"")
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    other = sqlite3.connect(tmp_path / "other.db")
    other.execute("CREATE TABLE contacts(name TEXT)")
    other.commit()
    other.close()
    return {**county_files, "tmp": tmp_path}


def _digest(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


BATCH_CASES = [
    ("scheduler-not-an-address", ["--scheduler", "nonsense"], "not an address like tcp://"),
    ("seed-over-64-bits", ["--workers", 1, "--seed", 2**70], "--seed"),
    ("too-many-replications", ["--workers", 1, "-n", 10**12], "--replications"),
    ("output-under-a-file", ["--workers", 1, "-o", "{tmp}/afile/sub"], "afile is a file"),
]


@pytest.mark.parametrize("command", ["batch", "whatif"])
@pytest.mark.parametrize(("case", "extra", "words"), BATCH_CASES,
                         ids=[c[0] for c in BATCH_CASES])
def test_batch_and_whatif_arguments(command: str, case: str, extra: list[Any], words: str,
                                    files: dict[str, Path]) -> None:
    tmp = files["tmp"]
    alt = tmp / "alt.yaml"
    alt.write_text("alternatives:\n- name: same\n  changes: []\n", encoding="utf-8")
    head = [command, *(["--alternatives", alt] if command == "whatif" else [])]
    out = tmp / "out"
    extra = [str(a).format(tmp=tmp) for a in extra]
    argv = [*head, files["sealed"], "--region", COUNTY, "-n", 1, "-o", out, *extra]
    refused(run(argv), words)
    assert not out.exists()


def test_batch_force_with_a_bad_input_keeps_the_old_results(files: dict[str, Path]) -> None:
    tmp = files["tmp"]
    out = tmp / "batch"
    ok = run(["batch", files["sealed"], "--region", COUNTY, "-n", 1, "--workers", 1, "-o", out,
              "--json"])
    assert ok.code == 0, ok.err
    before = {p.relative_to(out): _digest(p) for p in out.rglob("*") if p.is_file()}
    refused(run(["batch", tmp / "afile", "--region", COUNTY, "-n", 1, "--workers", 1, "-o",
                 out, "--force"]), str(tmp / "afile"))
    refused(run(["batch", files["sealed"], "--region", tmp / "afile", "-n", 1, "--workers",
                 1, "-o", out, "--force"]), str(tmp / "afile"))
    assert {p.relative_to(out): _digest(p) for p in out.rglob("*") if p.is_file()} == before


def test_checklog_refuses_a_hash_that_is_not_one(files: dict[str, Path]) -> None:
    refused(run(["checklog", files["run"], "--expect", "12345"]),
            "--expect: '12345' is not a log hash")


@pytest.fixture
def no_exec(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The console command must refuse before it hands the process to Streamlit."""
    def refuse(*a: Any) -> None:
        raise AssertionError(f"the console would have started: {a[1][:4]}")
    monkeypatch.setattr(os, "execve", refuse)
    yield


@pytest.mark.parametrize(("name", "words"), [
    ("notsqlite.db", "not a drill store (the file is not an SQLite database)"),
    ("empty.db", "not a drill store (an empty file)"),
    ("other.db", "another program's SQLite database"),
    ("missing/drill.db", "does not exist; create it with `blinddrill live --store"),
])
def test_console_refuses_a_store_it_cannot_use(name: str, words: str, files: dict[str, Path],
                                               no_exec: None) -> None:
    db = files["tmp"] / name
    before = _digest(db) if db.exists() else None
    refused(run(["console", "--db", db, "--port", 18999]), str(db), words)
    assert (_digest(db) if db.exists() else None) == before
    assert not list(files["tmp"].glob("*-wal")) and not db.with_name(db.name + ".lock").exists()


def test_console_refuses_a_read_only_folder(files: dict[str, Path], no_exec: None,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """(Tests run as root, which ignores permission bits: the folder's refusal to be written
    is stood in for by ``os.access``, the call the command makes.)"""
    db = files["tmp"] / "drill.db"
    run(["live", "--store", db, "--user", "boss", "init", "--bcrypt-rounds", 4])
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, m: False if Path(p) == db.parent
                        else real(p, m))
    refused(run(["console", "--db", db, "--port", 18999]), "its folder is read-only")


@pytest.fixture
def live_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BLINDDRILL_PASSWORD", PASSWORD)
    monkeypatch.setenv("BLINDDRILL_PASSPHRASE", "a long passphrase")


@pytest.mark.parametrize(("name", "words"), [
    ("notsqlite.db", "not an SQLite database"),
    ("other.db", "another program's SQLite database"),
    ("afile/drill.db", "cannot open the store"),
])
def test_live_refuses_a_store_it_cannot_use(name: str, words: str, files: dict[str, Path],
                                            live_env: None) -> None:
    db = files["tmp"] / name
    before = _digest(db) if db.is_file() else None
    refused(run(["live", "--store", db, "--user", "boss", "init", "--bcrypt-rounds", 4]),
            str(db), words)
    refused(run(["live", "--store", db, "--user", "boss", "user", "list"]), str(db),
            "drill store")  # "not a drill store (...)" / "no drill store here"
    assert (_digest(db) if db.is_file() else None) == before


def test_live_import_bad_arguments_change_nothing(files: dict[str, Path],
                                                  live_env: None) -> None:
    db = files["tmp"] / "drill.db"
    base = ["live", "--store", db, "--user", "boss"]
    assert run([*base, "init", "--bcrypt-rounds", 4]).code == 0

    def dump() -> str:
        conn = sqlite3.connect(db)
        try:
            return "\n".join(conn.iterdump())
        finally:
            conn.close()

    before = dump()
    sealed = files["sealed"]
    refused(run([*base, "import", sealed, "--region", COUNTY, "--drill", "../../etc"]),
            "drill id '../../etc'")
    refused(run([*base, "import", sealed]), str(sealed), "no township")  # not the seed city
    refused(run([*base, "import", sealed, "--region", files["tmp"] / "afile"]),
            str(files["tmp"] / "afile"))
    refused(run([*base, "import", files["tmp"]]), "is a directory")
    assert dump() == before


def test_live_records_that_would_make_the_log_unscoreable_are_refused(
        files: dict[str, Path], live_env: None) -> None:
    """An umpire record about an incident that has not occurred, or a unit, depot, post or
    inject the drill does not have, would make the drill's log fail ``check_log`` (and the
    drill unscoreable): refused at once, nothing appended. ``log --after`` out of range is one
    line too (it was an OverflowError)."""
    db = files["tmp"] / "drill.db"
    base = ["live", "--store", db, "--user", "boss"]
    assert run([*base, "init", "--bcrypt-rounds", 4]).code == 0
    assert run([*base, "import", files["sealed"], "--region", COUNTY, "--drill", "D1"]).code == 0
    assert run([*base, "start", "--drill", "D1"]).code == 0
    for extra, words in ((["--incident", "I01"], "incident 'I01' has not occurred"),
                         (["--unit", "U-NOPE"], "unit 'U-NOPE' is not in the drill's region"),
                         (["--depot", "D-NOPE"], "depot 'D-NOPE' is not in"),
                         (["--post", "P-NOPE"], "command post 'P-NOPE' is not in"),
                         (["--inject", "J-NOPE"], "inject 'J-NOPE' is not in drill 'D1'")):
        refused(run([*base, "record", "observation", "--drill", "D1", "--data", "text=x",
                     *extra]), words)
    refused(run([*base, "log", "--drill", "D1", "--after", -10**20]), "--after")
    log = run([*base, "log", "--drill", "D1"])
    assert log.code == 0 and len([ln for ln in log.out.splitlines() if ln]) == 1  # the start
