"""Evaluators: score a drill from its event log alone (rule packs, metrics, rubric, scorecard).

Entry points: :func:`score_run` (a run directory), :func:`score_records` (plain records),
:func:`percentiles_against` (a drill against simulated replications). See ``docs/scoring.md``.
"""

from __future__ import annotations

from evaluators.baseline import percentiles_against
from evaluators.score import score_records, score_run, score_table
from evaluators.scorecard import Scorecard

__all__ = ["Scorecard", "percentiles_against", "score_records", "score_run", "score_table"]
