"""The recording operations of the live service: umpire actions as log records, made
idempotent by their client action id (:mod:`live.recording` has the rules).
"""

from __future__ import annotations

from typing import Any

import orjson

from live import events
from live.accounts import Principal
from live.base import RECORDERS, LiveError, Recorded, ServiceBase
from live.recording import RecordingError, observation_data, umpire_data


class RecordingOps(ServiceBase):
    """Umpire recording: actions, observations, designations, corrections (idempotent by
    action id)."""

    def record(self, who: Principal, drill: str, kind: str, *, action_id: str,
               incident: str | None = None, unit: str | None = None,
               inject: str | None = None, depot: str | None = None, post: str | None = None,
               data: dict[str, Any] | None = None, device: str | None = None) -> Recorded:
        """Record one umpire action at the current drill time (director or evaluator). The
        ``action_id`` (client-generated, see :func:`live.recording.new_action_id`) makes it
        idempotent: the same id again returns the stored record with ``created=False``."""
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
                raise LiveError(f"drill '{drill}' is not in play ({row['status']})")
            t = self._now_t(conn, row, wall)
            a = events.append_event(conn, drill, kind, t, wall=wall, source="umpire",
                                    ids={"incident": incident, "unit": unit, "inject": inject,
                                         "depot": depot, "post": post},
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
            raise RecordingError("designation: give the role and the person")
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
            raise RecordingError(f"seq {seq}: no umpire record to correct")
        if not reason.strip():
            raise RecordingError("correction: give a reason")
        return self.record(who, drill, "record_corrected", action_id=action_id, device=device,
                           data={"corrects": int(seq), "reason": reason})
