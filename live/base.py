"""The shared core of the live service: errors, result types, role checks, drill rows,
the unlocked scenario and drill time (used by the parts in ``clock_ops``, ``inject_ops``,
``record_ops`` and by :class:`live.service.LiveService`).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from live import accounts, injects
from live.accounts import AuthError, Principal
from live.audit import audit
from live.clock import Clock, Pause, SystemClock, drill_minutes
from live.errors import Refusal, Why
from live.secrecy import (
    KeyRing,
)
from live.store import Store
from scenarios import jsonexact
from scenarios.schema import Scenario

DIRECTOR = ("director",)
READ_LOG = ("director", "evaluator", "trainer")
RELEASED = ("director", "controller", "evaluator", "trainer")
RECORDERS = ("director", "evaluator")


class Forbidden(AuthError):
    """The caller's role may not do this."""


class LiveError(Refusal):
    """The request cannot be done in the drill's current state: ``why`` says which refusal
    (a :class:`live.errors.Why`), ``params`` the values its message names; ``str()`` is the
    English message (:data:`live.errors.MESSAGES`), the console words it in its language."""


@dataclass(frozen=True)
class DrillStatus:
    """What every role may know about a drill (no scenario content, no planned times)."""

    id: str
    title: str
    scenario: str
    commitment: str
    status: str
    drill_min: float
    duration_min: float
    started_wall: float | None
    ended_wall: float | None
    held: bool
    events: int
    injects: int
    released: int
    skipped: int
    unlocked: bool
    head_hash: str | None
    #: director only (None for other roles, or while locked): pending injects due / stale now.
    due: int | None = None
    stale: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """A plain dict (for JSON output)."""
        return dict(self.__dict__)


@dataclass(frozen=True)
class Released:
    """The outcome of a release or skip: ``done`` False when someone else was first (the
    message says who and when); ``seq`` of the ``inject_released`` / ``inject_skipped``."""

    inject: str
    done: bool
    message: str
    seq: int | None = None


@dataclass(frozen=True)
class Recorded:
    """A recorded umpire action: the record as stored, and False in ``created`` when the
    action id had been recorded before (a retry or double tap: nothing new was written)."""

    record: dict[str, Any]
    created: bool

    @property
    def seq(self) -> int:
        """The record's position in the log."""
        return int(self.record["seq"])


@dataclass
class _Cache:
    lock: threading.Lock = field(default_factory=threading.Lock)
    scenarios: dict[str, Scenario] = field(default_factory=dict)
    regions: dict[str, Any] = field(default_factory=dict)
    params: Any = None



class ServiceBase:
    """The state and helpers every part of :class:`live.service.LiveService` shares: the
    store, the clock, the key ring, the login sessions, role checks and derived drill time."""

    def __init__(self, path: str | Path, *, clock: Clock | None = None,
                 keyring: KeyRing | None = None, create: bool = True) -> None:
        self.store = Store(path, create=create)
        self.clock: Clock = clock or SystemClock()
        self.keyring = keyring or KeyRing()
        self._sessions: dict[str, tuple[str, str]] = {}
        #: (login token, drill, read action) → the target of that session's last audited read
        self._last_read: dict[tuple[str, str, str], str] = {}
        self._lock = threading.Lock()
        self._cache = _Cache()

    def close(self) -> None:
        """Close the calling thread's connection."""
        self.store.close()

    def _check(self, who: Principal, roles: Iterable[str], what: str) -> None:
        with self._lock:
            sess = self._sessions.get(who.token)
        if sess != (who.name, who.role):
            raise AuthError("not logged in (log in again)")
        row = self._conn().execute("SELECT role, active FROM users WHERE name = ?",
                                   (who.name,)).fetchone()
        if row is None or not row["active"] or row["role"] != who.role:
            raise AuthError(f"account '{who.name}' is no longer active as {who.role}")
        if who.role not in roles:
            raise Forbidden(f"{who.name} ({who.role}) may not {what}")

    def _conn(self) -> sqlite3.Connection:
        return self.store.conn()

    def is_unlocked(self, drill: str) -> bool:
        """True if this service holds the drill's key."""
        return self.keyring.get(drill) is not None

    def _drill(self, drill: str) -> sqlite3.Row:
        row = self._conn().execute("SELECT * FROM drills WHERE id = ?", (drill,)).fetchone()
        if row is None:
            raise LiveError(Why.NO_DRILL, drill=drill)
        return row  # type: ignore[no-any-return]

    def _running(self, conn: sqlite3.Connection, drill: str, wall: float,
                 why: Why = Why.DRILL_NOT_RUNNING) -> tuple[sqlite3.Row, float]:
        """The drill's row and its drill time at ``wall``; :class:`LiveError` (``why``, with
        the drill and its status) unless it is running. Call inside the write transaction."""
        row = self._drill(drill)
        if row["status"] != "running":
            raise LiveError(why, drill=drill, status=row["status"])
        return row, self._now_t(conn, row, wall)

    def _due_views(self, conn: sqlite3.Connection, drill: str
                   ) -> tuple[list[injects.InjectView], float] | None:
        """Every inject's view at the drill time now, or None before the start / after the
        end (nothing is due then)."""
        row = self._drill(drill)
        if row["started_wall"] is None or row["status"] == "ended":
            return None
        now_t = self._now_t(conn, row, self.clock.now())
        return self._views(conn, drill, now_t), now_t

    def _scenario(self, drill: str) -> Scenario:
        if self.keyring.get(drill) is None:
            raise LiveError(Why.DRILL_LOCKED, drill=drill)
        with self._cache.lock:
            sc = self._cache.scenarios.get(drill)
        if sc is None:  # unlocked by another service sharing the key ring
            from scenarios.sealing import verify_document

            item = self.keyring.get(drill)
            assert item is not None
            sc = verify_document(jsonexact.loads(item.sealed), f"drill {drill}")
            with self._cache.lock:
                self._cache.scenarios[drill] = sc
        return sc

    def _pauses(self, conn: sqlite3.Connection, drill: str) -> list[Pause]:
        return [Pause(r[0], r[1]) for r in conn.execute(
            "SELECT start_wall, end_wall FROM pauses WHERE drill = ? ORDER BY start_wall",
            (drill,))]

    def _now_t(self, conn: sqlite3.Connection, row: sqlite3.Row, wall: float) -> float:
        return drill_minutes(row["started_wall"], self._pauses(conn, row["id"]), wall,
                             row["ended_wall"])

    def drill_time(self, drill: str) -> float:
        """Drill time now (minutes): wall time since the start minus the holds."""
        return self._now_t(self._conn(), self._drill(drill), self.clock.now())

    def _states(self, conn: sqlite3.Connection, drill: str) -> list[injects.InjectState]:
        return [injects.InjectState(
            id=r["id"], position=r["position"], status=r["status"], adhoc=bool(r["adhoc"]),
            retimed_t=r["retimed_t"], controller=r["controller"], done_t=r["done_t"],
            done_by=r["done_by"], reason=r["reason"], seq=r["seq"])
            for r in conn.execute("SELECT * FROM injects WHERE drill = ? ORDER BY position",
                                  (drill,))]

    def _views(self, conn: sqlite3.Connection, drill: str,
               now_t: float) -> list[injects.InjectView]:
        scenario = self._scenario(drill)
        plan, cats = injects.by_id(scenario), injects.categories(scenario)
        return [injects.view(plan[s.id], s, now_t, cats) for s in self._states(conn, drill)
                if not s.adhoc and s.id in plan]

    def _read(self, who: Principal, drill: str, action: str, target: str) -> None:
        """Audit a read of ``target`` — unless this login session's last read of this kind
        on this drill was the same (a page's refresh re-reading what it already showed is not
        a new action: the audit trail keeps the first read and every read of something new)."""
        key = (who.token, drill, action)
        with self._lock:
            if self._last_read.get(key) == target:
                return
        conn = self._conn()
        with self.store.tx():
            audit(conn, who, action, target, drill, self.clock.now())
        with self._lock:
            self._last_read[key] = target

    def _params(self) -> Any:
        """The behaviour parameters a live drill is read with (the built-in ones: the export's
        ``params.yaml``): they name the duty desk each caller phones."""
        with self._cache.lock:
            p = self._cache.params
        if p is None:
            from engine.params import load_params

            p = load_params()
            with self._cache.lock:
                self._cache.params = p
        return p

    def region(self, drill: str) -> Any:
        """The drill's region (the one given at import, else the built-in seed city)."""
        with self._cache.lock:
            r = self._cache.regions.get(drill)
        if r is None:
            r = self._region_of(self._drill(drill)["region_yaml"], f"drill {drill}")
            with self._cache.lock:
                self._cache.regions[drill] = r
        return r

    @staticmethod
    def _region_of(region_yaml: str | None, source: str) -> Any:
        """The region of a drill being imported (``region_yaml``, else the seed city)."""
        if region_yaml is None:
            from scenarios.seed_city import default_region

            return default_region()
        from scenarios.loading import parse_yaml_text
        from scenarios.region import region_from_data

        src = f"{source}: region"
        return region_from_data(parse_yaml_text(region_yaml, src), src)

    def status(self, who: Principal, drill: str) -> DrillStatus:
        """The drill's status (any role; due/stale counts for the director only)."""
        self._check(who, accounts.ROLES, "read the drill status")
        conn = self._conn()
        row = self._drill(drill)
        wall = self.clock.now()
        now_t = self._now_t(conn, row, wall)
        counts = dict(conn.execute("SELECT status, count(*) FROM injects WHERE drill = ? "
                                   "GROUP BY status", (drill,)).fetchall())
        due = stale = None
        if who.role == "director" and self.is_unlocked(drill) and row["status"] != "ended":
            views = self._views(conn, drill, now_t)
            due = sum(injects.is_due(v, now_t) for v in views)
            stale = sum(injects.is_stale(v, now_t) for v in views)
        return DrillStatus(
            id=drill, title=row["title"], scenario=row["scenario_id"],
            commitment=row["commitment"], status=row["status"], drill_min=round(now_t, 6),
            duration_min=row["duration_min"], started_wall=row["started_wall"],
            ended_wall=row["ended_wall"], held=row["status"] == "held",
            events=row["n_events"], injects=row["n_injects"],
            released=int(counts.get("released", 0)), skipped=int(counts.get("skipped", 0)),
            unlocked=self.is_unlocked(drill), head_hash=row["head_hash"], due=due, stale=stale)
