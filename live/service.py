"""The live-drill service: the one API the CLI, the console and the tests drive.

:class:`LiveService` is a facade over the store (:mod:`live.store`), the clock
(:mod:`live.clock`), the injects (:mod:`live.injects`), recording (:mod:`live.recording`) and
secrecy (:mod:`live.secrecy`). Every call takes the caller's :class:`~live.accounts.Principal`
(from :meth:`LiveService.login`) and checks the role *here*, on every read of secret data and
every write — a UI hiding a page is not a check. Every read of scenario content is audited.
Every write is one transaction; a call returns only after it committed (durable).

The role × function table is in ``docs/live.md``; ``tests/live/test_roles.py`` calls every
public read function as every role.
"""

from __future__ import annotations

import secrets
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from engine.eventlog import ChainReport
from live import accounts, events, injects
from live.accounts import AuthError, Principal
from live.audit import audit, read_audit
from live.clock import Clock, Pause, SystemClock, draw_real_start, drill_minutes
from live.recording import RecordingError, observation_data, umpire_data
from live.secrecy import (
    MIN_PASSPHRASE,
    KeyRing,
    Unlocked,
    WrongPassphrase,
    decrypt,
    derive_key,
    encrypt,
    new_salt,
)
from live.store import Store
from scenarios.schema import Scenario

__all__ = ["AuthError", "DrillStatus", "Forbidden", "LiveError", "LiveService", "Recorded",
           "Released", "WrongPassphrase"]

DIRECTOR = ("director",)
READ_LOG = ("director", "evaluator", "trainer")
RELEASED = ("director", "controller", "evaluator", "trainer")
RECORDERS = ("director", "evaluator")


class Forbidden(AuthError):
    """The caller's role may not do this."""


class LiveError(ValueError):
    """The request cannot be done in the drill's current state (the message says why)."""


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


class LiveService:
    """The live-drill service on one store file.

    ``clock`` is the wall clock (default :class:`~live.clock.SystemClock`; tests pass a
    :class:`~live.clock.ManualClock`). ``keyring`` holds unlocked drills' keys in memory
    (one per running server; pass a shared one to several services in one process).
    The service holds no connection itself: each thread gets its own from the store.
    """

    def __init__(self, path: str | Path, *, clock: Clock | None = None,
                 keyring: KeyRing | None = None, create: bool = True) -> None:
        self.store = Store(path, create=create)
        self.clock: Clock = clock or SystemClock()
        self.keyring = keyring or KeyRing()
        self._sessions: dict[str, tuple[str, str]] = {}
        self._lock = threading.Lock()
        self._cache = _Cache()

    def close(self) -> None:
        """Close the calling thread's connection."""
        self.store.close()

    # ----- accounts ----------------------------------------------------------------------
    def init_director(self, name: str, password: str, *, rounds: int = 12) -> Principal:
        """Make the store's first account, a director (refused once any account exists);
        returns it logged in."""
        accounts.create_first_director(self.store, name, password, rounds=rounds)
        return self.login(name, password)

    def login(self, name: str, password: str) -> Principal:
        """Check the password (bcrypt) and return a principal for this service's calls."""
        p = accounts.authenticate(self.store, name, password)
        token = secrets.token_hex(16)
        with self._lock:
            self._sessions[token] = (p.name, p.role)
        return Principal(p.name, p.role, token)

    def logout(self, who: Principal) -> None:
        """End a principal's session."""
        with self._lock:
            self._sessions.pop(who.token, None)

    def add_user(self, who: Principal, name: str, role: str, password: str) -> Principal:
        """A director adds an account."""
        self._check(who, DIRECTOR, "add accounts")
        return accounts.add_user(self.store, who, name, role, password)

    def users(self, who: Principal) -> list[dict[str, str]]:
        """The accounts (director)."""
        self._check(who, DIRECTOR, "list accounts")
        return accounts.list_users(self.store, who)

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

    # ----- drills ------------------------------------------------------------------------
    def import_drill(self, who: Principal, sealed: bytes, passphrase: str, *,
                     drill_id: str | None = None, title: str = "",
                     region_yaml: str | None = None, expect: str | None = None) -> DrillStatus:
        """Import a sealed scenario (the file's bytes): its commitment is verified (and must
        equal ``expect``, the published one, if given); its content is stored encrypted
        under ``passphrase``. The drill is left unlocked in this service."""
        from scenarios.sealing import verify_document

        self._check(who, DIRECTOR, "import drills")
        try:
            doc = orjson.loads(sealed)
        except orjson.JSONDecodeError as exc:
            raise LiveError(f"sealed file: not valid JSON ({exc})") from None
        scenario = verify_document(doc, "sealed file")  # InputError on any tampering
        commitment = str(doc["commitment"])
        if expect is not None and expect.strip() != commitment:
            raise LiveError(f"commitment {commitment} is NOT the published {expect.strip()}")
        if len(passphrase) < MIN_PASSPHRASE:
            raise LiveError(f"passphrase: at least {MIN_PASSPHRASE} characters")
        did = drill_id or scenario.id
        salt = new_salt()
        key = derive_key(passphrase, salt)
        nonce, blob = encrypt(key, sealed, f"sealed:{did}")
        now = self.clock.now()
        conn = self._conn()
        with self.store.tx():
            if conn.execute("SELECT 1 FROM drills WHERE id = ?", (did,)).fetchone():
                raise LiveError(f"drill '{did}' already exists (give another --drill id)")
            conn.execute(
                "INSERT INTO drills(id, title, scenario_id, commitment, kdf_salt, sealed_nonce, "
                "sealed_blob, region_yaml, duration_min, n_injects, created, created_by) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (did, title or scenario.title, scenario.id, commitment, salt, nonce, blob,
                 region_yaml, scenario.duration_min, len(scenario.injects), now, who.name))
            conn.executemany("INSERT INTO injects(drill, id, position) VALUES (?, ?, ?)",
                             [(did, i, k) for i, k in injects.plan_of(scenario)])
            audit(conn, who, "drill_imported", commitment, did, now)
        self.keyring.put(did, Unlocked(key, sealed))
        with self._cache.lock:
            self._cache.scenarios[did] = scenario
        return self.status(who, did)

    def unlock(self, who: Principal, drill: str, passphrase: str) -> None:
        """Unlock a drill in this service (after a restart): derive the key, decrypt and
        re-verify the sealed scenario. A wrong passphrase raises :class:`WrongPassphrase`
        and is audited."""
        from scenarios.sealing import verify_document

        self._check(who, DIRECTOR, "unlock drills")
        row = self._drill(drill)
        key = derive_key(passphrase, bytes(row["kdf_salt"]))
        conn = self._conn()
        try:
            sealed = decrypt(key, bytes(row["sealed_nonce"]), bytes(row["sealed_blob"]),
                             f"sealed:{drill}")
        except WrongPassphrase:
            with self.store.tx():
                audit(conn, who, "unlock_failed", "", drill, self.clock.now())
            raise
        scenario = verify_document(orjson.loads(sealed), f"drill {drill}")
        self.keyring.put(drill, Unlocked(key, sealed))
        with self._cache.lock:
            self._cache.scenarios[drill] = scenario
        with self.store.tx():
            audit(conn, who, "unlocked", "", drill, self.clock.now())

    def lock(self, who: Principal, drill: str) -> None:
        """Drop the drill's key from this service's memory."""
        self._check(who, DIRECTOR, "lock drills")
        self.keyring.forget(drill)
        with self._cache.lock:
            self._cache.scenarios.pop(drill, None)

    def is_unlocked(self, drill: str) -> bool:
        """True if this service holds the drill's key."""
        return self.keyring.get(drill) is not None

    def drills(self, who: Principal) -> list[DrillStatus]:
        """Every drill's status (any role)."""
        self._check(who, accounts.ROLES, "list drills")
        ids = [r[0] for r in self._conn().execute("SELECT id FROM drills ORDER BY created")]
        return [self.status(who, d) for d in ids]

    def _drill(self, drill: str) -> sqlite3.Row:
        row = self._conn().execute("SELECT * FROM drills WHERE id = ?", (drill,)).fetchone()
        if row is None:
            raise LiveError(f"no drill '{drill}' in this store")
        return row  # type: ignore[no-any-return]

    def _scenario(self, drill: str) -> Scenario:
        if self.keyring.get(drill) is None:
            raise LiveError(f"drill '{drill}' is locked: the director must unlock it "
                            "(blinddrill live unlock)")
        with self._cache.lock:
            sc = self._cache.scenarios.get(drill)
        if sc is None:  # unlocked by another service sharing the key ring
            from scenarios.sealing import verify_document

            item = self.keyring.get(drill)
            assert item is not None
            sc = verify_document(orjson.loads(item.sealed), f"drill {drill}")
            with self._cache.lock:
                self._cache.scenarios[drill] = sc
        return sc

    # ----- the clock ---------------------------------------------------------------------
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
                    raise LiveError("the scenario has no start window (generate it with a plan)")
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
                raise LiveError(f"drill '{drill}' has already started ({row['status']})")
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
            row = self._drill(drill)
            if row["status"] != "running":
                raise LiveError(f"drill '{drill}' is not running ({row['status']})")
            t = self._now_t(conn, row, wall)
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
                raise LiveError(f"drill '{drill}' is not on hold ({row['status']})")
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
                raise LiveError(f"drill '{drill}' is not in play ({row['status']})")
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

    # ----- injects -----------------------------------------------------------------------
    def _states(self, conn: sqlite3.Connection, drill: str) -> list[injects.InjectState]:
        return [injects.InjectState(
            id=r["id"], position=r["position"], status=r["status"], adhoc=bool(r["adhoc"]),
            retimed_t=r["retimed_t"], controller=r["controller"], done_t=r["done_t"],
            done_by=r["done_by"], reason=r["reason"], seq=r["seq"])
            for r in conn.execute("SELECT * FROM injects WHERE drill = ? ORDER BY position",
                                  (drill,))]

    def _views(self, conn: sqlite3.Connection, drill: str,
               now_t: float) -> list[injects.InjectView]:
        plan = injects.by_id(self._scenario(drill))
        return [injects.view(plan[s.id], s, now_t) for s in self._states(conn, drill)
                if not s.adhoc and s.id in plan]

    def _read(self, who: Principal, drill: str, action: str, target: str) -> None:
        conn = self._conn()
        with self.store.tx():
            audit(conn, who, action, target, drill, self.clock.now())

    def msel(self, who: Principal, drill: str) -> list[injects.InjectView]:
        """Every inject with its content and state — the director only, once unlocked."""
        self._check(who, DIRECTOR, "read the MSEL")
        conn = self._conn()
        row = self._drill(drill)
        out = self._views(conn, drill, self._now_t(conn, row, self.clock.now()))
        self._read(who, drill, "read_msel", f"{len(out)} injects")
        return out

    def due_injects(self, who: Principal, drill: str) -> list[injects.InjectView]:
        """Pending injects whose time has come: all of them for the director, those assigned
        to the caller for a controller. The drill must be unlocked and started."""
        self._check(who, ("director", "controller"), "read due injects")
        self._scenario(drill)  # locked: say so, even before the start
        conn = self._conn()
        row = self._drill(drill)
        if row["started_wall"] is None or row["status"] == "ended":
            return []
        now_t = self._now_t(conn, row, self.clock.now())
        out = [v for v in self._views(conn, drill, now_t) if injects.is_due(v, now_t)
               and (who.role == "director" or v.controller == who.name)]
        self._read(who, drill, "read_due", ",".join(v.id for v in out))
        return out

    def stale_injects(self, who: Principal, drill: str) -> list[injects.InjectView]:
        """Injects due for longer than the grace period with no decision (after a restart
        or a long wait): the director confirms (releases), skips or re-times each."""
        self._check(who, DIRECTOR, "read stale injects")
        self._scenario(drill)  # locked: say so, even before the start
        conn = self._conn()
        row = self._drill(drill)
        if row["started_wall"] is None or row["status"] == "ended":
            return []
        now_t = self._now_t(conn, row, self.clock.now())
        out = [v for v in self._views(conn, drill, now_t) if injects.is_stale(v, now_t)]
        self._read(who, drill, "read_stale", ",".join(v.id for v in out))
        return out

    def released_injects(self, who: Principal, drill: str) -> list[dict[str, Any]]:
        """The ``inject_released`` records so far (what the players were told), for the
        director, controllers, evaluators and trainers. Needs no key."""
        self._check(who, RELEASED, "read released injects")
        recs = [r for r in events.read_records(self._conn(), drill)
                if r["kind"] == "inject_released"]
        self._read(who, drill, "read_released", f"{len(recs)} injects")
        return recs

    def assign(self, who: Principal, drill: str, inject: str, controller: str) -> None:
        """Assign a pending inject to a controller (director)."""
        self._check(who, DIRECTOR, "assign injects")
        conn = self._conn()
        with self.store.tx():
            r = conn.execute("SELECT role FROM users WHERE name = ?", (controller,)).fetchone()
            if r is None or r["role"] != "controller":
                raise LiveError(f"'{controller}' is not a controller account")
            cur = conn.execute("UPDATE injects SET controller = ? WHERE drill = ? AND id = ? "
                               "AND status = 'pending'", (controller, drill, inject))
            if cur.rowcount == 0:
                raise LiveError(f"inject '{inject}': no such pending inject in '{drill}'")
            audit(conn, who, "inject_assigned", f"{inject}:{controller}", drill,
                  self.clock.now())

    def release(self, who: Principal, drill: str, inject: str, *, reason: str = ""
                ) -> Released:
        """Release an inject now: the first writer wins (``UPDATE … WHERE status =
        'pending'``); a second release says who was first and writes nothing. Writes
        ``inject_released`` and the incident's truth (or the complication) at the current
        drill time. A director may release any pending inject (early, or a stale one to
        confirm it); a controller only a due, non-stale inject assigned to them."""
        self._check(who, ("director", "controller"), "release injects")
        plan = injects.by_id(self._scenario(drill))
        if inject not in plan:
            raise LiveError(f"inject '{inject}': not in drill '{drill}'")
        conn = self._conn()
        wall = self.clock.now()
        with self.store.tx():
            row = self._drill(drill)
            if row["status"] != "running":
                raise LiveError(f"drill '{drill}' is not running ({row['status']}): "
                                "injects are released only during play")
            t = self._now_t(conn, row, wall)
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
            for kind, ids, data in injects.release_records(plan[inject]):
                if kind == "inject_released":
                    data = {**data, "author": who.name, **({"reason": reason} if reason else {})}
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
            raise LiveError("skip: give a reason")
        conn = self._conn()
        wall = self.clock.now()
        with self.store.tx():
            row = self._drill(drill)
            t = self._now_t(conn, row, wall)
            states = {s.id: s for s in self._states(conn, drill)}
            if inject not in states:
                raise LiveError(f"inject '{inject}': not in drill '{drill}'")
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
            audit(conn, who, "inject_skipped", f"{inject}: {reason}", drill, wall)
        return Released(inject, True, f"inject {inject} skipped", seq)

    def retime(self, who: Principal, drill: str, inject: str, t_new: float,
               reason: str) -> None:
        """Move a pending inject's due time to drill time ``t_new`` (director, with a
        reason). Kept in the inject's row and the audit, not in the log (the schedule stays
        secret from the log's readers)."""
        self._check(who, DIRECTOR, "re-time injects")
        if not reason.strip():
            raise LiveError("re-time: give a reason")
        if not 0 <= t_new <= 7 * 24 * 60:
            raise LiveError("re-time: the new time must be between 0 and 10080 minutes")
        conn = self._conn()
        with self.store.tx():
            cur = conn.execute("UPDATE injects SET retimed_t = ?, reason = ? WHERE drill = ? "
                               "AND id = ? AND status = 'pending'",
                               (float(t_new), reason, drill, inject))
            if cur.rowcount == 0:
                raise LiveError(f"inject '{inject}': no such pending inject in '{drill}'")
            audit(conn, who, "inject_retimed", f"{inject}: t={t_new} ({reason})", drill,
                  self.clock.now())

    def adhoc(self, who: Principal, drill: str, message: str, *, recipient: str,
              reason: str, sender: str = "", method: str = "phone",
              incident: str | None = None) -> Released:
        """Release an ad-hoc inject written during the drill (director, with a reason)."""
        self._check(who, DIRECTOR, "release ad-hoc injects")
        if not message.strip() or not reason.strip():
            raise LiveError("ad-hoc inject: give a message and a reason")
        conn = self._conn()
        wall = self.clock.now()
        with self.store.tx():
            row = self._drill(drill)
            if row["status"] != "running":
                raise LiveError(f"drill '{drill}' is not running ({row['status']})")
            t = self._now_t(conn, row, wall)
            n = conn.execute("SELECT count(*) FROM injects WHERE drill = ? AND adhoc = 1",
                             (drill,)).fetchone()[0]
            iid = f"ADHOC-{n + 1:03d}"
            a = events.append_event(conn, drill, "inject_released", t, wall=wall,
                                    source="system", author=who.name,
                                    ids={"inject": iid, "incident": incident},
                                    data={"inject_kind": "adhoc", "method": method,
                                          "sender": sender, "recipient": recipient,
                                          "message": message, "reason": reason,
                                          "author": who.name})
            conn.execute("INSERT INTO injects(drill, id, position, status, adhoc, done_t, "
                         "done_wall, done_by, reason, seq) VALUES (?, ?, ?, 'released', 1, ?, "
                         "?, ?, ?, ?)", (drill, iid, 100000 + n, t, wall, who.name, reason,
                                         a.record["seq"]))
            audit(conn, who, "inject_adhoc", iid, drill, wall)
        return Released(iid, True, f"ad-hoc inject {iid} released at t={t:.2f}",
                        a.record["seq"])

    # ----- recording ---------------------------------------------------------------------
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

    # ----- reading -----------------------------------------------------------------------
    def log(self, who: Principal, drill: str, after: int = -1) -> list[dict[str, Any]]:
        """The drill's log records from ``after + 1`` on (director, evaluator, trainer)."""
        self._check(who, READ_LOG, "read the log")
        recs = events.read_records(self._conn(), drill, after)
        self._read(who, drill, "read_log", f"after {after}: {len(recs)} records")
        return recs

    def verify(self, who: Principal, drill: str) -> ChainReport:
        """Check the drill's stored hash chain (director, evaluator, trainer)."""
        self._check(who, READ_LOG, "verify the log")
        self._drill(drill)
        return events.verify_drill(self._conn(), drill)

    def audit_trail(self, who: Principal, drill: str | None = None,
                    limit: int = 1000) -> list[dict[str, Any]]:
        """Who did or read what, when (director)."""
        self._check(who, DIRECTOR, "read the audit trail")
        return read_audit(self._conn(), drill, limit)

    def region(self, drill: str) -> Any:
        """The drill's region (the one given at import, else the built-in seed city)."""
        with self._cache.lock:
            r = self._cache.regions.get(drill)
        if r is None:
            text = self._drill(drill)["region_yaml"]
            if text is None:
                from scenarios.seed_city import default_region

                r = default_region()
            else:
                from scenarios.loading import parse_yaml_text
                from scenarios.region import region_from_data

                src = f"drill {drill}: region"
                r = region_from_data(parse_yaml_text(text, src), src)
            with self._cache.lock:
                self._cache.regions[drill] = r
        return r

    def live_score(self, who: Principal, drill: str) -> Any:
        """The score so far with "now" as the censoring time (director, evaluator,
        trainer): a :class:`live.score.LiveScore`."""
        from live.score import score_now

        self._check(who, READ_LOG, "read the live score")
        conn = self._conn()
        row = self._drill(drill)
        now_t = self._now_t(conn, row, self.clock.now())
        recs = events.read_records(conn, drill)
        self._read(who, drill, "read_score", f"{len(recs)} records")
        return score_now(recs, now_t, region=self.region(drill),
                         ended=row["status"] == "ended")

    def export(self, who: Principal, drill: str, out: str | Path, *,
               command: list[str] | None = None, overwrite: bool = False) -> Path:
        """Write the drill as a run directory (events.jsonl, inputs/sealed.json, region.yaml,
        params.yaml, run.json) so ``score``, ``report`` and ``verify`` work on it unchanged
        (director; the drill must be unlocked for ``sealed.json``)."""
        from live.export import write_run_dir

        self._check(who, DIRECTOR, "export drills")
        self._scenario(drill)
        item = self.keyring.get(drill)
        assert item is not None
        conn = self._conn()
        row = self._drill(drill)
        lines = events.read_lines(conn, drill)
        path = write_run_dir(Path(out), lines=lines, sealed=item.sealed,
                             region_yaml=self._drill(drill)["region_yaml"],
                             info={"drill": drill, "status": row["status"],
                                   "scenario": row["scenario_id"],
                                   "commitment": row["commitment"],
                                   "command": command or []},
                             overwrite=overwrite)
        self._read(who, drill, "exported", str(out))
        return path


def _already(st: injects.InjectState) -> str:
    if st.status == "pending":
        return f"inject {st.id} is pending"
    t = f" at t={st.done_t:.2f}" if st.done_t is not None else ""
    return f"inject {st.id} was already {st.status} by {st.done_by}{t}; nothing was written"


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
