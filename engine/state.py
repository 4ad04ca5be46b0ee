"""Per-run mutable state of a simulated drill: incidents, their requirements, command posts.

Plain dataclasses; the simpy processes in :mod:`engine.drill` read and update them. None of it
is visible to evaluators, which see only the event log.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scenarios.schema import Casualties, IncidentSpec
from scenarios.travel import Terrain


@dataclass(eq=False)
class Need:
    """One capability requirement of an incident: effort to do, units wanted, progress."""

    incident: IncidentState
    capability: str
    effort: float
    wanted: int
    min_level: int
    assigned: list[int] = field(default_factory=list)
    on_scene: dict[int, float] = field(default_factory=dict)  # unit → work rate
    remaining: float = 0.0
    rate: float = 0.0
    last: float = 0.0
    version: int = 0
    started: bool = False
    done: bool = False

    @property
    def short(self) -> int:
        """Units still wanted."""
        return self.wanted - len(self.assigned)


@dataclass(eq=False)
class IncidentState:
    """An incident during the run: its truth (which complications may change) and progress."""

    spec: IncidentSpec
    inject: str
    township: str
    county: str | None
    terrain: Terrain
    grade: str
    casualties: Casualties
    desk_level: str = "county"
    desk_jurisdiction: str = ""
    needs: list[Need] = field(default_factory=list)
    units: list[int] = field(default_factory=list)  # every unit committed, in dispatch order
    first_arrival: float | None = None
    first_unit: int | None = None
    initial_done: bool = False  # the first team's early-stage handling (先期处置) is done
    video_waiting: list[tuple[PostState, float]] = field(default_factory=list)  # (post, ready)
    commander: int | None = None
    commander_person: str | None = None
    controlled: bool = False
    closed: bool = False
    rounds: int = 0  # times re-opened by an escalation after control
    _truth: dict[str, Any] = field(default_factory=dict, repr=False)
    _truth_of: Casualties | None = field(default=None, repr=False)
    first_report_t: float | None = None
    requests: int = 0

    id: str = field(init=False)  # the incident id (spec.id), a plain attribute for speed

    def __post_init__(self) -> None:
        self.id = self.spec.id

    def truth(self) -> dict[str, Any]:
        """The casualty truth as a plain dict (a fresh copy; cached per casualty record)."""
        if self._truth_of is not self.casualties:
            self._truth, self._truth_of = self.casualties.model_dump(), self.casualties
        return dict(self._truth)


@dataclass(eq=False)
class PostState:
    """A township command post during the run."""

    id: str
    activating: bool = False
    active_at: float | None = None
    waiting: list[IncidentState] = field(default_factory=list)  # told before it was up


@dataclass
class CommsOutage:
    """Reports and messages involving ``township``/``unit``/``incident`` are slowed."""

    factor: float
    until: float
    township: str | None = None
    unit: str | None = None
    incident: str | None = None
