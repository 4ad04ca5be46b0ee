"""Evaluators: score a drill from its event log alone (rule packs, metrics, rubric, scorecard).

Entry points: :func:`score_run` (a run directory), :func:`score_records` (plain records),
:func:`score_replications` (a directory of simulated replications) and
:func:`percentiles_against` (a drill against those replications). See ``docs/scoring.md``.
"""

from __future__ import annotations

from evaluators.baseline import percentiles_against
from evaluators.score import (
    replication_dirs,
    run_region,
    score_records,
    score_replications,
    score_run,
    score_table,
)
from evaluators.scorecard import Scorecard

__all__ = [
    "Scorecard",
    "percentiles_against",
    "replication_dirs",
    "run_region",
    "score_records",
    "score_replications",
    "score_run",
    "score_table",
]
