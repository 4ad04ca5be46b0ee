"""What umpires may record, and how their input becomes log records.

An umpire action is one record of the log schema (``source: umpire``) with the umpire's name
(``data.author``), their device (``data.device``) and a client-generated action id
(``data.action_id``, unique per drill: a retry records once) — and the same umpire's identical
action again within :data:`DOUBLE_TAP_S` seconds is a double tap, also recorded once
(:func:`same_action`; the same action later is a new one). Umpires record
what they see teams do (alarm taken, unit arrived, report submitted, ...); they never write
the truth or the drill's own bookkeeping (:data:`SYSTEM_KINDS`), which come from the sealed
scenario and the clock. Observations carry a capability and a P/S/M/U rating; roles the teams
designate during the drill (commander, safety officer, liaison) are ``role_designated``
records; a mistake is corrected by a ``record_corrected`` record that names the corrected
``seq`` — never by editing the log.
"""

from __future__ import annotations

import math
import uuid
from datetime import date
from typing import Any

from engine.eventlog import EVENT_KINDS
from live.errors import Refusal, Why
from scenarios.limits import MAX_TEXT_CHARS

#: kinds written only by the service itself (release, clock, end of play) — never by umpires.
SYSTEM_KINDS = frozenset({
    "drill_started", "drill_ended", "drill_held", "drill_resumed", "inject_released",
    "incident_occurred", "complication_applied", "inject_skipped",
    "incident_unresolved",
})
#: kinds an umpire may record.
UMPIRE_KINDS: tuple[str, ...] = tuple(k for k in EVENT_KINDS if k not in SYSTEM_KINDS)
RATINGS = ("P", "S", "M", "U")
#: roles teams designate during a drill (no pre-assigned roles); others are allowed as text.
DESIGNATED_ROLES = ("commander", "safety_officer", "liaison", "information_officer",
                    "logistics", "spokesperson")
#: keys the service sets on an umpire record; input may not set them itself.
RESERVED_KEYS = frozenset({"author", "device", "action_id"})
#: seconds (wall clock) within which the same umpire's second identical action — same kind,
#: incident, unit, inject, depot, post and data — is taken for a double tap and not recorded
#: again (each tap of the console carries a new action id once the first write is confirmed).
DOUBLE_TAP_S = 2.0
#: the largest quantity a supplies record may name (the console's and the CLI's limit).
MAX_QTY = 100_000
#: kinds whose ``data.qty`` is a quantity of supplies requested or delivered (more than 0).
SUPPLY_KINDS = ("supplies_requested", "supplies_delivered")


class RecordingError(Refusal):
    """The input cannot be recorded (``why`` and the message say what to change)."""


def new_action_id() -> str:
    """A fresh client action id (the console and CLI make one per tap, before sending)."""
    return uuid.uuid4().hex


def check_action_id(action_id: str) -> str:
    """An action id must be 8-64 printable characters without spaces."""
    if not isinstance(action_id, str) or not 8 <= len(action_id) <= 64 or not all(
            c.isprintable() and not c.isspace() for c in action_id):
        raise RecordingError(Why.BAD_ACTION_ID)
    return action_id


def umpire_data(kind: str, data: dict[str, Any] | None, author: str, device: str | None,
                action_id: str) -> dict[str, Any]:
    """The ``data`` of an umpire record: the input's keys plus author, device and action id."""
    if kind not in UMPIRE_KINDS:
        allowed = ", ".join(UMPIRE_KINDS)
        raise RecordingError(Why.KIND_NOT_RECORDABLE, kind=kind, allowed=allowed)
    data = dict(data or {})
    clash = sorted(RESERVED_KEYS & set(data))
    if clash:
        raise RecordingError(Why.RESERVED_DATA, keys=", ".join(clash))
    if kind == "observation":
        rating = data.get("rating")
        if rating is not None and rating not in RATINGS:
            raise RecordingError(Why.BAD_RATING, rating=rating)
        if not str(data.get("text", "")).strip():
            raise RecordingError(Why.OBSERVATION_EMPTY)
    if kind in SUPPLY_KINDS and "qty" in data:
        check_qty(data["qty"])
    check_text_sizes(data)
    data["author"] = author
    data["device"] = device
    data["action_id"] = check_action_id(action_id)
    return data


def check_qty(qty: object) -> None:
    """A supplies quantity is a finite number more than 0 and at most :data:`MAX_QTY`."""
    ok = isinstance(qty, (int, float)) and not isinstance(qty, bool) \
        and math.isfinite(qty) and 0 < qty <= MAX_QTY
    if not ok:
        raise RecordingError(Why.BAD_QUANTITY, qty=qty, limit=MAX_QTY)


def check_observed_t(kind: str, data: dict[str, Any], now_t: float) -> None:
    """An observation's ``observed_t`` (when the observed thing happened) lies between the
    drill's start (0) and the current drill time ``now_t``: it cannot be in the future."""
    if kind != "observation" or data.get("observed_t") is None:
        return
    when = data["observed_t"]
    ok = isinstance(when, (int, float)) and not isinstance(when, bool) \
        and math.isfinite(when) and 0 <= when <= now_t
    if not ok:
        raise RecordingError(Why.OBSERVED_T_OUT_OF_RANGE, observed_t=when,
                             now=math.floor(now_t * 100) / 100)


def same_action(stored: dict[str, Any], kind: str, ids: dict[str, str | None],
                data: dict[str, Any]) -> bool:
    """Whether the ``stored`` record is the action ``kind`` / ``ids`` / ``data`` (an umpire
    record's ``data`` as :func:`umpire_data` makes it) again: the same kind, ids and data,
    whatever its device and action id. The service takes it for a double tap when the same
    umpire sends it within :data:`DOUBLE_TAP_S` seconds."""
    if stored.get("kind") != kind or any(stored.get(f) != v for f, v in ids.items()):
        return False
    old = {k: v for k, v in (stored.get("data") or {}).items() if k not in RESERVED_KEYS}
    return old == {k: v for k, v in data.items() if k not in RESERVED_KEYS}


def check_text_sizes(data: dict[str, Any], where: str = "data") -> None:
    """Refuse any text in an umpire's input longer than ``MAX_TEXT_CHARS`` (a pasted file in
    an observation would bloat the log every reader and report loads)."""
    for key, value in data.items():
        if isinstance(value, str) and len(value) > MAX_TEXT_CHARS:
            raise RecordingError(Why.TEXT_TOO_LONG, field=f"{where}.{key}", chars=len(value),
                                 limit=MAX_TEXT_CHARS)
        if isinstance(value, dict):
            check_text_sizes(value, f"{where}.{key}")
        if isinstance(value, list):
            for i, v in enumerate(value):
                if isinstance(v, str) and len(v) > MAX_TEXT_CHARS:
                    raise RecordingError(Why.TEXT_TOO_LONG, field=f"{where}.{key}[{i}]",
                                         chars=len(v), limit=MAX_TEXT_CHARS)


def observation_data(text: str, *, capability: str | None = None,
                     rating: str | None = None, observed_t: float | None = None
                     ) -> dict[str, Any]:
    """The data of an observation (``capability``, ``rating`` P/S/M/U, and the drill time
    the observed thing happened if it was earlier than when it is entered)."""
    d: dict[str, Any] = {"text": text}
    if capability:
        d["capability"] = capability
    if rating:
        d["rating"] = rating
    if observed_t is not None:
        d["observed_t"] = round(float(observed_t), 6)
    return d


#: the sections of a hotwash (the debrief right after play), in report order.
HOTWASH_SECTIONS = ("strength", "weakness", "action")


def hotwash_data(section: str, text: str, *, capability: str | None = None,
                 owner: str | None = None, due: str | None = None) -> dict[str, Any]:
    """The ``data`` of a ``hotwash`` record (``docs/reports.md``): section, text and the
    optional capability, owner (an action's responsible party) and due date (ISO)."""
    if section not in HOTWASH_SECTIONS:
        raise RecordingError(Why.BAD_SECTION, section=section,
                             sections=", ".join(HOTWASH_SECTIONS))
    if not text.strip():
        raise RecordingError(Why.HOTWASH_EMPTY)
    data: dict[str, Any] = {"section": section, "text": text}
    check_text_sizes(data)
    if due:
        try:
            date.fromisoformat(due)
        except ValueError:
            raise RecordingError(Why.BAD_DUE_DATE, due=due) from None
        data["due"] = due
    if capability:
        data["capability"] = capability
    if owner:
        data["owner"] = owner
    return data
