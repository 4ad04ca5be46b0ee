"""The live service's refusals in the console's words: every code raised in live/ has a
Chinese and an English text (with the same values as the command line's English message), no
raise site goes without a code, and a refused action on a page reads in the user's language —
in Chinese with no English and no code identifier, only the ids the user sees."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path
from typing import Any

import pytest
from consolehelp import Console, page_test, speak

from live.base import LiveError
from live.errors import MESSAGES, Why
from live.service import MIN_PASSPHRASE
from ui.console.strings import STRINGS, refusal

LIVE = Path(__file__).resolve().parents[2] / "live"
STATUSES = ("created", "running", "held", "ended")


def _fields(s: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(s) if f}


def _calls(name: str) -> list[tuple[str, ast.Call]]:
    """Every call of ``name`` in live/*.py, with where it is."""
    out = []
    for path in sorted(LIVE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                    and node.func.id == name:
                out.append((f"{path.name}:{node.lineno}", node))
    return out


def _codes_named_in_live() -> set[str]:
    """Every ``Why.X`` that live/ names outside the registry itself."""
    named = set()
    for path in sorted(LIVE.glob("*.py")):
        if path.name == "errors.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                    and node.value.id == "Why":
                named.add(node.attr)
    return named


def test_every_code_has_an_english_message_and_a_zh_and_en_text() -> None:
    assert set(MESSAGES) == set(Why)
    for why in Why:
        zh, en = STRINGS[f"err_{why.value}"]
        # the console may leave out a value that is code (a kind, a field name), never add one
        assert _fields(zh) == _fields(en) <= _fields(MESSAGES[why]), why.value
    assert not any(k.startswith("err_") and k[4:] not in {w.value for w in Why}
                   for k in STRINGS), "a text for a code that no longer exists"


def test_every_raise_site_in_live_gives_a_code_of_the_registry() -> None:
    sites = _calls("LiveError") + _calls("RecordingError") + _calls("Refusal")
    assert len(sites) >= 43  # the scan sees the raise sites (a wrong folder finds none)
    for where, call in sites:
        assert call.args, where
        first = call.args[0]
        if isinstance(first, ast.Attribute):  # Why.X, spelled at the raise site
            assert isinstance(first.value, ast.Name) and first.value.id == "Why", where
            assert first.attr in Why.__members__, where
        else:  # a code passed on (a parameter or loop variable typed Why, mypy checks it)
            assert isinstance(first, ast.Name) and first.id == "why", where
        assert len(call.args) == 1, f"{where}: values go by name"
    named = _codes_named_in_live()
    assert named <= set(Why.__members__)
    assert set(Why.__members__) <= named, "a code no raise site uses"


def test_the_command_line_message_stays_whole_english() -> None:
    assert str(LiveError(Why.DRILL_NOT_RUNNING, drill="D1", status="ended")) == \
        "drill 'D1' is not running (ended)"
    assert str(LiveError(Why.DRILL_EXISTS, drill="D1")) == \
        "drill 'D1' already exists (give another --drill id)"
    assert str(LiveError(Why.PASSPHRASE_SHORT, n=12)) == "passphrase: at least 12 characters"
    err = LiveError(Why.NO_PENDING_INJECT, inject="I3", drill="D")
    assert (err.why, err.params) == (Why.NO_PENDING_INJECT, {"inject": "I3", "drill": "D"})
    with pytest.raises(KeyError):  # a value the message names cannot be left out
        LiveError(Why.NO_DRILL)


def _letters_beside(msg: str, ids: list[str]) -> str:
    for i in sorted(ids, key=len, reverse=True):
        msg = msg.replace(i, "")
    return "".join(re.findall(r"[A-Za-z]+", msg))


@pytest.mark.parametrize("status", STATUSES)
def test_every_chinese_refusal_holds_no_english_beside_the_ids(status: str) -> None:
    ids = {"drill": "D-7", "inject": "INJ3", "incident": "I01", "user": "ctl1", "ref": "U9",
           "region": "示范市", "action_id": "a1b2c3d4", "n": 12, "max": 10080, "status": status,
           "kind": "drill_started", "allowed": "alarm_taken", "keys": "author", "rating": "X",
           "field": "data.text", "chars": 20001, "limit": 20000, "section": "other",
           "sections": "strength, weakness, action", "due": "next week", "seq": 7,
           "role": "boss", "roles": "director, controller", "observed_t": 99999.0,
           "now": 1.4, "qty": 999999999}
    for why in Why:
        params = {k: ids[k] for k in _fields(MESSAGES[why])}
        zh = refusal(why.value, params, "zh")
        shown = _fields(STRINGS[f"err_{why.value}"][0])  # the values the Chinese text quotes
        assert not _letters_beside(zh, [str(params[k]) for k in shown if k != "status"]), zh
        assert re.search(r"[\u4e00-\u9fff]", zh)
        en = refusal(why.value, params, "en")
        assert not re.search(r"[\u4e00-\u9fff]", en.replace("示范市", "")), en
        if "status" in params:  # in words, never the stored value
            assert status not in zh
            assert STRINGS[f"dstatus_{status}"][1] in en


def _submit(at: Any, form: str) -> None:
    """Press the submit button of the form ``form`` and run the page."""
    next(b for b in at.button if b.key and b.key.startswith(f"FormSubmitter:{form}")).click().run()


def _shown(at: Any) -> list[str]:
    """What the run shows as an error, a warning or a caption."""
    return [str(e.value) for group in ("error", "warning", "caption") for e in getattr(at, group)]


def _check_zh(at: Any, ids: list[str], *must: str) -> None:
    assert not at.exception
    errors = [str(e.value) for e in at.error]
    assert errors and errors[0].startswith("操作未完成:"), errors
    for m in must:
        assert m in errors[0], errors
    for text in _shown(at):
        assert not _letters_beside(text, ids), f"English in a Chinese page: {text!r}"
    assert "_" not in " ".join(_shown(at))  # no code identifier


def _check_en(at: Any, *must: str) -> None:
    assert not at.exception
    errors = [str(e.value) for e in at.error]
    assert errors and errors[0].startswith("Not done: "), errors
    for m in must:
        assert m in errors[0], errors
    assert not re.search(r"[\u4e00-\u9fff]", errors[0])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_too_short_passphrase_is_refused_in_the_users_language(
        console: Console, lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    speak(lang, monkeypatch)
    boss = console.director()
    at = page_test("director", boss, lang).run()
    at.radio(key="nd_src").set_value("generate").run()
    at.text_input(key="nd_pass").input("short")
    at.text_input(key="nd_id").input("D2")
    submit = next(b for b in at.button if b.key and b.key.startswith("FormSubmitter:new_drill"))
    submit.click().run(timeout=120)
    assert [d.id for d in console.svc.drills(boss)] == ["DEMO"]  # nothing was created
    if lang == "zh":
        _check_zh(at, [], f"至少需要 {MIN_PASSPHRASE} 个字符")
    else:
        _check_en(at, f"at least {MIN_PASSPHRASE} characters")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_releasing_on_a_held_drill_is_refused_with_the_status_in_words(
        console: Console, lang: str) -> None:
    boss = console.start()
    console.svc.hold(boss, "DEMO", "天气")
    at = page_test("injects", boss, lang).run()
    target = at.selectbox(key="act_inject").value
    at.button(key="act_release").click().run()
    assert console.records("inject_released") == []
    if lang == "zh":
        _check_zh(at, ["DEMO", target], "DEMO", "暂停中", "发布注入事件")
    else:
        _check_en(at, "Drill 'DEMO' is not running (on hold)")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_recording_as_the_drill_ends_is_refused_in_the_users_language(
        console: Console, lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    boss = console.start()
    first = next(v for v in console.svc.msel(boss, "DEMO") if v.kind == "incident")
    console.svc.release(boss, "DEMO", first.id)
    ump = console.who("umpire1")
    speak(lang, monkeypatch)
    at = page_test("evaluator", ump, lang).run()
    record = console.svc.record

    def end_first(*args: Any, **kw: Any) -> Any:  # the director ends play as the tap arrives
        console.svc.end(console.director(), "DEMO")
        return record(*args, **kw)

    monkeypatch.setattr(console.svc, "record", end_first)
    at.button(key="tap_alarm_taken").click().run()
    assert console.records("alarm_taken") == []
    if lang == "zh":
        _check_zh(at, ["DEMO"], "DEMO", "已结束")
    else:
        _check_en(at, "Drill 'DEMO' is not in play (ended)")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_wrong_passphrase_is_refused_in_the_users_language(
        console: Console, lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    speak(lang, monkeypatch)
    boss = console.director()
    at = page_test("director", boss, lang).run()
    at.text_input(key="unlock_pw").input("not the passphrase")
    _submit(at, "unlock")
    assert not at.exception and not console.svc.is_unlocked("DEMO")
    errors = [str(e.value) for e in at.error]
    assert errors == [STRINGS["wrong_passphrase"][0 if lang == "zh" else 1]]
    if lang == "zh":
        assert not any(_letters_beside(text, []) for text in _shown(at)), _shown(at)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_empty_observation_is_refused_in_the_users_language(
        console: Console, lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    boss = console.start()
    first = next(v for v in console.svc.msel(boss, "DEMO") if v.kind == "incident")
    console.svc.release(boss, "DEMO", first.id)
    speak(lang, monkeypatch)
    at = page_test("evaluator", console.who("umpire1"), lang).run()
    at.text_area(key="obs_text").input("   ")
    _submit(at, "observation")
    assert console.records("observation") == []
    if lang == "zh":
        _check_zh(at, [], "观察内容不能为空")
    else:
        _check_en(at, "The observation needs a text.")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_too_short_password_for_a_new_account_is_refused_in_the_users_language(
        console: Console, lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from live.accounts import MIN_PASSWORD

    speak(lang, monkeypatch)
    boss = console.director()
    at = page_test("users", boss, lang).run()
    at.text_input(key="nu_name").input("umpire9")
    at.text_input(key="nu_pw").input("short")
    _submit(at, "add_user")
    assert "umpire9" not in [u["name"] for u in console.svc.users(boss)]
    if lang == "zh":
        _check_zh(at, [], f"至少需要 {MIN_PASSWORD} 个字符")
        audit = page_test("users", boss, lang).run().dataframe[-1].value
        assert "导演" in set(audit["角色"]) and "director" not in set(audit["角色"])
    else:
        _check_en(at, f"at least {MIN_PASSWORD} characters")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_error_without_a_code_shows_its_english_detail_in_english_only(
        console: Console, lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    speak(lang, monkeypatch)
    boss = console.director()

    def odd(*_a: Any, **_kw: Any) -> Any:
        raise ValueError("an odd value somewhere")

    monkeypatch.setattr(console.svc, "add_user", odd)
    at = page_test("users", boss, lang).run()
    at.text_input(key="nu_name").input("umpire9")
    at.text_input(key="nu_pw").input("long enough password")
    _submit(at, "add_user")
    assert not at.exception
    errors = [str(e.value) for e in at.error]
    if lang == "zh":
        assert errors == [STRINGS["error_other"][0]]
        assert not any(_letters_beside(x, []) for x in _shown(at))
    else:
        assert errors == ["Not done: an odd value somewhere"]
