"""What kind of blinddrill file a document is, told from its ``schema`` id, so that an input of
the wrong kind gets one clear message ("this is a drill plan, not a scenario") instead of a
list of every field the expected model misses.

Every blinddrill file names its format in a ``schema`` key, ``blinddrill.<kind>/<version>``
(an event log in its first record's ``prev``). :func:`wrong_kind` compares that id with the
one a model reads; :func:`looks_like_event_log` recognises a JSON Lines log given where one
document is expected. Only the ids are known here (as text): the models stay in their layers.
"""

from __future__ import annotations

import re
import typing
from typing import Any

import orjson
from pydantic import BaseModel

#: kind (the part between ``blinddrill.`` and ``/``) -> (what it is, where it goes)
KINDS: dict[str, tuple[str, str]] = {
    "region": ("a region file", "give it with --region"),
    "scenario": ("a scenario", "simulate, msel, batch and whatif take it as their first "
                               "argument"),
    "sealed": ("a sealed scenario", "simulate, verify, msel, batch, whatif and live take it"),
    "plan": ("a drill plan", "make a scenario from it with `blinddrill generate --plan FILE "
                             "-o sealed.json`"),
    "hazards": ("a hazard catalogue", "give it with --catalogue"),
    "behaviour": ("a behaviour-parameter file", "give it with --params"),
    "rules": ("a rule pack", "give it to score or report with --rules"),
    "rubric": ("a rubric", "give it to score or report with --rubric"),
    "templates": ("a set of event-report templates", "it is read by the scorer, not given "
                                                     "as this input"),
    "actions": ("an improvement-action table", "give it to report with --actions"),
    "scorecard": ("a scorecard (written by `blinddrill score`)", "score and report read the "
                                                                  "run directory instead"),
    "events": ("an event log", "score, report and checklog read the run directory that holds "
                               "it"),
    "batch": ("a batch result (written by `blinddrill batch`)", "it is an output, not an "
                                                                "input"),
    "baseline-scorecards": ("a baseline's cached scorecards", "report reads them from the run "
                                                              "directory by itself"),
}

_ID = re.compile(r"blinddrill\.([a-z-]+)/(\d+)")


def expected_schemas(model: type[BaseModel]) -> tuple[str, ...]:
    """The schema ids ``model`` accepts (its ``schema`` field's literal values; none if it
    has no such field)."""
    field = model.model_fields.get("schema_")
    if field is None or field.alias != "schema":
        return ()
    return tuple(v for v in typing.get_args(field.annotation) if isinstance(v, str))


def _describe(kind: str) -> str:
    return KINDS[kind][0] if kind in KINDS else f"a '{kind}' file"


def wrong_kind(data: Any, model: type[BaseModel], also: tuple[str, ...] = ()) -> str | None:
    """One problem line when ``data`` names a blinddrill schema that neither ``model`` nor the
    ids in ``also`` (other documents the caller reads, e.g. a sealed scenario) match: another
    kind of file, or another format version of one of them. None otherwise, also when the
    document has no ``schema`` key (then its fields are checked as usual)."""
    wanted = (*expected_schemas(model), *also)
    got = data.get("schema") if isinstance(data, dict) else None
    if not wanted or not isinstance(got, str) or got in wanted:
        return None
    m, want = _ID.fullmatch(got), _ID.fullmatch(wanted[0])
    if m is None or want is None:
        return None  # not a blinddrill id: the field check says what it should be
    kind = m.group(1)
    for w in wanted:
        wm = _ID.fullmatch(w)
        if wm is not None and wm.group(1) == kind:  # the right kind, another version
            newer = int(m.group(2)) > int(wm.group(2))
            return (f"schema: '{got}' is {'a newer' if newer else 'another'} format version "
                    f"of {_describe(kind)}; this version of blinddrill reads '{w}'"
                    + (" (was the file written by a newer blinddrill?)" if newer else ""))
    hint = KINDS[kind][1] if kind in KINDS else ""
    return (f"schema: this file is {_describe(kind)} ('{got}'), not "
            f"{_describe(want.group(1))} ('{wanted[0]}')" + (f": {hint}" if hint else ""))


def looks_like_event_log(text: str) -> bool:
    """True when ``text`` starts like an event log: a first line that is one JSON object with
    the record keys ``seq`` and ``kind`` (JSON Lines, not one document)."""
    first, sep, rest = text.lstrip().partition("\n")
    if not sep or not rest.strip():
        return False
    try:
        rec = orjson.loads(first)
    except orjson.JSONDecodeError:
        return False
    return isinstance(rec, dict) and "seq" in rec and "kind" in rec
