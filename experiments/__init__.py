"""Experiments: many simulated drills at once, above the engine and the evaluators.

- :mod:`experiments.executors` — where the work runs: in process, a local process pool, Dask;
- :mod:`experiments.batch` — Monte Carlo replications of one scenario, streamed into
  :mod:`experiments.aggregate` (means, CIs, percentiles, probabilities of meeting each limit);
- :mod:`experiments.whatif` — alternatives on common random numbers, differences with CIs;
- :mod:`experiments.calibration` — difficulty calibration for the scenario generator;
- :mod:`experiments.baseline` — a drill's simulated baseline replications, in parallel.

Layer order (``docs/architecture.md``): scenarios → engine → evaluators → experiments → ui.
Nothing here imports :mod:`ui` or :mod:`live`; charts of these results live in ``ui/charts``.
"""
