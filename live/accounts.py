"""Accounts and roles: who may use the live store, with passwords hashed by bcrypt.

Roles (``docs/live.md`` has what each may read and write):

* ``director`` — the organiser: imports and unlocks drills, runs the clock, releases injects,
  adds accounts;
* ``controller`` — delivers the injects assigned to them when they are due;
* ``evaluator`` — an umpire: records what the teams do and rates it;
* ``trainer`` — reviews the log and the score (read-only);
* ``observer`` — sees the drill's status only.

Accounts live in the store (``users`` table), never in a YAML file. The first director is made
by :func:`create_first_director` (``blinddrill live init``); later accounts only by a
director. The bcrypt cost is a store setting (``bcrypt_rounds``, default 12; tests use 4).
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass, field
from typing import Literal, get_args

import bcrypt

from live.audit import audit, user_target
from live.errors import Refusal, Why
from live.store import Store, write

Role = Literal["director", "controller", "evaluator", "trainer", "observer"]
ROLES: tuple[str, ...] = get_args(Role)
DEFAULT_ROUNDS = 12
MIN_PASSWORD = 8


class AuthError(Exception):
    """Login failed, or the account may not do this."""


@dataclass(frozen=True)
class Principal:
    """A logged-in user: the name and role every service call is checked against."""

    name: str
    role: Role
    #: issued by :class:`live.service.LiveService` at login; a principal made by hand has none.
    token: str = field(default="", repr=False, compare=False)


def _rounds(store: Store) -> int:
    return int(store.setting("bcrypt_rounds", str(DEFAULT_ROUNDS)) or DEFAULT_ROUNDS)


def _check_new(name: str, role: str, password: str) -> None:
    if role not in ROLES:
        raise Refusal(Why.BAD_ROLE, role=role, roles=", ".join(ROLES))
    if not name or len(name) > 64 or not name.replace("-", "").replace("_", "").replace(
            ".", "").isalnum():
        raise Refusal(Why.BAD_USER_NAME, user=name)
    if len(password) < MIN_PASSWORD:
        raise Refusal(Why.PASSWORD_SHORT, n=MIN_PASSWORD)


def create_first_director(
    store: Store, name: str, password: str, *, rounds: int = DEFAULT_ROUNDS
) -> Principal:
    """Make the store's first account, a director; refused once any account exists."""
    _check_new(name, "director", password)
    if not 4 <= rounds <= 16:
        raise Refusal(Why.BAD_ROUNDS)
    pw = bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds))
    conn = store.conn()
    with write(conn):
        if conn.execute("SELECT 1 FROM users LIMIT 1").fetchone() is not None:
            raise Refusal(Why.STORE_HAS_ACCOUNTS)  # a state, not a failed login (exit 2)
        conn.execute("INSERT OR REPLACE INTO settings(key, value) VALUES ('bcrypt_rounds', ?)",
                     (str(rounds),))
        conn.execute("INSERT INTO users(name, role, pwhash, created) VALUES (?, 'director', ?, ?)",
                     (name, pw, time.time()))
        audit(conn, None, "user_created", user_target(name, "director"))
    return Principal(name, "director")


def add_user(store: Store, by: Principal, name: str, role: str, password: str) -> Principal:
    """A director adds an account (any role)."""
    if by.role != "director":
        raise AuthError(f"{by.name} ({by.role}) may not add accounts; only a director may")
    _check_new(name, role, password)
    pw = bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(_rounds(store)))
    conn = store.conn()
    with write(conn):
        try:
            conn.execute("INSERT INTO users(name, role, pwhash, created, created_by) "
                         "VALUES (?, ?, ?, ?, ?)", (name, role, pw, time.time(), by.name))
        except sqlite3.IntegrityError:
            raise Refusal(Why.USER_EXISTS, user=name) from None
        audit(conn, by, "user_created", user_target(name, role))
    return Principal(name, role)  # type: ignore[arg-type]


def authenticate(store: Store, name: str, password: str) -> Principal:
    """Check a password; return the principal or raise :class:`AuthError` (the same message
    for an unknown user and a wrong password). Failures are audited."""
    row = store.conn().execute("SELECT role, pwhash, active FROM users WHERE name = ?",
                               (name,)).fetchone()
    ok = False
    if row is not None:
        ok = bool(row["active"]) and bcrypt.checkpw(password.encode("utf-8"), bytes(row["pwhash"]))
    else:
        bcrypt.checkpw(b"x", bcrypt.hashpw(b"y", bcrypt.gensalt(4)))  # similar cost either way
    if not ok:
        conn = store.conn()
        with write(conn):
            audit(conn, None, "login_failed", name)
        raise AuthError("unknown user or wrong password")
    return Principal(name, row["role"])


def list_users(store: Store, by: Principal) -> list[dict[str, str]]:
    """Accounts (name, role, active) — a director only."""
    if by.role != "director":
        raise AuthError(f"{by.name} ({by.role}) may not list accounts; only a director may")
    rows = store.conn().execute("SELECT name, role, active FROM users ORDER BY name").fetchall()
    return [{"name": r["name"], "role": r["role"], "active": str(bool(r["active"])).lower()}
            for r in rows]
