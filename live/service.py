"""The live-drill service: the one API the CLI, the console and the tests drive.

:class:`LiveService` is a facade over the store (:mod:`live.store`), the clock
(:mod:`live.clock`), the injects (:mod:`live.injects`), recording (:mod:`live.recording`) and
secrecy (:mod:`live.secrecy`). Every call takes the caller's :class:`~live.accounts.Principal`
(from :meth:`LiveService.login`) and checks the role *here*, on every read of secret data and
every write — a UI hiding a page is not a check. Every read of scenario content is audited.
Every write is one transaction; a call returns only after it committed (durable).

The role × function table is in ``docs/live.md``; ``tests/live/test_live_roles.py`` calls every
public read function as every role.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path
from typing import Any

from engine.eventlog import ChainReport
from live import accounts, events, injects
from live.accounts import AuthError, Principal
from live.audit import LIVE_SCORE, audit, log_read_target, read_audit
from live.base import (
    DIRECTOR,
    READ_LOG,
    DrillStatus,
    Forbidden,
    LiveError,
    Recorded,
    Released,
)
from live.clock_ops import ClockOps
from live.errors import Why
from live.inject_ops import InjectOps
from live.record_ops import RecordingOps
from live.secrecy import (
    MIN_PASSPHRASE,
    Unlocked,
    WrongPassphrase,
    decrypt,
    derive_key,
    encrypt,
    new_salt,
)
from scenarios import jsonexact

__all__ = ["AuthError", "DrillStatus", "Forbidden", "LiveError", "LiveService", "Recorded",
           "Released", "WrongPassphrase"]


#: what a drill id may be (it names the drill in commands, exports and the audit trail).
DRILL_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


class LiveService(ClockOps, InjectOps, RecordingOps):
    """The live-drill service on one store file.

    ``clock`` is the wall clock (default :class:`~live.clock.SystemClock`; tests pass a
    :class:`~live.clock.ManualClock`). ``keyring`` holds unlocked drills' keys in memory
    (one per running server; pass a shared one to several services in one process).
    The service holds no connection itself: each thread gets its own from the store.
    """

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
            for key in [k for k in self._last_read if k[0] == who.token]:
                del self._last_read[key]

    def add_user(self, who: Principal, name: str, role: str, password: str) -> Principal:
        """A director adds an account."""
        self._check(who, DIRECTOR, "add accounts")
        return accounts.add_user(self.store, who, name, role, password)

    def users(self, who: Principal) -> list[dict[str, str]]:
        """The accounts (director)."""
        self._check(who, DIRECTOR, "list accounts")
        return accounts.list_users(self.store, who)

    def import_drill(self, who: Principal, sealed: bytes, passphrase: str, *,
                     drill_id: str | None = None, title: str = "",
                     region_yaml: str | None = None, expect: str | None = None,
                     source: str = "sealed file", catalogue: Any = None) -> DrillStatus:
        """Import a sealed scenario (the file's bytes; ``source`` names it in messages): its
        commitment is verified (and must equal ``expect``, the published one, if given), the
        scenario checked against the drill's region (``region_yaml``, default the seed city)
        and the hazard ``catalogue`` (default: the shipped one) by
        :func:`live.upload.read_upload` (a bad file raises :class:`live.upload.UploadRefused`);
        its content is stored encrypted under ``passphrase``. The drill is left unlocked in
        this service."""
        from live.upload import read_upload

        self._check(who, DIRECTOR, "import drills")
        if len(passphrase) < MIN_PASSPHRASE:
            raise LiveError(Why.PASSPHRASE_SHORT, n=MIN_PASSPHRASE)
        if drill_id is not None and not DRILL_ID.fullmatch(drill_id):
            raise LiveError(Why.BAD_DRILL_ID, drill=drill_id)
        scenario, commitment = read_upload(sealed, source, self._region_of(region_yaml, source),
                                           expect=expect, catalogue=catalogue)
        did = drill_id or scenario.id
        salt = new_salt()
        key = derive_key(passphrase, salt)
        nonce, blob = encrypt(key, sealed, f"sealed:{did}")
        now = self.clock.now()
        conn = self._conn()
        with self.store.tx():
            if conn.execute("SELECT 1 FROM drills WHERE id = ?", (did,)).fetchone():
                raise LiveError(Why.DRILL_EXISTS, drill=did)
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
        scenario = verify_document(jsonexact.loads(sealed), f"drill {drill}")
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

    def drills(self, who: Principal) -> list[DrillStatus]:
        """Every drill's status (any role)."""
        self._check(who, accounts.ROLES, "list drills")
        ids = [r[0] for r in self._conn().execute("SELECT id FROM drills ORDER BY created")]
        return [self.status(who, d) for d in ids]

    def log(self, who: Principal, drill: str, after: int = -1) -> list[dict[str, Any]]:
        """The drill's log records from ``after + 1`` on (director, evaluator, trainer)."""
        self._check(who, READ_LOG, "read the log")
        recs = events.read_records(self._conn(), drill, after)
        self._read(who, drill, "read_log", log_read_target(after, len(recs)))
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

    def live_score(self, who: Principal, drill: str) -> Any:
        """The score so far with "now" as the censoring time (director, evaluator,
        trainer): a :class:`live.score.LiveScore`."""
        from live.score import score_now

        self._check(who, READ_LOG, "read the live score")
        conn = self._conn()
        row = self._drill(drill)
        now_t = self._now_t(conn, row, self.clock.now())
        recs = events.read_records(conn, drill)
        # the score is the log's, already audited when read; this records that the caller
        # looks at the scoreboard (once per login: its refreshes are not actions)
        self._read(who, drill, "read_score", LIVE_SCORE)
        return score_now(recs, now_t, region=self.region(drill),
                         ended=row["status"] == "ended")

    def export(self, who: Principal, drill: str, out: str | Path, *,
               command: list[str] | None = None, overwrite: bool = False) -> Path:
        """Write the drill as a run directory (events.jsonl, inputs/sealed.json, region.yaml,
        params.yaml, run.json) so ``score``, ``report`` and ``verify`` work on it unchanged
        (director; the drill must be unlocked for ``sealed.json``)."""
        from live.export import write_run_dir

        self._check(who, ("director", "trainer"), "export drills")
        if who.role == "trainer" and self._drill(drill)["status"] != "ended":
            raise Forbidden(f"{who.name} (trainer) may export a drill only after it ended")
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
        with self.store.tx():  # an action, not a read: audited every time
            audit(conn, who, "exported", str(out), drill, self.clock.now())
        return path
