"""The controller's call cards and the alarm a delivery raises.

* :func:`scenarios.callscript.call_script` on generated scenarios (both languages, two
  regions, many seeds): every answer agrees with the incident's truth and with what the caller
  said in their script; the Chinese text has no code identifiers.
* Delivering an incident inject writes its ``alarm_raised`` at the delivery time, with the
  desk the engine's own rule picks (checked against a simulated drill of the same scenario);
  an umpire's tap on the alarm afterwards writes nothing new.
* The service shows the answers to the assigned controller only once the inject is released.
"""

from __future__ import annotations

import re

import orjson
import pytest

from engine.simulation import simulate
from live import Forbidden, LiveService, ManualClock, new_action_id
from scenarios.callscript import QUESTIONS, call_script, said_counts
from scenarios.catalogue import load_catalogue
from scenarios.schema import IncidentInject
from scenarios.sealing import verify_document

PASSWORD = "s3cret-pass"  # the accounts of tests/live/conftest.py
CATALOGUE = load_catalogue()
CJK = re.compile(r"[\u4e00-\u9fff]")
IDENTIFIER = re.compile(r"[a-z]+_[a-z_]+|[A-Z]{1,2}\d{2}-|\b(?:None|True|False|null)\b")


def _scenario(region, seed: int, lang: str):
    from scenarios.generator import generate
    from scenarios.plan import load_plan

    plan = load_plan(None).model_copy(update={"language": lang})
    return generate(region, CATALOGUE, plan, seed)


def _noise_bounds(n: int) -> tuple[int, int]:
    """What :func:`scenarios.messages._noisy` can make of a true count ``n``."""
    return max(1, round(n * 0.5)), max(1, round(n * 1.5))


@pytest.fixture(scope="module")
def scenarios_(county):
    from scenarios.seed_city import default_region

    city = default_region()
    return [_scenario(r, seed, lang) for r in (county, city) for seed in range(6)
            for lang in ("zh", "en")]


def test_answers_agree_with_the_truth_and_the_callers_script(scenarios_):
    checked = {"said": 0, "vague": 0, "nobody": 0, "system": 0}
    def edited(inj: IncidentInject) -> IncidentInject:
        """The inject as organisers may edit it in the MSEL: a script with no counts."""
        d = inj.delivery.model_copy(update={"message": "喂，出事了，快来人！"})
        return inj.model_copy(update={"delivery": d})

    for sc in scenarios_:
        incs = [i for i in sc.injects if isinstance(i, IncidentInject)]
        for inj in incs + [edited(i) for i in incs]:
            spec, msg = inj.incident, inj.delivery.message
            said = said_counts(msg, CATALOGUE.people_hints)
            for lang in ("zh", "en"):
                card = call_script(inj, lang)
                qa = {q.topic: q for q in card.qa}
                assert card.script == msg and card.call_who == inj.delivery.recipient
                assert [q.question for q in card.qa] == [
                    QUESTIONS[q.topic][0 if lang == "zh" else 1] for q in card.qa]
                assert spec.location.address in qa["place"].answer
                if spec.caller.source == "system":
                    checked["system"] += 1
                    assert "dead" not in qa and not re.search(r"\d", qa["callback"].answer)
                    assert qa["injured"].answer == qa["trapped"].answer  # cannot tell
                    continue
                assert spec.caller.name in qa["callback"].answer
                assert spec.caller.phone in qa["callback"].answer
                assert (card.caller_name, card.caller_phone) == (spec.caller.name,
                                                                 spec.caller.phone)
                for key in ("injured", "trapped", "missing"):
                    truth, ans = getattr(spec.casualties, key), qa[key].answer
                    nums = [int(x) for x in re.findall(r"\d+", ans)]
                    if truth == 0:
                        checked["nobody"] += 1
                        assert nums == [] and key not in said, (key, ans, msg)
                    elif key in said:
                        checked["said"] += 1
                        lo, hi = _noise_bounds(truth)
                        assert nums == [said[key]] and lo <= said[key] <= hi, (key, ans, msg)
                    else:
                        checked["vague"] += 1
                        assert nums == [], (key, ans)
                dead = qa["dead"].answer
                assert (spec.casualties.dead > 0) == (dead in ("好像有人不行了，我不敢确定。",
                                                            "Someone may be dead; I'm not sure."))
                assert ("evacuated" in qa) == (spec.casualties.evacuated > 0)
                if "evacuated" in qa:
                    n = int(re.findall(r"\d+", qa["evacuated"].answer)[0])
                    assert n <= spec.casualties.evacuated < max(n + 10, 20)
    assert min(checked.values()) > 0, checked  # every branch was exercised


def test_chinese_cards_have_no_code_identifiers_and_english_no_chinese_words(scenarios_):
    for sc in scenarios_:
        for inj in sc.injects:
            zh, en = call_script(inj, "zh"), call_script(inj, "en")
            for q in zh.qa:
                assert not IDENTIFIER.search(q.question + q.answer), (inj.id, q)
            assert CJK.search(zh.caller_role)
            data = ([inj.incident.location.address, inj.incident.caller.name]
                    if isinstance(inj, IncidentInject)
                    else [inj.complication.caller.name] if inj.complication.caller else [])
            for q in en.qa:  # Chinese only in the scenario's own names (address, caller)
                assert not CJK.search(q.question)
                left = q.answer
                for part in filter(None, data):
                    left = left.replace(part, "")
                assert not CJK.search(left), (inj.id, q)
            assert not CJK.search(en.caller_role)
            if not isinstance(inj, IncidentInject) and inj.complication.caller is None:
                # exercise control speaks as the control group, named in the card's language
                assert (zh.caller_name, en.caller_name) == ("导调组", "control group"), inj.id


# --- the alarm a delivery raises ------------------------------------------------------


def _drill(tmp_path, sealed: bytes, region_yaml: str | None, *, controller: bool = True):
    clock = ManualClock(0.0)
    svc = LiveService(tmp_path / "d.db", clock=clock)
    d = svc.init_director("director1", PASSWORD, rounds=4)
    svc.add_user(d, "umpire1", "evaluator", PASSWORD)
    svc.add_user(d, "controller1", "controller", PASSWORD)
    svc.add_user(d, "controller2", "controller", PASSWORD)
    drill = svc.import_drill(d, sealed, "correct horse battery staple",
                             region_yaml=region_yaml).id
    if controller:
        for v in svc.msel(d, drill):
            svc.assign(d, drill, v.id, "controller1")
    svc.start(d, drill)
    return svc, clock, d, drill


def _alarms(recs):
    return {r["incident"]: r for r in recs if r["kind"] == "alarm_raised"}


@pytest.mark.parametrize("where", ["county", "city"])
def test_a_delivery_raises_the_alarm_at_the_desk_the_engine_picks(tmp_path, county,
                                                                   county_yaml, where):
    from scenarios.sealing import seal
    from scenarios.seed_city import default_region

    region = county if where == "county" else default_region()
    sc = _scenario(region, 4, "zh")
    sealed = seal(sc).to_bytes()
    sim = simulate(region, verify_document(orjson.loads(sealed), "sealed"), seed=2).records
    svc, clock, d, drill = _drill(tmp_path, sealed, county_yaml if where == "county" else None)
    released = {}
    for r in sim:
        if r["kind"] == "inject_released":
            clock.advance(r["t"] * 60.0 - clock.now())
            assert svc.release(d, drill, r["inject"]).done
            released[r["inject"]] = r["t"]
    live = svc.log(d, drill)
    want, got = _alarms(sim), _alarms(live)
    assert set(got) == set(want) == {i.incident.id for i in sc.injects
                                     if isinstance(i, IncidentInject)}
    sources = set()
    for inc, a in got.items():
        b = want[inc]
        assert a["t"] == b["t"]  # the engine rings the desk at the release, and so does live
        assert a["source"] == "system" and a["data"].pop("author") == "director1"
        assert a["data"] == b["data"], inc
        sources.add(a["data"]["caller_source"])
    # each release: inject_released, incident_occurred, alarm_raised, in the engine's order
    kinds = [r["kind"] for r in live if r["kind"] != "complication_applied"]
    assert kinds[:4] == ["drill_started", "inject_released", "incident_occurred",
                         "alarm_raised"]
    assert len(sources) >= 2, sources
    # a repeat call rings at its caller's desk against the existing incident, as in the engine
    def repeats(recs):
        return {r["inject"]: r for r in recs if r["kind"] == "repeat_call_raised"}
    want_rc, got_rc = repeats(sim), repeats(live)
    assert set(got_rc) == set(want_rc) == {
        i.id for i in sc.injects
        if i.kind == "complication" and i.complication.type == "repeat_call"} != set()
    for inj, a in got_rc.items():
        b = want_rc[inj]
        assert (a["t"], a["incident"]) == (b["t"], b["incident"])
        assert a["data"].pop("author") == "director1" and a["data"] == b["data"], inj
    svc.close()


def test_the_controllers_delivered_tap_is_the_alarm_and_an_umpire_tap_adds_nothing(
        tmp_path, sealed_bytes, county_yaml):
    svc, clock, d, drill = _drill(tmp_path, sealed_bytes, county_yaml)
    ctl = svc.login("controller1", PASSWORD)
    ump = svc.login("umpire1", PASSWORD)
    first = next(v for v in svc.msel(d, drill) if v.kind == "incident")
    clock.advance(60 * first.due_t + 75)  # the controller gets through 1.25 min late
    assert svc.release(ctl, drill, first.id).done
    t_delivered = first.due_t + 1.25
    again = svc.record(ump, drill, "alarm_raised", action_id=new_action_id(),
                       incident=first.incident, data={"level": "township"})
    assert not again.created
    clock.advance(40)
    svc.record(ump, drill, "alarm_taken", action_id=new_action_id(),
               incident=first.incident, data={"level": "county"})
    recs = svc.log(d, drill)
    alarms = [r for r in recs if r["kind"] == "alarm_raised"]
    assert len(alarms) == 1 and alarms[0]["t"] == pytest.approx(t_delivered, abs=1e-6)
    assert alarms[0]["data"]["author"] == "controller1"
    score = svc.live_score(ump, drill)
    took = score.card.incidents[first.incident].clocks["take_alarm"]
    assert took["value"] == pytest.approx(40 / 60, abs=1e-6) and took["met"], took
    svc.close()


# --- call cards through the service ---------------------------------------------------


def test_call_cards_show_answers_only_to_the_assigned_controller_once_released(
        tmp_path, sealed_bytes, county_yaml):
    svc, clock, d, drill = _drill(tmp_path, sealed_bytes, county_yaml)
    c1, c2 = svc.login("controller1", PASSWORD), svc.login("controller2", PASSWORD)
    plan = svc.msel(d, drill)
    first = next(v for v in plan if v.kind == "incident")
    assert svc.call_cards(c1, drill) == []  # nothing due yet
    clock.advance(60 * first.due_t)
    due = svc.call_cards(c1, drill)
    assert [c.view.id for c in due if c.view.id == first.id] == [first.id]
    card = next(c for c in due if c.view.id == first.id)
    assert card.script.qa == () and card.delivered_t is None
    assert card.script.caller_name and card.script.caller_phone in card.view.sender
    assert svc.call_cards(c2, drill) == []  # not theirs
    svc.release(c1, drill, first.id)
    cards = svc.call_cards(c1, drill, "en")
    done = next(c for c in cards if c.view.id == first.id)
    assert done.delivered_t == pytest.approx(first.due_t) and done.script.qa
    sc = verify_document(orjson.loads(sealed_bytes), "sealed")
    inj = next(i for i in sc.injects if i.id == first.id)
    assert done.script == call_script(inj, "en")
    assert svc.call_cards(c2, drill) == []
    for who in (d, svc.login("umpire1", PASSWORD)):
        with pytest.raises(Forbidden):
            svc.call_cards(who, drill)
    rows = svc.audit_trail(d, drill)
    assert [r["target"] for r in rows if r["action"] == "read_calls" and
            r["user"] == "controller1"][-1] == ",".join(
        f"{c.view.id}{'+qa' if c.script.qa else ''}" for c in cards)
    svc.close()


# --- the MSEL carries the cards ---------------------------------------------------------


def test_the_msel_prints_the_questions_and_answers_and_import_ignores_them(tmp_path, county):
    from openpyxl import load_workbook

    from scenarios.msel import ID_HEADER, QA_HEADER, import_xlsx, qa_text, write_csv, write_xlsx
    from scenarios.sealing import seal

    sealed = seal(_scenario(county, 4, "zh"))
    sc = sealed.scenario
    x = tmp_path / "msel.xlsx"
    write_xlsx(sc, sealed.document, x, "zh")
    ws = load_workbook(x)["MSEL"]
    header = [c.value for c in ws[1]]
    assert header[-2:] == [ID_HEADER, QA_HEADER["zh"]]
    by_id = {i.id: i for i in sc.injects}
    for row in ws.iter_rows(min_row=2, values_only=True):
        inj = by_id[row[-2]]
        want = call_script(inj, "zh").qa
        assert row[-1] == qa_text(inj, "zh") and row[-1].count("\n") == len(want) - 1
        assert all(f"问:{q.question} 答:{q.answer}" in row[-1] for q in want)
    ws.cell(row=2, column=len(header)).value = "改过的答法"  # a derived column: ignored
    ws.parent.save(x)
    back, _ = import_xlsx(x)
    assert back == sc
    c = tmp_path / "msel.csv"
    write_csv(sc, c, "en")
    text = c.read_text(encoding="utf-8-sig")
    assert QA_HEADER["en"] in text.splitlines()[0] and "Q: Where exactly is it? A: " in text


def test_a_repeat_calls_card_names_its_own_caller(county):
    sc = _scenario(county, 4, "zh")
    rc = next(i for i in sc.injects
              if i.kind == "complication" and i.complication.type == "repeat_call")
    for lang in ("zh", "en"):
        card = call_script(rc, lang)
        c = rc.complication.caller
        assert (card.caller_name, card.caller_phone) == (c.name, c.phone) and c.phone
        assert card.script == rc.delivery.message
        topics = [q.topic for q in card.qa]
        assert topics == ["reported", "more", "callback"]
        assert c.phone in card.qa[-1].answer
        if lang == "zh":
            assert not any(IDENTIFIER.search(q.answer) for q in card.qa)
