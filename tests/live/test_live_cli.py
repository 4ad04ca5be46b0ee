"""Done-when: a drill played start to end from the CLI by a director and two umpires in
separate processes (the umpires at the same time), exported, verified, scored and reported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import orjson
import pytest

ROOT = Path(__file__).resolve().parents[2]
COUNTY = ROOT / "scenarios" / "regions" / "county.yaml"


def _cli(env: dict[str, str], *args: str, user: str, password: str = "dir-pass-1",
         ok: bool = True) -> subprocess.CompletedProcess[str]:
    e = dict(env, BLINDDRILL_USER=user, BLINDDRILL_PASSWORD=password)
    r = subprocess.run([str(Path(sys.executable).with_name("blinddrill")), *args], env=e, cwd=ROOT,
                       capture_output=True, text=True, timeout=120)
    if ok:
        assert r.returncode == 0, f"{args}: {r.stdout}{r.stderr}"
    return r


@pytest.mark.slow
def test_a_drill_played_from_the_cli_by_a_director_and_two_umpires(tmp_path, sealed_bytes):
    sealed = tmp_path / "sealed.json"
    sealed.write_bytes(sealed_bytes)
    doc = orjson.loads(sealed_bytes)
    inj = doc["scenario"]["injects"][0]
    inc = inj["incident"]["id"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("BLINDDRILL_")}
    env.update(BLINDDRILL_STORE=str(tmp_path / "drill.db"), BLINDDRILL_DRILL="d1",
               BLINDDRILL_PASSPHRASE="a long drill passphrase", PYTHONPATH=str(ROOT))
    d = "director1"
    _cli(env, "live", "init", "--bcrypt-rounds", "4", user=d)
    again = _cli(env, "live", "init", "--bcrypt-rounds", "4", user="director2", ok=False)
    assert again.returncode == 2 and "already has accounts" in again.stderr  # a state, not a login
    for u in ("umpire1", "umpire2"):
        _cli(dict(env, BLINDDRILL_NEW_PASSWORD="ump-pass-1"), "live", "user", "add", u,
             "--role", "evaluator", user=d)
    _cli(env, "live", "import", str(sealed), "--drill", "d1", "--region", str(COUNTY),
         "--expect", doc["commitment"], user=d)
    bad = _cli(env, "live", "import", str(sealed), "--drill", "d2", "--expect", "sha256:00",
               user=d, ok=False)
    assert bad.returncode == 2 and "NOT the published" in bad.stderr
    _cli(env, "live", "start", user=d)
    r = _cli(env, "live", "--json", "release", inj["id"], user=d)
    assert json.loads(r.stdout)["done"] is True
    again = _cli(env, "live", "release", inj["id"], user=d)
    assert "already released" in again.stdout

    def umpire1() -> None:
        u = dict(user="umpire1", password="ump-pass-1")
        _cli(env, "live", "record", "alarm_raised", "--incident", inc, "--data",
             "level=county", **u)
        _cli(env, "live", "record", "alarm_taken", "--incident", inc, "--data",
             "level=county", **u)
        _cli(env, "live", "record", "unit_dispatched", "--incident", inc, "--unit", "U-T01",
             "--data", "level=county", "--data", "eta_min=6.5", **u)
        _cli(env, "live", "record", "unit_arrived", "--incident", inc, "--unit", "U-T01", **u)
        _cli(env, "live", "record", "incident_controlled", "--incident", inc, **u)

    def umpire2() -> None:
        u = dict(user="umpire2", password="ump-pass-1")
        _cli(env, "live", "observe", "call taken calmly, location confirmed", "--rating", "S",
             "--capability", "alarm_dispatch", "--incident", inc, "--action-id",
             "obs-000001", **u)
        rr = _cli(env, "live", "observe", "call taken calmly, location confirmed",
                  "--rating", "S", "--action-id", "obs-000001", **u)  # a retry
        assert "already recorded" in rr.stdout
        _cli(env, "live", "record", "role_designated", "--incident", inc, "--data",
             "role=safety_officer", "--data", "person=Wang", **u)

    ts = [threading.Thread(target=f) for f in (umpire1, umpire2)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    live = json.loads(_cli(env, "live", "--json", "score", user="umpire2",
                           password="ump-pass-1").stdout)
    assert live["censored"] is True and live["events"] >= 10
    assert live["scorecard"]["clocks"]["take_alarm"]["n"] == 1
    refused = _cli(env, "live", "end", user="umpire1", password="ump-pass-1", ok=False)
    assert refused.returncode == 3 and "may not end" in refused.stderr
    _cli(env, "live", "hold", "--reason", "check", user=d)
    _cli(env, "live", "resume", user=d)
    _cli(env, "live", "end", user=d)
    st = json.loads(_cli(env, "live", "--json", "status", user=d).stdout)["status"]
    assert st["status"] == "ended"
    log = [json.loads(x) for x in _cli(env, "live", "log", user="umpire2",
                                       password="ump-pass-1").stdout.splitlines()]
    kinds = [r["kind"] for r in log]
    assert kinds[:3] == ["drill_started", "inject_released", "incident_occurred"]
    assert kinds.count("observation") == 1 and kinds[-1] == "drill_ended"
    assert {r["data"].get("author") for r in log if r["source"] == "umpire"} == {
        "umpire1", "umpire2"}
    run = tmp_path / "run"
    _cli(env, "live", "export", "-o", str(run), user=d)
    v = _cli(env, "verify", str(run), user=d)
    assert "hash chain verified" in v.stdout
    _cli(env, "verify", "--db", str(tmp_path / "drill.db"), "--drill", "d1", user=d)
    card = json.loads(_cli(env, "score", str(run), "--json", user=d).stdout)
    assert card["run"]["mode"] == "live" and card["run"]["incidents"] == 1
    assert card["clocks"]["take_alarm"]["n"] == 1
    assert card["clocks"]["arrive"]["n"] == 1
    _cli(env, "report", str(run), "--lang", "en", "-o", str(tmp_path / "aar.html"), user=d)
    assert (tmp_path / "aar.html").stat().st_size > 1000
