"""Rule packs: response and reporting standards as data (YAML, schema ``blinddrill.rules/1``).

A rule pack lists **clocks**. A clock runs from a *start* event to an *end* event of the same
incident (``scope: incident``) or of the same incident and unit (``scope: unit``, one value per
dispatched unit) and is met when it stops within ``limit_min`` minutes. ``where`` restricts the
incidents it applies to (grade, category, template, required capability). Endpoints pick the
first (or last) matching event and may filter on payload values (``data``) and, with a region,
on the kind of the unit involved (``unit_kinds``). The end must not precede the start.

Packs shipped in ``evaluators/packs/`` are loaded by id (``city-1-10-15``); users pass their own
files. ``docs/scoring.md`` documents every shipped clock.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, model_validator

from engine.eventlog import REQUIRED_IDS, EventKind
from scenarios.loading import InputError, StrictModel, load_model
from scenarios.region import Id, Name, ReferenceProblems, UnitKind
from scenarios.schema import Grade

RULES_SCHEMA = "blinddrill.rules/1"
PACK_DIR = Path(__file__).parent / "packs"
#: Packs used by ``score`` when no ``--rules`` is given.
DEFAULT_PACKS: tuple[str, ...] = ("city-1-10-15", "incident-control", "scene-visible-30",
                                   "report-by-grade")

Scalar = str | int | float | bool
#: kinds whose records carry a unit id
UNIT_KINDS_OF_EVENT = frozenset(k for k, ids in REQUIRED_IDS.items() if "unit" in ids) | {
    "report_submitted", "commander_designated"}


class Endpoint(StrictModel):
    """Which event starts or stops a clock."""

    kind: EventKind
    pick: Literal["first", "last"] = "first"
    data: dict[str, list[Scalar]] = Field(
        default_factory=dict, description="payload filters: key → allowed values"
    )
    unit_kinds: list[UnitKind] = Field(
        default_factory=list, description="only events of units of these kinds (needs the region)"
    )
    per: Literal["incident", "unit"] | None = Field(
        default=None,
        description="granularity of this endpoint; default: 'unit' for unit-scoped clocks on "
        "events that carry a unit, else 'incident'",
    )


class IncidentFilter(StrictModel):
    """Incidents a clock applies to; every non-empty list must match (grade: worst reached)."""

    grade: list[Grade] = Field(default_factory=list)
    category: list[Id] = Field(default_factory=list)
    template: list[Id] = Field(default_factory=list)
    requires: list[Id] = Field(default_factory=list, description="any of these capabilities")


class ClockRule(StrictModel):
    """One standard: a named clock with a limit."""

    id: Id
    name_zh: Name
    name_en: Name
    start: Endpoint
    end: Endpoint
    scope: Literal["incident", "unit"] = "incident"
    limit_min: Annotated[float, Field(gt=0, le=7 * 24 * 60)]
    where: IncidentFilter = Field(default_factory=IncidentFilter)
    only_if_dispatched: bool = Field(
        default=False,
        description="apply only to incidents to which a unit matching end.unit_kinds was sent",
    )
    note: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> ClockRule:
        problems: list[str] = []
        for name in ("start", "end"):
            ep: Endpoint = getattr(self, name)
            if ep.per == "unit" and self.scope != "unit":
                problems.append(f"{name}.per: 'unit' needs scope: unit")
            if self.per_of(ep) == "unit" and ep.kind not in UNIT_KINDS_OF_EVENT:
                problems.append(f"{name}.kind: '{ep.kind}' events carry no unit")
        if self.scope == "unit" and self.per_of(self.end) != "unit":
            problems.append("end: a unit-scoped clock must end on a per-unit event")
        if self.only_if_dispatched and not self.end.unit_kinds:
            problems.append("only_if_dispatched: needs end.unit_kinds")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def per_of(self, ep: Endpoint) -> str:
        """The effective granularity of an endpoint (see :attr:`Endpoint.per`)."""
        if ep.per is not None:
            return ep.per
        return "unit" if self.scope == "unit" and ep.kind in UNIT_KINDS_OF_EVENT else "incident"

    @property
    def needs_region(self) -> bool:
        """True if an endpoint filters on unit kinds (the region says each unit's kind)."""
        return bool(self.start.unit_kinds or self.end.unit_kinds)


class RulePack(StrictModel):
    """A named set of clocks from one standard or document."""

    schema_: Literal["blinddrill.rules/1"] = Field(default="blinddrill.rules/1", alias="schema")
    id: Id
    name_zh: Name
    name_en: Name
    source: str = ""
    alternative_to: Id | None = Field(
        default=None, description="another reading of the same standard (same clock ids): "
        "load one or the other, not both")
    clocks: list[ClockRule] = Field(min_length=1)

    model_config = StrictModel.model_config | {"populate_by_name": True}

    @model_validator(mode="after")
    def _unique(self) -> RulePack:
        seen: dict[str, int] = {}
        problems = []
        for i, c in enumerate(self.clocks):
            if c.id in seen:
                problems.append(f"clocks[{i}].id: duplicate clock '{c.id}' (see clocks[{seen[c.id]}])")
            seen.setdefault(c.id, i)
        if problems:
            raise ReferenceProblems(problems)
        return self


def builtin_packs(alternatives: bool = False) -> list[str]:
    """Ids of the packs shipped with blinddrill that can be loaded together; with
    ``alternatives``, also the alternative readings (``alternative_to``) of those packs."""
    ids = sorted(p.stem for p in PACK_DIR.glob("*.yaml"))
    if alternatives:
        return ids
    return [i for i in ids if load_pack(i).alternative_to is None]


def load_pack(ref: str | Path) -> RulePack:
    """Load a pack from a file path or a shipped id; errors name the file and field."""
    p = Path(ref)
    if not p.suffix and not p.exists():
        shipped = PACK_DIR / f"{ref}.yaml"
        if not shipped.exists():
            raise InputError(
                str(ref), [f"no such rule pack (shipped packs: {', '.join(builtin_packs(True))})"]
            )
        p = shipped
    return load_model(p, RulePack)


def load_packs(refs: list[str] | list[Path] | tuple[str, ...] | None = None) -> list[RulePack]:
    """Load several packs (default :data:`DEFAULT_PACKS`); clock ids must be unique across them."""
    packs = [load_pack(r) for r in (refs if refs else DEFAULT_PACKS)]
    owner: dict[str, str] = {}
    problems = []
    for pack in packs:
        for c in pack.clocks:
            if c.id in owner:
                problems.append(f"clock '{c.id}' is defined by both '{owner[c.id]}' and '{pack.id}'")
            owner.setdefault(c.id, pack.id)
    if problems:
        raise InputError("rule packs", problems)
    return packs

