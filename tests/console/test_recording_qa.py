"""The QA pass of the evaluator's page and the inject board, as AppTest runs on a copy of the
demo store (manual clock): an observation is stamped with the drill time it is saved at; two
taps a moment apart record once; a number the service cannot take is refused with a message,
never replaced by an older one; a refused observation keeps its text; the release of an
overdue inject is confirmed on screen."""

from __future__ import annotations

from typing import Any

import pytest
from consolehelp import Console, page_test, texts

from scenarios.limits import MAX_TEXT_CHARS


def _umpire_page(console: Console) -> tuple[Any, Any]:
    boss = console.start()
    first = next(v for v in console.svc.msel(boss, "DEMO") if v.kind == "incident")
    console.svc.release(boss, "DEMO", first.id)
    console.clock.advance(24)  # drill minute 0.4: the umpire opens the page
    return page_test("evaluator", console.who("umpire1")).run(), first


def _save_observation(at: Any, note: str) -> None:
    at.text_area(key="obs_text").input(note)
    at.button(key="FormSubmitter:observation-保存观察记录").click().run()
    assert not at.exception


def test_an_observation_is_stamped_with_the_drill_time_it_is_saved_at(
        console: Console) -> None:
    at, _ = _umpire_page(console)
    assert at.number_input(key="obs_when").value is None  # "now", not a time drawn earlier
    console.clock.advance(46.2 * 60)  # drill minute 46.6
    _save_observation(at, "警戒线已拉好")
    console.clock.advance(5 * 60)
    _save_observation(at, "现场指挥部已设立")
    obs = console.records("observation")
    assert [round(o["t"], 1) for o in obs] == [46.6, 51.6]
    assert all("observed_t" not in o["data"] for o in obs)  # when it happened = when saved
    assert at.text_area(key="obs_text").value == ""  # saved: the form is blank again
    assert at.number_input(key="obs_when").value is None


def test_an_earlier_observed_time_typed_is_kept(console: Console) -> None:
    at, _ = _umpire_page(console)
    console.clock.advance(10 * 60)
    at.number_input(key="obs_when").set_value(3.5)
    _save_observation(at, "五分钟前已疏散群众")
    assert [o["data"]["observed_t"] for o in console.records("observation")] == [3.5]


@pytest.mark.parametrize("when", [-5.0, 99999.0])
def test_an_impossible_observed_time_is_refused_and_the_text_kept(
        console: Console, when: float) -> None:
    at, _ = _umpire_page(console)
    _save_observation(at, "第一条")  # a success banner on screen
    assert "已记录:观察记录" in texts(at)
    at.number_input(key="obs_when").set_value(when)
    _save_observation(at, "时间填错的一条")
    assert [o["data"]["text"] for o in console.records("observation")] == ["第一条"]
    errors = [str(e.value) for e in at.error]
    assert len(errors) == 1 and "须在 0 到当前演练时间" in errors[0], errors
    assert not at.success  # the earlier banner is gone: it would say this one was saved
    assert at.text_area(key="obs_text").value == "时间填错的一条"


def _forms(node: Any) -> list[Any]:
    """Every form block under ``node`` (AppTest keeps a block's proto)."""
    found = [node] if getattr(node, "type", "") == "form" else []
    for child in getattr(node, "children", {}).values():
        found += _forms(child)
    return found


def test_a_too_long_observation_is_refused_and_its_text_kept(console: Console) -> None:
    at, _ = _umpire_page(console)
    # the browser empties a form cleared on submit, refused or not: this one is not
    form = next(f for f in _forms(at.main) if f.proto.form.form_id == "observation")
    assert not form.proto.form.clear_on_submit
    long_note = "长" * (MAX_TEXT_CHARS + 1000)
    at.radio(key="obs_rating").set_value("M")
    _save_observation(at, long_note)
    assert console.records("observation") == []
    assert "文字太长" in " ".join(str(e.value) for e in at.error)
    assert at.text_area(key="obs_text").value == long_note  # nothing the umpire typed is lost
    assert at.radio(key="obs_rating").value == "M"


def test_two_taps_a_moment_apart_record_one_arrival(console: Console) -> None:
    at, first = _umpire_page(console)
    unit = at.selectbox(key=f"ev_unit_{first.incident}").options[1]
    uid = next(u.id for u in console.svc.region("DEMO").units if u.name == unit)
    at.selectbox(key=f"ev_unit_{first.incident}").set_value(uid).run()
    at.button(key="tap_unit_arrived").click().run()
    console.clock.advance(0.4)
    at.button(key="tap_unit_arrived").click().run()  # a fresh action id: a second tap
    arrived = console.records("unit_arrived")
    assert len(arrived) == 1
    assert f"已记录过同一操作(第 {arrived[0]['seq']} 条)" in texts(at)
    console.clock.advance(60)  # the team arrives again a minute later: a new action
    at.button(key="tap_unit_arrived").click().run()
    assert len(console.records("unit_arrived")) == 2


@pytest.mark.parametrize("qty", [999999999, 0, -5])
def test_a_quantity_out_of_range_is_refused_never_replaced(console: Console, qty: int) -> None:
    at, first = _umpire_page(console)
    at.number_input(key=f"sup_qty_{first.incident}").set_value(qty).run()
    at.button(key="sup_req").click().run()
    assert not at.exception
    assert console.records("supplies_requested") == []
    assert not at.success
    errors = [str(e.value) for e in at.error]
    assert len(errors) == 1 and f"数量 {qty} 不可用" in errors[0], errors
    at.number_input(key=f"sup_qty_{first.incident}").set_value(25).run()
    at.button(key="sup_req").click().run()
    assert [r["data"]["qty"] for r in console.records("supplies_requested")] == [25]


def test_releasing_an_overdue_inject_is_confirmed_on_screen(console: Console) -> None:
    boss = console.start()
    console.clock.advance(300 * 60)  # a long wait: injects fell due with no decision
    stale = console.svc.stale_injects(boss, "DEMO")
    assert stale
    at = page_test("injects", boss).run()
    at.button(key=f"ov_rel_{stale[0].id}").click().run()
    assert not at.exception
    assert [r["inject"] for r in console.records("inject_released")] == [stale[0].id]
    assert [str(s.value) for s in at.success] == [f"已发布:{stale[0].id}"]
