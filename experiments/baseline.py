"""A drill's simulated baseline: replications of its scenario written as run directories.

``RUN/baseline/rep-001/events.jsonl`` … (layout: :mod:`engine.rundir`), simulated on an
executor in chunks; the files written do not depend on the executor or the worker count.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
from pydantic import ValidationError

from engine.eventlog import write_jsonl
from engine.logcheck import run_identity
from engine.rundir import EVENTS, replication_dir
from evaluators import Scorecard, percentiles_against, replication_dirs, score_replications
from evaluators.baseline import Baseline
from experiments import seeds
from scenarios.fingerprint import check_same_scenario, region_digest, tree_digest

if TYPE_CHECKING:  # the simulator is imported where it runs: a report only reads the cache
    from collections.abc import Sequence

    from engine.params import BehaviourParams
    from evaluators.rubric import Rubric
    from evaluators.rules import RulePack
    from experiments.executors import Executor
    from scenarios.region import Region
    from scenarios.schema import Scenario


def replication_seed(seed: int, k: int) -> int:
    """Seed of the ``k``-th (1-based: ``rep-001`` …) baseline replication of a drill simulated
    with ``seed``: replication ``k - 1`` of :func:`experiments.seeds.replication_seed`, so
    ``demo``'s baseline, the console's simulation lab and ``blinddrill batch --seed`` play the
    same replications."""
    return seeds.replication_seed(seed, k - 1)


def _write_reps(shared: tuple[Region, Scenario, BehaviourParams | None, Path, int],
                ks: list[int]) -> int:
    from engine.simulation import simulate

    region, scenario, params, root, seed = shared
    for k in ks:
        log = simulate(region, scenario, seed=replication_seed(seed, k), params=params)
        write_jsonl(log.records, replication_dir(root, k) / EVENTS)
    return len(ks)


def write_baseline(root: Path, region: Region, scenario: Scenario, seed: int,
                   replications: int, params: BehaviourParams | None = None,
                   executor: Executor | None = None, chunk: int = 4) -> list[Path]:
    """Simulate ``replications`` runs of ``scenario`` (seeds from ``seed``) into ``root``;
    return their run directories in order."""
    ks = list(range(1, replications + 1))
    chunks = [ks[i:i + chunk] for i in range(0, len(ks), chunk)]
    if executor is None:
        from experiments.executors import SerialExecutor

        executor = SerialExecutor()
    ex = executor
    if chunks:
        for _ in ex.run(_write_reps, (region, scenario, params, root, seed), chunks):
            pass
    return [replication_dir(root, k) for k in ks]


#: The baseline's scored replications, cached beside them (``RUN/baseline/scorecards.json``).
SCORECARDS = "scorecards.json"
_CACHE_SCHEMA = "blinddrill.baseline-scorecards/1"


def _scorer_fingerprint() -> str:
    """A digest of everything scoring depends on besides the logs and the region: the source
    and data files of the scorer and of the layers it reads with (evaluators, engine,
    scenarios). Any edit there makes every cached scorecard stale."""
    import engine
    import evaluators
    import scenarios

    return tree_digest(*(Path(next(iter(pkg.__path__))) for pkg in (engine, evaluators,
                                                                     scenarios)))


def _cache_key(dirs: list[Path], region: Region | None) -> dict[str, Any]:
    logs = {d.name: hashlib.sha256((d / EVENTS).read_bytes()).hexdigest() for d in dirs}
    reg = region_digest(region) if region is not None else None
    return {"schema": _CACHE_SCHEMA, "scorer": _scorer_fingerprint(), "region": reg,
            "logs": logs}


def baseline_scorecards(root: Path, *, region: Region | None = None,
                        of: Path | None = None) -> list[Scorecard]:
    """The scorecards of the replications in ``root``, as
    :func:`evaluators.score_replications` gives them (same arguments, same checks).

    They are read from ``root/scorecards.json`` when that cache was written for exactly these
    logs (sha256 of every replication's ``events.jsonl``), this region and this scorer (a
    digest of the evaluators', engine's and scenarios' files); otherwise every replication is
    scored again and the cache rewritten (best effort: a read-only baseline is just scored).
    Never stale numbers: anything that differs from what the cache was written for misses."""
    return _cached(root, region, of, None)[0]


def against_baseline(card: Scorecard, root: Path, *, region: Region | None = None,
                     of: Path | None = None, rules: Sequence[RulePack] | None = None,
                     rubric: Rubric | None = None) -> tuple[list[Scorecard], Baseline]:
    """:func:`baseline_scorecards` and the drill's :func:`evaluators.percentiles_against`
    them; the latter cached too (in the same file) for this very scorecard (its sha256).

    The cache holds scorecards made with the shipped packs and rubric: with ``rules`` or
    ``rubric`` of the caller's choosing the replications are scored with those, every time."""
    if rules is not None or rubric is not None:
        cards = score_replications(root, rules=rules, rubric=rubric, region=region, of=of)
        return cards, percentiles_against(card, cards)
    cards, base = _cached(root, region, of, card)
    assert base is not None
    return cards, base


def _cached(root: Path, region: Region | None, of: Path | None,
            card: Scorecard | None) -> tuple[list[Scorecard], Baseline | None]:
    dirs = replication_dirs(root)
    if not dirs:  # score_replications' own error for an empty root
        return score_replications(root, region=region, of=of), None
    key = _cache_key(dirs, region)
    mine = hashlib.sha256(card.model_dump_json().encode()).hexdigest() if card else None
    cache = root / SCORECARDS
    data: dict[str, Any] = {}
    try:
        data = orjson.loads(cache.read_bytes())
        if isinstance(data, dict) and data.get("key") == key:
            if of is not None:  # the same refusal as score_replications
                drill = run_identity(of)
                for d in dirs:
                    check_same_scenario(drill, run_identity(d), str(of), str(d))
            cards = [Scorecard.model_validate(c) for c in data["cards"]]
            if card is None:
                return cards, None
            against = data.get("against")
            if isinstance(against, dict) and against.get("card") == mine:
                return cards, Baseline.model_validate(against["baseline"])
            base = percentiles_against(card, cards)
            _store(cache, key, data["cards"], mine, base)
            return cards, base
    except (OSError, orjson.JSONDecodeError, KeyError, TypeError, ValidationError):
        pass
    cards = score_replications(root, region=region, of=of)
    fresh = percentiles_against(card, cards) if card is not None else None
    _store(cache, key, [c.model_dump(mode="json", by_alias=True) for c in cards], mine, fresh)
    return cards, fresh


def _store(cache: Path, key: dict[str, Any], cards: list[Any], mine: str | None,
           base: Baseline | None) -> None:
    out: dict[str, Any] = {"key": key, "cards": cards}
    if base is not None:
        out["against"] = {"card": mine, "baseline": base.model_dump(mode="json")}
    # a name of this writer's own (the console may build two reports at once), then an
    # atomic rename: a reader sees the old file or the new one, never half of one
    tmp = cache.with_name(f"{cache.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    try:
        tmp.write_bytes(orjson.dumps(out))
        tmp.replace(cache)
    except OSError:  # a read-only baseline: scored every time, as before the cache
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
