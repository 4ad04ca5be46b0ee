"""Hand-built event logs with known answers, in a simulated and a live-umpire shape."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from engine.eventlog import EventLog
from scenarios.region import Region, load_region

ROOT = Path(__file__).resolve().parents[2]
COUNTY = ROOT / "scenarios" / "regions" / "county.yaml"

Ev = tuple[float, str, dict[str, Any]]  # (t, kind, ids + data)

_ID_KEYS = ("incident", "unit", "inject", "depot", "post")

HAZMAT_FIRST = ["time", "place", "category", "casualties", "reporter", "chemical"]


def county() -> Region:
    """The example county region."""
    return load_region(COUNTY)


def build(events: list[Ev], *, source: str = "sim", shuffle_ties: int | None = None,
          extra: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Append events (stably sorted by t) to an EventLog and return its records.

    ``shuffle_ties`` (a seed) reorders events that share a time, as umpires typing in
    independent observations would; ``extra`` adds payload keys to every event.
    """
    evs = sorted(events, key=lambda e: e[0])
    if shuffle_ties is not None:
        rng = random.Random(shuffle_ties)
        groups: dict[float, list[Ev]] = {}
        for e in evs:
            groups.setdefault(e[0], []).append(e)
        evs = []
        for t in sorted(groups):
            g = groups[t][:]
            rng.shuffle(g)
            evs.extend(g)
    log = EventLog()
    for t, kind, kw in evs:
        ids = {k: kw[k] for k in _ID_KEYS if k in kw}
        data = {k: v for k, v in kw.items() if k not in _ID_KEYS}
        data.update(extra or {})
        log.append(kind, t, source=source, **ids, **data)  # type: ignore[arg-type]
    return log.records


def incident(t: float, iid: str, *, grade: str, category: str, township: str, template: str,
             requires: list[dict[str, Any]], casualties: dict[str, int] | None = None,
             lon: float | None = None, lat: float | None = None) -> Ev:
    """An incident_occurred event."""
    d: dict[str, Any] = dict(incident=iid, category=category, grade=grade, township=township,
                             template=template, requires=requires,
                             casualties=casualties or {})
    if lon is not None:
        d.update(lon=lon, lat=lat)
    return (t, "incident_occurred", d)


def known_drill() -> list[Ev]:
    """Two incidents with every answer worked out by hand in test_known.py."""
    a, b = "A", "B"
    return [
        (0.0, "drill_started", {"scenario": "S1", "mode": "sim", "seed": 7}),
        incident(1.0, a, grade="II", category="hazmat", township="T02", template="hazmat",
                 requires=[{"capability": "hazmat", "units": 2},
                           {"capability": "fire_suppression", "units": 1}],
                 casualties={"dead": 1, "injured": 3}, lon=117.318, lat=31.652),
        (2.0, "alarm_raised", {"incident": a, "level": "township"}),
        (2.5, "alarm_taken", {"incident": a, "level": "township"}),
        (3.0, "unit_dispatched", {"incident": a, "unit": "U-E-CHEM", "level": "township",
                                  "eta_min": 2.0, "capability": "hazmat"}),
        (3.0, "unit_dispatched", {"incident": a, "unit": "U-K-FIRE1", "level": "county",
                                  "eta_min": 19.5, "capability": "fire_suppression"}),
        (3.0, "unit_dispatched", {"incident": a, "unit": "U-C-HAZ", "level": "city",
                                  "eta_min": 30.0, "capability": "hazmat"}),
        (3.5, "command_post_activated", {"post": "CP-T02", "incident": a}),
        (5.0, "unit_arrived", {"incident": a, "unit": "U-E-CHEM"}),
        (5.0, "commander_designated", {"incident": a, "unit": "U-E-CHEM",
                                       "reason": "first_arrival"}),
        (6.0, "report_submitted", {"incident": a, "stage": "first", "to": "county",
                                   "channel": "phone", "fields": HAZMAT_FIRST,
                                   "values": {"casualties": {"dead": 0, "injured": 2}}}),
        (8.0, "mutual_aid_requested", {"incident": a, "from_jurisdiction": "K1",
                                       "to_level": "city"}),
        (9.0, "message_sent", {"incident": a, "sender": "CP-T02", "recipient": "U-K-MED"}),
        (10.0, "scene_visible", {"post": "CP-T02", "incident": a}),
        (12.0, "initial_response_completed", {"incident": a, "unit": "U-E-CHEM", "by": "unit"}),
        incident(10.0, b, grade="IV", category="flood", township="T03", template="flood",
                 requires=[{"capability": "flood_control", "units": 1}],
                 casualties={"evacuated": 20}),
        (11.0, "mutual_aid_granted", {"incident": a, "unit": "U-C-HAZ",
                                      "from_jurisdiction": "C0"}),
        (12.0, "supplies_requested", {"incident": a, "item": "foam", "qty": 4, "request": "R1"}),
        (12.0, "supplies_short", {"incident": a, "item": "foam", "qty": 1, "request": "R1"}),
        (12.0, "alarm_raised", {"incident": b, "level": "township"}),
        (14.0, "alarm_taken", {"incident": b, "level": "township"}),
        (15.0, "unit_dispatched", {"incident": b, "unit": "U-T03", "level": "township",
                                   "eta_min": 11.0}),
        (15.0, "unit_dispatched", {"incident": b, "unit": "U-T03", "level": "county",
                                   "eta_min": 11.0}),
        (20.0, "report_submitted", {"incident": a, "stage": "followup", "to": "county",
                                    "channel": "written", "fields": HAZMAT_FIRST + ["grade"],
                                    "values": {"casualties": {"dead": 1, "injured": 3}}}),
        (20.0, "report_submitted", {"incident": a, "stage": "followup", "to": "city",
                                    "channel": "written", "fields": HAZMAT_FIRST + ["grade"],
                                    "values": {"casualties": {"dead": 1, "injured": 3}}}),
        (20.0, "command_post_activated", {"post": "CP-T03"}),
        (22.5, "unit_arrived", {"incident": a, "unit": "U-K-FIRE1"}),
        (26.0, "unit_arrived", {"incident": b, "unit": "U-T03"}),
        (30.0, "complication_applied", {"inject": "X1", "incident": a, "type": "casualty_update",
                                        "casualties": {"dead": 2, "injured": 4}}),
        (30.0, "incident_controlled", {"incident": a}),
        (30.0, "supplies_delivered", {"incident": a, "depot": "D-K1", "item": "foam", "qty": 3,
                                      "request": "R1", "tier": "county"}),
        (33.0, "unit_arrived", {"incident": a, "unit": "U-C-HAZ"}),
        (35.0, "incident_controlled", {"incident": b}),
        (45.0, "initial_response_completed", {"incident": b, "unit": "U-T03", "by": "unit"}),
        (40.0, "unit_released", {"incident": b, "unit": "U-T03"}),
        (45.0, "unit_released", {"incident": a, "unit": "U-E-CHEM"}),
        (45.0, "unit_released", {"incident": a, "unit": "U-K-FIRE1"}),
        (45.0, "unit_released", {"incident": a, "unit": "U-C-HAZ"}),
        (50.0, "report_submitted", {"incident": b, "stage": "first", "to": "county",
                                    "channel": "written", "fields": ["time", "place"],
                                    "values": {}}),
        (60.0, "drill_ended", {"reason": "duration"}),
    ]


def with_final_report(events: list[Ev], fields: list[str]) -> list[Ev]:
    """Add A's final report at t=40 (dead 1, injured 4) with ``fields``."""
    return events + [(40.0, "report_submitted", {
        "incident": "A", "stage": "final", "to": "county", "channel": "written", "fields": fields,
        "values": {"casualties": {"dead": 1, "injured": 4}}})]


def random_drill(rng: random.Random, n_incidents: int) -> list[Ev]:
    """A random but well-formed drill: alarms, dispatches, arrivals, control, reports."""
    units = ["U-T01", "U-T02", "U-T03", "U-K-FIRE1", "U-K-FIRE2", "U-E-CHEM", "U-K-MED"]
    evs: list[Ev] = [(0.0, "drill_started", {"scenario": "R", "mode": "sim"})]
    for i in range(n_incidents):
        iid = f"I{i}"
        t0 = round(rng.uniform(0, 100), 2)
        grade = rng.choice(["I", "II", "III", "IV"])
        evs.append(incident(t0, iid, grade=grade, category="fire", township="T01",
                            template="building_fire",
                            requires=[{"capability": "fire_suppression",
                                       "units": rng.randint(1, 3)}]))
        ta = t0 + round(rng.uniform(0, 3), 2)
        evs.append((ta, "alarm_raised", {"incident": iid, "level": "township"}))
        tt = ta + round(rng.uniform(0, 3), 2)
        evs.append((tt, "alarm_taken", {"incident": iid, "level": "township"}))
        first_arr = None
        for u in rng.sample(units, rng.randint(1, 3)):
            td = tt + round(rng.uniform(0, 2), 2)
            evs.append((td, "unit_dispatched", {"incident": iid, "unit": u, "level": "county",
                                                "eta_min": 5.0}))
            if rng.random() < 0.9:
                tr = td + round(rng.uniform(1, 20), 2)
                evs.append((tr, "unit_arrived", {"incident": iid, "unit": u}))
                first_arr = tr if first_arr is None else min(first_arr, tr)
        if first_arr is not None and rng.random() < 0.8:
            evs.append((first_arr + round(rng.uniform(1, 30), 2), "incident_controlled",
                        {"incident": iid}))
        if first_arr is not None and rng.random() < 0.8:
            evs.append((first_arr + round(rng.uniform(1, 25), 2), "initial_response_completed",
                        {"incident": iid, "by": "unit"}))
        if rng.random() < 0.3:
            evs.append((t0 + round(rng.uniform(1, 60), 2), "incident_escalated",
                        {"incident": iid, "grade": rng.choice(["I", "II", "III"])}))
        for k, stage in enumerate(["first", "followup", "final"][: rng.randint(0, 3)]):
            evs.append((t0 + 5 + 10 * k + round(rng.uniform(0, 4), 2), "report_submitted",
                        {"incident": iid, "stage": stage, "to": "county",
                         "channel": rng.choice(["phone", "written"]), "fields": ["time"],
                         "values": {"dead": rng.randint(0, 2)}}))
    evs.append((200.0, "drill_ended", {"reason": "duration"}))
    return evs
