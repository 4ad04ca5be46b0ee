"""The engine's fast paths give what the plain ones give: ``EventLog.add`` the records of
``append``; buffered ``Draws`` reproducible streams with the right distributions."""

from __future__ import annotations

import numpy as np
import pytest

from engine.distributions import Exponential, Fixed, LogNormal, Triangular, Uniform
from engine.eventlog import EventLog, LogOrderError, encode_record
from engine.rng import Draws, Streams


def test_add_writes_the_record_append_writes(tmp_path):
    a, b = EventLog(), EventLog(tmp_path / "events.jsonl")
    a.append("unit_dispatched", 1.23456789, incident="I1", unit="U1", level="county",
             eta_min=2.5, desk="DESK-K1")
    b.add("unit_dispatched", 1.23456789, "I1", "U1", None, None, None,
          {"level": "county", "eta_min": 2.5, "desk": "DESK-K1"})
    a.append("drill_ended", 3, reason="duration")
    b.add("drill_ended", 3, None, None, None, None, None, {"reason": "duration"})
    b.close()
    a.chain()  # an in-memory log chains lazily (prev); a file sink chains as it writes
    assert a.records == b.records
    assert b"".join(encode_record(r) for r in a.records) == (tmp_path / "events.jsonl").read_bytes()
    assert isinstance(b.records[-1]["t"], float)
    with pytest.raises(LogOrderError):
        b.add("drill_ended", 1.0, None, None, None, None, None, {"reason": "x"})
    with pytest.raises(ValueError, match="unknown event kind"):
        b.add("nonsense", 9.0, None, None, None, None, None, {})


def test_draws_are_reproducible_and_independent_per_purpose():
    s1, s2 = Streams(5), Streams(5)
    x = [s1.draws("report").normal() for _ in range(600)]
    s1.draws("travel").uniform()  # another purpose does not shift "report"
    x += [s1.draws("report").uniform() for _ in range(600)]
    y = [s2.draws("report").normal() for _ in range(600)]
    y += [s2.draws("report").uniform() for _ in range(600)]
    assert x == y
    assert Streams(6).draws("report").normal() != Streams(5).draws("report").normal()


@pytest.mark.parametrize("dist, mean", [
    (Fixed(value=2.0), 2.0),
    (Exponential(dist="exponential", mean=3.0), 3.0),
    (LogNormal(dist="lognormal", median=4.0, sigma=0.5), 4.0 * np.exp(0.125)),
    (Triangular(dist="triangular", low=1.0, mode=2.0, high=6.0), 3.0),
    (Uniform(dist="uniform", low=1.0, high=3.0), 2.0),
])
def test_buffered_samples_have_the_distributions_mean(dist, mean):
    d = Draws(np.random.default_rng(11))
    xs = np.array([dist.sample(d) for _ in range(40_000)])
    assert xs.min() >= 0
    assert abs(xs.mean() - mean) < 0.02 * mean
    assert abs(xs.mean() - dist.mean) < 0.02 * mean
