"""Entry point of the engine: :func:`simulate` plays a scenario on a region and returns the log.

``simulate`` is a pure function of its inputs and the seed: the same region, scenario,
parameters and seed give the same event log, byte for byte, in any process. Per-region
precomputation (unit arrays, capability levels, scopes) is cached by region identity, so many
short replications on the same region object pay only for the simulation itself.
"""

from __future__ import annotations

from engine.dispatch import DispatchPolicy
from engine.dispatch_queue import QueueOrder
from engine.drill import Drill
from engine.eventlog import EventLog
from engine.gcpause import keep_until_exit, paused_gc
from engine.params import BehaviourParams, load_params
from scenarios.region import ReferenceProblems, Region
from scenarios.schema import Scenario


def simulate(
    region: Region | None,
    scenario: Scenario,
    *,
    seed: int,
    params: BehaviourParams | None = None,
    log: EventLog | None = None,
    policy: DispatchPolicy | None = None,
    queue_order: QueueOrder | None = None,
) -> EventLog:
    """Simulate ``scenario`` on ``region`` (``None``: the seed city) and return the event log.

    ``params`` defaults to the shipped behaviour parameters; ``log`` (e.g. one streaming to a
    file) is appended to and returned. ``policy`` (a :class:`~engine.dispatch.DispatchPolicy`)
    and ``queue_order`` (see :mod:`engine.dispatch_queue`) replace the ones named in
    ``params.dispatch``, e.g. to compare dispatch policies on the same seeds. Scenario references that do not exist in the region raise
    :class:`~scenarios.region.ReferenceProblems` listing every problem.
    """
    if region is None:
        from scenarios.seed_city import default_region

        region = default_region()
    problems = scenario.check_against(region)
    if problems:
        raise ReferenceProblems(problems)
    if seed < 0:
        raise ValueError("seed must be >= 0")
    drill = Drill(region, scenario, seed, params or load_params(),
                  log if log is not None else EventLog(), policy, queue_order)
    # The region, inputs and the growing log are large and long-lived: the cyclic collector
    # walked them again and again during a run, making the per-incident cost grow with the
    # region's size. A run makes little cyclic garbage (simpy breaks event/process cycles as
    # events are processed; the unit and officer processes still waiting when the run ends are
    # a few thousand objects), so collection is paused for the run and resumes after it.
    with paused_gc():
        log = drill.run()
    keep_until_exit(drill)  # the run's state, never freed by a one-shot process
    return log
