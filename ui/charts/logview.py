"""Arrange log records into per-incident and per-unit tracks for drawing (no scoring here).

A track is just the log's events of one incident grouped and put in order: when it occurred,
when the alarm rang and was taken, when each unit was dispatched, turned out, arrived and was
released, when each report was made. Nothing is judged: limits, compliance and ratings come
from the rule packs and the evaluators' scorecard.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class UnitTrack:
    """One unit's movements for one incident (times in drill minutes; None = not in the log)."""

    unit: str
    dispatched: float | None = None
    mobilised: float | None = None
    arrived: float | None = None
    released: float | None = None
    mutual_aid: bool = False
    capability: str | None = None
    seq: int = 0  # seq of the first event of this unit at this incident (for ordering)


@dataclass
class ReportMark:
    """One ``report_submitted`` event."""

    t: float
    stage: str
    channel: str
    to: str
    sender: str | None
    seq: int


@dataclass
class IncidentTrack:
    """All drawable events of one incident, in log order."""

    incident: str
    seq: int
    occurred: float | None = None
    grade: str | None = None
    grades: list[str] = field(default_factory=list)
    category: str | None = None
    template: str | None = None
    township: str | None = None
    lon: float | None = None
    lat: float | None = None
    alarm_raised: float | None = None
    alarm_level: str | None = None
    caller: str | None = None
    caller_source: str | None = None
    alarm_taken: float | None = None
    controlled: float | None = None
    closed: float | None = None
    unresolved: float | None = None
    scene_visible: float | None = None
    units: dict[str, UnitTrack] = field(default_factory=dict)
    reports: list[ReportMark] = field(default_factory=list)

    @property
    def first_arrival(self) -> float | None:
        """Time of the first ``unit_arrived`` (None if no unit arrived)."""
        times = [u.arrived for u in self.units.values() if u.arrived is not None]
        return min(times) if times else None

    @property
    def start(self) -> float:
        """Earliest time on this track."""
        times = [x for x in (self.occurred, self.alarm_raised) if x is not None]
        times += [u.dispatched for u in self.units.values() if u.dispatched is not None]
        return min(times) if times else 0.0

    def end(self, drill_end: float) -> float:
        """Latest time on this track (``drill_end`` for open bars)."""
        times = [self.start, *(x for x in (self.controlled, self.closed, self.unresolved,
                                           self.scene_visible) if x is not None)]
        times += [r.t for r in self.reports]
        for u in self.units.values():
            times += [x for x in (u.dispatched, u.mobilised, u.arrived, u.released) if x is not None]
        return max(times) if times else drill_end


@dataclass
class LogView:
    """The whole log arranged for charts: incident tracks and the other records by kind."""

    records: list[dict[str, Any]]
    incidents: list[IncidentTrack]
    drill_end: float
    story_start: str | None

    def of_kind(self, *kinds: str) -> list[dict[str, Any]]:
        """Records of the given kinds, in log order."""
        ks = set(kinds)
        return [r for r in self.records if r["kind"] in ks]

    def incident(self, incident_id: str) -> IncidentTrack:
        """The track of one incident (KeyError if absent)."""
        for tr in self.incidents:
            if tr.incident == incident_id:
                return tr
        raise KeyError(incident_id)


def _first(current: float | None, t: float) -> float:
    return t if current is None else current


def view_log(records: Iterable[dict[str, Any]]) -> LogView:
    """Group records (plain dicts as in ``events.jsonl``) into a :class:`LogView`."""
    recs = list(records)
    tracks: dict[str, IncidentTrack] = {}
    story_start: str | None = None
    drill_end = max((float(r["t"]) for r in recs), default=0.0)

    def track(inc: str, seq: int) -> IncidentTrack:
        if inc not in tracks:
            tracks[inc] = IncidentTrack(inc, seq)
        return tracks[inc]

    for r in recs:
        kind, t, d = r["kind"], float(r["t"]), r.get("data") or {}
        if kind == "drill_started":
            story_start = d.get("start")
            continue
        if kind == "drill_ended":
            drill_end = t
            continue
        inc = r.get("incident")
        if inc is None:
            continue
        tr = track(inc, r["seq"])
        unit = r.get("unit")
        if kind == "incident_occurred":
            tr.occurred = _first(tr.occurred, t)
            tr.grade = d.get("grade")
            tr.grades.append(str(d.get("grade")))
            tr.category = d.get("category")
            tr.template = d.get("template")
            tr.township = d.get("township")
            tr.lon, tr.lat = d.get("lon"), d.get("lat")
        elif kind == "incident_escalated":
            tr.grade = d.get("grade", tr.grade)
            tr.grades.append(str(d.get("grade")))
        elif kind == "alarm_raised" and tr.alarm_raised is None:
            tr.alarm_raised, tr.alarm_level = t, d.get("level")
            tr.caller, tr.caller_source = d.get("caller"), d.get("caller_source")
        elif kind == "alarm_taken":
            tr.alarm_taken = _first(tr.alarm_taken, t)
        elif kind == "incident_controlled":
            tr.controlled = _first(tr.controlled, t)
        elif kind == "incident_closed":
            tr.closed = _first(tr.closed, t)
        elif kind == "incident_unresolved":
            tr.unresolved = _first(tr.unresolved, t)
        elif kind == "scene_visible":
            tr.scene_visible = _first(tr.scene_visible, t)
        elif kind == "report_submitted":
            tr.reports.append(ReportMark(t, str(d.get("stage")), str(d.get("channel")),
                                         str(d.get("to")), unit or r.get("post"), r["seq"]))
        elif unit is not None and kind in ("unit_dispatched", "unit_mobilised", "unit_arrived",
                                           "unit_released", "mutual_aid_granted"):
            ut = tr.units.setdefault(unit, UnitTrack(unit, seq=r["seq"]))
            if kind == "unit_dispatched":
                ut.dispatched = _first(ut.dispatched, t)
                ut.mutual_aid = ut.mutual_aid or bool(d.get("mutual_aid"))
                ut.capability = ut.capability or d.get("capability")
            elif kind == "unit_mobilised":
                ut.mobilised = _first(ut.mobilised, t)
            elif kind == "unit_arrived":
                ut.arrived = _first(ut.arrived, t)
            elif kind == "unit_released":
                ut.released = t
            else:
                ut.mutual_aid = True
    ordered = sorted(tracks.values(), key=lambda x: x.seq)
    return LogView(recs, ordered, drill_end, story_start)
