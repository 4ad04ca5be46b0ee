"""Hand-listed bad inputs: event logs, sealed files, MSEL workbooks, histories, baselines and
output paths, each through the real CLI. Same rule as the generated corpus: non-zero exit, a
message naming the file and the line or field, no traceback, no partial output."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest

from tests.hardening.conftest import refused, run
from tests.hardening.corpus import COUNTY

Edit = Callable[[list[bytes]], list[bytes]]


def _copy_run(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst


def _line(n: int, fn: Callable[[dict], object]) -> Edit:  # type: ignore[type-arg]
    def edit(lines: list[bytes]) -> list[bytes]:
        rec = orjson.loads(lines[n - 1])
        out = fn(rec)
        lines[n - 1] = out if isinstance(out, bytes) else orjson.dumps(rec) + b"\n"
        return lines
    return edit


def _first_with(lines: list[bytes], kind: bytes) -> int:
    return next(i for i, ln in enumerate(lines, 1) if b'"kind":"' + kind + b'"' in ln)


def _set_incident(lines: list[bytes]) -> list[bytes]:
    n = _first_with(lines, b"alarm_raised")
    return _line(n, lambda r: r.update(incident="I99"))(lines)


def _set_unit(lines: list[bytes]) -> list[bytes]:
    n = _first_with(lines, b"unit_dispatched")
    return _line(n, lambda r: r.update(unit="U-NOPE"))(lines)


def _swap(lines: list[bytes]) -> list[bytes]:
    lines[9], lines[-3] = lines[-3], lines[9]
    return lines


#: (case, edit of the lines, substrings of the message, line number named or None)
LOG_CASES: list[tuple[str, Edit | bytes, tuple[str, ...]]] = [
    ("cut-last-line", lambda ls: [*ls[:-1], ls[-1][: len(ls[-1]) // 2]], ("cut off",)),
    ("garbled-line", lambda ls: [*ls[:4], b"{\"seq\": 4, garbage\n", *ls[5:]], (":5:", "JSON")),
    ("gbk", lambda ls: [ln.decode("utf-8").encode("gbk", "replace") for ln in ls], ("UTF-8",)),
    ("bom", lambda ls: [b"\xef\xbb\xbf" + ls[0], *ls[1:]], ("BOM",)),
    ("nan", _line(4, lambda r: orjson.dumps(r).replace(b'"t":', b'"t":NaN,"x":') + b"\n"),
     (":4:", "NaN")),
    ("t-text", _line(4, lambda r: r.update(t="12:30")), (":4:", "t:")),
    ("empty", b"", ("empty",)),
    ("only-blank", b"\n\n", ("blank",)),
    ("out-of-order", _swap, ("out of time order",)),
    ("seq-twice", lambda ls: [*ls[:5], ls[4], *ls[5:]], ("seq",)),
    ("seq-gap", lambda ls: [*ls[:5], *ls[6:]], (":6:", "seq")),
    ("incident-never-occurred", _set_incident, ("I99", "has not occurred")),
    ("unit-not-in-region", _set_unit, ("U-NOPE", "not in the region")),
    ("unknown-kind", _line(3, lambda r: r.update(kind="alarm_rised")), (":3:", "alarm_rised")),
    ("missing-key", _line(3, lambda r: r.pop("source")), (":3:", "source")),
    ("extra-key", _line(3, lambda r: r.update(colour="red")), (":3:", "colour")),
    ("array-line", lambda ls: [*ls[:2], b"[1, 2]\n", *ls[3:]], (":3:", "object")),
    ("blank-line", lambda ls: [*ls[:2], b"\n", *ls[2:]], (":3:", "blank")),
    ("no-drill-started", lambda ls: ls[1:], ("drill_started",)),
    ("data-missing-key", lambda ls: _line(_first_with(ls, b"incident_occurred"),
                                          lambda r: r["data"].pop("category"))(ls),
     ("data.category",)),
    ("wrong-region", _line(1, lambda r: r["data"].update(region="另一个县")),
     ("另一个县", "region")),
]


@pytest.mark.parametrize("command", ["score", "report", "checklog"])
@pytest.mark.parametrize("case, edit, want", LOG_CASES, ids=[c[0] for c in LOG_CASES])
def test_bad_log(county_files: dict[str, Path], tmp_path: Path, command: str, case: str,
                 edit: Edit | bytes, want: tuple[str, ...]) -> None:
    rd = _copy_run(county_files["run"], tmp_path / "run")
    log = rd / "events.jsonl"
    lines = log.read_bytes().splitlines(keepends=True)
    log.write_bytes(edit if isinstance(edit, bytes) else b"".join(edit(lines)))
    out = tmp_path / ("aar.html" if command == "report" else "card.json")
    argv = {"score": ["score", rd, "--out", out], "report": ["report", rd, "-o", out],
            "checklog": ["checklog", rd]}[command]
    msg = refused(run(argv), *want)
    assert str(log) in msg, msg
    assert not out.exists()


def test_log_is_a_directory(county_files: dict[str, Path], tmp_path: Path) -> None:
    rd = tmp_path / "run"
    (rd / "events.jsonl").mkdir(parents=True)
    refused(run(["checklog", rd / "events.jsonl"]), "directory")


# ----- sealed scenario files ---------------------------------------------------------------
def _sealed_edit(fn: Callable[[dict], object]) -> Callable[[bytes], bytes]:  # type: ignore[type-arg]
    def edit(raw: bytes) -> bytes:
        doc = orjson.loads(raw)
        fn(doc)
        return orjson.dumps(doc)
    return edit


SEALED_CASES: list[tuple[str, Callable[[bytes], bytes], tuple[str, ...]]] = [
    ("empty", lambda b: b"", ()),
    ("not-json", lambda b: b"this is not json", ()),
    ("truncated", lambda b: b[: len(b) // 2], ()),
    ("gbk", lambda b: b.decode().encode("gbk", "replace"), ("UTF-8",)),
    ("list", lambda b: b"[1, 2, 3]", ()),
    ("missing-commitment", _sealed_edit(lambda d: d.pop("commitment")), ("commitment",)),
    ("unknown-key", _sealed_edit(lambda d: d.update(note="x")), ("note",)),
    ("wrong-schema", _sealed_edit(lambda d: d.update(schema="blinddrill.sealed/9")),
     ("schema",)),
    ("salt-number", _sealed_edit(lambda d: d.update(salt=5)), ("salt",)),
    ("tampered", _sealed_edit(lambda d: d["scenario"].update(duration_min=999)),
     ("MISMATCH",)),
    ("nan", lambda b: b.replace(b'"duration_min":', b'"duration_min":NaN,"x":', 1), ()),
]


@pytest.mark.parametrize("command", ["verify", "simulate", "msel"])
@pytest.mark.parametrize("case, edit, want", SEALED_CASES, ids=[c[0] for c in SEALED_CASES])
def test_bad_sealed(county_files: dict[str, Path], tmp_path: Path, command: str, case: str,
                    edit: Callable[[bytes], bytes], want: tuple[str, ...]) -> None:
    p = tmp_path / "sealed.json"
    p.write_bytes(edit(county_files["sealed"].read_bytes()))
    argv = {"verify": ["verify", p],
            "simulate": ["simulate", p, "--region", COUNTY, "--seed", 1, "-o", tmp_path / "run"],
            "msel": ["msel", p, "-o", tmp_path / "m.xlsx"]}[command]
    msg = refused(run(argv), *want)
    assert str(p) in msg
    assert not (tmp_path / "run").exists() and not (tmp_path / "m.xlsx").exists()


# ----- MSEL workbooks ------------------------------------------------------------------------
def _workbook(county_files: dict[str, Path], tmp_path: Path, fn: Callable[..., None]) -> Path:
    from openpyxl import load_workbook

    x = tmp_path / "msel.xlsx"
    r = run(["msel", county_files["sealed"], "-o", x])
    assert r.code == 0, r.err
    wb = load_workbook(x)
    fn(wb)
    wb.save(x)
    return x


def _cell(ref: str, value: object) -> Callable[..., None]:
    def fn(wb) -> None:  # type: ignore[no-untyped-def]
        wb["MSEL"][ref] = value
    return fn


MSEL_CASES: list[tuple[str, Callable[..., None], tuple[str, ...]]] = [
    ("minutes-75", _cell("B2", "00:75:00"), ("row 2", "column B", "75 minutes")),
    ("hour-25-minutes-99", _cell("B3", "25:99:00"), ("row 3", "column B", "99 minutes")),
    ("seconds-61", _cell("B2", "00:10:61"), ("row 2", "column B", "61 seconds")),
    ("not-a-time", _cell("B2", "soon"), ("row 2", "column B", "HH:MM:SS")),
    ("after-the-end", _cell("B2", "99:00:00"), ("row 2", "column B", "after the drill ends")),
    ("story-feb-30", _cell("C2", "2026-02-30 08:00:00"), ("row 2", "column C")),
    ("method", _cell("G2", "信鸽"), ("row 2", "column G", "信鸽")),
    ("unknown-id", _cell("M2", "J999"), ("row 2", "column M")),
    ("all-rows-deleted", lambda wb: wb["MSEL"].delete_rows(2, 100), ("every inject",)),
    ("row-copied", lambda wb: wb["MSEL"].append([c.value for c in wb["MSEL"][2]]),
     ("already on row 2",)),
    ("header-changed", _cell("A1", "编号"), ("header",)),
    ("no-scenario-sheet", lambda wb: wb.remove(wb["scenario"]), ("scenario",)),
    ("scenario-sheet-damaged", lambda wb: wb["scenario"].__setitem__("A1", "{broken"),
     ("damaged",)),
]


@pytest.mark.parametrize("case, fn, want", MSEL_CASES, ids=[c[0] for c in MSEL_CASES])
def test_bad_msel(county_files: dict[str, Path], tmp_path: Path, case: str,
                  fn: Callable[..., None], want: tuple[str, ...]) -> None:
    x = _workbook(county_files, tmp_path, fn)
    out = tmp_path / "re-sealed.json"
    msg = refused(run(["msel", "--import", x, "-o", out]), *want)
    assert str(x) in msg
    assert not out.exists()


@pytest.mark.parametrize("content, want", [(b"", "not an .xlsx"), (b"a,b\n1,2\n", "not an .xlsx"),
                                           (None, "not found")])
def test_msel_not_a_workbook(tmp_path: Path, content: bytes | None, want: str) -> None:
    x = tmp_path / "msel.xlsx"
    if content is not None:
        x.write_bytes(content)
    refused(run(["msel", "--import", x, "-o", tmp_path / "o.json"]), str(x), want)


def test_msel_csv_import_is_refused(tmp_path: Path) -> None:
    c = tmp_path / "msel.csv"
    c.write_text("a,b\n", encoding="utf-8")
    refused(run(["msel", "--import", c, "-o", tmp_path / "o.json"]), "only .xlsx")


def test_msel_edit_is_applied(county_files: dict[str, Path], tmp_path: Path) -> None:
    """A valid edit still works: the inject moves to 00:05:30 and the file is re-sealed."""
    from scenarios.sealing import read_sealed

    x = _workbook(county_files, tmp_path, _cell("B2", "00:05:30"))
    out = tmp_path / "re-sealed.json"
    r = run(["msel", "--import", x, "-o", out])
    assert r.code == 0, r.err
    assert read_sealed(out).scenario.injects[0].t == 5.5


# ----- histories ------------------------------------------------------------------------------
HISTORY_CASES: list[tuple[str, bytes, tuple[str, ...]]] = [
    ("mapping", b"a: 1\n", ()),
    ("list-of-numbers", b"[1, 2]\n", ()),
    ("malformed", b"[{\n", ("line",)),
    ("gbk", "- 名字: 一\n".encode("gbk"), ("UTF-8",)),
]


@pytest.mark.parametrize("case, content, want", HISTORY_CASES, ids=[c[0] for c in HISTORY_CASES])
def test_bad_history(tmp_path: Path, case: str, content: bytes, want: tuple[str, ...]) -> None:
    h = tmp_path / "history.json"
    h.write_bytes(content)
    out = tmp_path / "s.json"
    msg = refused(run(["generate", "--region", COUNTY, "--history", h, "--seed", 1, "-o", out]),
                  *want)
    assert str(h) in msg and not out.exists()


def test_bad_file_in_history_folder(tmp_path: Path) -> None:
    (tmp_path / "hist").mkdir()
    bad = tmp_path / "hist" / "old.json"
    bad.write_text("{\"schema\": \"blinddrill.sealed/1\"}", encoding="utf-8")
    refused(run(["generate", "--region", COUNTY, "--history", tmp_path / "hist", "--seed", 1,
                 "-o", tmp_path / "s.json"]), str(bad))
    assert not (tmp_path / "s.json").exists()


def test_empty_history_is_no_past_drills(tmp_path: Path) -> None:
    """Accepted: an empty history file means no past drills yet (the first drill)."""
    h = tmp_path / "history.json"
    h.write_text("", encoding="utf-8")
    r = run(["generate", "--region", COUNTY, "--history", h, "--seed", 1, "--json", "-o",
             tmp_path / "s.json"])
    assert r.code == 0, r.err
    assert orjson.loads(r.out)["novelty"]["history"] == 0


# ----- baselines ------------------------------------------------------------------------------
def test_baseline_of_another_scenario_is_refused(county_files: dict[str, Path],
                                                 tmp_path: Path) -> None:
    base = tmp_path / "base"
    _copy_run(county_files["baseline"], base)
    other = base / "rep-1" / "events.jsonl"
    lines = other.read_bytes().splitlines(keepends=True)
    other.write_bytes(b"".join(_line(1, lambda r: r["data"].update(scenario="another"))(lines)))
    msg = refused(run(["score", county_files["run"], "--baseline", base]), "another")
    assert str(base / "rep-1") in msg and str(county_files["run"]) in msg


def test_baseline_with_an_empty_replication(county_files: dict[str, Path],
                                            tmp_path: Path) -> None:
    base = _copy_run(county_files["baseline"], tmp_path / "base")
    (base / "rep-2" / "events.jsonl").write_bytes(b"")
    refused(run(["score", county_files["run"], "--baseline", base]),
            str(base / "rep-2" / "events.jsonl"), "empty")


@pytest.mark.parametrize("make, want", [
    (lambda d: d.mkdir(), "no run directories"),
    (lambda d: d.write_text("x", encoding="utf-8"), "not a directory"),
    (lambda d: None, "not a directory"),
])
def test_baseline_not_a_baseline(county_files: dict[str, Path], tmp_path: Path,
                                 make: Callable[[Path], None], want: str) -> None:
    b = tmp_path / "base"
    make(b)
    refused(run(["score", county_files["run"], "--baseline", b]), str(b), want)


def test_good_baseline_still_compares(county_files: dict[str, Path]) -> None:
    r = run(["score", county_files["run"], "--baseline", county_files["baseline"], "--json"])
    assert r.code == 0, r.err
    assert orjson.loads(r.out)["baseline"]["replications"] == 2
