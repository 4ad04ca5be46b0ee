"""The live-drill store: one SQLite file, its schema and migrations, and its connections.

Every connection is opened by :func:`connect` with the settings that make the store durable
and safe for several writers (measured on these machines, see ``/work/shared/README.md``):

* ``journal_mode=WAL`` — readers never block the writer and never see a half-written commit;
* ``synchronous=FULL`` — a commit is on disk (fsync) before ``COMMIT`` returns, so nothing is
  confirmed to a caller before it survives a crash or a power cut;
* ``busy_timeout`` — a writer waits for the lock instead of failing with "database is locked";
* ``foreign_keys=ON`` — rows cannot point at a drill or user that does not exist.

Connections are never shared: :class:`Store` hands each thread its own (``threading.local``),
and a process opens its own. Writes go through :func:`write` (``BEGIN IMMEDIATE`` … ``COMMIT``),
so a sequence number read inside the transaction cannot be taken by another writer.

The schema version is SQLite's ``PRAGMA user_version``; :data:`MIGRATIONS` lists the scripts
that bring a store from version *n* to *n + 1*, applied in one transaction by :func:`migrate`.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

#: milliseconds a writer waits for the write lock before failing.
BUSY_TIMEOUT_MS = 10_000

#: MIGRATIONS[n] brings a store from schema version n to n + 1.
MIGRATIONS: list[str] = [
    # 0 -> 1: the first schema.
    """
    CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE TABLE users (
        name     TEXT PRIMARY KEY,
        role     TEXT NOT NULL CHECK (role IN
                   ('director', 'controller', 'evaluator', 'trainer', 'observer')),
        pwhash   BLOB NOT NULL,
        active   INTEGER NOT NULL DEFAULT 1,
        created  REAL NOT NULL,
        created_by TEXT
    );
    CREATE TABLE drills (
        id          TEXT PRIMARY KEY,
        title       TEXT NOT NULL DEFAULT '',
        scenario_id TEXT NOT NULL,
        commitment  TEXT NOT NULL,
        status      TEXT NOT NULL DEFAULT 'created'
                    CHECK (status IN ('created', 'running', 'held', 'ended')),
        kdf_salt    BLOB NOT NULL,
        sealed_nonce BLOB NOT NULL,
        sealed_blob  BLOB NOT NULL,
        plan_nonce  BLOB,
        plan_blob   BLOB,
        region_yaml TEXT,
        duration_min REAL NOT NULL,
        n_injects   INTEGER NOT NULL,
        n_events    INTEGER NOT NULL DEFAULT 0,
        head_hash   TEXT,
        started_wall REAL,
        ended_wall  REAL,
        end_reason  TEXT,
        created     REAL NOT NULL,
        created_by  TEXT REFERENCES users(name)
    );
    CREATE TABLE pauses (
        drill      TEXT NOT NULL REFERENCES drills(id),
        start_wall REAL NOT NULL,
        end_wall   REAL,
        reason     TEXT NOT NULL DEFAULT '',
        author     TEXT REFERENCES users(name),
        PRIMARY KEY (drill, start_wall)
    );
    CREATE TABLE injects (
        drill      TEXT NOT NULL REFERENCES drills(id),
        id         TEXT NOT NULL,
        position   INTEGER NOT NULL,
        status     TEXT NOT NULL DEFAULT 'pending'
                   CHECK (status IN ('pending', 'released', 'skipped')),
        adhoc      INTEGER NOT NULL DEFAULT 0,
        retimed_t  REAL,
        controller TEXT REFERENCES users(name),
        done_t     REAL,
        done_wall  REAL,
        done_by    TEXT REFERENCES users(name),
        reason     TEXT,
        seq        INTEGER,
        PRIMARY KEY (drill, id)
    );
    CREATE TABLE events (
        drill     TEXT NOT NULL REFERENCES drills(id),
        seq       INTEGER NOT NULL,
        t         REAL NOT NULL,
        kind      TEXT NOT NULL,
        source    TEXT NOT NULL,
        author    TEXT,
        device    TEXT,
        action_id TEXT,
        wall      REAL NOT NULL,
        line      BLOB NOT NULL,
        hash      TEXT NOT NULL,
        PRIMARY KEY (drill, seq),
        UNIQUE (drill, action_id)
    );
    CREATE TABLE audit (
        id     INTEGER PRIMARY KEY AUTOINCREMENT,
        wall   REAL NOT NULL,
        user   TEXT,
        role   TEXT,
        drill  TEXT,
        action TEXT NOT NULL,
        target TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX audit_drill ON audit(drill, id);
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)


class StoreError(Exception):
    """The store cannot be used (missing, newer than this version, or corrupt)."""


def connect(path: str | Path) -> sqlite3.Connection:
    """Open one connection with the store's durability settings (see the module docstring).

    ``isolation_level=None``: transactions are explicit (:func:`write`), never implicit."""
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        conn.close()
        raise StoreError(f"{path}: cannot switch to WAL journal mode (got {mode})")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _probe(path: Path, create: bool) -> None:
    """Refuse, before anything is written to it, a file that is not a drill store: not an
    SQLite database, another program's database, or (unless ``create``) an empty file."""
    if not path.is_file():
        return  # a new store (create), or SQLite names the problem
    with open(path, "rb") as fh:
        head = fh.read(16)
    if not head and create:
        return
    if head != b"SQLite format 3\x00":
        what = "an empty file" if not head else "the file is not an SQLite database"
        raise StoreError(f"{path}: not a drill store ({what}); make one with "
                         "`blinddrill live init`")
    ro = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        version = schema_version(ro)
        tables = ro.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone()
    finally:
        ro.close()
    if version == 0 and tables:
        raise StoreError(f"{path}: not a drill store (another program's SQLite database); "
                         "give the store's path, or make one with `blinddrill live init`")


def _reason(exc: sqlite3.DatabaseError) -> str:
    """A plain reason for SQLite's error opening a store."""
    msg = str(exc)
    if "not a database" in msg:
        return "not a drill store (the file is not an SQLite database)"
    if "unable to open" in msg:
        return "cannot open the store (is the folder there, and writable?)"
    if "readonly" in msg:
        return ("cannot write the store (the file or its folder is read-only; the store "
                "writes a journal beside the file)")
    return f"cannot use the store ({msg})"


def schema_version(conn: sqlite3.Connection) -> int:
    """The store's schema version (0 for a new, empty file)."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the store to :data:`SCHEMA_VERSION` (each step in its own transaction); return
    the version found before. A store newer than this code raises :class:`StoreError`."""
    found = schema_version(conn)
    if found > SCHEMA_VERSION:
        raise StoreError(f"the store has schema version {found}; this blinddrill knows only "
                         f"up to {SCHEMA_VERSION} (upgrade blinddrill)")
    for v in range(found, SCHEMA_VERSION):
        with write(conn):
            if schema_version(conn) != v:  # another process migrated meanwhile
                continue
            for stmt in _statements(MIGRATIONS[v]):
                conn.execute(stmt)
            conn.execute(f"PRAGMA user_version = {v + 1}")
    return found


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


@contextmanager
def write(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction: ``BEGIN IMMEDIATE`` (takes the write lock at once, so reads
    inside see the latest commit and no other writer can interleave), ``COMMIT`` on success
    (durable when it returns), ``ROLLBACK`` on any exception."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


class Store:
    """A store file and a connection per thread (never shared between threads).

    ``Store(path)`` opens (creating if needed) and migrates the store. :meth:`conn` returns
    the calling thread's connection; :meth:`close` closes the calling thread's connection.
    """

    def __init__(self, path: str | Path, *, create: bool = True) -> None:
        self.path = Path(path)
        if not create and not self.path.exists():
            raise StoreError(f"{self.path}: no drill store here (run `blinddrill live init`)")
        self._local = threading.local()
        self._write_lock = threading.Lock()
        self._lock_fd: int | None = None
        try:
            _probe(self.path, create)
            migrate(self.conn())
        except sqlite3.DatabaseError as exc:  # not SQLite, a missing folder, no write access
            self.close()
            raise StoreError(f"{self.path}: {_reason(exc)}") from None
        except StoreError:
            self.close()
            raise

    def conn(self) -> sqlite3.Connection:
        """This thread's connection (opened on first use)."""
        c: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if c is None:
            c = connect(self.path)
            self._local.conn = c
        return c

    @contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        """A write transaction on this thread's connection (:func:`write`). Writers queue
        first — threads on a lock, processes on an exclusive ``flock`` of ``FILE.lock`` — so
        they take turns instead of polling SQLite's busy handler against each other (which
        let one writer starve for seconds). ``busy_timeout`` still covers other writers."""
        with self._write_lock:
            if self._lock_fd is None:
                self._lock_fd = os.open(f"{self.path}.lock", os.O_RDWR | os.O_CREAT, 0o600)
            fcntl.flock(self._lock_fd, fcntl.LOCK_EX)
            try:
                with write(self.conn()) as conn:
                    yield conn
            finally:
                fcntl.flock(self._lock_fd, fcntl.LOCK_UN)

    def close(self) -> None:
        """Close this thread's connection (other threads keep theirs)."""
        c: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if c is not None:
            c.close()
            self._local.conn = None

    def __del__(self) -> None:
        fd = getattr(self, "_lock_fd", None)
        if fd is not None:
            os.close(fd)

    def setting(self, key: str, default: str | None = None) -> str | None:
        """A value of the ``settings`` table."""
        row = self.conn().execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row is not None else default
