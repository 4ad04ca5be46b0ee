"""Properties: compliance bounds, monotonicity in arrival times, order invariance, live == sim."""

from __future__ import annotations

import random

from evalhelp import Ev, build, county, known_drill, random_drill, with_final_report
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluators import score_records
from evaluators.scorecard import Scorecard

ARRIVAL_CLOCKS = ("arrive",)


def comparable(card: Scorecard) -> tuple[dict[str, float], object, object]:
    """Everything that must not depend on append order (evidence seqs may)."""
    caps = [(c.id, c.score, c.rating) for c in card.capabilities]
    return card.values(), card.overall, caps


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10**6), n=st.integers(1, 8))
def test_compliance_in_unit_interval(seed: int, n: int) -> None:
    card = score_records(build(random_drill(random.Random(seed), n)))
    for c in card.clocks.values():
        if c.n:
            assert c.compliance is not None and 0.0 <= c.compliance <= 1.0
            assert c.n_met <= c.n
            assert c.p50 is not None and c.p90 is not None and c.p50 <= c.p90
    assert card.overall.score is None or 0.0 <= card.overall.score <= 100.0
    for cap in card.capabilities:
        assert cap.score is None or 0.0 <= cap.score <= 100.0


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10**6), n=st.integers(1, 6), pick=st.integers(0, 1000),
       delay=st.floats(0.0, 60.0))
def test_later_arrival_never_raises_compliance(seed: int, n: int, pick: int, delay: float) -> None:
    evs = random_drill(random.Random(seed), n)
    arrivals = [i for i, e in enumerate(evs) if e[1] == "unit_arrived"]
    if not arrivals:
        return
    i = arrivals[pick % len(arrivals)]
    t, kind, kw = evs[i]
    later: list[Ev] = evs[:i] + [(round(t + delay, 2), kind, kw)] + evs[i + 1:]
    before = score_records(build(evs))
    after = score_records(build(later))
    for cid in ARRIVAL_CLOCKS:
        b, a = before.clocks[cid], after.clocks[cid]
        assert a.n_met <= b.n_met, f"delaying an arrival raised {cid} compliance"
        if b.p90 is not None and a.p90 is not None:
            assert a.p90 >= b.p90 - 1e-9


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10**6), n=st.integers(1, 8), order=st.integers(0, 10**6))
def test_invariant_to_order_of_simultaneous_events(seed: int, n: int, order: int) -> None:
    evs = random_drill(random.Random(seed), n)
    a = score_records(build(evs))
    b = score_records(build(evs, shuffle_ties=order))
    assert comparable(a) == comparable(b)


def test_known_drill_invariant_to_tie_order() -> None:
    evs = with_final_report(known_drill(), ["time"])
    region = county()
    ref = comparable(score_records(build(evs), region=region))
    for k in range(5):
        assert comparable(score_records(build(evs, shuffle_ties=k), region=region)) == ref


def test_live_umpire_log_scores_like_the_simulated_one() -> None:
    """Umpire records: source 'umpire', simultaneous events typed in another order, extra
    payload keys (who recorded them). The scorecard is the same."""
    evs = with_final_report(known_drill(), ["time", "place"])
    region = county()
    sim = score_records(build(evs), region=region)
    live = score_records(build(evs, source="umpire", shuffle_ties=3,
                               extra={"author": "umpire-2", "note": "observed"}),
                         region=region)
    assert comparable(live) == comparable(sim)
    assert live.run.sources == {"umpire": len(build(evs))}
    assert [f.text_en for f in live.findings.improvements] == \
        [f.text_en for f in sim.findings.improvements]
