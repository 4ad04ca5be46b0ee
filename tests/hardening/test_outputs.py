"""Outputs: atomic writes, directory swaps that never leave less than they found, outputs that
would overwrite an input, and every OSError as one line - through the CLI where a user meets
them, and against :mod:`scenarios.outputs` directly for the failure paths."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from scenarios.outputs import (
    OutputError,
    atomic_write,
    atomic_write_many,
    check_output_file,
    staged_dir,
)
from tests.hardening.conftest import refused, run
from tests.hardening.corpus import COUNTY


def _tree(d: Path) -> dict[str, bytes]:
    return {str(p.relative_to(d)): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file()}


# ----- through the CLI ------------------------------------------------------------------------
def test_generate_output_is_a_directory(tmp_path: Path) -> None:
    refused(run(["generate", "--region", COUNTY, "--seed", 1, "-o", tmp_path]), str(tmp_path))


def test_generate_output_parent_is_a_file(tmp_path: Path) -> None:
    f = tmp_path / "f"
    f.write_text("x", encoding="utf-8")
    refused(run(["generate", "--region", COUNTY, "--seed", 1, "-o", f / "s.json"]),
            "is a file, not a folder")


def test_generate_refuses_to_overwrite_its_region(tmp_path: Path) -> None:
    region = tmp_path / "county.yaml"
    region.write_bytes(COUNTY.read_bytes())
    refused(run(["generate", "--region", region, "--seed", 1, "-o", region]),
            "would overwrite the input")
    assert region.read_bytes() == COUNTY.read_bytes()


def test_generate_refuses_to_overwrite_its_region_by_another_path(tmp_path: Path) -> None:
    region = tmp_path / "county.yaml"
    region.write_bytes(COUNTY.read_bytes())
    (tmp_path / "sub").mkdir()
    refused(run(["generate", "--region", region, "--seed", 1, "-o",
                 tmp_path / "sub" / ".." / "county.yaml"]), "would overwrite the input")
    assert region.read_bytes() == COUNTY.read_bytes()


def test_record_history_in_a_missing_folder_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "s.json"
    refused(run(["generate", "--region", COUNTY, "--seed", 1, "-o", out, "--record-history",
                 tmp_path / "nope" / "history.json"]), "does not exist")
    assert not out.exists()


def test_record_history_that_is_not_a_list_writes_nothing(tmp_path: Path) -> None:
    out, hist = tmp_path / "s.json", tmp_path / "history.json"
    hist.write_text("a: 1\n", encoding="utf-8")
    refused(run(["generate", "--region", COUNTY, "--seed", 1, "-o", out, "--record-history",
                 hist]), "must be a list")
    assert not out.exists() and hist.read_text(encoding="utf-8") == "a: 1\n"


def test_record_history_same_as_output(tmp_path: Path) -> None:
    out = tmp_path / "s.json"
    refused(run(["generate", "--region", COUNTY, "--seed", 1, "-o", out, "--record-history",
                 out]), "--record-history")
    assert not out.exists()


def test_generate_writes_history_and_sealed_file_together(tmp_path: Path) -> None:
    out, hist = tmp_path / "s.json", tmp_path / "history.json"
    for seed in (1, 2):
        r = run(["generate", "--region", COUNTY, "--seed", seed, "-o", out, "--record-history",
                 hist])
        assert r.code == 0, r.err
    import json

    from scenarios.sealing import read_sealed

    items = json.loads(hist.read_text(encoding="utf-8"))
    assert len(items) == 2 and items[-1]["commitment"] == read_sealed(out).commitment
    assert read_sealed(out).scenario.meta["region"]["name"].startswith("青溪县")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp files left


def test_simulate_force_on_a_wrong_region_keeps_the_old_run(county_files: dict[str, Path],
                                                            tmp_path: Path) -> None:
    """A scenario generated for the county, played on the seed city with --force: refused,
    naming both regions, and the old run is untouched."""
    import shutil

    rd = tmp_path / "run"
    shutil.copytree(county_files["run"], rd)
    (rd / "notes.txt").write_text("umpire notes", encoding="utf-8")
    before = _tree(rd)
    sealed = tmp_path / "s.json"
    assert run(["generate", "--region", COUNTY, "--seed", 3, "-o", sealed]).code == 0
    msg = refused(run(["simulate", sealed, "--seed", 1, "-o", rd, "--force"]),
                  "was generated for region", "青溪县", "seed city")
    assert str(sealed) in msg
    assert _tree(rd) == before


def test_simulate_force_replaces_and_keeps_other_files(county_files: dict[str, Path],
                                                       tmp_path: Path) -> None:
    import shutil

    rd = tmp_path / "run"
    shutil.copytree(county_files["run"], rd)
    (rd / "notes.txt").write_text("umpire notes", encoding="utf-8")
    (rd / "baseline").mkdir()
    r = run(["simulate", county_files["scenario"], "--region", COUNTY, "--seed", 5, "-o", rd,
             "--force"])
    assert r.code == 0, r.err
    assert (rd / "notes.txt").read_text(encoding="utf-8") == "umpire notes"
    assert not (rd / "baseline").exists()  # the stale baseline of the old run is dropped
    assert b'"seed":5' in (rd / "events.jsonl").read_bytes().split(b"\n")[0]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_simulate_bad_params_with_force_keeps_the_old_run(county_files: dict[str, Path],
                                                          tmp_path: Path) -> None:
    import shutil

    rd = tmp_path / "run"
    shutil.copytree(county_files["run"], rd)
    before = _tree(rd)
    bad = tmp_path / "params.yaml"
    bad.write_text("schema: blinddrill.behaviour/1\nalarm: 5\n", encoding="utf-8")
    refused(run(["simulate", county_files["scenario"], "--region", COUNTY, "--params", bad,
                 "--seed", 1, "-o", rd, "--force"]), str(bad))
    assert _tree(rd) == before


def test_simulate_output_is_a_file(county_files: dict[str, Path], tmp_path: Path) -> None:
    f = tmp_path / "run"
    f.write_text("x", encoding="utf-8")
    refused(run(["simulate", county_files["scenario"], "--region", COUNTY, "--seed", 1, "-o",
                 f]), str(f))


@pytest.mark.parametrize("seed", ["1e41", "-1", str(2**64), "abc"])
def test_simulate_bad_seed_writes_nothing(county_files: dict[str, Path], tmp_path: Path,
                                          seed: str) -> None:
    r = run(["simulate", county_files["scenario"], "--region", COUNTY, "--seed", seed, "-o",
             tmp_path / "run"])
    assert r.crash is None and r.code == 2 and "--seed" in r.err
    assert not (tmp_path / "run").exists()


def test_score_out_is_a_directory_or_the_log(county_files: dict[str, Path],
                                             tmp_path: Path) -> None:
    refused(run(["score", county_files["run"], "--out", tmp_path]), "is a directory")
    log = county_files["run"] / "events.jsonl"
    before = log.read_bytes()
    refused(run(["score", county_files["run"], "--out", log]), "would overwrite the input")
    assert log.read_bytes() == before


def test_msel_output_over_its_sealed_input(county_files: dict[str, Path], tmp_path: Path) -> None:
    s = tmp_path / "s.json"
    s.write_bytes(county_files["sealed"].read_bytes())
    refused(run(["msel", s, "-o", s]), "would overwrite the input")
    assert s.read_bytes() == county_files["sealed"].read_bytes()


def test_region_default_parent_is_a_file(tmp_path: Path) -> None:
    f = tmp_path / "f"
    f.write_text("x", encoding="utf-8")
    refused(run(["region", "default", "-o", f / "r.yaml"]), "is a file, not a folder")


def test_read_only_target_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A read-only file system (EROFS at the rename): one line, the old file intact."""
    out = tmp_path / "r.yaml"
    out.write_text("old", encoding="utf-8")

    def replace(a: object, b: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system", str(b))

    monkeypatch.setattr(os, "replace", replace)
    r = run(["region", "default", "-o", out])
    msg = refused(r, str(out), "read-only file system")
    assert msg.count("\n") == 1
    assert out.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["r.yaml"]


def test_any_oserror_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An OSError no writer foresaw still reaches the user as one line naming the path."""
    import scenarios.seed_city as sc

    def boom() -> None:
        raise PermissionError(errno.EACCES, "Permission denied", "/data/city.yaml")

    monkeypatch.setattr(sc, "default_region", boom)
    r = run(["region", "default", "-o", tmp_path / "r.yaml"])
    assert r.crash is None and r.code == 2
    assert r.err.strip() == "Error: /data/city.yaml: permission denied"


# ----- the module directly --------------------------------------------------------------------
def test_atomic_write_replaces_whole_files(tmp_path: Path) -> None:
    p = tmp_path / "a.txt"
    atomic_write(p, "one")
    atomic_write(p, b"two")
    assert p.read_bytes() == b"two" and os.listdir(tmp_path) == ["a.txt"]


def test_atomic_write_many_writes_nothing_if_one_path_is_bad(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.txt", tmp_path / "dir"
    bad.mkdir()
    with pytest.raises(OutputError, match="is a directory"):
        atomic_write_many([(good, b"x"), (bad, b"y")])
    assert not good.exists()


def test_atomic_write_many_failure_while_writing(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.write_bytes(b"old a")
    real = os.fsync
    calls = []

    def fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(OutputError, match="no space left"):
        atomic_write_many([(a, b"new a"), (b, b"new b")])
    assert a.read_bytes() == b"old a" and not b.exists()
    assert sorted(os.listdir(tmp_path)) == ["a"]


def test_check_output_file_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="does not exist"):
        check_output_file(tmp_path / "x" / "y.json", create_parents=False)
    assert check_output_file(tmp_path / "x" / "y.json") == tmp_path / "x" / "y.json"


def test_staged_dir_failure_in_body_leaves_old(tmp_path: Path) -> None:
    d = tmp_path / "run"
    d.mkdir()
    (d / "events.jsonl").write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), staged_dir(d) as new:
        (new / "events.jsonl").write_text("new", encoding="utf-8")
        raise RuntimeError("simulation failed")
    assert _tree(d) == {"events.jsonl": b"old"} and os.listdir(tmp_path) == ["run"]


def test_staged_dir_failure_in_swap_restores_everything(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    d = tmp_path / "run"
    d.mkdir()
    (d / "events.jsonl").write_text("old", encoding="utf-8")
    (d / "notes.txt").write_text("keep", encoding="utf-8")
    real = os.rename

    def rename(a: object, b: object) -> None:
        if Path(str(b)) == d and ".run.new-" in str(a):  # the final swap fails
            raise OSError(errno.EIO, "Input/output error")
        real(a, b)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "rename", rename)
    with pytest.raises(OutputError, match="input/output error"), staged_dir(d) as new:
        (new / "events.jsonl").write_text("new", encoding="utf-8")
    monkeypatch.setattr(os, "rename", real)
    assert _tree(d) == {"events.jsonl": b"old", "notes.txt": b"keep"}
    assert os.listdir(tmp_path) == ["run"]


def test_staged_dir_creates_a_new_directory(tmp_path: Path) -> None:
    d = tmp_path / "a" / "run"
    with staged_dir(d) as new:
        (new / "x").write_text("1", encoding="utf-8")
    assert _tree(d) == {"x": b"1"}


@pytest.mark.parametrize("command", ["batch", "whatif"])
def test_batch_and_whatif_refuse_a_scenario_made_for_another_region(tmp_path: Path,
                                                                    command: str) -> None:
    """The one input loader (ui/commands/inputs.py) checks the region stamp for every
    simulating command: a county scenario on the built-in seed city is refused naming both
    regions, before any replication is run (batch used to go straight to the references)."""
    alts = tmp_path / "alts.yaml"
    alts.write_text("alternatives:\n  - name: same\n", encoding="utf-8")
    extra = ["--alternatives", alts] if command == "whatif" else []
    out = tmp_path / "b"
    sealed = tmp_path / "s.json"
    assert run(["generate", "--region", COUNTY, "--seed", 3, "-o", sealed]).code == 0
    res = run([command, sealed, "-n", 2, "--workers", 1, "-o", out, *extra])
    refused(res, "was generated for region", "青溪县", "seed city")
    assert not (out / "summary.json").exists()


@pytest.mark.parametrize("command", ["simulate", "batch"])
def test_a_refused_input_leaves_no_empty_output_folders(county_files: dict[str, Path],
                                                         tmp_path: Path, command: str) -> None:
    """The output is checked before the inputs are read, and that check creates nothing:
    a refused scenario leaves no folder behind (the check used to make the parents)."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("injects: 3\n", encoding="utf-8")
    out = tmp_path / "new" / "deeper" / "run"
    args = ["--seed", 1] if command == "simulate" else ["-n", 2, "--workers", 1]
    refused(run([command, bad, *args, "-o", out]), str(bad))
    assert not (tmp_path / "new").exists()
    ok = run(["simulate", county_files["scenario"], "--region", COUNTY, "--seed", 1, "-o", out])
    assert ok.code == 0, ok.err
    assert (out / "events.jsonl").is_file()  # a good run still makes the folders it needs
