"""The MSEL (master scenario events list) as a spreadsheet: export to xlsx/csv, import edits.

Columns follow HSEEP: no., planned time (drill clock HH:MM:SS from the start), story time
(wall clock), type, from, to, delivery method, message, expected action, capability/objective,
responsible umpire, status; headers in Chinese or English. The xlsx has a hidden column with
the inject id and a hidden sheet ``scenario`` holding the sealed document, so
:func:`import_xlsx` can rebuild the exact scenario and apply what organisers edited in the
visible columns (times, from/to, method, message, expected action, capability, umpire; a deleted
row drops its inject; From, To and, for a call or an inject that had one, the message cannot be
emptied). After the id column, both formats carry the controller's likely
questions and answers of each inject (:mod:`scenarios.callscript`): derived from the inject,
for printing, ignored on import. The CSV (UTF-8 with BOM, for Excel/WPS) is for reading and
printing.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from scenarios.callscript import call_script
from scenarios.limits import MAX_DURATION_MIN, MAX_INPUT_BYTES
from scenarios.loading import InputError
from scenarios.outputs import atomic_write
from scenarios.schema import IncidentInject, Scenario, scenario_from_data

COLUMNS = ["no", "planned", "story", "type", "from", "to", "method", "message", "expected",
           "capability", "umpire", "status"]
HEADERS = {
    "zh": ["序号", "计划时间", "情景时间", "类型", "发送方", "接收方", "传递方式", "信息内容",
           "预期行动", "能力/目标", "责任导调员", "状态"],
    "en": ["No.", "Planned time", "Story time", "Type", "From", "To", "Delivery method",
           "Message", "Expected action", "Capability/objective", "Responsible umpire", "Status"],
}
METHODS = {"zh": {"phone": "电话", "radio": "对讲机", "sms": "短信", "app": "系统推送",
                  "in_person": "当面", "email": "邮件", "video": "视频"},
           "en": {m: m.replace("_", " ") for m in
                  ("phone", "radio", "sms", "app", "in_person", "email", "video")}}
TYPES = {"zh": {"incident": "事件(接警)", "complication": "情况变化",
                "repeat_call": "重复报警(同一事件)"},
         "en": {"incident": "Event (alarm)", "complication": "Contingency",
                "repeat_call": "Repeat call (same incident)"}}
STATUS = {"zh": "待发", "en": "Pending"}
ID_HEADER = "inject_id"
#: the derived column after the id: what the duty officer may ask and what the caller answers
QA_HEADER = {"zh": "可能追问及答法(控制员用)", "en": "Likely questions and answers (controllers)"}
STORY_FMT = "%Y-%m-%d %H:%M:%S"


def clock(t: float) -> str:
    """Drill-clock text HH:MM:SS for ``t`` minutes."""
    s = int(round(t * 60))
    return f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}"


def parse_clock(text: str) -> float:
    """Minutes from HH:MM:SS or HH:MM drill-clock text (hours 0-168, minutes and seconds 0-59).

    Raises ``ValueError`` with a plain reason for anything else (``00:75:00``, ``25:99:00``)."""
    raw = str(text).strip()
    pieces = raw.split(":")
    if len(pieces) == 2:
        pieces.append("0")
    if len(pieces) != 3 or not all(p.strip().isdigit() for p in pieces):
        raise ValueError("is not HH:MM:SS")
    h, m, sec = (int(p) for p in pieces)
    if m > 59:
        raise ValueError(f"has {m} minutes (at most 59)")
    if sec > 59:
        raise ValueError(f"has {sec} seconds (at most 59)")
    if h * 60 + m + sec / 60 > MAX_DURATION_MIN:
        raise ValueError(f"is after the longest drill ({MAX_DURATION_MIN // 60} hours)")
    return round((h * 3600 + m * 60 + sec) / 60, 4)


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index (0 -> A, 26 -> AA)."""
    out = ""
    n = index + 1
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(ord("A") + r) + out
    return out


def qa_text(inj: Any, lang: str = "zh") -> str:
    """An inject's likely questions and answers as lines ``问:… 答:…`` / ``Q: … A: …``."""
    card = call_script(inj, "en" if lang == "en" else "zh")
    q, a = ("问:", "答:") if lang == "zh" else ("Q: ", "A: ")
    return "\n".join(f"{q}{x.question} {a}{x.answer}" for x in card.qa)


def rows(scenario: Scenario, lang: str = "zh") -> list[list[str]]:
    """The MSEL rows (visible columns, in order), the inject id, then the derived likely
    questions and answers."""
    out = []
    for n, inj in enumerate(scenario.injects, start=1):
        d = inj.delivery
        story = (scenario.start + timedelta(minutes=inj.t)).strftime(STORY_FMT) \
            if scenario.start else ""
        kind = "repeat_call" if _is_repeat(inj) else inj.kind
        out.append([str(n), clock(inj.t), story, TYPES[lang][kind], d.sender, d.recipient,
                    METHODS[lang][d.method], d.message, d.expected_action, d.capability,
                    d.umpire, STATUS[lang], inj.id, qa_text(inj, lang)])
    return out


def write_csv(scenario: Scenario, path: str | Path, lang: str = "zh") -> None:
    """Write the MSEL as CSV, UTF-8 with a BOM so Excel and WPS show Chinese correctly."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([*HEADERS[lang], ID_HEADER, QA_HEADER.get(lang, QA_HEADER["en"])])
    w.writerows(rows(scenario, lang))
    atomic_write(path, b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8"))


def write_xlsx(scenario: Scenario, sealed_document: dict[str, Any], path: str | Path,
               lang: str = "zh") -> None:
    """Write the MSEL workbook: visible sheet ``MSEL`` and hidden sheet ``scenario``."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "MSEL"
    ws.append([*HEADERS[lang], ID_HEADER, QA_HEADER.get(lang, QA_HEADER["en"])])
    for r in rows(scenario, lang):
        ws.append(r)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    widths = [6, 11, 20, 12, 22, 22, 10, 70, 50, 24, 12, 8, 10, 80]
    for k, wdt in enumerate(widths):
        ws.column_dimensions[chr(ord("A") + k)].width = wdt
    ws.column_dimensions["M"].hidden = True
    for row in ws.iter_rows(min_row=2):
        for cell in (*row[7:9], row[13]):
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    hidden = wb.create_sheet("scenario")
    text = json.dumps(sealed_document, ensure_ascii=False)
    for k in range(0, len(text), 30000):  # a cell holds at most 32,767 characters
        hidden.append([text[k:k + 30000]])
    hidden.sheet_state = "hidden"
    out = io.BytesIO()
    wb.save(out)
    atomic_write(path, out.getvalue())


def import_xlsx(path: str | Path) -> tuple[Scenario, dict[str, Any]]:
    """Rebuild the scenario from an edited MSEL workbook; returns it and the original document.

    Raises :class:`InputError` naming the sheet row and column of anything it cannot use.
    """
    from openpyxl import load_workbook

    src = str(path)
    try:
        if Path(src).stat().st_size > MAX_INPUT_BYTES:
            raise InputError(src, [f"file is larger than {MAX_INPUT_BYTES // 2**20} MB (the "
                                   "limit for an input file)"])
        wb = load_workbook(src, read_only=True, data_only=True)
    except InputError:
        raise
    except FileNotFoundError:
        raise InputError(src, ["file not found"]) from None
    except Exception:  # openpyxl raises many types for a non-xlsx file
        raise InputError(src, ["not an .xlsx workbook that Excel, WPS or LibreOffice saved "
                               "(it cannot be opened as one); give the workbook blinddrill msel "
                               "wrote, edited and saved as .xlsx"]) from None
    if "scenario" not in wb.sheetnames or "MSEL" not in wb.sheetnames:
        raise InputError(src, ["needs the sheets 'MSEL' and 'scenario' written by "
                               "`blinddrill msel SEALED -o FILE.xlsx`"])
    text = "".join(str(r[0]) for r in wb["scenario"].iter_rows(values_only=True) if r and r[0])
    try:
        doc = json.loads(text)
        base = scenario_from_data(doc["scenario"], f"{src}: sheet scenario")
    except (json.JSONDecodeError, KeyError, TypeError):
        raise InputError(src, ["sheet 'scenario' is damaged (not the JSON written by msel)"]) \
            from None
    table = list(wb["MSEL"].iter_rows(values_only=True))
    header = [str(h) if h is not None else "" for h in table[0]]
    lang = "zh" if header[:len(HEADERS["zh"])] == HEADERS["zh"] else "en"
    if header[:len(HEADERS[lang])] != HEADERS[lang] or ID_HEADER not in header:
        raise InputError(src, ["sheet MSEL: the header row was changed; keep the columns as "
                               "exported"])
    methods = {v: k for k, v in METHODS[lang].items()}
    by_id = {inj.id: inj for inj in base.injects}
    id_col = header.index(ID_HEADER)
    col = {name: f"column {column_letter(k)} ({HEADERS[lang][k]})"
           for k, name in enumerate(COLUMNS)}
    problems: list[str] = []
    kept: list[tuple[dict[str, Any], int]] = []
    seen: dict[str, int] = {}
    for rn, raw in enumerate(table[1:], start=2):
        vals = ["" if v is None else str(v) for v in raw] + [""] * len(header)
        if not any(v.strip() for v in vals[:len(header)]):
            continue
        at = f"sheet MSEL row {rn}"
        inj_id = vals[id_col].strip()
        inj = by_id.get(inj_id)
        if inj is None:
            problems.append(f"{at}, column {column_letter(id_col)} ({ID_HEADER}): no known "
                            "inject id; new rows cannot be added here (add injects in the "
                            "scenario file)")
            continue
        if inj_id in seen:
            problems.append(f"{at}: inject {inj_id} is already on row {seen[inj_id]} (a row "
                            "was copied; delete one of them)")
            continue
        seen[inj_id] = rn
        cell = dict(zip(COLUMNS, vals[:len(COLUMNS)], strict=True))
        data = inj.model_dump(mode="json", by_alias=True, exclude_none=True)
        try:
            t = parse_clock(cell["planned"])
        except ValueError as exc:
            problems.append(f"{at}, {col['planned']}: '{cell['planned']}' {exc}")
            continue
        if abs(t - inj.t) < 1e-6 and base.start and cell["story"].strip():
            try:
                story = datetime.strptime(cell["story"].strip()[:19], STORY_FMT)
            except ValueError:
                problems.append(f"{at}, {col['story']}: '{cell['story']}' is not a date and "
                                "time YYYY-MM-DD HH:MM:SS")
                continue
            # the sheet shows wall-clock time in the scenario's own zone, without an offset
            t = round((story - base.start.replace(tzinfo=None)).total_seconds() / 60, 4)
            if t < 0:
                problems.append(f"{at}, {col['story']}: '{cell['story']}' is before the drill "
                                f"starts ({base.start.strftime(STORY_FMT)})")
                continue
        data["t"] = inj.t if abs(t - inj.t) < 1e-6 else t
        if data["t"] > base.duration_min:
            problems.append(f"{at}, {col['planned']}: {clock(data['t'])} is after the drill "
                            f"ends ({clock(base.duration_min)})")
            continue
        method = methods.get(cell["method"].strip())
        if method is None:
            problems.append(f"{at}, {col['method']}: '{cell['method']}' is not one of "
                            f"{sorted(methods)}")
            continue
        empty = [col[c] for c in _required(inj, _is_repeat(inj))
                 if not cell[c].strip()]
        if empty:
            problems += [f"{at}, {c}: is empty; {_REQUIRED_WHY}" for c in empty]
            continue
        data["delivery"].update(sender=cell["from"], recipient=cell["to"], method=method,
                                message=cell["message"], expected_action=cell["expected"],
                                capability=cell["capability"], umpire=cell["umpire"])
        kept.append((data, rn))
    if problems:
        raise InputError(src, problems)
    if not kept:
        raise InputError(src, ["sheet MSEL: every inject row was deleted; a drill needs at "
                               "least one inject (re-export the MSEL to start again)"])
    kept.sort(key=lambda d: d[0]["t"])  # stable: equal times keep the sheet's order
    new = base.model_dump(mode="json", by_alias=True, exclude_none=True)
    new["injects"] = [d for d, _ in kept]
    where = f"{src} (after applying the sheet's edits)"
    try:
        return scenario_from_data(new, where), doc
    except InputError as exc:  # name the sheet row of each inject a problem is about
        raise InputError(where, [_with_row(p, [rn for _, rn in kept]) for p in exc.problems]) \
            from None


#: why a required MSEL cell cannot be empty (the import's message)
_REQUIRED_WHY = ("an inject needs it to be delivered (restore the text, or delete the row to "
                 "drop the inject)")


def _is_repeat(inj: Any) -> bool:
    """True for a repeat call about an incident (a complication that is a call)."""
    return not isinstance(inj, IncidentInject) and inj.complication.type == "repeat_call"


def _required(inj: Any, repeat: bool) -> list[str]:
    """The MSEL columns an imported row of ``inj`` must not leave empty: who delivers it and
    to whom, always; what is said, for a call (an incident's alarm, a repeat call) and for
    any inject whose message the sealed scenario had (a complication of a hand-written
    scenario may carry its content in its note, with no message)."""
    out = ["from", "to"]
    if isinstance(inj, IncidentInject) or repeat or inj.delivery.message.strip():
        out.append("message")
    return out


def _with_row(problem: str, rows_of: list[int]) -> str:
    """Prefix ``injects[k]...`` problems with the sheet row inject ``k`` came from."""
    m = re.match(r"injects\[(\d+)\]", problem)
    if m and int(m.group(1)) < len(rows_of):
        return f"sheet MSEL row {rows_of[int(m.group(1))]}: {problem}"
    return problem
