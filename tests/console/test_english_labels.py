"""In English the evaluator's pickers word the region's teams, depots and places in English,
while the value a tap records stays the id (the same as in Chinese)."""

from __future__ import annotations

import re

import pytest
from consolehelp import Console, page_test, speak

CJK = re.compile(r"[\u3400-\u9fff]")


def _released(console: Console) -> str:
    boss = console.start()
    first = next(v for v in console.svc.msel(boss, "DEMO") if v.kind == "incident")
    console.svc.release(boss, "DEMO", first.id)
    assert first.incident is not None
    return first.incident


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_team_depot_and_place_labels_follow_the_language_and_the_value_is_the_id(
        console: Console, lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    inc = _released(console)
    speak(lang, monkeypatch)
    at = page_test("evaluator", console.who("umpire1"), lang).run()
    assert not at.exception
    region = console.svc.region("DEMO")
    team = at.selectbox(key=f"ev_unit_{inc}")
    depot = at.selectbox(key=f"sup_depot_{inc}")
    places = at.radio(key="ev_inc").options
    labels = list(team.options[1:]) + list(depot.options) + list(places)
    if lang == "en":
        assert labels and not [x for x in labels if CJK.search(x)]
    else:
        assert set(team.options[1:]) <= {u.name for u in region.units}
        assert set(depot.options) == {d.name for d in region.depots}
    # what is recorded is the id, whatever the label
    uid = region.units[0].id
    team.set_value(uid).run()
    at.button(key="tap_unit_arrived").click().run()
    assert not at.exception
    assert [r["unit"] for r in console.records("unit_arrived")] == [uid]
    mine = [str(x.value) for x in at.text if "#" in str(x.value)]
    assert mine and (not CJK.search(mine[0]) if lang == "en" else region.units[0].name in mine[0])
