"""Monte Carlo batches: N replications of a scenario, scored, aggregated as they arrive.

Replication ``i`` is simulated with the seed of ``SeedSequence(seed).spawn(N)[i]`` (computed
lazily as ``SeedSequence(seed, spawn_key=(i,))``, the same child), scored by the evaluators'
own code, and reduced to a :class:`~experiments.aggregate.RepSummary`. Work goes to an
:mod:`executor <experiments.executors>` in chunks of about ``chunk_seconds`` of work (timed on
the first replication, which runs here); every worker receives the inputs once. Summaries are
folded in replication order and written to Parquet a row group at a time, so memory stays flat
in N and the numbers are identical for any executor or worker count.

One batch may play several **alternatives** (what-if: another region, other parameters,
another dispatch policy) on the same seeds — common random numbers; alternative 0 is the
reference. ``KeyboardInterrupt`` stops the workers; the finished replications are kept.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.eventlog import write_jsonl
from engine.params import BehaviourParams
from engine.rundir import EVENTS, replication_dir
from engine.simulation import simulate
from evaluators import score_records
from evaluators.metrics import METRICS
from evaluators.rubric import Rubric, load_rubric
from evaluators.rules import RulePack, load_packs
from experiments.aggregate import BATCH_SCHEMA, Aggregate, Difference, RepSummary, summarise_card
from experiments.executors import Executor, SerialExecutor
from experiments.parquet import SummarySink
from experiments.seeds import replication_seed
from scenarios.loading import InputError
from scenarios.region import Region
from scenarios.schema import Scenario
from scenarios.templates import TemplateSet, load_templates

#: progress(done, total): called after each folded replication
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Alternative:
    """One configuration to play: a region and behaviour parameters (whose
    ``dispatch.policy`` names the dispatch policy plug-in, see :mod:`engine.dispatch`)."""

    name: str
    region: Region
    params: BehaviourParams | None = None


#: a scenario per replication seed (e.g. drawn from a drill plan, or a queueing test's
#: Poisson arrivals); a module-level callable so it pickles by reference
ScenarioSource = Callable[[int], Scenario]


@dataclass(frozen=True)
class BatchSpec:
    """The read-only inputs every worker receives once. ``scenario`` is one fixed scenario
    (replications differ only in the engine's draws) or a :data:`ScenarioSource`."""

    scenario: Scenario | ScenarioSource
    alternatives: tuple[Alternative, ...]
    packs: tuple[RulePack, ...]
    rubric: Rubric | None = None
    templates: TemplateSet | None = None
    #: also write the first alternative's log of replication ``i`` to
    #: ``keep_logs/rep-{i+1:03d}/events.jsonl`` (a baseline directory; None: keep no logs)
    keep_logs: Path | None = None


class Chunks(Sequence[list[tuple[int, int]]]):
    """Replications ``first … n-1`` in chunks of ``size`` (replication, seed) pairs, computed
    on access: the parent's memory does not grow with N."""

    def __init__(self, first: int, n: int, size: int, seed: int) -> None:
        self.first, self.n, self.size, self.seed = first, n, size, seed

    def __len__(self) -> int:
        return max(0, -(-(self.n - self.first) // self.size))

    def __getitem__(self, k: Any) -> Any:
        if isinstance(k, slice):
            return [self[i] for i in range(*k.indices(len(self)))]
        if not 0 <= k < len(self):
            raise IndexError(k)
        lo = self.first + k * self.size
        return [(i, replication_seed(self.seed, i)) for i in range(lo, min(lo + self.size, self.n))]


def play(spec: BatchSpec, rep: int, seed: int) -> list[RepSummary]:
    """Simulate and score replication ``rep`` under every alternative (same seed)."""
    out = []
    scenario = spec.scenario if isinstance(spec.scenario, Scenario) else spec.scenario(seed)
    for k, alt in enumerate(spec.alternatives):
        log = simulate(alt.region, scenario, seed=seed, params=alt.params)
        if k == 0 and spec.keep_logs is not None:
            write_jsonl(log.records, replication_dir(spec.keep_logs, rep + 1) / EVENTS)
        card = score_records(log.records, region=alt.region, templates=spec.templates,
                             rules=list(spec.packs), rubric=spec.rubric)
        out.append(summarise_card(card, rep, seed, k))
    return out


def run_chunk(spec: BatchSpec, reps: list[tuple[int, int]]) -> list[list[RepSummary]]:
    """Executor task: play a chunk of (replication, seed) pairs."""
    return [play(spec, r, s) for r, s in reps]


@dataclass
class BatchResult:
    """What a batch produced (also written as ``summary.json``)."""

    requested: int
    done: int
    interrupted: bool
    seconds: float
    executor: str
    chunk: int
    aggregates: list[Aggregate]
    differences: list[Difference]
    names: list[str]
    limits: dict[str, float] = field(default_factory=dict)
    clock_names: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: readable names of the capability and metric value keys (see :func:`value_names`)
    value_names: dict[str, dict[str, Any]] = field(default_factory=dict)

    def document(self, seed: int) -> dict[str, Any]:
        """The JSON summary: per alternative the aggregate, and differences vs the first."""
        alts = []
        for k, (name, agg) in enumerate(zip(self.names, self.aggregates, strict=True)):
            doc = {"name": name, **agg.result(self.limits, self.clock_names)}
            if k > 0:
                doc["difference"] = self.differences[k - 1].result()
            alts.append(doc)
        return {"schema": BATCH_SCHEMA, "seed": seed, "requested": self.requested,
                "replications": self.done, "interrupted": self.interrupted,
                "seconds": round(self.seconds, 3), "executor": self.executor,
                "chunk": self.chunk, "value_names": self.value_names, "alternatives": alts}


def value_names(rubric: Rubric | None) -> dict[str, dict[str, Any]]:
    """Names of the value keys that are not clocks, for readers of a batch summary:
    ``capability.<id>.score`` (from the rubric scoring used: ``rubric``, else the shipped one)
    and ``metric.<id>`` (from the metric registry), each ``{"zh", "en", "unit"}`` (unit
    ``score``, ``min``, ``ratio`` or ``count``) and ``higher_is_better``."""
    rub = rubric if rubric is not None else load_rubric()
    out: dict[str, dict[str, Any]] = {
        f"capability.{c.id}.score": {"zh": c.name_zh, "en": c.name_en, "unit": "score",
                                     "higher_is_better": True}
        for c in rub.capabilities}
    for m in METRICS:
        out[f"metric.{m.id}"] = {"zh": m.name_zh, "en": m.name_en, "unit": m.unit,
                                 "higher_is_better": m.higher_is_better}
    return out


def make_spec(scenario: Scenario | ScenarioSource, alternatives: Sequence[Alternative],
              packs: Sequence[RulePack] | None = None, rubric: Rubric | None = None,
              keep_logs: Path | None = None) -> BatchSpec:
    """A spec with the default rule packs, rubric and report templates loaded once (not per
    replication). The default rubric is passed on only if it fits the packs; otherwise scoring
    leaves its unmatched items unscored, as ``blinddrill score`` does."""
    loaded = tuple(packs or load_packs(None))
    if rubric is None:
        default = load_rubric()
        try:
            default.check_clocks({c.id for p in loaded for c in p.clocks}, "default rubric")
            rubric = default
        except InputError:
            rubric = None
    return BatchSpec(scenario, tuple(alternatives), loaded, rubric, load_templates(), keep_logs)


def run_batch(spec: BatchSpec, n: int, seed: int, *, executor: Executor | None = None,
              out: Path | None = None, progress: Progress | None = None,
              chunk_seconds: float = 1.0, chunk: int | None = None) -> BatchResult:
    """Run ``n`` replications; write ``out/replications.parquet`` and ``out/townships.parquet``
    if ``out`` is given. Ctrl-C (``KeyboardInterrupt``) ends the batch early with the finished
    replications folded (``interrupted`` set)."""
    ex = executor or SerialExecutor()
    t0 = time.perf_counter()
    n_alt = len(spec.alternatives)
    aggs = [Aggregate() for _ in range(n_alt)]
    diffs = [Difference() for _ in range(n_alt - 1)]
    sink = SummarySink(out, [a.name for a in spec.alternatives]) if out is not None else None
    done = 0
    buffer: dict[int, list[RepSummary]] = {}
    nxt = 0  # next replication to fold

    def fold(row: list[RepSummary]) -> None:
        nonlocal done
        for k, s in enumerate(row):
            aggs[k].add(s)
            if k:
                diffs[k - 1].add(row[0], s)
        if sink is not None:
            sink.add(row)
        done += 1

    def fold_ready() -> None:
        nonlocal nxt
        while nxt in buffer:
            fold(buffer.pop(nxt))
            nxt += 1
            if progress is not None:
                progress(done, n)

    interrupted = False
    size = chunk or 1
    try:
        if n > 0:
            t = time.perf_counter()
            buffer[0] = play(spec, 0, replication_seed(seed, 0))
            per_rep = time.perf_counter() - t
            fold_ready()
            if chunk is None:  # ~chunk_seconds of work, but at least 4 chunks per worker
                size = max(1, min(round(chunk_seconds / max(per_rep, 1e-6)),
                                  math.ceil((n - 1) / (4 * max(1, ex.workers)))))
            results = ex.run(run_chunk, spec, Chunks(1, n, size, seed))
            try:
                for _, rows in results:
                    for row in rows:
                        buffer[row[0].rep] = row
                    fold_ready()
            finally:
                close = getattr(results, "close", None)
                if close is not None:
                    close()  # stops the workers (also on KeyboardInterrupt)
    except KeyboardInterrupt:
        interrupted = True
        # keep every finished replication: the contiguous ones are folded; fold the rest in
        # replication order too
        for r in sorted(buffer):
            fold(buffer.pop(r))
    finally:
        if sink is not None:
            sink.close()
    limits = {c.id: float(c.limit_min) for p in spec.packs for c in p.clocks}
    names = {c.id: (c.name_zh, c.name_en) for p in spec.packs for c in p.clocks}
    return BatchResult(n, done, interrupted, time.perf_counter() - t0, ex.describe(), size,
                       aggs, diffs, [a.name for a in spec.alternatives], limits, names,
                       value_names(spec.rubric))
