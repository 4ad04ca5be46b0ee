"""MSEL import refuses a row whose required text was emptied, naming sheet, row and column.

An incident row with its 信息内容 (message) cleared was re-sealed as ``"message": ""``: an
alarm with nothing said. From and To are needed by every inject; a message by every call and
by any inject the sealed scenario gave one."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from scenarios.loading import InputError
from scenarios.msel import HEADERS, import_xlsx, write_xlsx
from scenarios.schema import IncidentInject, Scenario
from scenarios.sealing import load_scenario_file, read_sealed, seal

DEMO = Path(__file__).resolve().parents[2] / "scenarios" / "samples" / "seed_city_demo.yaml"
COLUMN = {"from": 5, "to": 6, "message": 8}  # 1-based, as openpyxl counts


def _export(scenario_doc: tuple[Scenario, dict[str, object]], path: Path,
            lang: str = "zh") -> Path:
    write_xlsx(scenario_doc[0], scenario_doc[1], path, lang)
    return path


def _row_of(scenario: Scenario, pick: str) -> int:
    """The sheet row (1-based, header = 1) of the first inject of kind ``pick``."""
    for k, inj in enumerate(scenario.injects):
        if isinstance(inj, IncidentInject):
            if pick == "incident":
                return 2 + k
        elif pick == "complication" and inj.complication.type != "repeat_call" \
                and inj.delivery.message:
            return 2 + k
    raise AssertionError(f"no {pick} inject with a message")


@pytest.mark.parametrize(("kind", "field", "blank"), [
    ("incident", "message", None), ("incident", "message", "   "),
    ("incident", "from", None), ("incident", "to", ""),
    ("complication", "message", None), ("complication", "to", None),
])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_emptied_required_cell_is_refused(tmp_path: Path, sealed_file: Path, kind: str,
                                             field: str, blank: str | None, lang: str) -> None:
    sealed = read_sealed(sealed_file)
    xlsx = _export((sealed.scenario, sealed.document), tmp_path / "msel.xlsx", lang)
    row = _row_of(sealed.scenario, kind)
    wb = load_workbook(xlsx)
    wb["MSEL"].cell(row=row, column=COLUMN[field]).value = blank
    wb.save(xlsx)
    with pytest.raises(InputError) as err:
        import_xlsx(xlsx)
    col = COLUMN[field]
    header = HEADERS[lang][col - 1]
    assert err.value.source == str(xlsx)
    assert f"sheet MSEL row {row}, column {chr(ord('A') + col - 1)} ({header}): is empty" \
        in str(err.value), str(err.value)


def test_every_emptied_cell_is_named_at_once(tmp_path: Path, sealed_file: Path) -> None:
    sealed = read_sealed(sealed_file)
    xlsx = _export((sealed.scenario, sealed.document), tmp_path / "msel.xlsx")
    row = _row_of(sealed.scenario, "incident")
    wb = load_workbook(xlsx)
    for c in COLUMN.values():
        wb["MSEL"].cell(row=row, column=c).value = None
    wb.save(xlsx)
    with pytest.raises(InputError) as err:
        import_xlsx(xlsx)
    assert len(err.value.problems) == 3


def test_a_scenario_whose_complications_have_no_message_still_round_trips(
        tmp_path: Path) -> None:
    """The shipped demo scenario's complications carry their content in a note, with no
    message: its unchanged sheet imports to the same scenario."""
    scenario = load_scenario_file(DEMO)
    assert any(not isinstance(i, IncidentInject) and not i.delivery.message
               for i in scenario.injects)
    sealed = seal(scenario)
    xlsx = _export((scenario, sealed.document), tmp_path / "msel.xlsx")
    back, _ = import_xlsx(xlsx)
    assert back == scenario
