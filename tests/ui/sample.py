"""A small hand-made drill log on the example county, following docs/event-log.md exactly.

Three incidents in three townships (T02 hazmat III, T04 forest fire IV, T06 crowd incident
escalated III → II), nine units, reports of every stage (one final missing), messages,
command posts and one supply delivery. Used by the chart and report tests.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from engine.eventlog import EventLog

Row = tuple[float, str, dict[str, Any]]

CAS0 = {"dead": 0, "injured": 0, "trapped": 0, "missing": 0, "evacuated": 0}


def _incident(inc: str, t: float, township: str, grade: str, category: str, template: str,
              lon: float, lat: float) -> Row:
    return (t, "incident_occurred", dict(incident=inc, inject=f"J-{inc}", category=category,
                                         grade=grade, township=township,
                                         casualties=dict(CAS0, injured=2), template=template,
                                         lon=lon, lat=lat))


def _unit(inc: str, unit: str, disp: float, mob: float, arr: float, rel: float | None,
          level: str = "county", cap: str = "fire_suppression", aid: bool = False) -> list[Row]:
    rows: list[Row] = [
        (disp, "unit_dispatched", dict(incident=inc, unit=unit, level=level, eta_min=arr - mob,
                                       capability=cap, mutual_aid=aid)),
        (mob, "unit_mobilised", dict(incident=inc, unit=unit)),
        (arr, "unit_arrived", dict(incident=inc, unit=unit)),
    ]
    if rel is not None:
        rows.append((rel, "unit_released", dict(incident=inc, unit=unit)))
    return rows


def _report(inc: str, t: float, stage: str, channel: str, to: str, unit: str | None = None,
            post: str | None = None) -> Row:
    return (t, "report_submitted", dict(incident=inc, unit=unit, post=post, stage=stage, to=to,
                                        channel=channel, fields=["time", "place"],
                                        values={"injured": 2}))


def sample_rows() -> list[Row]:
    """The events, not yet in time order."""
    rows: list[Row] = [
        (0.0, "drill_started", dict(scenario="S-TEST", start="2024-06-12T09:00:00",
                                    region="青溪县 Qingxi County (example)", seed=7, mode="sim", commitment="ab" * 32)),
        # INC-1: hazmat leak in 河口镇 (T02), grade III
        (5.0, "inject_released", dict(inject="J-INC-1", inject_kind="incident", method="phone",
                                      sender="导调组", recipient="T02", message="储罐泄漏")),
        _incident("INC-1", 5.0, "T02", "III", "hazmat_leak", "hazmat", 117.318, 31.652),
        (5.2, "alarm_raised", dict(incident="INC-1", level="township",
                                   caller_source="info_officer", caller="IO-T02")),
        (5.9, "alarm_taken", dict(incident="INC-1", level="township", desk="T02")),
        (6.2, "command_post_activated", dict(post="CP-T02", incident="INC-1")),
        (6.3, "message_sent", dict(incident="INC-1", sender="T02", recipient="CP-T02",
                                   channel="phone", delay_min=0.3)),
        *_unit("INC-1", "U-T02", 6.5, 12.0, 14.5, 60.0, level="township"),
        *_unit("INC-1", "U-E-CHEM", 6.6, 9.0, 11.0, 60.0, level="township", cap="hazmat"),
        *_unit("INC-1", "U-K-FIRE1", 7.0, 8.5, 22.0, 60.0, cap="hazmat"),
        *_unit("INC-1", "U-C-HAZ", 12.0, 15.0, 42.0, 60.0, level="city", cap="hazmat", aid=True),
        (10.0, "mutual_aid_requested", dict(incident="INC-1", from_jurisdiction="K1",
                                            to_level="city", capability="hazmat")),
        (12.0, "mutual_aid_granted", dict(incident="INC-1", unit="U-C-HAZ",
                                          from_jurisdiction="C0")),
        (11.5, "commander_designated", dict(incident="INC-1", unit="U-E-CHEM", person="李工",
                                            reason="first_arrival")),
        (17.0, "message_sent", dict(incident="INC-1", sender="U-E-CHEM", recipient="CP-T02",
                                    channel="radio", delay_min=1.0)),
        _report("INC-1", 16.0, "first", "phone", "county", unit="U-E-CHEM"),
        (28.0, "scene_visible", dict(post="CP-T02", incident="INC-1")),
        (30.0, "supplies_requested", dict(incident="INC-1", item="foam", qty=2, request="R1")),
        (52.0, "supplies_delivered", dict(incident="INC-1", depot="D-K1", item="foam", qty=2,
                                          request="R1", tier="county")),
        (41.0, "incident_controlled", dict(incident="INC-1")),
        _report("INC-1", 48.0, "followup", "written", "county", post="CP-T02"),
        _report("INC-1", 75.0, "final", "written", "county", post="CP-T02"),
        (62.0, "incident_closed", dict(incident="INC-1")),
        # INC-2: forest fire in 青山镇 (T04), grade IV
        _incident("INC-2", 30.0, "T04", "IV", "forest_fire", "forest_fire", 117.060, 31.790),
        (31.0, "alarm_raised", dict(incident="INC-2", level="township",
                                    caller_source="info_officer", caller="IO-T04")),
        (32.5, "alarm_taken", dict(incident="INC-2", level="township", desk="T04")),
        (33.0, "message_sent", dict(incident="INC-2", sender="T04", recipient="K1",
                                    channel="phone", delay_min=0.5)),
        *_unit("INC-2", "U-T04", 33.0, 39.0, 44.0, 80.0, level="township", cap="forest_fire"),
        *_unit("INC-2", "U-K-FOREST", 34.0, 37.0, 46.5, 80.0, cap="forest_fire"),
        (55.0, "incident_controlled", dict(incident="INC-2")),
        _report("INC-2", 50.0, "first", "phone", "county", unit="U-T04"),
        _report("INC-2", 90.0, "followup", "written", "county", post="CP-T04"),
        # INC-3: crowd incident in 新港街道 (T06), III escalated to II, unresolved at the end
        _incident("INC-3", 60.0, "T06", "III", "crowd_crush", "crowd", 117.265, 31.755),
        (60.5, "alarm_raised", dict(incident="INC-3", level="county", caller_source="public",
                                    caller="13700000000")),
        (61.0, "alarm_taken", dict(incident="INC-3", level="county", desk="K1")),
        (61.5, "message_sent", dict(incident="INC-3", sender="K1", recipient="C0",
                                    channel="phone", delay_min=0.5)),
        *_unit("INC-3", "U-T06", 61.2, 66.0, 67.0, None, level="county", cap="crowd_control"),
        *_unit("INC-3", "U-K-FIRE2", 61.3, 62.8, 64.5, None, cap="search_rescue"),
        *_unit("INC-3", "U-K-MED", 61.5, 63.5, 70.0, None, cap="medical"),
        *_unit("INC-3", "U-S-REDCROSS", 62.0, 76.0, 79.0, None, cap="medical"),
        (72.0, "incident_escalated", dict(incident="INC-3", grade="II", grade_from="III")),
        _report("INC-3", 68.0, "first", "phone", "county", unit="U-K-FIRE2"),
        _report("INC-3", 74.0, "first", "phone", "city", post="CP-T06"),
        _report("INC-3", 100.0, "followup", "written", "city", post="CP-T06"),
        (180.0, "observation", dict(text="现场指挥部未及时统一通信频道", capability="crowd_control",
                                    rating="M", author="评估员李明")),
        (240.0, "incident_unresolved", dict(incident="INC-3", reason="duration reached")),
        (150.0, "observation", dict(text="消防救援队到场后立即设置警戒区，疏散有序", capability="response",
                                    rating="P", author="评估员王芳")),
        (200.0, "observation", dict(text="乡镇指挥部启动后未及时向县值班室报告", capability="command",
                                    rating="S", author="评估员李明")),
        (240.0, "drill_ended", dict(reason="duration reached")),
        # the hotwash, typed right after play (docs/reports.md)
        (240.0, "hotwash", dict(section="strength", text="首支队伍到场快，先期处置规范",
                                author="评估员王芳")),
        (240.0, "hotwash", dict(section="weakness", text="跨乡镇通信频道不统一，信息传递慢",
                                author="评估员李明")),
        (240.0, "hotwash", dict(section="action", text="统一应急通信频道并组织专项培训",
                                author="评估员李明", owner="CP-T06")),
    ]
    return rows


def sample_log() -> EventLog:
    """The sample events appended in time order (stable for equal times)."""
    log = EventLog()
    ids = ("incident", "unit", "inject", "depot", "post")
    for t, kind, kw in sorted(sample_rows(), key=lambda r: r[0]):
        kw = dict(kw)
        id_kw = {k: kw.pop(k) for k in ids if k in kw}
        log.append(kind, t, **id_kw, **kw)
    return log


def write_run(run_dir: Path, region_yaml: Path) -> Path:
    """Write the sample log as a run directory (events.jsonl + inputs/region.yaml + run.json)."""
    log = sample_log()
    log.write_jsonl(run_dir / "events.jsonl")
    inputs = run_dir / "inputs"
    inputs.mkdir(parents=True, exist_ok=True)
    (inputs / "region.yaml").write_text(region_yaml.read_text(encoding="utf-8"), encoding="utf-8")
    (inputs / "run.json").write_text('{"seed": 7, "command": "test"}', encoding="utf-8")
    return run_dir
