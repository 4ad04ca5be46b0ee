"""Assemble what an after-action report says, once, for both the HTML and the Word output.

:func:`build_report` reads a run directory, scores it with the evaluators (the scorecard is the
only source of ratings, compliance and findings), renders every chart to PNG, checks the sealed
scenario's commitment when the run's inputs include one, and returns a :class:`ReportContent`.
The improvement plan turns each area for improvement into a row (corrective action template by
capability, responsible organisation by capability, due date 30/60/90 days after the drill by
the capability's rating); trainers edit it in the Word file.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.eventlog import read_records
from evaluators import (
    Scorecard,
    percentiles_against,
    replication_dirs,
    run_region,
    score_replications,
    score_run,
)
from evaluators.baseline import Baseline
from scenarios.loading import InputError, read_yaml
from scenarios.region import Region
from ui.charts import (
    compliance,
    distributions,
    montecarlo,
    network,
    regionmap,
    timeline,
    timeliness,
)
from ui.charts.fonts import to_png
from ui.charts.labels import Lang, check_lang, place_name
from ui.charts.logview import view_log
from ui.errors import UserError

#: capability id → (responsible organisation zh, en)
RESPONSIBLE: dict[str, tuple[str, str]] = {
    "alarm_dispatch": ("县(区)应急管理局指挥中心", "County emergency command centre"),
    "response": ("各乡镇(街道)应急救援队、县消防救援大队", "Township rescue teams; county fire brigade"),
    "on_scene": ("现场指挥部、各专业救援队", "On-scene command; specialist teams"),
    "information": ("县(区)应急管理局值班室、乡镇应急指挥部", "County duty office; township command posts"),
    "coordination": ("县(区)应急管理局", "County emergency management bureau"),
    "resources": ("县(区)应急物资储备库、乡镇储备点", "County and township depots"),
}
DUE_DAYS = {"U": 30, "M": 30, "S": 60, "P": 90}


@dataclass
class PlanRow:
    """One row of the improvement plan."""

    capability: str
    issue: str
    action: str
    responsible: str
    due: str
    evidence: list[int]


@dataclass
class ReportContent:
    """Everything a report shows, language-specific text already chosen."""

    lang: Lang
    run_dir: Path
    card: Scorecard
    region: Region | None
    records: list[dict[str, Any]]
    overview: list[tuple[str, str]]
    sealed: tuple[bool | None, str]
    figures: list[tuple[str, str, bytes]] = field(default_factory=list)  # (id, caption, png)
    plan: list[PlanRow] = field(default_factory=list)
    baseline: Baseline | None = None

    def event_line(self, seq: int) -> str:
        """A one-line description of event ``seq`` for evidence lists."""
        if not 0 <= seq < len(self.records):
            return f"#{seq}"
        r = self.records[seq]
        ids = " ".join(str(r[k]) for k in ("incident", "unit", "post") if r.get(k))
        return f"#{seq} t={r['t']:.1f} {r['kind']} {ids}".rstrip()


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
    return True, ("承诺值校验通过:" if zh else "Commitment verified: ") + s.commitment


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


def _drill_date(card: Scorecard, scen: dict[str, Any], records: list[dict[str, Any]]) -> dt.date:
    start = scen.get("start") or next((r["data"].get("start") for r in records
                                       if r["kind"] == "drill_started"), None)
    try:
        return dt.datetime.fromisoformat(str(start)).date()
    except (TypeError, ValueError):
        return dt.date(2000, 1, 1)


def improvement_plan(card: Scorecard, lang: Lang, drill_date: dt.date) -> list[PlanRow]:
    """One plan row per area for improvement in the scorecard's findings."""
    zh = lang == "zh"
    ratings = {c.id: c.rating for c in card.capabilities}
    names = {c.id: (c.name_zh if zh else c.name_en) for c in card.capabilities}
    rows = []
    for f in card.findings.improvements:
        text = f.text_zh if zh else f.text_en
        cap = names.get(f.capability, f.capability)
        action = (f"查找原因，修订{cap}相关预案与工作流程，组织专项培训，并在下次盲演中复测"
                  if zh else f"Find the cause, revise the {cap} procedures, train the staff "
                  "concerned and re-test in the next blind drill")
        org = RESPONSIBLE.get(f.capability, ("县(区)应急管理局", "County emergency bureau"))
        due = drill_date + dt.timedelta(days=DUE_DAYS.get(ratings.get(f.capability) or "S", 60))
        rows.append(PlanRow(cap, text, action, org[0] if zh else org[1], due.isoformat(),
                            f.evidence))
    return rows


#: incidents per coordination-network figure (a whole drill's network is unreadable)
NETWORK_CHUNK = 3


def build_report(run_dir: str | Path, lang: str = "zh", baseline_dir: str | Path | None = None,
                 region: Region | None = None) -> ReportContent:
    """Score ``run_dir``, draw every chart and assemble the report's content.

    ``region`` saves re-reading ``inputs/region.yaml`` when the caller already has it."""
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
    zh = lg == "zh"
    run_json = inputs / "run.json"
    run_info = json.loads(run_json.read_text(encoding="utf-8")) if run_json.is_file() else {}
    sealed = _sealed_status(inputs, lg)
    ov = [
        ("演练名称" if zh else "Exercise", str(scen.get("title") or card.run.scenario or "—")),
        ("场景编号" if zh else "Scenario id", card.run.scenario or "—"),
        ("区域" if zh else "Region", region.name if region else str(run_info.get("region", "—"))),
        ("开始时间(故事时间)" if zh else "Start (story time)", str(scen.get("start") or "—")),
        ("模式" if zh else "Mode", card.run.mode or "—"),
        ("随机种子" if zh else "Seed", str(card.run.seed if card.run.seed is not None else "—")),
        ("事件数" if zh else "Incidents", str(card.run.incidents)),
        ("日志记录数" if zh else "Log events", str(card.run.events)),
        ("时长(分钟)" if zh else "Duration (min)", f"{card.run.duration_min:g}"),
        ("规则包" if zh else "Rule packs", ", ".join(card.run.packs)),
        ("评估结论(总分)" if zh else "Evaluation conclusion (score)",
         f"{(card.overall.level_zh if zh else card.overall.level_en) or '—'} "
         f"({'—' if card.overall.score is None else format(card.overall.score, '.1f')})"),
    ]
    content = ReportContent(lg, d, card, region, records, ov, sealed)
    view = view_log(records)
    figs: list[tuple[str, str, Any]] = [
        ("map", "区域示意图" if zh else "Schematic region map",
         regionmap.region_map_chart(view, region, lang=lg) if region else None),
        ("distributions", "响应时间分布" if zh else "Response-time distributions",
         distributions.distributions_chart(card, lang=lg)),
        ("compliance", "按乡镇/队伍类型达标率" if zh else "Compliance by township and unit kind",
         compliance.compliance_chart(card, region, lang=lg)),
        ("timeliness", "信息报送及时性" if zh else "Report timeliness",
         timeliness.timeliness_chart(view, region, lang=lg, card=card)),
    ]
    base_dir = Path(baseline_dir) if baseline_dir else (d / "baseline")
    if base_dir.is_dir() and (baseline_dir is not None or replication_dirs(base_dir)):
        reps = score_replications(base_dir, region=region, of=d)
        if reps:
            content.baseline = percentiles_against(card, reps)
            figs.append(("montecarlo", "与模拟基线比较" if zh else "Against the simulated baseline",
                         montecarlo.montecarlo_chart(card, reps, content.baseline, lang=lg)))
    elif baseline_dir is not None:
        raise UserError(f"{base_dir}: not a directory of run directories")
    ids = [t.incident for t in view.incidents]
    for k in range(0, len(ids), NETWORK_CHUNK):
        chunk = ids[k:k + NETWORK_CHUNK]
        figs.append((f"network-{k // NETWORK_CHUNK + 1}",
                     ("协同信息网络 " if zh else "Coordination network ") + f"{chunk[0]}–{chunk[-1]}",
                     network.network_chart(view, region, lang=lg, incidents=chunk)))
    for k in range(0, len(ids), 4):
        chunk = ids[k:k + 4]
        figs.append((f"timeline-{k // 4 + 1}",
                     ("事件处置时间线 " if zh else "Incident timeline ") + f"{chunk[0]}–{chunk[-1]}",
                     timeline.timeline_chart(view, region, lang=lg, incidents=chunk)))
    content.figures = [(i, cap, to_png(f)) for i, cap, f in figs if f is not None]
    content.plan = improvement_plan(card, lg, _drill_date(card, scen, records))
    return content


def township(content: ReportContent, tid: str) -> str:
    """A township's name for tables."""
    return place_name(content.region, tid)
