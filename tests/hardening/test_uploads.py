"""The console's uploads in the bad-input corpus: the director's desk imports a sealed scenario
file (its only upload). Every broken file is driven through the service call the page makes
(:meth:`live.service.LiveService.import_drill`) and must be refused with a reason the console
words in Chinese, naming the file, leaving the store byte for byte as it was; a few go through
the page itself with ``streamlit.testing.v1.AppTest`` (one Chinese message, no traceback).
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from live.upload import REASONS, UploadRefused
from scenarios.sealing import commitment_of
from tests.hardening.corpus import COUNTY
from ui.console.strings import STRINGS

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "console"))

from consolehelp import PASSWORDS, page_test  # noqa: E402

PASSPHRASE = "a long passphrase"


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The console's demo store (seed city, one sealed drill, demo accounts)."""
    from ui.console.demo import make_demo

    db = tmp_path_factory.mktemp("uploads") / "drill.db"
    make_demo(db, rounds=4)
    return db


@pytest.fixture(scope="module")
def good() -> bytes:
    """A valid sealed scenario of the seed city (what the desk's generator makes)."""
    from ui.console.demo import sealed_scenario

    return bytes(sealed_scenario(11).to_bytes())


@pytest.fixture(scope="module")
def county_sealed() -> bytes:
    """A valid sealed scenario generated for another region (the example county)."""
    from scenarios.catalogue import load_catalogue
    from scenarios.fingerprint import region_stamp
    from scenarios.generator import generate
    from scenarios.plan import load_plan
    from scenarios.region import load_region
    from scenarios.sealing import seal

    county = load_region(COUNTY)
    sc = generate(county, load_catalogue(), load_plan(None), 3)
    sc = sc.model_copy(update={"meta": {**sc.meta, "region": region_stamp(county)}})  # as
    return seal(sc).to_bytes()  # `blinddrill generate` stamps it


def _resealed(edit: Callable[[dict[str, Any]], None]) -> Callable[[bytes], bytes]:
    """A hand-edited scenario sealed again with a correct commitment (a forged but
    well-formed file): only the content checks can refuse it."""
    def make(good: bytes) -> bytes:
        doc = orjson.loads(good)
        edit(doc["scenario"])
        doc["commitment"] = commitment_of(doc["salt"], doc["scenario"])
        return orjson.dumps(doc)
    return make


def _edited(edit: Callable[[dict[str, Any]], None]) -> Callable[[bytes], bytes]:
    def make(good: bytes) -> bytes:
        doc = orjson.loads(good)
        edit(doc)
        return orjson.dumps(doc)
    return make


def _first_incident(sc: dict[str, Any]) -> dict[str, Any]:
    return next(i["incident"] for i in sc["injects"] if i.get("kind", "incident") == "incident")


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
XLSX = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00" + b"\x00" * 40

#: (case, the broken bytes from the good file, the reason the service gives)
CASES: list[tuple[str, Callable[[bytes], bytes], str]] = [
    ("empty", lambda g: b"", "empty"),
    ("whitespace", lambda g: b"  \n\n", "empty"),
    ("truncated", lambda g: g[: len(g) // 2], "not_json"),
    ("cut-last-byte", lambda g: g.rstrip()[:-1], "not_json"),
    ("malformed", lambda g: b"{\"schema\": \"blinddrill.sealed/1\", garbage", "not_json"),
    ("nan", lambda g: b'{"schema": NaN}', "not_json"),
    ("deeply-nested", lambda g: b"[" * 100_000, "not_json"),
    ("gbk", lambda g: g.decode("utf-8").encode("gbk"), "encoding"),
    ("bom", lambda g: b"\xef\xbb\xbf" + g, "encoding"),
    ("png-image", lambda g: PNG, "not_sealed"),
    ("xlsx-workbook", lambda g: XLSX, "not_sealed"),
    ("yaml-scenario", lambda g: b"schema: blinddrill.scenario/1\nid: x\ninjects: []\n",
     "not_json"),
    ("json-list", lambda g: b"[1, 2, 3]", "not_sealed"),
    ("plain-scenario-json", lambda g: orjson.dumps(orjson.loads(g)["scenario"]), "not_sealed"),
    ("wrong-schema", _edited(lambda d: d.update(schema="blinddrill.sealed/9")), "not_sealed"),
    ("missing-commitment", _edited(lambda d: d.pop("commitment")), "not_sealed"),
    ("unknown-key", _edited(lambda d: d.update(note="x")), "not_sealed"),
    ("salt-not-text", _edited(lambda d: d.update(salt=7)), "not_sealed"),
    ("tampered-time", _edited(lambda d: d["scenario"]["injects"][0].update(
        t=d["scenario"]["injects"][0]["t"] + 1)), "tampered"),
    ("tampered-salt", _edited(lambda d: d.update(salt="0" * 32)), "tampered"),
    ("forged-negative-time", _resealed(lambda s: s["injects"][0].update(t=-5)), "invalid"),
    ("forged-unknown-key", _resealed(lambda s: s.update(colour="red")), "invalid"),
    ("forged-no-injects", _resealed(lambda s: s.update(injects="none")), "invalid"),
    ("dangling-township", _resealed(lambda s: _first_incident(s)["location"].update(
        township="T-NOWHERE")), "dangling"),
    ("dangling-participant", _resealed(lambda s: s.update(participants=["U-NOBODY"])),
     "dangling"),
    ("unknown-category", _resealed(lambda s: _first_incident(s).update(category="volcano")),
     "unknown_category"),
]


def _dump(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture
def service(demo_store: Path, tmp_path: Path) -> Iterator[tuple[Any, Any, Path]]:
    from live.service import LiveService

    db = tmp_path / "drill.db"
    shutil.copy(demo_store, db)
    svc = LiveService(db, create=False)
    who = svc.login("director", PASSWORDS["director"])
    yield svc, who, db
    svc.close()


def _refused(svc: Any, who: Any, db: Path, data: bytes, reason: str, **kw: Any) -> str:
    before = _dump(db)
    with pytest.raises(UploadRefused) as info:
        svc.import_drill(who, data, PASSPHRASE, source="upload.json", **kw)
    exc = info.value
    assert exc.reason == reason, f"{exc.reason} != {reason}: {exc}"
    msg = str(exc)
    assert msg.startswith("upload.json: ") and "Traceback" not in msg
    assert _dump(db) == before, "the store changed"
    assert [s.id for s in svc.drills(who)] == ["DEMO"]
    return msg


@pytest.mark.parametrize(("case", "make", "reason"), CASES, ids=[c[0] for c in CASES])
def test_a_broken_upload_is_refused_and_changes_nothing(
        case: str, make: Callable[[bytes], bytes], reason: str, good: bytes,
        service: tuple[Any, Any, Path]) -> None:
    svc, who, db = service
    msg = _refused(svc, who, db, make(good), reason)
    if reason in ("dangling", "unknown_category", "invalid"):
        assert "scenario." in msg, msg  # the field is named
    if case == "unknown-category":
        assert "injects[0].incident.category: 'volcano' is not a category" in msg


def test_a_scenario_of_another_region_and_an_unpublished_commitment(
        good: bytes, county_sealed: bytes, service: tuple[Any, Any, Path]) -> None:
    svc, who, db = service
    msg = _refused(svc, who, db, county_sealed, "wrong_region")
    assert "was generated for region" in msg and "the drill's region" in msg
    _refused(svc, who, db, good, "not_published", expect="sha256:" + "0" * 64)


def test_an_oversize_upload_is_refused_before_it_is_parsed(
        good: bytes, service: tuple[Any, Any, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    import live.upload

    svc, who, db = service
    monkeypatch.setattr(live.upload, "MAX_INPUT_BYTES", len(good) - 1)
    assert "more than the limit" in _refused(svc, who, db, good, "too_large")


def test_the_good_file_imports(good: bytes, service: tuple[Any, Any, Path]) -> None:
    """The control: the same call with the unbroken file creates the drill."""
    svc, who, _db = service
    st = svc.import_drill(who, good, PASSPHRASE, drill_id="NEW", source="upload.json")
    assert st.id == "NEW" and st.commitment == orjson.loads(good)["commitment"]


def test_every_reason_has_plain_words_in_both_languages() -> None:
    for reason in REASONS:
        zh, en = STRINGS[f"upload_{reason}"]
        assert "{file}" in zh and "{file}" in en
        assert not re.search(r"[A-Za-z_]{2,}", zh.replace("{file}", "")), zh
    assert {r for _c, _m, r in CASES} | {"wrong_region", "not_published", "too_large"} == set(
        REASONS)


# --- through the page ----------------------------------------------------------------------


@pytest.fixture
def desk(demo_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The console's own service on a copy of the demo store; the director, logged in."""
    import streamlit as st

    from live.clock import ManualClock
    from ui.console import state

    db = tmp_path / "drill.db"
    shutil.copy(demo_store, db)
    monkeypatch.setenv(state.DB_ENV, str(db))
    st.cache_resource.clear()
    svc = state.service()
    svc.clock = ManualClock(time.time())
    yield svc.login("director", PASSWORDS["director"]), db
    svc.close()
    st.cache_resource.clear()


PAGE_CASES = [("tampered-time", "在封存后被改动过"), ("gbk", "编码不对"),
              ("png-image", "不是封存情景文件"), ("unknown-category", "灾种目录中没有"),
              ("empty", "是空的")]


@pytest.mark.parametrize(("case", "words"), PAGE_CASES, ids=[c[0] for c in PAGE_CASES])
def test_the_desk_shows_one_chinese_message(case: str, words: str, good: bytes,
                                            desk: tuple[Any, Path]) -> None:
    who, db = desk
    make = next(m for c, m, _r in CASES if c == case)
    before = _dump(db)
    at = page_test("director", who).run()
    assert not at.exception
    at.file_uploader(key="nd_file").upload(f"{case}.json", make(good), "application/json")
    at.text_input(key="nd_pass").input(PASSPHRASE)
    at.button(key="FormSubmitter:new_drill-创建").click().run()
    assert not at.exception, at.exception
    errors = [e.value for e in at.error]
    assert errors == [STRINGS[f"upload_{next(r for c, _m, r in CASES if c == case)}"][0]
                      .format(file=f"{case}.json")], errors
    assert words in errors[0]
    assert not at.caption or all("invalid input" not in c.value for c in at.caption)
    assert _dump(db) == before


def test_the_desk_imports_the_good_file(good: bytes, desk: tuple[Any, Path]) -> None:
    who, _db = desk
    at = page_test("director", who).run()
    at.file_uploader(key="nd_file").upload("good.json", good, "application/json")
    at.text_input(key="nd_pass").input(PASSPHRASE)
    at.text_input(key="nd_id").input("NEW")
    at.button(key="FormSubmitter:new_drill-创建").click().run()
    assert not at.exception and not at.error
    assert "NEW" in [s.id for s in desk_drills(who)]


def desk_drills(who: Any) -> list[Any]:
    """The drills as the console's service sees them."""
    from ui.console.state import service

    return service().drills(who)
