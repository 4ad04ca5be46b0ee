"""The values of an event record's ``data``: what the engine writes and the evaluators read.

:data:`VALUE_RULES` holds, per event kind, one rule per key: a test of a present value and what
the value must be. :func:`engine.eventschema.check_record` (the validating reader, live
recording) and :func:`engine.logcheck.check_log` (``checklog``, and every log scored) apply
them, so a grade the clocks do not know, a minute count that is text or a casualty count that
is not a number is refused with ``file:line: data.key: must be …`` rather than crashing the
scorer or silently dropping an incident from a clock. Keys a kind does not list, and keys a
record does not hold, are not checked here (required keys: ``REQUIRED_DATA``). The rules are
listed in ``docs/event-log.md``. The tests are cheap (they run on every record of every log
read: ~188,000 records for a 10,000-incident drill).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, get_args

from engine.params import DeskLevel
from scenarios.schema import Casualties, Grade
from scenarios.templates import Stage

#: incident grades, most severe first (Chinese 特别重大 I … 一般 IV).
GRADES: tuple[str, ...] = get_args(Grade)
#: the duty desks' levels: alarms, dispatches, reports, mutual aid go to one of these.
DESK_LEVELS: tuple[str, ...] = get_args(DeskLevel)
#: depot tiers (a region's levels).
TIERS: tuple[str, ...] = ("city", "county", "township", "village")
#: the casualty truth and reported casualties: counts of people.
CASUALTY_KEYS: tuple[str, ...] = tuple(Casualties.model_fields)
REPORT_STAGES: tuple[str, ...] = get_args(Stage)
DAMAGE_STAGES: tuple[str, ...] = ("first", "followup")
REPORT_CHANNELS: tuple[str, ...] = ("phone", "written")
RATINGS: tuple[str, ...] = ("P", "S", "M", "U")
HOTWASH_SECTIONS: tuple[str, ...] = ("strength", "weakness", "action")
MODES: tuple[str, ...] = ("sim", "live")
RESPONDERS: tuple[str, ...] = ("unit", "officer")

#: one rule for a ``data`` value: (key, test of a present value, what the value must be).
ValueRule = tuple[str, Callable[[Any], bool], str]


def _is_bool(v: Any) -> bool:
    return type(v) is bool


def _is_number(v: Any) -> bool:
    """A finite number >= 0 (not a bool)."""
    t = type(v)
    return (t is int and v >= 0) or (t is float and 0.0 <= v < math.inf)


def _is_count(v: Any) -> bool:
    """An integer >= 0 (not a bool)."""
    return type(v) is int and v >= 0


def _is_positive(v: Any) -> bool:
    """An integer >= 1 (not a bool)."""
    return type(v) is int and v >= 1


def _is_coordinate(v: Any) -> bool:
    t = type(v)
    return t is int or (t is float and math.isfinite(v))


def _is_str_list(v: Any) -> bool:
    return type(v) is list and all(type(x) is str for x in v)


def _is_casualties(v: Any) -> bool:
    return type(v) is dict and all(k in _CASUALTY_SET and type(n) is int and n >= 0
                                   for k, n in v.items())


def _is_quantities(v: Any) -> bool:
    return type(v) is dict and all(_is_number(q) for q in v.values())


def _is_requires(v: Any) -> bool:
    return type(v) is list and all(
        type(q) is dict and type(q.get("capability")) is str
        and _is_positive(q.get("units", 1)) and _is_number(q.get("effort", 0)) for q in v)


def _is_values(v: Any) -> bool:
    return type(v) is dict and ("casualties" not in v or _is_casualties(v["casualties"])) \
        and v.get("grade") in _GRADE_OR_NONE


def _one_of(allowed: tuple[str | None, ...]) -> Callable[[Any], bool]:
    # a C-level membership test (the check runs on every record of every log read); an
    # unhashable value raises TypeError, which the callers count as not allowed
    return frozenset(allowed).__contains__


def _or_none(test: Callable[[Any], bool]) -> Callable[[Any], bool]:
    return lambda v: v is None or test(v)


#: ``isinstance(v, str)`` as one C-level call
_is_str: Callable[[Any], bool] = str.__instancecheck__
_CASUALTY_SET = frozenset(CASUALTY_KEYS)
_GRADE_OR_NONE = frozenset((*GRADES, None))
_STR = (_is_str, "a string")
_OPT_STR = (_or_none(_is_str), "a string or null")
_NUMBER = (_is_number, "a finite number >= 0")
_OPT_NUMBER = (_or_none(_is_number), "a finite number >= 0 or null")
_COUNT = (_is_count, "an integer >= 0")
_BOOL = (_is_bool, "true or false")
_STR_LIST = (_is_str_list, "a list of strings")
_GRADE = (_one_of(GRADES), "one of " + ", ".join(GRADES))
_LEVEL = (_one_of(DESK_LEVELS), "one of " + ", ".join(DESK_LEVELS))
_CASUALTIES = (_is_casualties, "an object of counts (integers >= 0) with keys among "
               + ", ".join(CASUALTY_KEYS))


def _enum(allowed: tuple[str, ...]) -> tuple[Callable[[Any], bool], str]:
    return _one_of(allowed), "one of " + ", ".join(allowed)


def _rules(**keys: tuple[Callable[[Any], bool], str]) -> tuple[ValueRule, ...]:
    return tuple((k, test, what) for k, (test, what) in keys.items())


#: per kind, the rules of the ``data`` values the engine writes and the evaluators read; a
#: key absent from ``data`` is not checked here (required keys: :data:`REQUIRED_DATA`). Other
#: keys are free. ``docs/event-log.md`` lists these rules.
VALUE_RULES: dict[str, tuple[ValueRule, ...]] = {
    "drill_started": _rules(scenario=_STR, seed=(_or_none(_is_count), "an integer >= 0 or "
                                                 "null"),
                            mode=_enum(MODES), start=_OPT_STR, region=_OPT_STR,
                            commitment=_OPT_STR),
    "drill_ended": _rules(reason=_STR),
    "incident_occurred": _rules(
        category=_STR, grade=_GRADE, township=_STR, casualties=_CASUALTIES, template=_STR,
        lon=(_or_none(_is_coordinate), "a finite number or null"),
        lat=(_or_none(_is_coordinate), "a finite number or null"), site=_OPT_STR,
        requires=(_is_requires, "a list of objects, each with a string capability, units an "
                                "integer >= 1 and effort a finite number >= 0"),
        supplies=(_is_quantities, "an object of quantities (finite numbers >= 0)"),
        cascade_of=_OPT_STR),
    "alarm_raised": _rules(level=_LEVEL),
    "alarm_taken": _rules(level=_LEVEL),
    "repeat_call_raised": _rules(level=_LEVEL),
    "repeat_call_taken": _rules(level=_LEVEL, alarm_known=_BOOL),
    "unit_dispatched": _rules(level=_LEVEL, eta_min=_NUMBER, capability=_OPT_STR,
                              mutual_aid=_BOOL),
    "task_started": _rules(task=_STR, capability=_OPT_STR, effort=_OPT_NUMBER),
    "task_finished": _rules(task=_STR, capability=_OPT_STR, effort=_OPT_NUMBER),
    "incident_escalated": _rules(grade=_GRADE, grade_from=(_one_of(GRADES), _GRADE[1])),
    "initial_response_completed": _rules(by=_enum(RESPONDERS)),
    "incident_unresolved": _rules(reason=_STR),
    "report_submitted": _rules(
        stage=_enum(REPORT_STAGES), to=_LEVEL, channel=_enum(REPORT_CHANNELS),
        fields=_STR_LIST,
        values=(_is_values, "an object (casualties: counts, integers >= 0, with keys among "
                            + ", ".join(CASUALTY_KEYS) + "; grade: one of "
                            + ", ".join(GRADES) + ")")),
    "supplies_requested": _rules(item=_STR, qty=_NUMBER, request=_STR),
    "supplies_delivered": _rules(item=_STR, qty=_NUMBER, request=_STR, tier=_enum(TIERS)),
    "supplies_short": _rules(item=_STR, qty=_NUMBER, request=_STR),
    "complication_applied": _rules(type=_STR, casualties=_CASUALTIES, grade=_GRADE),
    "message_sent": _rules(sender=_STR, recipient=_STR, delay_min=_OPT_NUMBER),
    "mutual_aid_requested": _rules(from_jurisdiction=_STR, to_level=_LEVEL,
                                   capability=_OPT_STR, units=_COUNT),
    "observation": _rules(text=_STR, rating=(_one_of((*RATINGS, None)),
                                             "one of " + ", ".join(RATINGS) + " or null"),
                          capability=_OPT_STR, observed_t=_OPT_NUMBER),
    "hotwash": _rules(section=_enum(HOTWASH_SECTIONS), text=_STR),
    "drill_held": _rules(reason=_STR),
    "drill_resumed": _rules(held_min=_NUMBER),
    "inject_skipped": _rules(reason=_STR),
    "role_designated": _rules(role=_STR, person=_STR),
    "record_corrected": _rules(corrects=_COUNT, reason=_STR),
    "team_mobilised": _rules(people=_COUNT),
    "team_arrived": _rules(people=_COUNT),
    "wakeup_call": _rules(callee=_STR, attempt=(_is_positive, "an integer >= 1"),
                          answered=_BOOL, delay_min=_OPT_NUMBER),
    "alarm_reported": _rules(to=_STR, level=_LEVEL, delay_min=_OPT_NUMBER),
    "expert_consulted": _rules(expert=_STR, field=_STR, delay_min=_OPT_NUMBER),
    "warning_relayed": _rules(township=_STR, weather=_STR, villages=_COUNT,
                              delay_min=_OPT_NUMBER),
    "patrol_completed": _rules(officer=_STR, sites=_STR_LIST, found=_STR_LIST,
                               duration_min=_OPT_NUMBER),
    "damage_reported": _rules(stage=_enum(DAMAGE_STAGES), officer=_STR, to=_STR,
                              complete=_BOOL, casualties=(_or_none(_is_casualties),
                                                          _CASUALTIES[1] + ", or null"),
                              delay_min=_OPT_NUMBER),
}


def value_problem(key: str, what: str, value: Any) -> str:
    """The message for a bad ``data`` value: ``data.<key>: must be <what>, not <value>``."""
    shown = repr(value)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return f"data.{key}: must be {what}, not {shown}"


def data_problems(kind: str, data: dict[str, Any]) -> list[str]:
    """What is wrong with the values of a record's ``data`` (:data:`VALUE_RULES`), one
    ``data.<key>: …`` message per bad value; empty if nothing is."""
    out: list[str] = []
    for key, test, what in VALUE_RULES.get(kind, ()):
        if key in data:
            v = data[key]
            try:
                good = test(v)
            except TypeError:  # e.g. an unorderable number, an unhashable value
                good = False
            if not good:
                out.append(value_problem(key, what, v))
    return out
