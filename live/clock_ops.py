"""The drill clock's operations of the live service (director only): the real start, start,
hold, resume, end. Holds are ``pauses`` rows; drill time is derived from them
(:mod:`live.clock`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from live import events
from live.accounts import Principal
from live.audit import audit
from live.base import DIRECTOR, DrillStatus, LiveError, ServiceBase
from live.clock import draw_real_start
from live.errors import Why
from live.secrecy import (
    decrypt,
    encrypt,
)


class ClockOps(ServiceBase):
    """The drill clock: the secret real start, start, hold, resume and end (director)."""

    def real_start(self, who: Principal, drill: str) -> datetime:
        """The secret real start of the drill (director only; drawn on the first call inside
        the plan's window with OS randomness, then stored encrypted)."""
        from scenarios.plan import Window

        self._check(who, DIRECTOR, "read the real start")
        sc = self._scenario(drill)
        item = self.keyring.get(drill)
        assert item is not None
        conn = self._conn()
        with self.store.tx():
            row = conn.execute("SELECT plan_nonce, plan_blob FROM drills WHERE id = ?",
                               (drill,)).fetchone()
            if row["plan_blob"] is not None:
                text = decrypt(item.key, bytes(row["plan_nonce"]), bytes(row["plan_blob"]),
                               f"start:{drill}").decode()
            else:
                w = sc.meta.get("window") or {}
                if not w.get("start") or not w.get("end"):
                    raise LiveError(Why.NO_START_WINDOW)
                start = draw_real_start(Window(start=w["start"], end=w["end"]))
                text = start.isoformat()
                nonce, blob = encrypt(item.key, text.encode(), f"start:{drill}")
                conn.execute("UPDATE drills SET plan_nonce = ?, plan_blob = ? WHERE id = ?",
                             (nonce, blob, drill))
            audit(conn, who, "read_real_start", "", drill, self.clock.now())
        return datetime.fromisoformat(text)

    def start(self, who: Principal, drill: str) -> DrillStatus:
        """Start the drill clock now (director; the drill must be unlocked): writes
        ``drill_started`` at t = 0."""
        self._check(who, DIRECTOR, "start drills")
        sc = self._scenario(drill)
        conn = self._conn()
        wall = self.clock.now()
        with self.store.tx():
            row = self._drill(drill)
            if row["status"] != "created":
                raise LiveError(Why.ALREADY_STARTED, drill=drill, status=row["status"])
            conn.execute("UPDATE drills SET status = 'running', started_wall = ? WHERE id = ?",
                         (wall, drill))
            events.append_event(conn, drill, "drill_started", 0.0, wall=wall, source="system",
                                author=who.name, data={
                                    "scenario": sc.id, "commitment": row["commitment"],
                                    "start": datetime.fromtimestamp(wall, UTC).isoformat(),
                                    "region": sc.region, "seed": None, "mode": "live",
                                    "conditions": sc.conditions.model_dump(mode="json"),
                                    "author": who.name})
            audit(conn, who, "drill_started", "", drill, wall)
        return self.status(who, drill)

    def hold(self, who: Principal, drill: str, reason: str = "") -> DrillStatus:
        """Put the drill on hold (a ``pauses`` row; drill time stops): ``drill_held``."""
        self._check(who, DIRECTOR, "hold drills")
        conn = self._conn()
        wall = self.clock.now()
        with self.store.tx():
            row, t = self._running(conn, drill, wall)
            conn.execute("INSERT INTO pauses(drill, start_wall, reason, author) "
                         "VALUES (?, ?, ?, ?)", (drill, wall, reason, who.name))
            conn.execute("UPDATE drills SET status = 'held' WHERE id = ?", (drill,))
            events.append_event(conn, drill, "drill_held", t, wall=wall, source="system",
                                author=who.name, data={"reason": reason, "author": who.name})
            audit(conn, who, "drill_held", reason, drill, wall)
        return self.status(who, drill)

    def resume(self, who: Principal, drill: str) -> DrillStatus:
        """End the hold (drill time runs again from where it stopped): ``drill_resumed``."""
        self._check(who, DIRECTOR, "resume drills")
        conn = self._conn()
        wall = self.clock.now()
        with self.store.tx():
            row = self._drill(drill)
            if row["status"] != "held":
                raise LiveError(Why.NOT_ON_HOLD, drill=drill, status=row["status"])
            p = conn.execute("SELECT start_wall FROM pauses WHERE drill = ? AND end_wall IS "
                             "NULL", (drill,)).fetchone()
            conn.execute("UPDATE pauses SET end_wall = ? WHERE drill = ? AND end_wall IS NULL",
                         (wall, drill))
            conn.execute("UPDATE drills SET status = 'running' WHERE id = ?", (drill,))
            t = self._now_t(conn, row, wall)
            held = (wall - float(p[0])) / 60.0 if p else 0.0
            events.append_event(conn, drill, "drill_resumed", t, wall=wall, source="system",
                                author=who.name,
                                data={"held_min": round(held, 6), "author": who.name})
            audit(conn, who, "drill_resumed", "", drill, wall)
        return self.status(who, drill)

    def end(self, who: Principal, drill: str, reason: str = "ended by the director"
            ) -> DrillStatus:
        """End play: incidents not yet controlled get ``incident_unresolved`` (as the engine
        writes them), then ``drill_ended``; the clock stops."""
        self._check(who, DIRECTOR, "end drills")
        conn = self._conn()
        wall = self.clock.now()
        with self.store.tx():
            row = self._drill(drill)
            if row["status"] not in ("running", "held"):
                raise LiveError(Why.NOT_IN_PLAY, drill=drill, status=row["status"])
            t = self._now_t(conn, row, wall)
            conn.execute("UPDATE pauses SET end_wall = ? WHERE drill = ? AND end_wall IS NULL",
                         (wall, drill))
            for inc, why in _unresolved(events.read_records(conn, drill)):
                events.append_event(conn, drill, "incident_unresolved", t, wall=wall,
                                    source="system", ids={"incident": inc},
                                    data={"reason": f"drill ended: {why}"})
            events.append_event(conn, drill, "drill_ended", t, wall=wall, source="system",
                                author=who.name, data={"reason": reason, "author": who.name})
            conn.execute("UPDATE drills SET status = 'ended', ended_wall = ?, end_reason = ? "
                         "WHERE id = ?", (wall, reason, drill))
            audit(conn, who, "drill_ended", reason, drill, wall)
        return self.status(who, drill)


def _unresolved(records: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """Incidents occurred but not controlled, with the engine's reason wording."""
    occurred: list[str] = []
    arrived: set[str] = set()
    done: set[str] = set()
    for r in records:
        k, inc = r["kind"], r["incident"]
        if k == "incident_occurred":
            occurred.append(inc)
        elif k == "unit_arrived":
            arrived.add(inc)
        elif k in ("incident_controlled", "incident_unresolved"):
            done.add(inc)
    return [(i, "not controlled" if i in arrived else "no unit arrived")
            for i in occurred if i not in done]
