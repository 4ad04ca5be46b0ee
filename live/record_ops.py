"""The recording operations of the live service: umpire actions as log records, made
idempotent by their client action id (:mod:`live.recording` has the rules).
"""

from __future__ import annotations

from typing import Any

import orjson

from live import events
from live.accounts import Principal
from live.base import RECORDERS, LiveError, Recorded, ServiceBase
from live.errors import Why
from live.recording import (
    DOUBLE_TAP_S,
    RecordingError,
    check_action_id,
    check_observed_t,
    hotwash_data,
    observation_data,
    same_action,
    umpire_data,
)

#: roles that may write hotwash items (the debrief: director, umpires, trainers).
HOTWASH_WRITERS = ("director", "evaluator", "trainer")


class RecordingOps(ServiceBase):
    """Umpire recording: actions, observations, designations, corrections (idempotent by
    action id)."""

    def record(self, who: Principal, drill: str, kind: str, *, action_id: str,
               incident: str | None = None, unit: str | None = None,
               inject: str | None = None, depot: str | None = None, post: str | None = None,
               data: dict[str, Any] | None = None, device: str | None = None) -> Recorded:
        """Record one umpire action at the current drill time (director or evaluator). The
        ``action_id`` (client-generated, see :func:`live.recording.new_action_id`) makes it
        idempotent: the same id again returns the stored record with ``created=False``, and
        so does the same umpire's identical action within :data:`live.recording.DOUBLE_TAP_S`
        seconds under a new id (a double tap; :func:`live.recording.same_action`). An
        observation's ``observed_t`` must lie between 0 and the current drill time. An
        incident has one alarm: ``alarm_raised`` for an incident whose alarm is in the log
        (written when its inject was delivered) returns that record, ``created=False``."""
        self._check(who, RECORDERS, "record actions")
        payload = umpire_data(kind, data, who.name, device, action_id)
        conn = self._conn()
        wall = self.clock.now()
        with self.store.tx():
            row = self._drill(drill)
            if row["started_wall"] is None or row["status"] == "ended":
                old = conn.execute("SELECT line FROM events WHERE drill = ? AND action_id = ?",
                                   (drill, action_id)).fetchone()
                if old is not None:  # a retry arriving after the end: still the same answer
                    return Recorded(orjson.loads(old[0]), False)
                raise LiveError(Why.NOT_IN_PLAY, drill=drill, status=row["status"])
            if kind == "alarm_raised" and incident is not None:
                known = _alarm_of(conn, drill, incident)
                if known is not None:  # the delivery wrote it (or another umpire did)
                    return Recorded(known, False)
            t = self._now_t(conn, row, wall)
            old = conn.execute("SELECT line FROM events WHERE drill = ? AND action_id = ?",
                               (drill, action_id)).fetchone()
            ids = {"incident": incident, "unit": unit, "inject": inject, "depot": depot,
                   "post": post}
            if old is None:  # a retry is answered as before; a new record must make sense
                self._check_refs(conn, drill, incident, unit, inject, depot, post)
                check_observed_t(kind, payload, t)
                twin = _double_tap(conn, drill, who.name, kind, ids, payload, wall)
                if twin is not None:
                    return Recorded(twin, False)
            a = events.append_event(conn, drill, kind, t, wall=wall, source="umpire",
                                    ids=ids, data=payload, author=who.name, device=device,
                                    action_id=action_id)
        return Recorded(a.record, a.created)

    def _check_refs(self, conn: Any, drill: str, incident: str | None, unit: str | None,
                    inject: str | None, depot: str | None, post: str | None) -> None:
        """Refuse a record about an incident that has not occurred in the drill, or a unit,
        depot, command post or inject the drill does not have: the log stays one that
        :func:`engine.logcheck.check_log` accepts (and the drill scoreable)."""
        if incident is not None:
            lines = conn.execute("SELECT line FROM events WHERE drill = ? AND kind = "
                                 "'incident_occurred'", (drill,)).fetchall()
            if incident not in {orjson.loads(r[0]).get("incident") for r in lines}:
                raise LiveError(Why.INCIDENT_NOT_OCCURRED, incident=incident, drill=drill)
        region = self.region(drill)
        for why, ref, known in ((Why.UNIT_NOT_IN_REGION, unit, region.unit_by_id),
                                (Why.DEPOT_NOT_IN_REGION, depot, region.depot_by_id),
                                (Why.POST_NOT_IN_REGION, post,
                                 {p.id for p in region.command_posts})):
            if ref is not None and ref not in known:
                raise LiveError(why, ref=ref, region=region.name)
        if inject is not None and conn.execute(
                "SELECT 1 FROM injects WHERE drill = ? AND id = ?", (drill, inject)
        ).fetchone() is None:
            raise LiveError(Why.INJECT_NOT_IN_DRILL, inject=inject, drill=drill)

    def hotwash(self, who: Principal, drill: str, section: str, text: str, *, action_id: str,
                capability: str | None = None, owner: str | None = None,
                due: str | None = None, device: str | None = None) -> Recorded:
        """Record one hotwash item (the debrief right after play): ``section`` is ``strength``,
        ``weakness`` or ``action``. Director, evaluators and trainers may write it while the
        drill runs or after it ended (at the drill's end time); idempotent by ``action_id``."""
        self._check(who, HOTWASH_WRITERS, "record the hotwash")
        data = hotwash_data(section, text, capability=capability, owner=owner, due=due)
        payload = {**data, "author": who.name, "device": device,
                   "action_id": check_action_id(action_id)}
        conn = self._conn()
        wall = self.clock.now()
        with self.store.tx():
            row = self._drill(drill)
            if row["started_wall"] is None:
                raise LiveError(Why.HOTWASH_BEFORE_START, drill=drill)
            t = self._now_t(conn, row, wall)
            a = events.append_event(conn, drill, "hotwash", t, wall=wall, source="umpire",
                                    ids={"incident": None, "unit": None, "inject": None,
                                         "depot": None, "post": None},
                                    data=payload, author=who.name, device=device,
                                    action_id=action_id)
        return Recorded(a.record, a.created)

    def observe(self, who: Principal, drill: str, text: str, *, action_id: str,
                capability: str | None = None, rating: str | None = None,
                incident: str | None = None, inject: str | None = None,
                unit: str | None = None, observed_t: float | None = None,
                device: str | None = None) -> Recorded:
        """Record an observation (capability, P/S/M/U rating, inject, time)."""
        return self.record(who, drill, "observation", action_id=action_id, incident=incident,
                           inject=inject, unit=unit, device=device,
                           data=observation_data(text, capability=capability, rating=rating,
                                                 observed_t=observed_t))

    def designate(self, who: Principal, drill: str, role: str, person: str, *,
                  action_id: str, incident: str | None = None, unit: str | None = None,
                  device: str | None = None) -> Recorded:
        """Record a role the teams designated during the drill (commander, safety officer,
        liaison, ...): ``role_designated``."""
        if not role.strip() or not person.strip():
            raise RecordingError(Why.DESIGNATION_INCOMPLETE)
        return self.record(who, drill, "role_designated", action_id=action_id,
                           incident=incident, unit=unit, device=device,
                           data={"role": role, "person": person})

    def correct(self, who: Principal, drill: str, seq: int, reason: str, *, action_id: str,
                device: str | None = None) -> Recorded:
        """Correct an earlier umpire record: a ``record_corrected`` record naming ``seq``
        (the log is never edited). Record the right action as a new record if needed."""
        conn = self._conn()
        r = conn.execute("SELECT source FROM events WHERE drill = ? AND seq = ?",
                         (drill, seq)).fetchone()
        if r is None or r["source"] != "umpire":
            raise RecordingError(Why.NO_RECORD_TO_CORRECT, seq=seq)
        if not reason.strip():
            raise RecordingError(Why.CORRECTION_NO_REASON)
        return self.record(who, drill, "record_corrected", action_id=action_id, device=device,
                           data={"corrects": int(seq), "reason": reason})


def _double_tap(conn: Any, drill: str, author: str, kind: str, ids: dict[str, str | None],
                data: dict[str, Any], wall: float) -> dict[str, Any] | None:
    """The same umpire's identical record (:func:`live.recording.same_action`) written less
    than :data:`live.recording.DOUBLE_TAP_S` seconds before ``wall``, or None."""
    rows = conn.execute("SELECT line FROM events WHERE drill = ? AND kind = ? AND author = ? "
                        "AND source = 'umpire' AND wall > ? ORDER BY seq DESC",
                        (drill, kind, author, wall - DOUBLE_TAP_S)).fetchall()
    return next((rec for rec in (orjson.loads(r[0]) for r in rows)
                 if same_action(rec, kind, ids, data)), None)


def _alarm_of(conn: Any, drill: str, incident: str) -> dict[str, Any] | None:
    """The incident's alarm in the log (its first ``alarm_raised`` not withdrawn by a
    ``record_corrected``), or None."""
    rows = [orjson.loads(r[0]) for r in conn.execute(
        "SELECT line FROM events WHERE drill = ? AND kind IN ('alarm_raised', "
        "'record_corrected') ORDER BY seq", (drill,))]
    withdrawn = {r["data"]["corrects"] for r in rows if r["kind"] == "record_corrected"}
    return next((r for r in rows if r["kind"] == "alarm_raised" and r["incident"] == incident
                 and r["seq"] not in withdrawn), None)
