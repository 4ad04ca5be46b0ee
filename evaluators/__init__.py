"""Evaluators: score a drill from its event log alone (rule packs, metrics, rubric, scorecard)."""
