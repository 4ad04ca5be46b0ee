"""Metrics computed from the event log. To add one: write a module with a function decorated by
:func:`evaluators.metrics.base.metric` and add it to :data:`METRICS` below (one line)."""

from __future__ import annotations

from evaluators.metrics import coordination, dispatch, reporting, resources, workload
from evaluators.metrics.base import Context, Metric, Outcome, metric, unavailable

#: Every registered metric, in report order.
METRICS: list[Metric] = [
    reporting.first_delay,
    reporting.followup_cadence,
    reporting.accuracy,
    reporting.first_completeness,
    reporting.final_completeness,
    coordination.arrival_spread,
    dispatch.dispatch_gap,
    coordination.over_dispatch,
    coordination.mutual_aid_latency,
    coordination.info_flow,
    coordination.commander_delay,
    coordination.post_activation,
    resources.delivery_time,
    resources.shortage,
    resources.stock_left,
    workload.workload_gini,
]

__all__ = ["METRICS", "Context", "Metric", "Outcome", "metric", "unavailable"]
