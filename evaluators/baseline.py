"""Compare a drill with simulated replications of the same scenario.

For every numeric value of the drill's scorecard (:meth:`Scorecard.values`: clock statistics,
their breakdowns by township/unit/grade…, metric values) present in at least one replication:
the drill's **percentile** in the simulated distribution (mid-rank: share below + half the
ties, in %), and **worse_than**, the share of replications that did better — e.g. for
``clock.arrive.by_township.T03.p50`` a worse_than of 0.92 reads "this township's arrival was
slower than 92% of simulated runs". Lower is better for minutes (p50, p90, mean, max) and for
metrics with ``higher_is_better`` False; higher is better for compliance and the others.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from evaluators.scorecard import Scorecard, value_higher_is_better


class BaselineEntry(BaseModel):
    """One value of the drill against the replications."""

    model_config = ConfigDict(extra="forbid")

    value: float
    n: int
    percentile: float
    worse_than: float
    higher_is_better: bool
    sim_p50: float
    sim_p10: float
    sim_p90: float


class Baseline(BaseModel):
    """All compared values (keys as in :meth:`Scorecard.values`)."""

    model_config = ConfigDict(extra="forbid")

    replications: int
    entries: dict[str, BaselineEntry] = Field(default_factory=dict)

    @property
    def few(self) -> bool:
        """Fewer replications than :data:`FEW_REPLICATIONS`: each one moves a percentile by
        10 points or more, so "better than 100 % of simulated runs" may rest on two runs;
        readers say so beside the figures."""
        return self.replications < FEW_REPLICATIONS


#: below this many replications a baseline's percentiles are only a rough guide (one run is
#: then worth 10 percentile points or more)
FEW_REPLICATIONS = 10


def higher_is_better(key: str, card: Scorecard) -> bool:
    """Direction of goodness for a value key of ``card`` (its metrics say theirs)."""
    return value_higher_is_better(
        key, lambda k: m.higher_is_better if (m := card.metrics.get(k)) is not None else None)


def percentiles_against(card: Scorecard, replications: Sequence[Scorecard]) -> Baseline:
    """The drill's position in the distribution of each value over the replications."""
    mine = card.values()
    rep_values = [r.values() for r in replications]
    out = Baseline(replications=len(replications))
    for key, x in mine.items():
        sample = np.array([rv[key] for rv in rep_values if key in rv], dtype=np.float64)
        if len(sample) == 0:
            continue
        below = float(np.mean(sample < x - 1e-12))
        above = float(np.mean(sample > x + 1e-12))
        ties = 1.0 - below - above
        hib = higher_is_better(key, card)
        p10, p50, p90 = np.percentile(sample, [10, 50, 90])
        out.entries[key] = BaselineEntry(
            value=x, n=len(sample), percentile=round(100.0 * (below + ties / 2), 6),
            worse_than=round(above if hib else below, 6), higher_is_better=hib,
            sim_p50=round(float(p50), 6), sim_p10=round(float(p10), 6),
            sim_p90=round(float(p90), 6))
    return out
