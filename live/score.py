"""The live score: the evaluators' clocks and metrics on the log so far, "now" censoring.

The same evaluator code scores a live drill in progress and a finished or simulated one:
:func:`score_now` calls :func:`evaluators.score_records` on the records so far. A clock still
running at ``now`` (an alarm not yet taken, no unit on scene yet) is *open*, not breached and
not met, and is left out of compliance; one whose limit has already passed at ``now`` is
breached. Censoring is the evaluators' job (``score_records(..., as_of=now)``, see
``docs/scoring.md``): this module is the one place the live layer calls them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import lru_cache
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
    #: True while the drill is in progress: clocks still running at ``now_min`` are open (or
    #: already breached), not scored as of the last event.
    censored: bool

    def countdowns(self) -> list[dict[str, Any]]:
        """Clocks running now, per incident: ``{incident, clock, elapsed, deadline,
        remaining}`` (minutes; soonest deadline first) — the live countdowns."""
        out = [{"incident": inc, "clock": cid, "elapsed": c["elapsed"],
                "deadline": c["deadline"], "remaining": round(c["deadline"] - self.now_min, 6)}
               for inc, card in self.card.incidents.items() for cid, c in card.clocks.items()
               if c["status"] == "open"]
        return sorted(out, key=lambda x: (x["deadline"], x["incident"], x["clock"]))

    def breaches(self) -> list[dict[str, Any]]:
        """Clocks breached so far, per incident: ``{incident, clock, deadline, value}``
        (``value`` None while the stop event has not come)."""
        return [{"incident": inc, "clock": cid, "deadline": c["deadline"], "value": c["value"]}
                for inc, card in self.card.incidents.items()
                for cid, c in card.clocks.items() if c["status"] == "breached"]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (the scorecard as ``score --json`` prints it)."""
        return {"now_min": self.now_min, "events": self.events, "ended": self.ended,
                "seconds": round(self.seconds, 4), "censored": self.censored,
                "countdowns": self.countdowns(), "breaches": self.breaches(),
                "scorecard": self.card.model_dump(mode="json", by_alias=True)}


@lru_cache(maxsize=1)
def _defaults() -> tuple[Any, Any]:
    """The shipped rule packs and report templates, parsed once per process (a refresh
    every few seconds need not re-read the YAML files each time)."""
    from evaluators.rules import load_packs
    from scenarios.templates import load_templates

    return load_packs(None), load_templates()


def score_now(records: list[dict[str, Any]], now_min: float, *, region: Region | None = None,
              ended: bool = False, rules: Any = None, rubric: Any = None) -> LiveScore:
    """Score ``records`` as of drill time ``now_min`` (the drill's end if ``ended``)."""
    t0 = time.perf_counter()
    # the log's times are rounded to 1e-6 (up, sometimes): a record written just now must not
    # fall after "now" and be left out of the score
    now_min = max([round(now_min, 6)] + [float(r["t"]) for r in records[-1:]])
    packs, templates = _defaults()
    card = score_records(records, region=region, rules=rules or packs, rubric=rubric,
                         templates=templates, source="live log",
                         as_of=None if ended else now_min)
    return LiveScore(now_min=round(now_min, 6), events=len(records), ended=ended, card=card,
                     seconds=time.perf_counter() - t0, censored=not ended)
