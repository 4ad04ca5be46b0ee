"""The shared context of one simulated drill: clock, parameters, draws, log, world and state.

Every part of the engine (:mod:`engine.desks`, :mod:`engine.dispatcher`, :mod:`engine.units`,
:mod:`engine.scene`, :mod:`engine.reporting`, :mod:`engine.supplies`,
:mod:`engine.complications`, :mod:`engine.comms`) works on one :class:`DrillContext` instead of
reaching into a god object. The context holds what they share — the simpy clock and its
one-shot calls, the behaviour parameters with the condition factors already applied, the
buffered draws per purpose, the log's append, the region index and travel model, and the
per-run state records — and a reference to each part, set once when the drill is built.

**One logging style:** every event is appended with :attr:`DrillContext.log_add`, i.e.
``EventLog.add(kind, t, incident, unit, inject, depot, post, data)``: ids positional, data a
ready dict (the same record as ``EventLog.append``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import simpy

from engine.eventlog import EventLog
from engine.params import BehaviourParams, ResolvedUnitBehaviour
from engine.rng import Draws
from engine.state import CommsOutage, IncidentState, PostState
from engine.world import RegionIndex
from scenarios.region import Region
from scenarios.schema import Scenario
from scenarios.templates import TemplateSet, load_templates
from scenarios.travel import TravelModel

if TYPE_CHECKING:
    from engine.comms import Comms
    from engine.desks import Desks
    from engine.dispatcher import Dispatcher
    from engine.early_warning import EarlyWarning
    from engine.officers import Officers
    from engine.scene import Scene
    from engine.units import Units
    from engine.waking import Waking

LogAdd = Callable[[str, float, str | None, str | None, str | None, str | None, str | None,
                   dict[str, Any]], dict[str, Any]]

_templates: TemplateSet | None = None


def template_set() -> TemplateSet:
    """The report templates (loaded once per process)."""
    global _templates
    if _templates is None:
        _templates = load_templates()
    return _templates


def desk_id(jurisdiction: str) -> str:
    """Id of the duty desk of a jurisdiction, as written in ``message_sent`` events."""
    return f"DESK-{jurisdiction}"


@dataclass(frozen=True)
class Factors:
    """Multipliers of the drill's conditions (night × weekend) on each kind of delay."""

    take: float
    turnout: float
    duty_turnout: float
    report: float
    travel: float

    @staticmethod
    def of(params: BehaviourParams, scenario: Scenario) -> Factors:
        """The factors for ``scenario``'s conditions."""
        c = scenario.conditions
        night, weekend = params.conditions.night, params.conditions.weekend

        def f(name: str) -> float:
            return float((getattr(night, name) if c.night else 1.0)
                         * (getattr(weekend, name) if c.weekend else 1.0))

        return Factors(f("take_alarm"), f("turnout"), f("duty_turnout"), f("report"),
                       f("travel"))


@dataclass(eq=False)
class DrillContext:
    """What the parts of one drill share (see the module docstring)."""

    env: simpy.Environment
    region: Region
    scenario: Scenario
    p: BehaviourParams
    log: EventLog
    ix: RegionIndex
    tm: TravelModel
    dr: dict[str, Draws]
    kb: list[ResolvedUnitBehaviour]  # behaviour of each unit's kind
    f: Factors
    templates: TemplateSet = field(default_factory=template_set)
    incidents: dict[str, IncidentState] = field(default_factory=dict)
    posts: dict[str, PostState] = field(default_factory=dict)
    outages: list[CommsOutage] = field(default_factory=list)
    stock: dict[str, dict[str, int]] = field(default_factory=dict)
    required: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # report fields
    # the parts, set once by the drill
    units: Units = field(init=False)
    desks: Desks = field(init=False)
    dispatch: Dispatcher = field(init=False)
    scene: Scene = field(init=False)
    comms: Comms = field(init=False)
    waking: Waking = field(init=False)
    officers: Officers = field(init=False)
    warning: EarlyWarning = field(init=False)

    def __post_init__(self) -> None:
        self.log_add: LogAdd = self.log.add
        self.timeout = self.env.timeout

    def call_in(self, delay: float, fn: Callable[..., None], *args: Any) -> None:
        """Call ``fn(*args)`` after ``delay`` minutes: a one-shot simpy ``Timeout`` with a
        callback (no process; ordered like any ``Timeout`` created at the same moment)."""
        self.timeout(delay).callbacks.append(lambda _e: fn(*args))

    @property
    def now(self) -> float:
        """The simulated time (minutes since the start of play)."""
        return self.env.now
