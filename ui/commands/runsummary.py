"""The readable run summary that ``simulate`` and ``demo`` print: counts and times read from
an event log (no scoring — the evaluators do that), and their text form in Chinese or English.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scenarios.catalogue import HazardCatalogue
    from scenarios.region import Region


#: the kinds :func:`summarise` reads
_READ = frozenset({"incident_occurred", "alarm_taken", "unit_dispatched", "unit_arrived",
                   "incident_controlled", "incident_unresolved", "scene_visible",
                   "supplies_short", "report_submitted"})


def summarise(records: list[dict[str, Any]], region: Region | None = None) -> dict[str, Any]:
    """Per-incident times (minutes), units and reports, plus totals, from a log's records."""
    incs: dict[str, dict[str, Any]] = {}
    units_used: set[str] = set()
    read = _READ
    for r in records:
        k = r["kind"]
        if k not in read:  # most of a log (messages, tasks, injects …): nothing to count
            continue
        iid, d = r["incident"], r["data"]
        if k == "incident_occurred":
            tname = d["township"]
            if region is not None and tname in region.jurisdiction_by_id:
                tname = region.jurisdiction_by_id[tname].name
            incs[iid] = {"id": iid, "category": d["category"], "grade": d["grade"],
                         "township": tname, "occurred": r["t"], "alarm_taken": None,
                         "first_arrival": None, "controlled": None, "unresolved": False,
                         "units": [], "mutual_aid": 0, "reports": {}, "scene_visible": None,
                         "supplies_short": 0}
            continue
        inc = incs.get(iid) if iid else None
        if inc is None:
            continue
        if k == "alarm_taken" and inc["alarm_taken"] is None:
            inc["alarm_taken"] = r["t"]
        elif k == "unit_dispatched":
            inc["units"].append(r["unit"])
            units_used.add(r["unit"])
            inc["mutual_aid"] += bool(d.get("mutual_aid"))
        elif k == "unit_arrived" and inc["first_arrival"] is None:
            inc["first_arrival"] = r["t"]
        elif k == "incident_controlled":
            inc["controlled"] = r["t"]
        elif k == "incident_unresolved":
            inc["unresolved"] = True
        elif k == "scene_visible" and inc["scene_visible"] is None:
            inc["scene_visible"] = r["t"]
        elif k == "supplies_short":
            inc["supplies_short"] += d["qty"]
        elif k == "report_submitted":
            inc["reports"].setdefault(d["stage"], r["t"])
    arrivals = [i["first_arrival"] - i["occurred"] for i in incs.values()
                if i["first_arrival"] is not None]
    return {
        "incidents": len(incs),
        "controlled": sum(1 for i in incs.values() if i["controlled"] is not None),
        "unresolved": sum(1 for i in incs.values() if i["unresolved"]),
        "units_used": len(units_used),
        "events": len(records),
        "mean_arrival_min": round(sum(arrivals) / len(arrivals), 2) if arrivals else None,
        "by_incident": list(incs.values()),
    }


_T = {
    "zh": {"head": "演练小结", "inc": "事件", "ctl": "已控制", "unres": "未处置完毕", "units": "动用队伍",
           "events": "事件日志条数", "marr": "平均到场(分钟)", "cols": "编号 类型 等级 乡镇 | 接警 到场 控制 (距发生, 分钟) | 队伍(增援) | 首报/续报/终报",
           "no": "—", "run": "运行目录"},
    "en": {"head": "Drill summary", "inc": "incidents", "ctl": "controlled", "unres": "unresolved",
           "units": "units used", "events": "log events", "marr": "mean arrival (min)",
           "cols": "id category grade township | alarm taken, arrived, controlled (min after occurrence) | units (mutual aid) | first/follow-up/final report",
           "no": "-", "run": "run directory"},
}


def pad(text: str, width: int) -> str:
    """Left-justify ``text`` to ``width`` terminal columns (CJK characters take two)."""
    cols = sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)
    return text + " " * max(0, width - cols)


def category_names(catalogue: HazardCatalogue, lang: str) -> dict[str, str]:
    """Display names of the catalogue's incident categories in ``lang`` (``zh`` or ``en``)."""
    return {c.id: (c.name_zh if lang == "zh" else c.name_en) for c in catalogue.categories}


def format_summary(s: dict[str, Any], lang: str, category_names: dict[str, str]) -> str:
    """The summary as readable text in Chinese or English.

    ``category_names`` maps category ids to display names (:func:`category_names`); it is
    required, so that no caller prints a category's id in a Chinese line.
    """
    t = _T[lang]
    names = category_names

    def rel(i: dict[str, Any], key: str) -> str:
        v = i[key]
        return t["no"] if v is None else f"{v - i['occurred']:.1f}"

    def rep(i: dict[str, Any], stage: str) -> str:
        v = i["reports"].get(stage)
        return t["no"] if v is None else f"{v - i['occurred']:.0f}"

    lines = [f"{t['head']}: {s['incidents']} {t['inc']}, {s['controlled']} {t['ctl']}, "
             f"{s['unresolved']} {t['unres']}; {t['units']} {s['units_used']}; "
             f"{t['marr']} {s['mean_arrival_min']}; {t['events']} {s['events']}", t["cols"]]
    for i in s["by_incident"]:
        lines.append(
            f"  {i['id']:<5} {pad(names.get(i['category'], i['category']), 28)} {i['grade']:<3} "
            f"{pad(i['township'], 10)} | "
            f"{rel(i, 'alarm_taken'):>5} {rel(i, 'first_arrival'):>6} {rel(i, 'controlled'):>6} | "
            f"{len(i['units'])} ({i['mutual_aid']}) | "
            f"{rep(i, 'first')}/{rep(i, 'followup')}/{rep(i, 'final')}"
        )
    if "run_dir" in s:
        lines.append(f"{t['run']}: {s['run_dir']}")
    return "\n".join(lines)
