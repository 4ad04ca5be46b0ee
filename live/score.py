"""The live score: the evaluators' clocks and metrics on the log so far, "now" censoring.

The same evaluator code scores a live drill in progress and a finished or simulated one:
:func:`score_now` calls :func:`evaluators.score_records` on the records so far. A clock still
running at ``now`` (an alarm not yet taken, no unit on scene yet) is *open*, not breached and
not met, and is left out of compliance; one whose limit has already passed at ``now`` is
breached. Censoring is the evaluators' job (``as_of``, see ``docs/scoring.md``): this module
is the one place the live layer calls them.
"""

from __future__ import annotations

import inspect
import time
from dataclasses import dataclass
from typing import Any

from evaluators import Scorecard, score_records
from scenarios.region import Region


@dataclass(frozen=True)
class LiveScore:
    """A scorecard computed at drill time ``now_min`` over ``events`` records."""

    now_min: float
    events: int
    ended: bool
    card: Scorecard
    #: seconds the scoring took (the console shows it; the benchmark reports it).
    seconds: float
    #: False while the evaluators cannot censor at "now" (then running clocks are scored as
    #: of the last event).
    censored: bool

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (the scorecard as ``score --json`` prints it)."""
        return {"now_min": self.now_min, "events": self.events, "ended": self.ended,
                "seconds": round(self.seconds, 4), "censored": self.censored,
                "scorecard": self.card.model_dump(mode="json", by_alias=True)}


_HAS_AS_OF = "as_of" in inspect.signature(score_records).parameters


def score_now(records: list[dict[str, Any]], now_min: float, *, region: Region | None = None,
              ended: bool = False, rules: Any = None, rubric: Any = None) -> LiveScore:
    """Score ``records`` as of drill time ``now_min`` (the drill's end if ``ended``)."""
    t0 = time.perf_counter()
    kwargs: dict[str, Any] = {"region": region, "rules": rules, "rubric": rubric,
                              "source": "live log"}
    if _HAS_AS_OF and not ended:
        kwargs["as_of"] = now_min
    card = score_records(records, **kwargs)
    return LiveScore(now_min=round(now_min, 6), events=len(records), ended=ended, card=card,
                     seconds=time.perf_counter() - t0, censored=_HAS_AS_OF or ended)
