"""The MSEL (master scenario events list) as a spreadsheet: export to xlsx/csv, import edits.

Columns follow HSEEP: no., planned time (drill clock HH:MM:SS from the start), story time
(wall clock), type, from, to, delivery method, message, expected action, capability/objective,
responsible umpire, status; headers in Chinese or English. The xlsx has a hidden column with
the inject id and a hidden sheet ``scenario`` holding the sealed document, so
:func:`import_xlsx` can rebuild the exact scenario and apply what organisers edited in the
visible columns (times, from/to, method, message, expected action, capability, umpire; a deleted
row drops its inject). The CSV (UTF-8 with BOM, for Excel/WPS) is for reading and printing.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from scenarios.loading import InputError
from scenarios.schema import Scenario, scenario_from_data

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
TYPES = {"zh": {"incident": "事件(接警)", "complication": "情况变化"},
         "en": {"incident": "Event (alarm)", "complication": "Contingency"}}
STATUS = {"zh": "待发", "en": "Pending"}
ID_HEADER = "inject_id"
STORY_FMT = "%Y-%m-%d %H:%M:%S"


def clock(t: float) -> str:
    """Drill-clock text HH:MM:SS for ``t`` minutes."""
    s = int(round(t * 60))
    return f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}"


def parse_clock(text: str) -> float:
    """Minutes from HH:MM:SS or HH:MM drill-clock text."""
    parts = [int(p) for p in str(text).strip().split(":")]
    if len(parts) == 2:
        parts.append(0)
    if len(parts) != 3 or any(p < 0 for p in parts):
        raise ValueError(text)
    return round((parts[0] * 3600 + parts[1] * 60 + parts[2]) / 60, 4)


def rows(scenario: Scenario, lang: str = "zh") -> list[list[str]]:
    """The MSEL rows (visible columns, in order) plus the inject id as the last value."""
    out = []
    for n, inj in enumerate(scenario.injects, start=1):
        d = inj.delivery
        story = (scenario.start + timedelta(minutes=inj.t)).strftime(STORY_FMT) \
            if scenario.start else ""
        out.append([str(n), clock(inj.t), story, TYPES[lang][inj.kind], d.sender, d.recipient,
                    METHODS[lang][d.method], d.message, d.expected_action, d.capability,
                    d.umpire, STATUS[lang], inj.id])
    return out


def write_csv(scenario: Scenario, path: str | Path, lang: str = "zh") -> None:
    """Write the MSEL as CSV, UTF-8 with a BOM so Excel and WPS show Chinese correctly."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([*HEADERS[lang], ID_HEADER])
    w.writerows(rows(scenario, lang))
    Path(path).write_bytes(b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8"))


def write_xlsx(scenario: Scenario, sealed_document: dict[str, Any], path: str | Path,
               lang: str = "zh") -> None:
    """Write the MSEL workbook: visible sheet ``MSEL`` and hidden sheet ``scenario``."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "MSEL"
    ws.append([*HEADERS[lang], ID_HEADER])
    for r in rows(scenario, lang):
        ws.append(r)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    widths = [6, 11, 20, 12, 22, 22, 10, 70, 50, 24, 12, 8, 10]
    for k, wdt in enumerate(widths):
        ws.column_dimensions[chr(ord("A") + k)].width = wdt
    ws.column_dimensions["M"].hidden = True
    for row in ws.iter_rows(min_row=2):
        for cell in row[7:9]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    hidden = wb.create_sheet("scenario")
    text = json.dumps(sealed_document, ensure_ascii=False)
    for k in range(0, len(text), 30000):  # a cell holds at most 32,767 characters
        hidden.append([text[k:k + 30000]])
    hidden.sheet_state = "hidden"
    wb.save(str(path))


def import_xlsx(path: str | Path) -> tuple[Scenario, dict[str, Any]]:
    """Rebuild the scenario from an edited MSEL workbook; returns it and the original document.

    Raises :class:`InputError` naming the sheet row and column of anything it cannot use.
    """
    from openpyxl import load_workbook

    src = str(path)
    try:
        wb = load_workbook(src, read_only=True, data_only=True)
    except FileNotFoundError:
        raise InputError(src, ["file not found"]) from None
    except Exception as exc:  # openpyxl raises many types for a non-xlsx file
        raise InputError(src, [f"not an .xlsx workbook ({type(exc).__name__})"]) from None
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
    problems: list[str] = []
    kept: list[dict[str, Any]] = []
    for rn, raw in enumerate(table[1:], start=2):
        vals = ["" if v is None else str(v) for v in raw] + [""] * len(header)
        if not any(v.strip() for v in vals[:len(header)]):
            continue
        inj = by_id.get(vals[id_col].strip())
        if inj is None:
            problems.append(f"MSEL row {rn}: no known inject id in column {ID_HEADER}; new rows "
                            "cannot be added here (add injects in the scenario file)")
            continue
        cell = dict(zip(COLUMNS, vals[:len(COLUMNS)], strict=True))
        data = inj.model_dump(mode="json", by_alias=True, exclude_none=True)
        try:
            t = parse_clock(cell["planned"])
        except ValueError:
            problems.append(f"MSEL row {rn}, {HEADERS[lang][1]}: '{cell['planned']}' is not "
                            "HH:MM:SS")
            continue
        if abs(t - inj.t) < 1e-6 and base.start and cell["story"].strip():
            try:
                story = datetime.strptime(cell["story"].strip()[:19], STORY_FMT)
                t = round((story - base.start).total_seconds() / 60, 4)
            except ValueError:
                problems.append(f"MSEL row {rn}, {HEADERS[lang][2]}: '{cell['story']}' is not "
                                "YYYY-MM-DD HH:MM:SS")
                continue
        data["t"] = inj.t if abs(t - inj.t) < 1e-6 else t
        method = methods.get(cell["method"].strip())
        if method is None:
            problems.append(f"MSEL row {rn}, {HEADERS[lang][6]}: '{cell['method']}' is not one "
                            f"of {sorted(methods)}")
            continue
        data["delivery"].update(sender=cell["from"], recipient=cell["to"], method=method,
                                message=cell["message"], expected_action=cell["expected"],
                                capability=cell["capability"], umpire=cell["umpire"])
        kept.append(data)
    if problems:
        raise InputError(src, problems)
    kept.sort(key=lambda d: d["t"])  # stable: equal times keep the sheet's order
    new = base.model_dump(mode="json", by_alias=True, exclude_none=True)
    new["injects"] = kept
    return scenario_from_data(new, f"{src} (after applying the sheet's edits)"), doc
