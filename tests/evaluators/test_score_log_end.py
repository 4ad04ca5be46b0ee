"""``score_run`` (and the ``score`` and ``report`` commands) refuse a log that does not end where
the run recorded it, and a log whose values the scorer would choke on; a live export scores."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import orjson
import pytest

from engine.eventlog import write_jsonl
from evaluators import score_run
from scenarios.loading import InputError

ROOT = Path(__file__).resolve().parents[2]
COUNTY = ROOT / "scenarios" / "regions" / "county.yaml"


@pytest.fixture(scope="module")
def sim_run(county_sim_run: Path) -> Path:
    """The shared simulated county run (``tests/conftest.py``)."""
    return county_sim_run


def _cli(args: list[Any]) -> Any:
    """``blinddrill ARGS`` in-process with the CLI's own error handling (exit 2 on bad input)."""
    from tests.hardening.conftest import run

    return run(args)


def _cut(sim_run: Path, tmp_path: Path, keep: int) -> Path:
    run = tmp_path / "cut"
    shutil.copytree(sim_run, run)
    lines = (sim_run / "events.jsonl").read_bytes().splitlines(keepends=True)
    (run / "events.jsonl").write_bytes(b"".join(lines[:keep]))
    return run


@pytest.mark.parametrize("overlap", [False, True])
def test_score_run_refuses_a_log_cut_short(sim_run: Path, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch,
                                           overlap: bool) -> None:
    import engine.checkahead as ca

    if overlap:  # the forked check of a large log gets the recorded final hash too
        monkeypatch.setattr(ca, "OVERLAP_MIN_BYTES", 0)
    run = _cut(sim_run, tmp_path, 150)
    with pytest.raises(InputError) as exc:
        score_run(run)
    msg = str(exc.value)
    assert "events.jsonl:150" in msg and "the log was cut short" in msg


def test_score_run_refuses_an_edited_last_record(sim_run: Path, tmp_path: Path) -> None:
    run = tmp_path / "edited"
    shutil.copytree(sim_run, run)
    recs = [orjson.loads(x) for x in (run / "events.jsonl").read_bytes().splitlines()]
    recs[-1]["data"]["reason"] = "edited"
    write_jsonl(recs, run / "events.jsonl")  # a consistent chain, but not the sealed end
    with pytest.raises(InputError, match="the last record was edited"):
        score_run(run)


def test_score_and_report_exit_2_on_a_cut_log(sim_run: Path, tmp_path: Path) -> None:
    run = _cut(sim_run, tmp_path, 150)
    s = _cli(["score", run])
    assert s.code == 2 and "cut short" in s.err, s
    r = _cli(["report", run, "-o", tmp_path / "aar.html"])
    assert r.code == 2 and "cut short" in r.err, r
    assert not (tmp_path / "aar.html").exists()


def test_intact_run_and_run_without_final_hash_still_score(sim_run: Path, tmp_path: Path) -> None:
    assert score_run(sim_run).run.events > 0
    run = _cut(sim_run, tmp_path, 150)
    (run / "inputs" / "run.json").unlink()  # nothing says where the log ends
    assert score_run(run).run.events == 150


def test_bad_run_json_is_named(sim_run: Path, tmp_path: Path) -> None:
    run = tmp_path / "bad"
    shutil.copytree(sim_run, run)
    doc = json.loads((run / "inputs" / "run.json").read_text())
    doc["log"]["final_hash"] = 12
    (run / "inputs" / "run.json").write_text(json.dumps(doc))
    with pytest.raises(InputError, match=r"(?s)run\.json.*log\.final_hash"):
        score_run(run)
    (run / "inputs" / "run.json").write_text("{not json")
    with pytest.raises(InputError, match=r"(?s)run\.json.*not valid JSON"):
        score_run(run)


@pytest.mark.parametrize("value", ["lots", {"dead": "x"}])
def test_malformed_casualties_is_an_input_error_not_a_crash(sim_run: Path, tmp_path: Path,
                                                            value: Any) -> None:
    run = tmp_path / "bad"
    shutil.copytree(sim_run, run)
    recs = [orjson.loads(x) for x in (run / "events.jsonl").read_bytes().splitlines()]
    k = next(i for i, r in enumerate(recs) if r["kind"] == "incident_occurred")
    recs[k]["data"]["casualties"] = value
    (run / "inputs" / "run.json").unlink()  # only the value is wrong
    write_jsonl(recs, run / "events.jsonl")
    with pytest.raises(InputError, match=rf"events\.jsonl:{k + 1}: data\.casualties"):
        score_run(run)
    for args in (["score", run], ["report", run, "-o", tmp_path / "aar.html"]):
        res = _cli(args)
        assert res.code == 2, res
        assert f"events.jsonl:{k + 1}: data.casualties" in res.err
        assert "Traceback" not in res.err + res.out


def test_live_export_scores(tmp_path: Path) -> None:
    from scenarios.region import load_region
    from tests.live.conftest import make_sealed, new_live

    lv = new_live(tmp_path, make_sealed(load_region(COUNTY)), COUNTY.read_text("utf-8"))
    try:
        lv.svc.start(lv.director, lv.drill)
        plan = lv.svc.msel(lv.director, lv.drill)
        lv.svc.release(lv.director, lv.drill, plan[0].id)
        lv.clock.advance(60)
        lv.svc.end(lv.director, lv.drill)
        out = lv.svc.export(lv.director, lv.drill, tmp_path / "export")
    finally:
        lv.svc.close()
    run = Path(out) if not isinstance(out, Path) else out
    assert json.loads((run / "inputs" / "run.json").read_text())["log"]["final_hash"]
    assert score_run(run).run.events > 0
