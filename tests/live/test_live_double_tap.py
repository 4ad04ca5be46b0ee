"""The recording rules the QA pass of the console found missing, checked on the real store:
the same umpire's identical action twice within a moment records once (a double tap, even
under two action ids), while the same action later, another umpire's or a different one is
recorded; an observation's time lies between 0 and now; a supplies quantity is bounded."""

from __future__ import annotations

import pytest

from live import new_action_id
from live.errors import Why
from live.recording import DOUBLE_TAP_S, MAX_QTY, RecordingError


def _started_with_incident(live):  # type: ignore[no-untyped-def]
    svc = live.svc
    svc.start(live.director, live.drill)
    first = next(v for v in svc.msel(live.director, live.drill) if v.kind == "incident")
    assert svc.release(live.director, live.drill, first.id).done
    live.clock.advance(30)
    return first.incident


def _arrive(live, incident, who=None, unit="U-T01", device="tab-1"):  # type: ignore[no-untyped-def]
    return live.svc.record(who or live.evaluator, live.drill, "unit_arrived",
                           action_id=new_action_id(), incident=incident, unit=unit,
                           device=device)


def test_two_taps_a_moment_apart_record_one_action(live) -> None:  # type: ignore[no-untyped-def]
    inc = _started_with_incident(live)
    first = _arrive(live, inc)
    live.clock.advance(0.4)
    second = _arrive(live, inc, device="tab-2")  # a new action id: the page drew a fresh one
    assert first.created and not second.created and second.record == first.record
    arrived = [r for r in live.svc.log(live.director, live.drill) if r["kind"] == "unit_arrived"]
    assert [r["seq"] for r in arrived] == [first.seq]


def test_the_same_action_later_or_another_action_is_recorded(live) -> None:  # type: ignore[no-untyped-def]
    inc = _started_with_incident(live)
    first = _arrive(live, inc)
    other_unit = _arrive(live, inc, unit="U-T02")  # a different team: a different action
    live.svc.add_user(live.director, "umpire2", "evaluator", "s3cret-pass")
    other_umpire = _arrive(live, inc, who=live.svc.login("umpire2", "s3cret-pass"))
    live.clock.advance(DOUBLE_TAP_S + 0.5)
    later = _arrive(live, inc)  # a genuinely repeated action
    assert first.created and other_unit.created and other_umpire.created and later.created
    arrived = [r for r in live.svc.log(live.director, live.drill) if r["kind"] == "unit_arrived"]
    assert len(arrived) == 4


def test_identical_observations_a_moment_apart_record_once(live) -> None:  # type: ignore[no-untyped-def]
    _started_with_incident(live)
    a = live.svc.observe(live.evaluator, live.drill, "cordon set", action_id=new_action_id(),
                         rating="P")
    b = live.svc.observe(live.evaluator, live.drill, "cordon set", action_id=new_action_id(),
                         rating="P")
    c = live.svc.observe(live.evaluator, live.drill, "cordon set", action_id=new_action_id(),
                         rating="S")
    assert a.created and not b.created and b.seq == a.seq and c.created


@pytest.mark.parametrize("when", [-5.0, 99999.0, 0.51, float("nan"), float("inf")])
def test_an_observed_time_outside_the_drill_so_far_is_refused(live, when) -> None:  # type: ignore[no-untyped-def]
    _started_with_incident(live)  # drill time 0.5 min
    before = live.svc.log(live.director, live.drill)
    with pytest.raises(RecordingError) as err:
        live.svc.observe(live.evaluator, live.drill, "note", action_id=new_action_id(),
                         observed_t=when)
    assert err.value.why is Why.OBSERVED_T_OUT_OF_RANGE
    assert "between 0 and now (0.5 min)" in str(err.value)
    assert live.svc.log(live.director, live.drill) == before  # nothing written
    # the same rule holds for an observation recorded as a plain record (``live record``)
    with pytest.raises(RecordingError, match="not a drill time"):
        live.svc.record(live.evaluator, live.drill, "observation", action_id=new_action_id(),
                        data={"text": "note", "observed_t": when})


@pytest.mark.parametrize("when", [0.0, 0.25, 0.5])
def test_an_observed_time_in_the_drill_so_far_is_kept(live, when) -> None:  # type: ignore[no-untyped-def]
    _started_with_incident(live)
    rec = live.svc.observe(live.evaluator, live.drill, "note", action_id=new_action_id(),
                           observed_t=when)
    assert rec.created and rec.record["data"]["observed_t"] == when


@pytest.mark.parametrize("qty", [0, -3, MAX_QTY + 1, 999999999, float("nan"), True])
def test_a_supplies_quantity_out_of_range_is_refused(live, qty) -> None:  # type: ignore[no-untyped-def]
    inc = _started_with_incident(live)
    with pytest.raises(RecordingError) as err:
        live.svc.record(live.evaluator, live.drill, "supplies_requested",
                        action_id=new_action_id(), incident=inc,
                        data={"item": "tent", "qty": qty, "request": f"{inc}-R1"})
    assert err.value.why is Why.BAD_QUANTITY
    assert not [r for r in live.svc.log(live.director, live.drill)
                if r["kind"] == "supplies_requested"]
