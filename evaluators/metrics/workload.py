"""Workload balance across units.

``workload.gini`` — the Gini coefficient (0 = perfectly even, → 1 = one unit does everything) of
busy minutes per unit, a unit being busy on an incident from its first dispatch to it until its
release from it (or the drill end). The population is the units taking part (units
dispatched at least once). ``per_unit`` lists busy minutes.
"""

from __future__ import annotations

import numpy as np

from evaluators.metrics.base import Context, Outcome, metric
from evaluators.metrics.dispatch import busy_intervals
from evaluators.table import FloatArray


def gini(x: FloatArray) -> float:
    """Gini coefficient of non-negative values (0 for all-zero or fewer than two values)."""
    x = np.sort(np.asarray(x, dtype=np.float64))
    n, s = len(x), float(x.sum())
    if n < 2 or s <= 0:
        return 0.0
    i = np.arange(1, n + 1)
    return float((2.0 * np.sum(i * x) / (n * s)) - (n + 1) / n)


@metric("workload.gini", "任务负荷均衡度(基尼系数)", "Workload imbalance (Gini)", "ratio",
        higher_is_better=False)
def workload_gini(ctx: Context) -> Outcome:
    """Gini of busy minutes per unit."""
    tab = ctx.tab
    unit, start, end, _ = busy_intervals(tab)
    if len(unit) == 0:
        return Outcome(value=None, n=0)
    busy = np.bincount(unit, weights=end - start, minlength=len(tab.unit_ids))
    taking_part = np.unique(unit)
    per = {tab.unit_ids[u]: round(float(busy[u]), 6) for u in taking_part}
    vals = np.array(list(per.values()))
    return Outcome(value=round(gini(vals), 6), n=len(vals), per_unit=dict(sorted(per.items())))
