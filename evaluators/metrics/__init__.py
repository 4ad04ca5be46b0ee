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
    coordination.control_time,
    resources.delivery_time,
    resources.shortage,
    resources.stock_left,
    workload.workload_gini,
]

#: The metrics shipped with blinddrill, and the kinds whose incident/unit ids they read. A
#: plug-in metric may declare a ``kinds`` attribute (else the whole log is indexed).
BUILTIN_METRICS: tuple[Metric, ...] = tuple(METRICS)
BUILTIN_KINDS: frozenset[str] = frozenset({
    "drill_started", "drill_ended", "incident_occurred", "incident_escalated", "alarm_raised",
    "alarm_taken", "unit_dispatched", "unit_arrived", "unit_released", "incident_controlled",
    "report_submitted", "supplies_requested", "supplies_delivered", "supplies_short",
    "command_post_activated", "scene_visible", "commander_designated", "complication_applied",
    "message_sent", "mutual_aid_requested", "mutual_aid_granted", "observation",
    "initial_response_completed", "incident_closed",
})

__all__ = ["BUILTIN_KINDS", "BUILTIN_METRICS", "METRICS", "Context", "Metric", "Outcome", "metric", "unavailable"]
