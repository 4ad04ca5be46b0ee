"""Event-report templates (事件信息报送模板): which fields a first, follow-up and final report hold.

A city keeps 12 categories of report templates. Each template lists its fields and, per field,
the first stage at which it is required: ``first`` (首报: fast, the essentials), ``followup``
(续报: accurate, the developing picture) or ``final`` (终报: complete). A field required at
``first`` is required at every later stage too. Shipped in
``scenarios/catalogue/report_templates.yaml``; users can load their own.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from scenarios.loading import StrictModel, load_model
from scenarios.region import Id, Name, ReferenceProblems

Stage = Literal["first", "followup", "final"]
STAGES: tuple[Stage, ...] = ("first", "followup", "final")
STAGE_ZH: dict[str, str] = {"first": "首报", "followup": "续报", "final": "终报"}

DEFAULT_TEMPLATES = Path(__file__).parent / "catalogue" / "report_templates.yaml"


class TemplateField(StrictModel):
    """One field of a report template and the first stage that must contain it."""

    id: Id
    name_zh: Name
    name_en: Name
    required_from: Stage = "final"


class ReportTemplate(StrictModel):
    """A report template: its fields (common ones are merged in by :class:`TemplateSet`)."""

    id: Id
    name_zh: Name
    name_en: Name
    fields: list[TemplateField] = Field(default_factory=list)


class TemplateSet(StrictModel):
    """All report templates of a jurisdiction, plus fields common to every template."""

    schema_: Literal["blinddrill.templates/1"] = Field(
        default="blinddrill.templates/1", alias="schema"
    )
    common_fields: list[TemplateField]
    templates: list[ReportTemplate] = Field(min_length=1)

    model_config = StrictModel.model_config | {"populate_by_name": True}

    @model_validator(mode="after")
    def _unique(self) -> TemplateSet:
        problems: list[str] = []
        seen: set[str] = set()
        for i, t in enumerate(self.templates):
            if t.id in seen:
                problems.append(f"templates[{i}].id: duplicate template '{t.id}'")
            seen.add(t.id)
            common = {f.id for f in self.common_fields}
            own: set[str] = set()
            for k, f in enumerate(t.fields):
                if f.id in common:
                    problems.append(
                        f"templates[{i}].fields[{k}].id: '{f.id}' is already a common field"
                    )
                elif f.id in own:
                    problems.append(f"templates[{i}].fields[{k}].id: duplicate field '{f.id}'")
                own.add(f.id)
        ids = [f.id for f in self.common_fields]
        problems += [f"common_fields[{k}].id: duplicate field '{f}'"
                     for k, f in enumerate(ids) if f in ids[:k]]
        if problems:
            raise ReferenceProblems(problems)
        return self

    @cached_property
    def by_id(self) -> dict[str, ReportTemplate]:
        """Templates keyed by id."""
        return {t.id: t for t in self.templates}

    @cached_property
    def field_names(self) -> dict[str, tuple[str, str]]:
        """Display names (zh, en) of every field id, common and per template: what a finding
        or a report shows instead of the id (``缺casualties`` reads ``缺人员伤亡``)."""
        out = {f.id: (f.name_zh, f.name_en) for f in self.common_fields}
        for t in self.templates:
            out.update({f.id: (f.name_zh, f.name_en) for f in t.fields})
        return out

    def fields_of(self, template: str) -> list[TemplateField]:
        """Common fields followed by the template's own fields."""
        return list(self.common_fields) + list(self.by_id[template].fields)

    def required(self, template: str, stage: Stage) -> list[str]:
        """Field ids a report of ``stage`` under ``template`` must contain."""
        rank = STAGES.index(stage)
        return [f.id for f in self.fields_of(template) if STAGES.index(f.required_from) <= rank]


def load_templates(path: str | Path | None = None) -> TemplateSet:
    """Load a template set (default: the shipped 12 templates)."""
    return load_model(path or DEFAULT_TEMPLATES, TemplateSet)
