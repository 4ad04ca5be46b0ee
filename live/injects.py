"""Injects of a live drill: their plan (from the sealed scenario), their state, and the
records a release writes.

An inject's *content* (message, incident truth) is in the encrypted sealed scenario; the
store's ``injects`` rows hold only its id, its position in the MSEL and its state
(``pending`` → ``released`` or ``skipped``), who it is assigned to, a re-timed due time, and
who did what with which reason. Releasing writes what the engine writes when an inject fires
(:func:`release_records`): ``inject_released`` and then the incident's truth
(``incident_occurred``) and its alarm (``alarm_raised`` at the caller's duty desk: delivering
an incident inject *is* the alarm call, so the take-the-alarm clock starts at the actual
delivery, as in the engine), or the complication (``complication_applied``), so a live log is
scored like a simulated one.

An inject is *due* when drill time reaches its due time (the re-timed one if any, else the
MSEL's ``t``). An inject that has been due for more than the grace period and was neither
released nor skipped — after a restart of the service, or because nobody acted — is *stale*:
it is listed for the director to confirm (release now), skip or re-time, and is never
released by itself, neither in a burst nor silently dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from engine.context import desk_id
from engine.desks import desk_for_caller
from engine.params import BehaviourParams
from scenarios.callscript import CallScript
from scenarios.region import Region
from scenarios.schema import Caller, ComplicationInject, IncidentInject, IncidentSpec, Scenario

#: minutes an inject may be overdue before it needs the director's decision.
STALE_AFTER_MIN = 2.0


@dataclass(frozen=True)
class InjectState:
    """An ``injects`` row."""

    id: str
    position: int
    status: str
    adhoc: bool
    retimed_t: float | None
    controller: str | None
    done_t: float | None
    done_by: str | None
    reason: str | None
    seq: int | None


@dataclass(frozen=True)
class InjectView:
    """An inject as a person with the right to see it reads it (MSEL fields)."""

    id: str
    kind: str
    planned_t: float
    due_t: float
    status: str
    controller: str | None
    incident: str | None
    sender: str
    recipient: str
    method: str
    subject: str
    message: str
    expected_action: str
    capability: str
    lateness_min: float | None = None
    #: the incident's category (of the incident a complication concerns; "" if unknown) and
    #: the complication's type ("" for an incident): a page words the subject from them
    category: str = ""
    complication: str = ""

    def to_dict(self) -> dict[str, Any]:
        """A plain dict (for JSON output)."""
        return dict(self.__dict__)


@dataclass(frozen=True)
class CallCard:
    """A controller's card of one inject: its view, the call script (likely questions and
    answers only once released) and when it was delivered (released; None while due)."""

    view: InjectView
    script: CallScript
    delivered_t: float | None = None


def plan_of(scenario: Scenario) -> list[tuple[str, int]]:
    """``(inject id, MSEL position)`` of every inject, for the ``injects`` rows."""
    return [(inj.id, k) for k, inj in enumerate(scenario.injects)]


def categories(scenario: Scenario) -> dict[str, str]:
    """Each incident's category, by incident id (for :func:`view`)."""
    return {inj.incident.id: inj.incident.category for inj in scenario.injects
            if isinstance(inj, IncidentInject)}


def view(inj: IncidentInject | ComplicationInject, st: InjectState,
         now_t: float | None = None, cats: Mapping[str, str] | None = None) -> InjectView:
    """The readable view of one inject with its state (``lateness_min`` if ``now_t`` given
    and the inject is pending and due). ``cats`` (:func:`categories`) gives a complication
    its incident's category."""
    d = inj.delivery
    due = st.retimed_t if st.retimed_t is not None else float(inj.t)
    late = None
    if now_t is not None and st.status == "pending" and now_t >= due:
        late = round(now_t - due, 6)
    incident: str | None
    if isinstance(inj, IncidentInject):
        incident, category, comp = inj.incident.id, inj.incident.category, ""
    else:
        incident, comp = inj.complication.incident, str(inj.complication.type)
        category = (cats or {}).get(incident or "", "")
    return InjectView(id=inj.id, kind=inj.kind, planned_t=float(inj.t), due_t=due,
                      status=st.status, controller=st.controller, incident=incident,
                      sender=d.sender, recipient=d.recipient, method=d.method,
                      subject=d.subject, message=d.message, expected_action=d.expected_action,
                      capability=d.capability, lateness_min=late, category=category,
                      complication=comp)


def is_due(v: InjectView, now_t: float) -> bool:
    """Pending and its due time has come."""
    return v.status == "pending" and now_t >= v.due_t


def is_stale(v: InjectView, now_t: float, grace: float = STALE_AFTER_MIN) -> bool:
    """Due for longer than ``grace`` minutes without a decision."""
    return is_due(v, now_t) and now_t - v.due_t > grace


def by_id(scenario: Scenario) -> dict[str, IncidentInject | ComplicationInject]:
    """The scenario's injects by id."""
    return {inj.id: inj for inj in scenario.injects}


Record = tuple[str, dict[str, str | None], dict[str, Any]]


def alarm_desk(spec: IncidentSpec, region: Region, params: BehaviourParams,
               caller: Caller | None = None) -> tuple[str, str]:
    """``(level, jurisdiction id)`` of the duty desk the incident's caller (or ``caller``, for a
    repeat call) phones: the engine's own rule (:func:`engine.desks.desk_for_caller`)."""
    return desk_for_caller(caller or spec.caller, spec.location.township, region,
                           {o.id: o.level for o in region.info_officers},
                           params.alarm.desk_for_source)


def alarm_record(spec: IncidentSpec, region: Region, params: BehaviourParams) -> Record:
    """The ``alarm_raised`` a delivered incident inject makes: the caller's phone rings at
    the duty desk at the moment of delivery (the engine writes it right after the truth)."""
    level, jid = alarm_desk(spec, region, params)
    c = spec.caller
    return ("alarm_raised", {"incident": spec.id},
            {"level": level, "caller_source": c.source, "caller": c.id or c.name or None,
             "desk": desk_id(jid)})


def release_records(inj: IncidentInject | ComplicationInject, region: Region,
                    params: BehaviourParams,
                    plan: Mapping[str, IncidentInject | ComplicationInject] | None = None
                    ) -> list[Record]:
    """``(kind, ids, data)`` of the records a release writes, as the engine writes them
    (``engine.drill.Drill._release_inject``): ``inject_released``, then the incident's truth
    and its alarm at the caller's duty desk, or the complication (and, for a repeat call, the
    call ringing at its caller's desk, ``repeat_call_raised``: ``plan`` gives the incident)."""
    d = inj.delivery
    if isinstance(inj, IncidentInject):
        spec = inj.incident
        out: list[Record] = [
            ("inject_released", {"incident": spec.id, "inject": inj.id},
             {"inject_kind": "incident", "method": d.method, "sender": d.sender,
              "recipient": d.recipient, "message": d.message}),
            ("incident_occurred", {"incident": spec.id, "inject": inj.id}, {
                "category": spec.category, "grade": spec.grade,
                "township": spec.location.township, "casualties": spec.casualties.model_dump(),
                "template": spec.template, "lon": spec.location.lon, "lat": spec.location.lat,
                "site": spec.site, "requires": [r.model_dump() for r in spec.requires],
                "supplies": dict(spec.supplies), "cascade_of": spec.cascade_of}),
            alarm_record(spec, region, params),
        ]
        return out
    c = inj.complication
    fields = c.model_dump(mode="json", exclude_none=True,
                          exclude={"requires", "incident", "unit", "depot"})
    if c.requires:
        fields["requires"] = [r.model_dump() for r in c.requires]
    return [
        ("inject_released", {"incident": c.incident, "inject": inj.id},
         {"inject_kind": "complication", "method": d.method, "sender": d.sender,
          "recipient": d.recipient, "message": d.message}),
        ("complication_applied", {"inject": inj.id, "incident": c.incident, "unit": c.unit,
                                  "depot": c.depot}, fields),
        *_repeat_call(inj, region, params, plan or {}),
    ]


def _repeat_call(inj: ComplicationInject, region: Region, params: BehaviourParams,
                 plan: Mapping[str, IncidentInject | ComplicationInject]) -> list[Record]:
    """The engine's ``repeat_call_raised`` (``engine.desks.Desks.repeat_call``) for a delivered
    repeat call: it rings at the desk its caller phones, against the existing incident."""
    c = inj.complication
    if c.type != "repeat_call":
        return []
    spec = next((i.incident for i in plan.values()
                 if isinstance(i, IncidentInject) and i.incident.id == c.incident), None)
    if spec is None:
        return []
    caller = c.caller or Caller()
    level, jid = alarm_desk(spec, region, params, caller)
    return [("repeat_call_raised", {"incident": spec.id, "inject": inj.id},
             {"level": level, "caller_source": caller.source,
              "caller": caller.id or caller.name or None, "desk": desk_id(jid)})]
