"""The audit trail: who did or read what, and when (one row per action, never updated).

Every read of scenario content (the MSEL, due or released injects, the log) and every write
(accounts, unlock, clock, releases, recordings) adds a row in the same transaction as the
action itself, so an action and its audit row are committed together or not at all.

A row's ``target`` is short English text (kept so in the store, readable with any SQLite tool).
The shapes that carry numbers or parts are made by the ``*_target`` functions below and read
back by :func:`describe`, in one place, so a page can word them in its own language without
knowing the text.
"""

from __future__ import annotations

import re
import sqlite3
import time
from dataclasses import dataclass, field
from typing import Any, Protocol


class _Who(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def role(self) -> str: ...


def audit(conn: sqlite3.Connection, who: _Who | None, action: str, target: str = "",
          drill: str | None = None, wall: float | None = None) -> None:
    """Add one audit row (inside the caller's transaction, if any)."""
    conn.execute("INSERT INTO audit(wall, user, role, drill, action, target) "
                 "VALUES (?, ?, ?, ?, ?, ?)",
                 (time.time() if wall is None else wall, who.name if who else None,
                  who.role if who else None, drill, action, target))


def read_audit(conn: sqlite3.Connection, drill: str | None = None,
               limit: int = 1000) -> list[dict[str, Any]]:
    """The latest audit rows (oldest first), for one drill or the whole store."""
    if drill is None:
        rows = conn.execute("SELECT * FROM audit ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
    else:
        rows = conn.execute("SELECT * FROM audit WHERE drill = ? ORDER BY id DESC LIMIT ?",
                            (drill, limit)).fetchall()
    return [dict(r) for r in reversed(rows)]


#: the target of a ``read_score`` row
LIVE_SCORE = "live score"


def injects_target(n: int) -> str:
    """Target of a read of ``n`` injects (``read_msel``, ``read_released``)."""
    return f"{n} injects"


def log_read_target(after: int, n: int) -> str:
    """Target of a log read: ``n`` records after seq ``after`` (-1: from the start)."""
    return f"after {after}: {n} records"


def calls_target(cards: list[tuple[str, bool]]) -> str:
    """Target of a read of call cards: each (inject id, with its questions and answers?)."""
    return ",".join(f"{inject}{'+qa' if qa else ''}" for inject, qa in cards)


def retimed_target(inject: str, t: float, reason: str) -> str:
    """Target of an inject re-timed to drill minute ``t``."""
    return f"{inject}: t={t} ({reason})"


def assigned_target(inject: str, controller: str) -> str:
    """Target of an inject given to a controller to deliver."""
    return f"{inject}:{controller}"


def skipped_target(inject: str, reason: str) -> str:
    """Target of an inject the director skipped, with the reason given."""
    return f"{inject}: {reason}"


def user_target(name: str, role: str) -> str:
    """Target of an account created."""
    return f"{name}:{role}"


@dataclass(frozen=True)
class AuditDetail:
    """An audit target read back (:func:`describe`): ``kind`` is one of ``injects`` (n),
    ``log`` (after, n), ``live_score``, ``calls`` (cards: (inject, qa) pairs), ``retimed``
    (inject, t, reason), ``assigned`` (inject, controller), ``skipped`` (inject, reason),
    ``user`` (name, role)."""

    kind: str
    values: dict[str, Any] = field(default_factory=dict)


_N_INJECTS = re.compile(r"(\d+) injects")
_LOG_READ = re.compile(r"after (-?\d+): (\d+) records")
_RETIMED = re.compile(r"(\S+): t=(-?[0-9.]+(?:e-?\d+)?) \((.*)\)", re.DOTALL)
_USER = re.compile(r"([^:]+):(\w+)")
_ASSIGNED = re.compile(r"([^:\s]+):(.+)", re.DOTALL)
_SKIPPED = re.compile(r"([^:\s]+): (.*)", re.DOTALL)


def describe(action: str, target: str) -> AuditDetail | None:
    """The parts of a target made by the ``*_target`` functions for ``action``; None for any
    other target (an id, a reason, a file name: shown as stored)."""
    m: re.Match[str] | None
    if action in ("read_msel", "read_released") and (m := _N_INJECTS.fullmatch(target)):
        return AuditDetail("injects", {"n": int(m[1])})
    if action == "read_log" and (m := _LOG_READ.fullmatch(target)):
        return AuditDetail("log", {"after": int(m[1]), "n": int(m[2])})
    if action == "read_score" and target == LIVE_SCORE:
        return AuditDetail("live_score")
    if action == "read_calls" and target:
        return AuditDetail("calls", {"cards": [(c[:-3], True) if c.endswith("+qa") else (c, False)
                                               for c in target.split(",")]})
    if action == "inject_retimed" and (m := _RETIMED.fullmatch(target)):
        return AuditDetail("retimed", {"inject": m[1], "t": float(m[2]), "reason": m[3]})
    if action == "inject_assigned" and (m := _ASSIGNED.fullmatch(target)):
        return AuditDetail("assigned", {"inject": m[1], "controller": m[2]})
    if action == "inject_skipped" and (m := _SKIPPED.fullmatch(target)):
        return AuditDetail("skipped", {"inject": m[1], "reason": m[2]})
    if action == "user_created" and (m := _USER.fullmatch(target)):
        return AuditDetail("user", {"name": m[1], "role": m[2]})
    return None
