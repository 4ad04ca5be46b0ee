"""The audit trail: who did or read what, and when (one row per action, never updated).

Every read of scenario content (the MSEL, due or released injects, the log) and every write
(accounts, unlock, clock, releases, recordings) adds a row in the same transaction as the
action itself, so an action and its audit row are committed together or not at all.
"""

from __future__ import annotations

import sqlite3
import time
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
