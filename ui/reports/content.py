"""Assemble what an after-action report says, once, for both the HTML and the Word output.

:func:`build_report` reads a run directory, scores it with the evaluators (the scorecard is the
only source of ratings, compliance and findings), renders every chart to PNG, checks the sealed
scenario's commitment when the run's inputs include one, and returns a :class:`ReportContent`.
The improvement plan comes from :func:`evaluators.improvement.improvement_plan` (actions by
cause from ``evaluators/data/actions.yaml``, owners from the evidence, due dates by priority);
trainers edit it in the Word file. ``ui.reports.sections`` turns the content into the blocks
both formats lay out.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from engine.eventlog import final_hash_of, read_records
from engine.gcpause import keep_until_exit
from evaluators import (
    Scorecard,
    replication_dirs,
    run_region,
    score_run,
)
from evaluators.baseline import Baseline
from evaluators.improvement import PlanItem, improvement_plan, load_actions
from experiments.baseline import against_baseline
from scenarios.loading import InputError, read_yaml
from scenarios.region import Region
from ui.charts import (
    compliance,
    distributions,
    handoffs,
    montecarlo,
    regionmap,
    timeline,
    timeliness,
)
from ui.charts.labels import Lang, check_lang, place_name
from ui.charts.logview import LogView, view_log
from ui.charts.names import Names
from ui.charts.render import render_pngs
from ui.errors import UserError
from ui.reports.events import describe, story_time


@dataclass
class ReportContent:
    """Everything a report shows, language-specific text already chosen."""

    lang: Lang
    run_dir: Path
    card: Scorecard
    region: Region | None
    records: list[dict[str, Any]]
    sealed: tuple[bool | None, str]
    figures: list[tuple[str, str, bytes]] = field(default_factory=list)  # (id, caption, png)
    plan: list[PlanItem] = field(default_factory=list)
    baseline: Baseline | None = None
    scenario: dict[str, Any] = field(default_factory=dict)
    names: Names | None = None
    view: LogView | None = None
    log_hash: str | None = None
    run_info: dict[str, Any] = field(default_factory=dict)
    plan_days: dict[str, int] = field(default_factory=dict)  # due days by priority

    def figure(self, fid: str) -> tuple[str, str, bytes] | None:
        """The figure ``fid`` (None if it was not drawn)."""
        return next((f for f in self.figures if f[0] == fid), None)

    def figures_like(self, prefix: str) -> list[tuple[str, str, bytes]]:
        """Figures whose id starts with ``prefix`` (e.g. the timeline's pages)."""
        return [f for f in self.figures if f[0].startswith(prefix)]

    def event_line(self, seq: int) -> str:
        """A one-line description of event ``seq`` for evidence lists (story time, sentence)."""
        if not 0 <= seq < len(self.records):
            return f"#{seq}"
        r = self.records[seq]
        names = self.names or Names(self.region, self.lang)
        when = story_time(self.view.story_start if self.view else None, float(r["t"]),
                          self.lang).rsplit(" ", 1)[-1]
        inc = f"[{r['incident']}] " if r.get("incident") else ""
        return f"{when} {inc}{describe(r, names)}"


def _sealed_status(inputs: Path, lang: Lang) -> tuple[bool | None, str]:
    zh = lang == "zh"
    files = sorted(inputs.glob("sealed*.json")) if inputs.is_dir() else []
    if not files:
        return None, "本次演练未使用封存场景文件" if zh else "No sealed scenario in the run's inputs"
    try:
        from scenarios.sealing import read_sealed

        s = read_sealed(files[0])
    except InputError as exc:
        return False, ("封存场景校验失败:" if zh else "Sealed scenario FAILED verification: ") + \
            "; ".join(exc.problems)
    # a space before the 71-character digest: a Word table cell breaks the line there, not
    # inside "通过" (the digest has no break opportunity of its own)
    return True, ("承诺值校验通过: " if zh else "Commitment verified: ") + s.commitment


def _scenario_summary(inputs: Path) -> dict[str, Any]:
    """The played scenario as plain data: from the sealed file (verified) or the scenario file."""
    sealed = sorted(inputs.glob("sealed*.json")) if inputs.is_dir() else []
    if sealed:
        from scenarios.sealing import read_sealed, scenario_data

        try:
            return scenario_data(read_sealed(sealed[0]).scenario)
        except InputError:
            return {}  # the overview's commitment line says it failed to verify
    for name in ("scenario.yaml", "scenario.json"):
        p = inputs / name
        if p.is_file():
            try:
                data = read_yaml(p)
                return data if isinstance(data, dict) else {}
            except InputError:
                return {}
    return {}


def final_hash(records: list[dict[str, Any]]) -> str | None:
    """The hash sealing the log (``sha256:`` of its last record's line) when it is
    hash-chained, else None (an older ``blinddrill.events/1`` log)."""
    return final_hash_of(records)


def build_report(run_dir: str | Path, lang: str = "zh", baseline_dir: str | Path | None = None,
                 region: Region | None = None,
                 actions: str | Path | None = None, charts: bool = True,
                 workers: int | None = None) -> ReportContent:
    """Score ``run_dir``, draw every chart once and assemble the report's content.

    ``region`` saves re-reading ``inputs/region.yaml`` when the caller already has it;
    ``actions`` is the improvement plan's action table (default: the shipped one);
    ``charts=False`` skips drawing (the text and tables only, e.g. for a quick look);
    ``workers``: processes drawing the charts (see :func:`ui.charts.render.render_pngs`)."""
    lg = check_lang(lang)
    d = Path(run_dir)
    if not (d / "events.jsonl").is_file():
        raise UserError(f"{d}: no events.jsonl here (give a run directory written by "
                        "`blinddrill simulate` or a live drill)")
    inputs = d / "inputs"
    if region is None:
        region = run_region(d)
    card = score_run(d, region=region)  # checks the log first (engine.logcheck)
    records = read_records(d / "events.jsonl")
    scen = _scenario_summary(inputs)
    run_json = inputs / "run.json"
    run_info = json.loads(run_json.read_text(encoding="utf-8")) if run_json.is_file() else {}
    sealed = _sealed_status(inputs, lg)
    view = view_log(records)
    content = ReportContent(lg, d, card, region, records, sealed, scenario=scen,
                            names=Names(region, lg), view=view,
                            log_hash=final_hash(records))
    content.run_info = run_info
    keep_until_exit(content)  # never freed by a one-shot process (engine.gcpause)
    reps: list[Scorecard] = []
    base: Baseline | None = None
    base_dir = Path(baseline_dir) if baseline_dir else (d / "baseline")
    if base_dir.is_dir() and (baseline_dir is not None or replication_dirs(base_dir)):
        # scored replications and percentiles cached in base_dir while nothing they come from
        # changed (experiments.baseline.against_baseline)
        reps, base = against_baseline(card, base_dir, region=region, of=d)
        if reps:
            content.baseline = base
    elif baseline_dir is not None:
        raise UserError(f"{base_dir}: not a directory of run directories")
    figs = report_charts(card, view, region, lg, reps, base)
    if charts:  # each chart drawn once (on every core); both formats embed these PNG bytes
        pngs = render_pngs([draw for _, _, draw in figs], workers)
        content.figures = [(i, cap, png) for (i, cap, _), png in zip(figs, pngs, strict=True)
                           if png is not None]
    try:
        table = load_actions(actions)
        content.plan = improvement_plan(card, records, table)
        content.plan_days = {str(k): v for k, v in table.due_days.items()}
    except InputError as exc:
        raise UserError(str(exc)) from None
    return content


def report_charts(card: Scorecard, view: LogView, region: Region | None, lg: Lang,
                  reps: list[Scorecard], base: Baseline | None
                  ) -> list[tuple[str, str, Callable[[], Any]]]:
    """Every chart of the report, in its order: (id, caption, a function drawing it). The
    Monte Carlo chart only with replications; timelines of up to four incidents, as many as
    fit a page."""
    zh = lg == "zh"
    figs: list[tuple[str, str, Callable[[], Any]]] = [
        ("map", "区域示意图" if zh else "Schematic region map",
         lambda: regionmap.region_map_chart(view, region, lang=lg) if region else None),
        ("distributions", "响应时间分布" if zh else "Response-time distributions",
         lambda: distributions.distributions_chart(card, lang=lg)),
        ("compliance", "按乡镇/队伍类型达标率" if zh else "Compliance by township and unit kind",
         lambda: compliance.compliance_chart(card, region, lang=lg)),
        ("timeliness", "信息报送及时性" if zh else "Report timeliness",
         lambda: timeliness.timeliness_chart(view, region, lang=lg, card=card)),
    ]
    if reps and base is not None:
        figs.append(("montecarlo", "与模拟基线比较" if zh else "Against the simulated baseline",
                     lambda: montecarlo.montecarlo_chart(card, reps, base, lang=lg)))
    figs.append(("handoffs", "信息传递与调度用时(谁通知谁、用时多久)" if zh else
                 "Who told whom, and how late",
                 lambda: handoffs.handoffs_chart(view, region, lang=lg)))
    for k, chunk in enumerate(timeline.timeline_pages(view)):
        figs.append((f"timeline-{k + 1}",
                     ("事件处置时间线 " if zh else "Incident timeline ")
                     + (chunk[0] if len(chunk) == 1 else f"{chunk[0]}–{chunk[-1]}"),
                     partial(timeline.timeline_chart, view, region, lang=lg, incidents=chunk)))
    return figs


def township(content: ReportContent, tid: str) -> str:
    """A township's name for tables."""
    return place_name(content.region, tid)
