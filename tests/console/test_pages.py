"""AppTest runs of every console page as each role: login, refusals, release, recording,
corrections, the scoreboard's values, hold/resume, review. The service underneath is the real
one on a copy of the demo store (with a manual clock), so what the page shows and what the
store holds are checked together."""

from __future__ import annotations

import json
from typing import Any

from consolehelp import Console, app_test, page_test, texts

from live.recording import DOUBLE_TAP_S
from ui.console.views import ROLE_PAGES


def test_login_refuses_a_wrong_password_then_lands_on_the_role_page(console: Console) -> None:
    at = app_test().run()
    assert not at.exception
    at.text_input(key="login_user").input("director")
    at.text_input(key="login_password").input("wrong-password")
    at.button[0].click()  # the form's submit button
    at.run()
    assert "用户名或密码不正确。" in texts(at)
    assert "principal" not in at.session_state
    at.text_input(key="login_password").input("demo-director")
    at.button[0].click()
    at.run()
    assert not at.exception
    assert at.session_state["principal"].role == "director"
    assert any("sha256:" in c.value for c in at.code), "the director lands on the desk"


def test_navigation_lists_per_role() -> None:
    assert "scoreboard" in ROLE_PAGES["evaluator"] and "scoreboard" in ROLE_PAGES["director"]
    for role in ("controller", "trainer", "observer"):
        assert "scoreboard" not in ROLE_PAGES[role]
    for role in ("controller", "evaluator", "trainer", "observer"):
        assert "injects" not in ROLE_PAGES[role] and "users" not in ROLE_PAGES[role]


def _msel(c: Console) -> list[Any]:
    return c.svc.msel(c.director(), "DEMO")


def test_every_page_of_every_role_runs_in_both_languages(console: Console) -> None:
    console.start()
    for role_user in ("director", "umpire1", "controller1", "trainer1"):
        p = console.who(role_user)
        for page_id in ROLE_PAGES[p.role]:
            for lang in ("zh", "en"):
                at = page_test(page_id, p, lang).run()
                assert not at.exception, (role_user, page_id, lang, at.exception)
                shown = texts(at)
                assert "操作未完成" not in shown and "Not done" not in shown, (page_id, shown)
                if lang == "en":
                    assert "演练时间" not in shown, f"{page_id}: Chinese left in English"


def test_an_evaluator_never_sees_an_unreleased_inject(console: Console) -> None:
    boss = console.start()
    msel = _msel(console)
    ump = console.who("umpire1")
    at = page_test("evaluator", ump).run()
    assert not at.exception
    shown = texts(at)
    assert "尚无已发布的事件。" in shown
    for v in msel:
        assert v.message not in shown and f"{v.id} " not in shown
    first = next(v for v in msel if v.kind == "incident")
    console.svc.release(boss, "DEMO", first.id)
    at = page_test("evaluator", ump).run()
    radios = at.radio(key="ev_inc")
    assert radios.options[0].startswith(first.incident)
    others = {v.incident for v in msel if v.kind == "incident" and v.id != first.id}
    assert not any(o.split(" ")[0] in others for o in radios.options)
    # the scoreboard of an evaluator and the pages hidden from them refuse in the service too
    at = page_test("injects", ump).run()
    assert "您的角色无权查看此内容。" in texts(at)
    at = page_test("users", ump).run()
    assert "您的角色无权查看此内容。" in texts(at)


def test_director_releases_from_the_board_and_a_second_release_is_a_no_op(
        console: Console) -> None:
    console.start()
    boss = console.director()
    at = page_test("injects", boss).run()
    assert not at.exception
    board = at.dataframe[0].value
    assert list(board.iloc[:, 0]) == [v.id for v in _msel(console)]
    target = at.selectbox(key="act_inject").value
    at.button(key="act_release").click().run()
    assert not at.exception
    assert [r["inject"] for r in console.records("inject_released")] == [target]
    # another director tab releases the same inject: first writer won, nothing repeated
    res = console.svc.release(console.director(), "DEMO", target)
    assert not res.done and len(console.records("inject_released")) == 1
    at = page_test("injects", boss).run()
    assert "已发布" in at.dataframe[0].value.to_csv()


def test_the_inject_board_fits_a_tablet_in_both_languages(console: Console) -> None:
    """At 768 px (736 px of page) every column has a set width, the subject 156 px (twelve
    Chinese characters): the controller column is on screen, not scrolled off to the right
    (docs/screenshots/injects-*-tablet.png). An unset width is sized to the column's longest
    text: the English subjects ("Road traffic accident (repeat call)") pushed it off."""
    from ui.console.strings import text

    console.start()
    for lang in ("zh", "en"):
        at = page_test("injects", console.director(), lang=lang).run()
        assert not at.exception
        board = at.dataframe[0]
        config = json.loads(board.proto.columns)
        shown = list(board.value.columns)
        assert text("role_controller", lang) in shown and text("col_subject", lang) in shown
        widths = [config[c]["width"] for c in shown]
        assert all(isinstance(w, int) for w in widths), (lang, config)
        assert config[text("col_subject", lang)]["width"] >= 156
        assert sum(widths) <= 736, (lang, widths)


def test_inject_subjects_are_in_the_page_language(console: Console) -> None:
    """The English board showed incident subjects in Chinese ("溺水及水上险情") beside English
    complication types: an incident's subject is its category's name in the page's language,
    a repeat call that name marked as a repeat call, in both languages."""
    from scenarios.catalogue import load_catalogue
    from ui.console.strings import text

    names = {c.id: (c.name_zh, c.name_en) for c in load_catalogue().categories}
    console.start()
    views = _msel(console)
    cats = {v.incident: v.category for v in views if v.kind == "incident"}
    for lang, k in (("zh", 0), ("en", 1)):
        at = page_test("injects", console.director(), lang=lang).run()
        assert not at.exception
        board = at.dataframe[0].value
        subject = dict(zip(board.iloc[:, 0], board[text("col_subject", lang)], strict=True))
        for v in views:
            if v.kind == "incident":
                assert subject[v.id] == names[v.category][k], (lang, v.id)
            elif v.complication == "repeat_call":
                assert v.category == cats[v.incident]
                want = f"{names[v.category][0]}(重复来电)" if lang == "zh" else \
                    f"{names[v.category][1]} (repeat call)"
                assert subject[v.id] == want, (lang, v.id)
            else:
                assert subject[v.id] == text(f"cx_{v.complication}", lang), (lang, v.id)
        if lang == "en":  # no Chinese left in the column, nor in the recipients'
            assert not [s for s in subject.values() if any("\u4e00" <= ch <= "\u9fff" for ch in s)]
            to = list(board[text("col_to", lang)])
            assert to and not [s for s in to if any("\u4e00" <= ch <= "\u9fff" for ch in s)], to
            assert "County duty desk" in to
        else:  # the scenario's own words
            assert list(board[text("col_to", lang)]) == [v.recipient for v in views]
    assert any(v.complication == "repeat_call" for v in views), "the demo has a repeat call"


def test_a_due_inject_says_how_long_ago_it_fell_due(console: Console) -> None:
    """The board showed a due inject's time as "-0 分 31 秒"."""
    from ui.console.strings import text

    boss = console.start()
    first = _msel(console)[0]
    console.svc.retime(boss, "DEMO", first.id, 0.0, "test")
    console.clock.advance(95)
    for lang, want in (("zh", "已过 1 分 35 秒"), ("en", "1 min 35 s ago")):
        board = page_test("injects", console.director(), lang=lang).run().dataframe[0].value
        due = dict(zip(board.iloc[:, 0], board[text("col_due_in", lang)], strict=True))
        assert due[first.id] == want, (lang, due[first.id])
        assert not [d for d in due.values() if d.startswith("-")]


def _release_first_incident(c: Console) -> Any:
    boss = c.director()
    first = next(v for v in _msel(c) if v.kind == "incident")
    c.svc.release(boss, "DEMO", first.id)
    return first


def test_recording_is_one_tap_one_record_even_if_the_tap_arrives_twice(
        console: Console) -> None:
    console.start()
    first = _release_first_incident(console)
    ump = console.who("umpire1")
    at = page_test("evaluator", ump).run()
    at.button(key="tap_alarm_taken").click().run()
    assert not at.exception
    taken = console.records("alarm_taken")
    assert len(taken) == 1 and taken[0]["incident"] == first.incident
    assert taken[0]["source"] == "umpire" and taken[0]["data"]["author"] == "umpire1"
    assert "已记录:接警" in texts(at)
    # Streamlit delivers the same tap again (a rerun of the old click, or a retry): same id
    at.session_state["_action_ids"] = {"tap_alarm_taken": taken[0]["data"]["action_id"]}
    at.button(key="tap_alarm_taken").click().run()
    assert len(console.records("alarm_taken")) == 1
    assert f"已记录过同一操作(第 {taken[0]['seq']} 条)" in texts(at)
    # a new tap a moment later is a new action (within DOUBLE_TAP_S it is a double tap)
    console.clock.advance(DOUBLE_TAP_S + 1)
    at.button(key="tap_alarm_taken").click().run()
    assert len(console.records("alarm_taken")) == 2


def test_unit_taps_need_a_team_and_record_it(console: Console) -> None:
    console.start()
    first = _release_first_incident(console)
    ump = console.who("umpire1")
    at = page_test("evaluator", ump).run()
    assert at.button(key="tap_unit_arrived").disabled
    unit = at.selectbox(key=f"ev_unit_{first.incident}").options[1]
    region = console.svc.region("DEMO")
    uid = next(u.id for u in region.units if u.name == unit)
    at.selectbox(key=f"ev_unit_{first.incident}").set_value(uid).run()
    at.button(key="tap_unit_arrived").click().run()
    arr = console.records("unit_arrived")
    assert [(r["incident"], r["unit"]) for r in arr] == [(first.incident, uid)]


def test_a_correction_names_the_corrected_record(console: Console) -> None:
    console.start()
    _release_first_incident(console)
    ump = console.who("umpire1")
    at = page_test("evaluator", ump).run()
    at.button(key="tap_incident_controlled").click().run()
    seq = console.records("incident_controlled")[0]["seq"]
    at.button(key=f"fix_{seq}").click().run()
    at.text_input(key=f"fix_note_{seq}").input("误点")
    at.button(key=f"FormSubmitter:fix_form_{seq}-撤销此条").click().run()
    assert not at.exception
    fixes = console.records("record_corrected")
    assert [(f["data"]["corrects"], f["data"]["reason"]) for f in fixes] == [(seq, "误点")]
    assert f"已更正第 {seq} 条" in texts(at)
    assert not any(b.key == f"fix_{seq}" for b in at.button), "a corrected record is done"


def test_scoreboard_shows_met_running_and_breached_clocks(console: Console) -> None:
    console.start()
    first = _release_first_incident(console)
    ump = console.who("umpire1")
    inc = first.incident
    svc = console.svc
    for kind, data in (("alarm_raised", {"level": "township"}),
                       ("alarm_taken", {"level": "township"})):
        svc.record(ump, "DEMO", kind, action_id=f"a-{kind}-0001", incident=inc, data=data)
    console.clock.advance(3 * 60)  # 3 minutes after the alarm: arrive (10 min) still running
    at = page_test("scoreboard", ump).run()
    assert not at.exception
    row = at.table[0].value.iloc[0].to_dict()
    cells = " | ".join(str(v) for v in row.values())
    assert "达标" in cells, cells  # alarm taken at once
    assert "剩余 7.0 分" in cells, cells  # the 10 minutes to arrive: 7 left
    assert "超时" not in cells and "超出" not in cells
    console.clock.advance(9 * 60)  # 12 minutes: no unit on scene, the 10 minutes have passed
    at = page_test("scoreboard", ump).run()
    cells = " | ".join(str(v) for v in at.table[0].value.iloc[0].to_dict().values())
    shown = texts(at)
    # the evaluators censor at "now": the breach is flagged while the clock still runs
    assert "超时 超出 2.0 分" in cells, cells
    assert any(e.value.endswith(": 10分钟到场") for e in at.error), shown
    unit = next(u.id for u in svc.region("DEMO").units)
    svc.record(ump, "DEMO", "unit_arrived", action_id="a-arrived-0001", incident=inc,
               unit=unit)
    at = page_test("scoreboard", ump).run()
    cells = " | ".join(str(v) for v in at.table[0].value.iloc[0].to_dict().values())
    assert "超出" in cells, f"12 minutes to arrive breaches the 10: {cells}"


def test_hold_and_resume_from_the_desk(console: Console) -> None:
    console.start()
    boss = console.director()
    at = page_test("director", boss).run()
    at.text_input(key="hold_reason").input("天气")
    at.button(key="hold").click().run()
    assert not at.exception
    assert console.svc.status(boss, "DEMO").status == "held"
    assert "已暂停" in texts(at)
    t_held = console.svc.status(boss, "DEMO").drill_min
    console.clock.advance(600)
    assert console.svc.status(boss, "DEMO").drill_min == t_held  # the clock stopped
    at.button(key="resume").click().run()
    assert console.svc.status(boss, "DEMO").status == "running"
    kinds = [r["kind"] for r in console.records()]
    assert kinds[-2:] == ["drill_held", "drill_resumed"]
    assert console.records("drill_held")[0]["data"]["reason"] == "天气"


def test_controller_sees_only_due_injects_and_taps_delivered(console: Console) -> None:
    console.start()
    ctl = console.who("controller1")
    at = page_test("controller", ctl).run()
    assert "暂无到期的注入事件。" in texts(at)
    first = min(_msel(console), key=lambda v: v.due_t)
    console.clock.advance(first.due_t * 60 + 1)
    at = page_test("controller", ctl).run()
    shown = texts(at)
    assert first.message in shown
    later = [v for v in _msel(console) if v.due_t > first.due_t + 1]
    assert all(v.message not in shown for v in later)
    at.button(key=f"delivered_{first.id}").click().run()
    rel = console.records("inject_released")
    assert [(r["inject"], r["data"]["author"]) for r in rel] == [(first.id, "controller1")]


def test_controller_card_gives_the_due_time_of_a_re_timed_inject(console: Console) -> None:
    """The card said 计划时间 (planned) beside the due time: after a re-timing the two differ
    and the controller calls at the due time."""
    from ui.console.common import minutes

    boss = console.start()
    later = max(_msel(console), key=lambda v: v.planned_t)
    console.svc.retime(boss, "DEMO", later.id, 0.5, "提前")
    console.clock.advance(60)
    at = page_test("controller", console.who("controller1")).run()
    shown = texts(at)
    assert f"到期时间 {minutes(0.5)}" in shown
    assert f"计划时间 {minutes(0.5)}" not in shown


def test_observation_text_is_kept_as_typed(console: Console) -> None:
    console.start()
    _release_first_incident(console)
    ump = console.who("umpire1")
    note = "<script>alert(1)</script> **加粗** # 标题"
    at = page_test("evaluator", ump).run()
    at.text_area(key="obs_text").input(note)
    at.radio(key="obs_rating").set_value("M")
    at.button(key="FormSubmitter:observation-保存观察记录").click().run()
    assert not at.exception
    obs = console.records("observation")
    assert [(o["data"]["text"], o["data"]["rating"]) for o in obs] == [(note, "M")]
    assert note in [t.value for t in at.text]  # st.text: shown verbatim, not Markdown
    assert all(note not in m.value for m in at.markdown)


def test_director_adds_a_user_and_reads_the_audit_trail(console: Console) -> None:
    boss = console.director()
    at = page_test("users", boss).run()
    at.text_input(key="nu_name").input("umpire3")
    at.selectbox(key="nu_role").set_value("evaluator")
    at.text_input(key="nu_pw").input("demo-umpire3")
    at.button(key="FormSubmitter:add_user-添加人员").click().run()
    assert not at.exception
    assert {"name": "umpire3", "role": "evaluator", "active": "true"} in \
        console.svc.users(boss)
    console.svc.login("umpire3", "demo-umpire3")
    trail = at.dataframe[1].value.to_csv()
    assert "添加人员" in trail and "umpire3(角色:评估员)" in trail


def test_the_audit_trail_is_worded_in_the_page_language(console: Console) -> None:
    """Every kind of entry the service writes, shown without code words or stored English
    (the trail showed ``read_calls``, ``live score``, ``after -1: 15 records`` and a column
    without a title on the Chinese page)."""
    from ui.console.strings import text

    boss = console.start()
    svc = console.svc
    views = svc.msel(boss, "DEMO")
    pending = [v.id for v in views]
    svc.retime(boss, "DEMO", pending[1], 0.0, "演示")
    svc.assign(boss, "DEMO", pending[1], "controller1")
    svc.stale_injects(boss, "DEMO")
    svc.release(boss, "DEMO", pending[1])
    svc.skip(boss, "DEMO", pending[2], "不需要")
    ctl = console.who("controller1")
    svc.due_injects(ctl, "DEMO")
    svc.call_cards(ctl, "DEMO")
    svc.released_injects(ctl, "DEMO")
    svc.log(boss, "DEMO")
    svc.log(boss, "DEMO", after=2)
    svc.live_score(boss, "DEMO")
    english = ("injects", "records", "live score", "after ", "t=", "+qa", ":director",
               ":evaluator")
    for lang in ("zh", "en"):
        at = page_test("users", boss, lang=lang).run()
        assert not at.exception
        trail = at.dataframe[1].value
        assert list(trail.columns) == [text(k, lang) for k in
                                       ("col_time", "col_who", "role", "col_what", "col_detail")]
        actions = trail[text("col_what", lang)].tolist()
        assert not [a for a in actions if "_" in a], actions  # every action has its words
        details = " | ".join(trail[text("col_detail", lang)].tolist())
        if lang == "zh":
            assert not [w for w in english if w in details], details
            assert "全部" in details and "条注入" in details and "实时计分" in details
            assert f"{pending[1]}:改为 0 分 00 秒(演示)" in details
            assert f"{pending[1]} 交由控制员 controller1 下达" in details
            assert f"{pending[2]}:跳过(不需要)" in details
        else:
            assert "the live score" in details and "all 5 records" in details
            assert "1 inject |" in details and "1 injects" not in details
            assert f"{pending[1]}: to 0 min 00 s (演示)" in details
            assert f"{pending[1]} to controller controller1" in details
            assert f"{pending[2]}: skipped (不需要)" in details
        assert f"{pending[1]}:controller1" not in details  # the stored shape, not worded


def test_trainer_reviews_the_ended_drill_with_downloads(console: Console) -> None:
    boss = console.start()
    first = _release_first_incident(console)
    ump = console.who("umpire1")
    for k, kind in enumerate(("alarm_raised", "alarm_taken")):
        console.svc.record(ump, "DEMO", kind, action_id=f"rv-{k:06d}", incident=first.incident,
                           data={"level": "county"})
    console.svc.observe(ump, "DEMO", "<b>not bold</b>", action_id="rv-obs-0001", rating="S")
    trainer = console.who("trainer1")
    at = page_test("review", trainer).run()
    assert "演练结束后才能复盘。" in texts(at)
    console.clock.advance(120)
    console.svc.end(boss, "DEMO", "test")
    at = page_test("review", trainer).run()
    assert not at.exception, at.exception
    shown = texts(at)
    assert "承诺值核验通过" in shown
    assert "<b>not bold</b>" in [t.value for t in at.text]
    labels = {b.label for b in at.get("download_button")}
    assert {"评估报告(网页)", "评估报告(Word)", "主情景事件清单(表格)",
            "导出的演练记录(压缩包)"} <= labels
    charts = [e for e in at.main if type(e).__name__ == "Image"]
    assert len(charts) >= 3, "distributions, compliance, timeliness (+ timeline) charts"
    run = console.db.with_name("drill-runs") / "DEMO"
    assert (run / "events.jsonl").is_file() and (run / "inputs" / "sealed.json").is_file()


def test_simulation_lab_predicts_compliance_with_a_progress_bar(console: Console) -> None:
    """The lab is the batch (experiments.lab): the headline, a row per clock of the loaded packs
    and the three standards by township; the result stays on the page after a rerun and in
    English; a second, shorter run replaces the first's replications."""
    from experiments.lab import read_lab
    from ui.console.strings import text

    console.start()
    boss = console.director()
    at = page_test("simlab", boss).run()
    assert not at.success  # nothing run yet
    at.number_input(key="lab_n").set_value(2)
    at.button(key="FormSubmitter:lab-开始模拟").click().run()
    assert not at.exception, at.exception
    msg = at.success[0].value
    assert msg.startswith("预计 1-10-15 达标率")
    bars = at.get("progress")  # the bar says it has finished, not 模拟中 2/2
    assert [(b.proto.value, b.proto.text) for b in bars] == [(100, "模拟完成 2/2")]
    base = console.db.with_name("drill-runs") / "DEMO" / "baseline"
    assert sorted(p.name for p in base.iterdir()) == ["lab.json", "rep-001", "rep-002"]
    res = read_lab(base)
    assert res is not None and res.replications == 2
    assert f"{res.mean:.0%}" in msg
    # static tables: their text wraps, every clock's full name shows on a tablet
    assert not at.dataframe
    clocks, towns = (d.value for d in at.table)
    assert list(clocks[text("lab_col_clock", "zh")]) == [c.name_zh for c in res.clocks]
    arrive = next(c for c in res.clocks if c.clock == "arrive")
    row = clocks[clocks[text("lab_col_clock", "zh")] == arrive.name_zh].iloc[0]
    assert row[text("lab_col_p_meet", "zh")] == f"{arrive.p_meet:.0%}"
    assert list(towns.columns)[1:] == [c.name_zh for c in res.clocks if c.clock in res.headline]
    assert len(towns) == len({t for c in res.clocks if c.clock in res.headline
                              for t in c.by_township})
    ids = {t for c in res.clocks for t in c.by_township}  # townships named, not their ids
    assert ids and not ids & set(towns[text("lab_col_township", "zh")])
    # a caption says what every column's figure means, in the page's language
    assert text("lab_columns_help", "zh") in [c.value for c in at.caption]
    # a rerun of the page (any widget, or another person) shows the last run, in English too
    again = page_test("simlab", boss, lang="en").run()
    assert not again.exception
    assert again.success[0].value.startswith("Predicted 1-10-15 compliance")
    en = again.table[0].value
    assert list(en["Standard"]) == [c.name_en for c in res.clocks]
    assert text("lab_columns_help", "en") in [c.value for c in again.caption]
    assert not [c for c in " ".join(en.to_csv().split()) if "\u4e00" <= c <= "\u9fff"]
    # a shorter run replaces the baseline whole
    at.number_input(key="lab_n").set_value(1)
    at.button(key="FormSubmitter:lab-开始模拟").click().run()
    assert not at.exception
    assert sorted(p.name for p in base.iterdir()) == ["lab.json", "rep-001"]


def test_the_lab_baseline_survives_a_re_export_of_a_grown_log(console: Console) -> None:
    """The review re-exports the drill when its log has grown; the simulated baseline the lab
    kept beside the export (it depends on the scenario, not on the log) stays, and the
    review compares the drill with it."""
    from experiments.lab import read_lab

    console.start()
    boss = console.director()
    at = page_test("simlab", boss).run()
    at.number_input(key="lab_n").set_value(2)
    at.button(key="FormSubmitter:lab-开始模拟").click().run()
    assert not at.exception, at.exception
    run = console.db.with_name("drill-runs") / "DEMO"
    before = (run / "events.jsonl").read_bytes()
    _release_first_incident(console)  # the log grows
    console.clock.advance(30)
    console.svc.end(boss, "DEMO", "test")
    review = page_test("review", console.who("trainer1")).run()
    assert not review.exception, review.exception
    assert (run / "events.jsonl").read_bytes() != before, "exported again"
    assert {"lab.json", "rep-001", "rep-002"} <= {p.name for p in (run / "baseline").iterdir()}
    assert read_lab(run / "baseline") is not None
    assert "尚无模拟基线" not in " ".join(texts(review))
    assert review.dataframe, "the comparison with the baseline is shown"
    from ui.console.strings import text

    assert text("baseline_few", "zh", n=2) in [c.value for c in review.caption]  # 2 runs: rough


def test_trainer_types_the_hotwash_and_it_reaches_the_report(console: Console) -> None:
    boss = console.start()
    _release_first_incident(console)
    console.clock.advance(60)
    console.svc.end(boss, "DEMO", "test")
    trainer = console.who("trainer1")
    at = page_test("review", trainer).run()
    assert not at.exception, at.exception
    at.radio(key="hw_section").set_value("action")
    at.text_area(key="hw_text").input("夜间叫应叫醒流程再演练一次")
    at.text_input(key="hw_owner").input("县应急管理局")
    at.button(key="FormSubmitter:hotwash-保存复盘条目").click().run()
    assert not at.exception, at.exception
    items = console.records("hotwash")
    assert [(h["data"]["section"], h["data"]["text"], h["data"]["owner"], h["source"])
            for h in items] == [("action", "夜间叫应叫醒流程再演练一次", "县应急管理局", "umpire")]
    run = console.db.with_name("drill-runs") / "DEMO" / "events.jsonl"
    assert "夜间叫应叫醒流程再演练一次" in run.read_text(encoding="utf-8")  # re-exported
    html = next(b for b in at.get("download_button") if b.label == "评估报告(网页)")
    assert html is not None


def test_controller_card_shows_the_call_then_the_likely_questions_once_delivered(
        console: Console) -> None:
    from scenarios.callscript import call_script

    console.start()
    first = next(v for v in _msel(console) if v.kind == "incident")
    ctl = console.who("controller1")
    at = page_test("controller", ctl).run()
    assert not at.exception, at.exception
    assert "暂无到期的注入事件。" in texts(at) and not at.table
    console.clock.advance(60 * first.due_t + 30)  # due; the controller dials half a minute on
    sc = console.svc._scenario("DEMO")
    inj = next(i for i in sc.injects if i.id == first.id)
    card = call_script(inj, "zh")
    at = page_test("controller", ctl).run()
    shown = texts(at)
    for want in (card.call_who, card.caller_name, card.caller_phone, card.script):
        assert want and want in shown, want
    assert not at.table, "no answers before the delivery"
    assert not any(q.answer in shown for q in card.qa)
    at.button(key=f"delivered_{first.id}").click().run()
    assert not at.exception, at.exception
    recs = console.records()
    mine = [r for r in recs if r["inject"] == first.id or (r["incident"] == first.incident
                                                            and r["kind"] == "alarm_raised")]
    assert [(r["kind"], r["t"]) for r in mine] == [
        (k, round(first.due_t + 0.5, 6)) for k in ("inject_released", "incident_occurred",
                                                   "alarm_raised")]
    assert mine[0]["data"]["author"] == "controller1"
    table = at.table[0].value
    assert list(table.iloc[:, 0]) == [q.question for q in card.qa]
    assert list(table.iloc[:, 1]) == [q.answer for q in card.qa]
    assert "已送达 · 对方追问时这样回答" in texts(at)
    en = page_test("controller", ctl, "en").run()
    assert list(en.table[0].value.iloc[:, 0]) == [q.question for q in call_script(inj, "en").qa]
    from ui.charts.names import Names

    who = en.text[0].value  # whom to call, named in English (the scenario says it in Chinese)
    assert who == Names(console.svc.region("DEMO"), "en").recipient(card.call_who) != card.call_who
    assert not [c for c in who if "\u4e00" <= c <= "\u9fff"], who
    # another controller sees neither the card nor its answers
    boss = console.director()
    console.svc.add_user(boss, "controller2", "controller", "demo-controller2")
    other = page_test("controller", console.svc.login("controller2", "demo-controller2")).run()
    assert not other.table and card.script not in texts(other)


def test_refreshing_the_scoreboard_writes_no_audit_rows(console: Console) -> None:
    console.start()
    _release_first_incident(console)
    ump = console.who("umpire1")
    boss = console.director()

    def reads() -> int:
        return sum(r["action"] == "read_score" and r["user"] == "umpire1"
                   for r in console.svc.audit_trail(boss, "DEMO"))

    at = page_test("scoreboard", ump)
    for _ in range(4):  # the fragment's refreshes: the same reads again and again
        at.run()
        assert not at.exception, at.exception
        console.clock.advance(5)
    assert reads() == 1
    rec = console.svc.record(ump, "DEMO", "alarm_taken", action_id="audit-t-0001",
                             incident=_msel(console)[0].incident, data={"level": "county"})
    at.run()
    assert rec.created and reads() == 1, "a new record is in the log, not in the audit"


def test_an_adhoc_inject_sent_twice_with_the_same_click_is_released_once(
        console: Console) -> None:
    console.start()
    boss = console.director()
    at = page_test("injects", boss).run()

    def send() -> None:
        at.text_area(key="adhoc_msg").input("媒体记者在镇政府门口要求采访")
        at.text_input(key="adhoc_to").input("镇应急指挥部")
        at.text_input(key="adhoc_reason").input("检验新闻发布")
        at.button(key="FormSubmitter:adhoc-发送").click().run()
        assert not at.exception, at.exception

    send()
    adhoc = [r for r in console.records("inject_released") if r["data"]["inject_kind"] == "adhoc"]
    assert [r["inject"] for r in adhoc] == ["ADHOC-001"]
    # the same click delivered again (a rerun or a retry after a lost connection): same id
    at.session_state["_action_ids"] = {"adhoc": adhoc[0]["data"]["action_id"]}
    send()
    assert len([r for r in console.records("inject_released")
                if r["data"]["inject_kind"] == "adhoc"]) == 1
    assert "已由他人处理" in texts(at)
    send()  # a new click is a new inject
    assert [r["inject"] for r in console.records("inject_released")] == ["ADHOC-001",
                                                                         "ADHOC-002"]
