"""The engine's architecture: units are simpy processes serving their own ``PriorityStore``,
duty desks are officer processes over an alarm ``Store``, and nothing touches simpy's private
internals (``_queue``, ``_eid``, ``_now``, ``_ok``, ``_defused`` …)."""

from __future__ import annotations

import re
from pathlib import Path

import simpy

from engine.drill import Drill
from engine.eventlog import EventLog
from tests.engine.conftest import incident, scenario
from tests.engine.test_exact_sequence import params

ENGINE = Path(__file__).resolve().parents[2] / "engine"


def test_engine_uses_no_simpy_private_internals():
    private = re.compile(r"\._(queue|eid|now|ok|defused|value|target|resume|active_proc)\b")
    hits = [f"{p.name}:{i}: {line.strip()}" for p in sorted(ENGINE.glob("*.py"))
            for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
            if private.search(line)]
    assert hits == [], "engine code reaches into simpy internals:\n" + "\n".join(hits)


def test_units_are_processes_with_their_own_priority_store(county):
    lon, lat = 117.301, 31.671
    sc = scenario([incident("F1", 0.0, "T02", lon, lat,
                            [{"capability": "fire_suppression", "effort": 600.0, "units": 2}]),
                   incident("F2", 3.0, "T01", 117.2, 31.6,
                            [{"capability": "evacuation", "effort": 50.0}])], duration=300)
    drill = Drill(county, sc, 1, params(), EventLog())
    log = drill.run()
    ctx = drill.ctx
    d = ctx.units
    dispatched = {r["unit"] for r in log if r["kind"] == "unit_dispatched"}
    assert len(dispatched) == 3
    for uid in dispatched:
        u = ctx.ix.unit_ids.index(uid)
        assert isinstance(d.procs[u], simpy.Process) and d.procs[u].is_alive
        store = d.stores[u]
        assert isinstance(store, simpy.PriorityStore) and store.items == []
    # units never ordered have no process (started lazily at the first task)
    assert sum(p is not None for p in d.procs) == len(dispatched)
    assert {r["unit"] for r in log if r["kind"] == "unit_returned"} == dispatched
    desks = ctx.desks.by_jurisdiction
    assert desks and all(not desk.alarms for desk in desks.values())


def test_engine_parts_are_small_and_use_one_logging_style():
    """The drill is split along concepts (no module of the engine over ~350 lines) and every
    event is appended with ``log_add`` (``EventLog.add``), never the keyword ``emit`` form."""
    sizes = {p.name: len(p.read_text(encoding="utf-8").splitlines())
             for p in ENGINE.glob("*.py") if p.name not in ("eventlog.py", "logcheck.py")}  # the log and its checker: not engine parts
    assert max(sizes.values()) <= 350, sizes
    for p in sorted(ENGINE.glob("*.py")):
        if p.name == "eventlog.py":
            continue
        text = p.read_text(encoding="utf-8")
        assert ".emit(" not in text and "log.append(" not in text, p.name
