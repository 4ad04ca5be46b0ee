"""Live drills: the durable drill store and the service layer (no UI in here).

Entry point: :class:`live.service.LiveService` — accounts and roles, sealed-scenario import
and unlock, the drill clock, inject release, umpire recording, the live score and export,
every call checked against the caller's role. See ``docs/live.md``.
"""

from live.accounts import ROLES, AuthError, Principal
from live.clock import ManualClock, SystemClock
from live.recording import new_action_id
from live.service import DrillStatus, Forbidden, LiveError, LiveService, Recorded, Released

__all__ = ["ROLES", "AuthError", "DrillStatus", "Forbidden", "LiveError", "LiveService",
           "ManualClock", "Principal", "Recorded", "Released", "SystemClock", "new_action_id"]
