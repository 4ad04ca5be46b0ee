"""The inject operations of the live service: who may read which injects, and releasing,
skipping, re-timing and ad-hoc injects (each write one transaction; release first-writer-wins).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import orjson

from live import events, injects
from live.accounts import Principal
from live.audit import (
    assigned_target,
    audit,
    calls_target,
    injects_target,
    retimed_target,
    skipped_target,
)
from live.base import DIRECTOR, RELEASED, Forbidden, LiveError, Released, ServiceBase
from live.errors import Why
from live.injects import CallCard
from live.recording import check_action_id
from scenarios.callscript import Lang, call_script


class InjectOps(ServiceBase):
    """Reading and deciding injects: MSEL, due, stale and released injects; assign, release
    (first writer wins), skip, re-time, ad-hoc."""

    def msel(self, who: Principal, drill: str) -> list[injects.InjectView]:
        """Every inject with its content and state — the director only, once unlocked."""
        self._check(who, DIRECTOR, "read the MSEL")
        conn = self._conn()
        row = self._drill(drill)
        out = self._views(conn, drill, self._now_t(conn, row, self.clock.now()))
        self._read(who, drill, "read_msel", injects_target(len(out)))
        return out

    def due_injects(self, who: Principal, drill: str) -> list[injects.InjectView]:
        """Pending injects whose time has come: all of them for the director, those assigned
        to the caller for a controller. The drill must be unlocked and started."""
        self._check(who, ("director", "controller"), "read due injects")
        self._scenario(drill)  # locked: say so, even before the start
        got = self._due_views(self._conn(), drill)
        if got is None:
            return []
        views, now_t = got
        out = [v for v in views if injects.is_due(v, now_t)
               and (who.role == "director" or v.controller == who.name)]
        self._read(who, drill, "read_due", ",".join(v.id for v in out))
        return out

    def stale_injects(self, who: Principal, drill: str) -> list[injects.InjectView]:
        """Injects due for longer than the grace period with no decision (after a restart
        or a long wait): the director confirms (releases), skips or re-times each."""
        self._check(who, DIRECTOR, "read stale injects")
        self._scenario(drill)  # locked: say so, even before the start
        got = self._due_views(self._conn(), drill)
        if got is None:
            return []
        views, now_t = got
        out = [v for v in views if injects.is_stale(v, now_t)]
        self._read(who, drill, "read_stale", ",".join(v.id for v in out))
        return out

    def call_cards(self, who: Principal, drill: str, lang: str = "zh") -> list[CallCard]:
        """A controller's call cards (:mod:`scenarios.callscript`): the injects assigned to
        them that are due (who to call, whom they play, the number, the script) and, once
        released — the controller tapped "delivered", or the director released it — the
        likely questions with the answers that caller gives. Answers come from the incident's
        truth, so they are read only for released injects assigned to the caller; due cards
        carry no answers. Newest release first, after the due ones. Controllers only."""
        self._check(who, ("controller",), "read call cards")
        plan = injects.by_id(self._scenario(drill))
        conn = self._conn()
        got = self._due_views(conn, drill)
        if got is None:
            return []
        views, now_t = got
        states = {s.id: s for s in self._states(conn, drill)}
        lg: Lang = "en" if lang == "en" else "zh"
        due = [injects.CallCard(v, replace(call_script(plan[v.id], lg), qa=()))
               for v in views if injects.is_due(v, now_t) and v.controller == who.name]
        done = sorted((v for v in views if v.status == "released"
                       and v.controller == who.name), key=lambda v: -(states[v.id].done_t or 0))
        out = due + [injects.CallCard(v, call_script(plan[v.id], lg), states[v.id].done_t)
                     for v in done]
        self._read(who, drill, "read_calls",
                   calls_target([(c.view.id, bool(c.script.qa)) for c in out]))
        return out

    def released_injects(self, who: Principal, drill: str) -> list[dict[str, Any]]:
        """The ``inject_released`` records so far (what the players were told), for the
        director, controllers, evaluators and trainers. Needs no key."""
        self._check(who, RELEASED, "read released injects")
        recs = [r for r in events.read_records(self._conn(), drill)
                if r["kind"] == "inject_released"]
        self._read(who, drill, "read_released", injects_target(len(recs)))
        return recs

    def assign(self, who: Principal, drill: str, inject: str, controller: str) -> None:
        """Assign a pending inject to a controller (director)."""
        self._check(who, DIRECTOR, "assign injects")
        conn = self._conn()
        with self.store.tx():
            r = conn.execute("SELECT role FROM users WHERE name = ?", (controller,)).fetchone()
            if r is None or r["role"] != "controller":
                raise LiveError(Why.NOT_A_CONTROLLER, user=controller)
            cur = conn.execute("UPDATE injects SET controller = ? WHERE drill = ? AND id = ? "
                               "AND status = 'pending'", (controller, drill, inject))
            if cur.rowcount == 0:
                raise LiveError(Why.NO_PENDING_INJECT, inject=inject, drill=drill)
            audit(conn, who, "inject_assigned", assigned_target(inject, controller), drill,
                  self.clock.now())

    def release(self, who: Principal, drill: str, inject: str, *, reason: str = ""
                ) -> Released:
        """Release an inject now: the first writer wins (``UPDATE … WHERE status =
        'pending'``); a second release says who was first and writes nothing. Writes
        ``inject_released`` and the incident's truth (or the complication) at the current
        drill time — for an incident also its ``alarm_raised`` at the caller's duty desk (the
        delivery is the alarm call). A director may release any pending inject (early, or a
        stale one to confirm it); a controller only a due, non-stale inject assigned to them."""
        self._check(who, ("director", "controller"), "release injects")
        plan = injects.by_id(self._scenario(drill))
        if inject not in plan:
            raise LiveError(Why.INJECT_NOT_IN_DRILL, inject=inject, drill=drill)
        conn = self._conn()
        wall = self.clock.now()
        with self.store.tx():
            row, t = self._running(conn, drill, wall, Why.RELEASE_NOT_RUNNING)
            st = next(s for s in self._states(conn, drill) if s.id == inject)
            if who.role == "controller":
                v = injects.view(plan[inject], st, t)
                if st.status == "pending" and (st.controller != who.name
                                               or not injects.is_due(v, t)
                                               or injects.is_stale(v, t)):
                    raise Forbidden(f"{who.name} may release only due injects assigned to "
                                    "them (a stale inject needs the director)")
            cur = conn.execute(
                "UPDATE injects SET status = 'released', done_t = ?, done_wall = ?, "
                "done_by = ?, reason = ? WHERE drill = ? AND id = ? AND status = 'pending'",
                (t, wall, who.name, reason, drill, inject))
            if cur.rowcount == 0:
                return Released(inject, False, _already(st))
            first: int | None = None
            for kind, ids, data in injects.release_records(plan[inject], self.region(drill),
                                                           self._params(), plan):
                if kind in ("inject_released", "alarm_raised", "repeat_call_raised"):
                    data = {**data, "author": who.name}
                if kind == "inject_released" and reason:
                    data["reason"] = reason
                a = events.append_event(conn, drill, kind, t, wall=wall, source="system",
                                        ids=ids, data=data, author=who.name)
                first = a.record["seq"] if first is None else first
            conn.execute("UPDATE injects SET seq = ? WHERE drill = ? AND id = ?",
                         (first, drill, inject))
            audit(conn, who, "inject_released", inject, drill, wall)
        return Released(inject, True, f"inject {inject} released at t={t:.2f}", first)

    def skip(self, who: Principal, drill: str, inject: str, reason: str) -> Released:
        """Skip a pending inject (director, with a reason): ``inject_skipped``."""
        self._check(who, DIRECTOR, "skip injects")
        if not reason.strip():
            raise LiveError(Why.SKIP_NO_REASON)
        conn = self._conn()
        wall = self.clock.now()
        with self.store.tx():
            row = self._drill(drill)
            t = self._now_t(conn, row, wall)
            states = {s.id: s for s in self._states(conn, drill)}
            if inject not in states:
                raise LiveError(Why.INJECT_NOT_IN_DRILL, inject=inject, drill=drill)
            cur = conn.execute(
                "UPDATE injects SET status = 'skipped', done_t = ?, done_wall = ?, "
                "done_by = ?, reason = ? WHERE drill = ? AND id = ? AND status = 'pending'",
                (t, wall, who.name, reason, drill, inject))
            if cur.rowcount == 0:
                return Released(inject, False, _already(states[inject]))
            seq: int | None = None
            if row["started_wall"] is not None and row["status"] != "ended":
                a = events.append_event(conn, drill, "inject_skipped", t, wall=wall,
                                        source="system", ids={"inject": inject},
                                        data={"reason": reason, "author": who.name},
                                        author=who.name)
                seq = a.record["seq"]
            audit(conn, who, "inject_skipped", skipped_target(inject, reason), drill, wall)
        return Released(inject, True, f"inject {inject} skipped", seq)

    def retime(self, who: Principal, drill: str, inject: str, t_new: float,
               reason: str) -> None:
        """Move a pending inject's due time to drill time ``t_new`` (director, with a
        reason). Kept in the inject's row and the audit, not in the log (the schedule stays
        secret from the log's readers)."""
        self._check(who, DIRECTOR, "re-time injects")
        if not reason.strip():
            raise LiveError(Why.RETIME_NO_REASON)
        if not 0 <= t_new <= 7 * 24 * 60:
            raise LiveError(Why.RETIME_OUT_OF_RANGE, max=7 * 24 * 60)
        conn = self._conn()
        with self.store.tx():
            cur = conn.execute("UPDATE injects SET retimed_t = ?, reason = ? WHERE drill = ? "
                               "AND id = ? AND status = 'pending'",
                               (float(t_new), reason, drill, inject))
            if cur.rowcount == 0:
                raise LiveError(Why.NO_PENDING_INJECT, inject=inject, drill=drill)
            audit(conn, who, "inject_retimed", retimed_target(inject, t_new, reason), drill,
                  self.clock.now())

    def adhoc(self, who: Principal, drill: str, message: str, *, recipient: str,
              reason: str, action_id: str, sender: str = "", method: str = "phone",
              incident: str | None = None) -> Released:
        """Release an ad-hoc inject written during the drill (director, with a reason).
        ``action_id`` (client-generated, as for umpire actions) makes it idempotent: the same
        id again — a retried click — writes nothing and returns the first release with
        ``done=False``."""
        self._check(who, DIRECTOR, "release ad-hoc injects")
        if not message.strip() or not reason.strip():
            raise LiveError(Why.ADHOC_INCOMPLETE)
        check_action_id(action_id)
        conn = self._conn()
        wall = self.clock.now()
        with self.store.tx():
            old = conn.execute("SELECT line FROM events WHERE drill = ? AND action_id = ?",
                               (drill, action_id)).fetchone()
            if old is not None:  # a retry (also after the end): the same answer, nothing new
                rec = orjson.loads(old[0])
                if rec["kind"] != "inject_released" or not rec["inject"]:
                    raise LiveError(Why.ACTION_ID_REUSED, action_id=action_id)
                return Released(str(rec["inject"]), False,
                                f"ad-hoc inject {rec['inject']} was already released at "
                                f"t={rec['t']:.2f}; nothing was written", int(rec["seq"]))
            row, t = self._running(conn, drill, wall)
            n = conn.execute("SELECT count(*) FROM injects WHERE drill = ? AND adhoc = 1",
                             (drill,)).fetchone()[0]
            iid = f"ADHOC-{n + 1:03d}"
            a = events.append_event(conn, drill, "inject_released", t, wall=wall,
                                    source="system", author=who.name, action_id=action_id,
                                    ids={"inject": iid, "incident": incident},
                                    data={"inject_kind": "adhoc", "method": method,
                                          "sender": sender, "recipient": recipient,
                                          "message": message, "reason": reason,
                                          "author": who.name, "action_id": action_id})
            conn.execute("INSERT INTO injects(drill, id, position, status, adhoc, done_t, "
                         "done_wall, done_by, reason, seq) VALUES (?, ?, ?, 'released', 1, ?, "
                         "?, ?, ?, ?)", (drill, iid, 100000 + n, t, wall, who.name, reason,
                                         a.record["seq"]))
            audit(conn, who, "inject_adhoc", iid, drill, wall)
        return Released(iid, True, f"ad-hoc inject {iid} released at t={t:.2f}",
                        a.record["seq"])


def _already(st: injects.InjectState) -> str:
    if st.status == "pending":
        return f"inject {st.id} is pending"
    t = f" at t={st.done_t:.2f}" if st.done_t is not None else ""
    return f"inject {st.id} was already {st.status} by {st.done_by}{t}; nothing was written"
