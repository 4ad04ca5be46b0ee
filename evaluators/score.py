"""Score a drill: log → clocks and metrics → rubric scores, ratings and findings → :class:`Scorecard`.

Public entry points: :func:`score_run` (a run directory), :func:`score_records` (plain records)
and :func:`score_table` (an already built :class:`LogTable`). With the shipped default rubric, items
whose clock is not in the loaded packs are left unscored (and noted); a rubric passed explicitly
must match the packs (:class:`InputError` otherwise). Inputs besides the log are declared: the region (unit kinds, positions, depots, command posts), the report templates,
the rule packs and the rubric. Metrics that need a missing input are reported as unavailable.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from engine.checkahead import checked_records
from engine.eventlog import final_hash_of
from engine.gcpause import keep_until_exit, paused_gc
from engine.logcheck import recorded_final_hash, run_identity
from evaluators.clocks import (
    BREACHED,
    OPEN,
    STATUS_NAMES,
    ClockResult,
    breakdown_codes,
    compute_clock,
    summarise_result,
)
from evaluators.corrections import apply_corrections
from evaluators.findings import extract
from evaluators.metrics import BUILTIN_KINDS, BUILTIN_METRICS, METRICS, Context, Outcome
from evaluators.metrics.dispatch import busy_intervals
from evaluators.rubric import Rubric, load_rubric
from evaluators.rules import RulePack, load_packs
from evaluators.scorecard import (
    CapabilityScore,
    ClockSummary,
    IncidentCard,
    ItemScore,
    LevelDef,
    MetricSummary,
    Overall,
    RatingDef,
    RunInfo,
    Scorecard,
    Stats,
    UnitCard,
    construct_all,
)
from evaluators.table import IntArray, LogTable, label_codes
from scenarios.fingerprint import check_same_scenario
from scenarios.loading import InputError
from scenarios.region import Region, load_region
from scenarios.templates import TemplateSet, load_templates

RulesArg = Sequence[RulePack] | Sequence[str] | Sequence[Path] | None
RubricArg = Rubric | str | Path | None


def run_region(run_dir: str | Path) -> Region | None:
    """The region a run was played in (``RUN_DIR/inputs/region.yaml``), if it was recorded."""
    region_file = Path(run_dir) / "inputs" / "region.yaml"
    return load_region(region_file) if region_file.is_file() else None


def score_run(
    run_dir: str | Path, rules: RulesArg = None, rubric: RubricArg = None,
    templates: TemplateSet | None = None, region: Region | None = None,
    as_of: float | None = None,
) -> Scorecard:
    """Score ``RUN_DIR/events.jsonl``; the region is ``region`` if given, else the run's own
    ``RUN_DIR/inputs/region.yaml`` when present. ``as_of``: see :func:`score_records`. The log
    is checked (:func:`engine.checkahead.checked_records`): a bad line or value, a gap or an
    out-of-order event is an :class:`InputError` naming ``file:line``, never a silently
    re-sorted score. When ``RUN_DIR/inputs/run.json`` records the log's final hash (a
    simulated or exported live run), a log that does not end there - its last record
    edited, or its end cut off - is an :class:`InputError` too."""
    d = Path(run_dir)
    log = d / "events.jsonl"
    if not log.is_file():
        raise InputError(str(d), ["no events.jsonl here (is this a run directory?)"])
    final = recorded_final_hash(d)  # before any work: a bad run.json is said first
    if region is None:
        region = run_region(d)
    # a large log is checked on a second core while it is scored (engine.checkahead); the
    # scorecard is returned only if the check passes
    with checked_records(log, region=region, expect_final=final) as records:
        card = score_records(records, region=region, templates=templates, rules=rules,
                             rubric=rubric, source=str(log), as_of=as_of)
    keep_until_exit(records)  # a one-shot command's process need not free them (engine.gcpause)
    return card


def replication_dirs(root: str | Path) -> list[Path]:
    """Run directories (holding ``events.jsonl``) directly inside ``root``, sorted by name."""
    r = Path(root)
    if not r.is_dir():
        raise InputError(str(r), ["not a directory of run directories"])
    return sorted(p for p in r.iterdir() if (p / "events.jsonl").is_file())


def score_replications(
    root: str | Path, *, rules: RulesArg = None, rubric: RubricArg = None,
    region: Region | None = None, of: str | Path | None = None,
) -> list[Scorecard]:
    """Score every replication run inside ``root`` (a baseline of simulated runs).

    Replications of one scenario share its region: pass the drill's ``region`` so it is not
    re-read from each replication (replications may then omit ``inputs/``). With ``of`` (the
    drill's run directory) a replication of another scenario or region is refused.
    """
    dirs = replication_dirs(root)
    if not dirs:
        raise InputError(str(root), ["no run directories (with events.jsonl) inside"])
    if of is not None:
        drill = run_identity(of)
        for d in dirs:
            check_same_scenario(drill, run_identity(d), str(of), str(d))
    packs = _packs(rules)
    rub = rubric if isinstance(rubric, Rubric) or rubric is None else load_rubric(rubric)
    return [score_run(d, rules=packs, rubric=rub, region=region) for d in dirs]


def score_records(
    records: list[dict[str, Any]], *, region: Region | None = None,
    templates: TemplateSet | None = None, rules: RulesArg = None, rubric: RubricArg = None,
    source: str = "<log>", as_of: float | None = None,
) -> Scorecard:
    """Score plain event records (as written by ``engine.eventlog``).

    ``as_of`` is the censoring time, in drill minutes: "now" for a live drill in progress.
    Records after it are ignored; a clock or wait still running then is *breached* if its
    limit passed before ``as_of`` and *open* (not assessable, excluded) otherwise. None: the
    drill's end (``drill_ended``, else the last event).
    """
    packs = _packs(rules)
    kinds = needed_kinds(packs)
    with paused_gc():  # scoring allocates no cycles; a rescan per collection ~2x slower
        tab = LogTable.from_records(records, source, kinds=kinds, as_of=as_of)
        # corrections are read only from a log that has one (up to as_of: the table's rows),
        # so a log without any costs no extra pass over its records
        if len(tab.of_kind("record_corrected")):
            corrected = apply_corrections(records, as_of)
            if corrected is not records:
                tab = LogTable.from_records(corrected, source, kinds=kinds, as_of=as_of)
        return score_table(tab, region=region, templates=templates, rules=packs,
                           rubric=rubric)


def needed_kinds(packs: Sequence[RulePack]) -> frozenset[str] | None:
    """Kinds whose incident/unit ids the metrics and these packs read (None: all kinds)."""
    kinds = set(BUILTIN_KINDS)
    for m in METRICS:
        if m not in BUILTIN_METRICS:
            extra = getattr(m, "kinds", None)
            if extra is None:
                return None  # a plug-in metric that does not say what it reads
            kinds |= set(extra)
    for p in packs:
        for c in p.clocks:
            kinds |= {c.start.kind, c.end.kind}
    return frozenset(kinds)


def _packs(rules: RulesArg) -> list[RulePack]:
    if rules and all(isinstance(r, RulePack) for r in rules):
        return [r for r in rules if isinstance(r, RulePack)]
    return load_packs([str(r) for r in rules]) if rules else list(_default_packs())


# The shipped packs, rubric and templates are read once per process: they are package data
# and their models are frozen, so sharing one instance cannot leak state between scorings
# (a baseline of 20 replications re-read and re-validated them 20 times: ~0.25 s a report).
@cache
def _default_packs() -> tuple[RulePack, ...]:
    return tuple(load_packs(None))


@cache
def _default_rubric() -> Rubric:
    return load_rubric(None)


@cache
def _default_templates() -> TemplateSet:
    return load_templates()


def _stats(d: dict[str, Any]) -> Stats:
    return construct_all(Stats, d)  # summarise gives every field, in order


def score_table(
    tab: LogTable, *, region: Region | None = None, templates: TemplateSet | None = None,
    rules: RulesArg = None, rubric: RubricArg = None, as_of: float | None = None,
) -> Scorecard:
    """Score a built table (see module docstring); ``as_of`` as in :func:`score_records`
    (default: the table's own ``as_of``)."""
    if as_of is not None:
        tab = tab.cut(as_of)
    packs = _packs(rules)
    rub = rubric if isinstance(rubric, Rubric) else \
        _default_rubric() if rubric is None else load_rubric(rubric)
    rub_source = str(rubric) if isinstance(rubric, str | Path) else f"rubric '{rub.id}'"
    loaded = {c.id for p in packs for c in p.clocks}
    if rubric is not None:  # a rubric the user chose must match the packs they chose
        rub.check_clocks(loaded, rub_source)
    tmpl = templates if templates is not None else _default_templates()
    ctx = Context(tab, region, tmpl, wait_limits=dict(rub.wait_limits))
    unit_kind = ctx.unit_kind
    for pack in packs:
        for rule in pack.clocks:
            ctx.clocks[rule.id] = compute_clock(tab, rule, pack.id, unit_kind)
    outcomes: dict[str, Outcome] = {m.id: m.compute(ctx) for m in METRICS}
    card = Scorecard(run=_run_info(tab, region, packs, rub))
    card.clocks = {cid: _clock_summary(tab, res, unit_kind) for cid, res in ctx.clocks.items()}
    card.metrics = {
        m.id: MetricSummary(
            name_zh=m.name_zh, name_en=m.name_en, unit=m.unit,
            higher_is_better=m.higher_is_better, available=o.available, reason=o.reason,
            value=o.value, n=o.n, n_open=len(o.open), n_unstopped=len(o.unstopped),
            n_excluded=len(o.excluded), limit_min=o.limit_min, open=o.open,
            unstopped=o.unstopped, excluded=o.excluded, by_group=o.by_group,
            evidence=o.evidence)
        for m in METRICS for o in [outcomes[m.id]]
    }
    card.incidents = _incident_cards(tab, ctx.clocks, outcomes)
    card.units = _unit_cards(tab, ctx.clocks, outcomes, unit_kind)
    card.ratings = {k: RatingDef(min_score=v.min_score, name_zh=v.name_zh, name_en=v.name_en)
                    for k, v in rub.ratings.items()}
    card.levels = {k: LevelDef(min_score=v.min_score, name_zh=v.name_zh, name_en=v.name_en)
                   for k, v in rub.levels.items()}
    card.rating_scheme = rub.scheme_en
    names = {f"clock.{k}": (c.name_zh, c.name_en) for k, c in card.clocks.items()}
    names |= {k: (m.name_zh, m.name_en) for k, m in card.metrics.items()}
    card.capabilities, card.overall = _rate(rub, card.values(), _performed(ctx, outcomes), names)
    card.findings = extract(tab, rub, card.capabilities, ctx.clocks, outcomes, card.metrics,
                            tmpl.field_names)
    card.notes = [f"{c.rule.id}: {c.reason}" for c in ctx.clocks.values() if not c.available]
    card.notes += [f"{k}: {o.reason}" for k, o in outcomes.items() if not o.available]
    card.notes += sorted({f"{i.metric}: clock not in the loaded rule packs (item not scored)"
                          for cap in rub.capabilities for i in cap.items
                          if i.metric.startswith("clock.") and i.metric.split(".")[1] not in loaded})
    return card


def _run_info(tab: LogTable, region: Region | None, packs: list[RulePack], rub: Rubric) -> RunInfo:
    started = tab.of_kind("drill_started")
    d = tab.records[started[0]].get("data", {}) if len(started) else {}
    seed = d.get("seed")
    return RunInfo(
        scenario=str(d.get("scenario", "")), mode=str(d.get("mode", "")),
        seed=seed if isinstance(seed, int) else None, events=len(tab),
        sources=tab.sources,
        duration_min=round(tab.censor_time, 6), incidents=int(tab.incidents.known.sum()),
        region=region is not None, packs=[p.id for p in packs], rubric=rub.id,
        as_of=tab.as_of, censor_time=round(tab.censor_time, 6),
        log_hash=final_hash_of(tab.records[-1:]),
    )


def _clock_summary(tab: LogTable, res: ClockResult, unit_kind: list[str] | None) -> ClockSummary:
    incs = tab.incidents
    s = summarise_result(res)
    out = ClockSummary(pack=res.pack, name_zh=res.rule.name_zh, name_en=res.rule.name_en,
                       scope=res.rule.scope, limit_min=res.rule.limit_min,
                       available=res.available, reason=res.reason,
                       censor_time=round(res.censor_time, 6), **s)

    def by(codes: IntArray, vocab: list[str]) -> dict[str, Stats]:
        return {k: _stats(v) for k, v in breakdown_codes(codes, vocab, res).items()}

    for attr in ("worst_grade", "category", "township"):
        per_incident, vocab = incs.coded(attr)
        setattr(out, "by_grade" if attr == "worst_grade" else f"by_{attr}",
                by(per_incident[res.incident], vocab))
    if res.rule.scope == "unit":
        out.by_unit = by(res.unit, tab.unit_ids)
        if unit_kind is not None:
            per_unit, vocab = label_codes(unit_kind)
            out.by_unit_kind = by(per_unit[res.unit], vocab)
    return out


def _incident_cards(
    tab: LogTable, clocks: dict[str, ClockResult], outcomes: dict[str, Outcome]
) -> dict[str, IncidentCard]:
    incs = tab.incidents
    ids = tab.incident_ids
    docs: dict[str, dict[str, Any]] = {
        ids[c]: {"category": incs.category[c], "grade": incs.grade[c],
                 "worst_grade": incs.worst_grade[c], "township": incs.township[c],
                 "template": incs.template[c], "clocks": {}, "metrics": {}}
        for c in range(len(ids))
    }
    clock_maps = [docs[i]["clocks"] for i in ids]
    for cid, res in clocks.items():
        if res.n == 0:
            continue
        # per incident, the worst instance last: breached > open > met, then the longest
        rank = np.where(res.status == BREACHED, 2, np.where(res.status == OPEN, 1, 0))
        order = np.lexsort((res.elapsed, rank, res.incident))
        inc = res.incident[order]
        pick = order[np.r_[np.flatnonzero(inc[1:] != inc[:-1]), len(inc) - 1]]
        n = np.bincount(res.incident, minlength=len(ids))
        nmet = np.bincount(res.incident, weights=res.met, minlength=len(ids)).astype(np.int64)
        nopen = np.bincount(res.incident, weights=res.status == OPEN,
                            minlength=len(ids)).astype(np.int64)
        c_l = res.incident[pick].tolist()
        deadline = np.round(res.deadline(), 6)
        rows = zip(c_l, n[c_l].tolist(), nmet[c_l].tolist(), nopen[c_l].tolist(),
                   res.status[pick].tolist(), res.value[pick].tolist(),
                   res.elapsed[pick].tolist(), deadline[pick].tolist(),
                   tab.seq_array(res.start_row[pick]).tolist(),
                   tab.seq_array(res.end_row[pick]).tolist(), strict=True)
        for c, nn, nm, no, st, v, el, dl, s0, s1 in rows:
            clock_maps[c][cid] = {
                "n": nn, "n_met": nm, "n_open": no, "status": STATUS_NAMES[st],
                "value": None if s1 < 0 else v, "elapsed": el, "deadline": dl,
                "met": nm == nn, "censored": s1 < 0,
                "evidence": [s0, s1] if s1 >= 0 else [s0]}
    for mid, o in outcomes.items():
        for iid, v in o.per_incident.items():
            if iid in docs:
                docs[iid]["metrics"][mid] = v
    # built from typed values above: construct without re-validating (~1 µs per clock saved)
    return {iid: construct_all(IncidentCard, d) for iid, d in docs.items()}


def _unit_cards(
    tab: LogTable, clocks: dict[str, ClockResult], outcomes: dict[str, Outcome],
    unit_kind: list[str] | None,
) -> dict[str, UnitCard]:
    nu = len(tab.unit_ids)
    disp = np.bincount(tab.unit[tab.of_kind("unit_dispatched")] + 1, minlength=nu + 1)[1:]
    arr = np.bincount(tab.unit[tab.of_kind("unit_arrived")] + 1, minlength=nu + 1)[1:]
    unit, start, end, _ = busy_intervals(tab)
    busy = np.bincount(unit, weights=end - start, minlength=nu) if len(unit) else np.zeros(nu)
    cards = {
        u: UnitCard(kind=unit_kind[i] if unit_kind else "", dispatches=int(disp[i]),
                    arrivals=int(arr[i]), busy_min=round(float(busy[i]), 6))
        for i, u in enumerate(tab.unit_ids)
    }
    for cid, res in clocks.items():
        if res.rule.scope != "unit" or res.n == 0:
            continue
        for label, st in breakdown_codes(res.unit, tab.unit_ids, res).items():
            cards[label].clocks[cid] = _stats(st)
    for mid, o in outcomes.items():
        for uid, v in o.per_unit.items():
            if uid in cards:
                cards[uid].metrics[mid] = v
    return cards


def _performed(ctx: Context, outcomes: dict[str, Outcome]) -> dict[str, tuple[int, int]]:
    """Per critical-task key (``clock.<id>`` or a metric id): (instances performed at all,
    instances assessable). Open instances are left out; a breached clock instance that never
    stopped, or a wait counted at its limit, was not performed."""
    out: dict[str, tuple[int, int]] = {}
    for cid, res in ctx.clocks.items():
        ok = res.assessable
        out[f"clock.{cid}"] = (int((ok & ~res.censored).sum()), int(ok.sum()))
    for mid, o in outcomes.items():
        if o.available:
            out[mid] = (o.n - len(o.unstopped), o.n)
    return out


def _rate(rub: Rubric, values: dict[str, float], performed: dict[str, tuple[int, int]],
          names: dict[str, tuple[str, str]]) -> tuple[list[CapabilityScore], Overall]:
    caps: list[CapabilityScore] = []
    tot_w = tot = 0.0
    for cap in rub.capabilities:
        items, w_sum, s_sum = [], 0.0, 0.0
        for item in cap.items:
            v = values.get(item.metric)
            sc = item.score(v) if v is not None else None
            items.append(ItemScore(metric=item.metric, weight=item.weight, value=v, score=sc))
            if sc is not None:
                w_sum += item.weight
                s_sum += item.weight * sc
        score = round(s_sum / w_sum, 6) if w_sum else None
        # each critical task on its own: the least performed one decides
        shares = [(performed[k][0] / performed[k][1], k, *performed[k])
                  for k in cap.critical if performed.get(k, (0, 0))[1]]
        low = min(shares) if shares else None
        share = round(low[0], 6) if low else None
        rating = rub.rating_for(score, share) if score is not None else None
        zh = en = ""
        if rating == "U" and low is not None:
            _, key, done, asked = low
            zh = f"关键任务“{names.get(key, (key, key))[0]}”仅完成{done}次(应完成{asked}次)"
            en = f"critical task '{names.get(key, (key, key))[1]}' performed in {done} of {asked} due cases"
        caps.append(CapabilityScore(
            id=cap.id, name_zh=cap.name_zh, name_en=cap.name_en, weight=cap.weight, items=items,
            score=score, rating=rating, critical=list(cap.critical), performed=share,
            reason_zh=zh, reason_en=en))
        if score is not None:
            tot_w += cap.weight
            tot += cap.weight * score
    overall = round(tot / tot_w, 6) if tot_w else None
    lv = rub.level_for(overall) if overall is not None else None
    return caps, Overall(score=overall, level=lv,
                         level_zh=rub.levels[lv].name_zh if lv else None,
                         level_en=rub.levels[lv].name_en if lv else None,
                         scheme=rub.scheme_en)
