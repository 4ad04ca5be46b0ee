"""Executors: run a task over chunks of work in this process, a local process pool or Dask.

An executor is a plug-in argument (never a global): the experiments (batch, what-if,
calibration, a baseline) call :meth:`Executor.run` with

- ``task(shared, item) -> result``: a module-level function (it must pickle by reference);
- ``shared``: the large, read-only inputs (region, scenario, parameters, rule packs). Each
  worker receives and unpickles them **once** — the pool's initializer, or one Dask
  ``scatter(broadcast=True)`` — so a chunk carries only its replication numbers;
- ``items``: the chunks.

``run`` yields ``(index, result)`` as chunks finish, in completion order; callers that need a
deterministic result fold by index (see :mod:`experiments.aggregate`). Closing the iterator
early (an exception in the caller, e.g. ``KeyboardInterrupt``) cancels the chunks not started,
waits for the running ones and stops the workers: no process is left behind.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any, Protocol, TypeVar

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")

Task = Callable[[Any, Any], Any]


class Executor(Protocol):
    """Runs ``task(shared, item)`` for each item; yields ``(index, result)`` as they finish."""

    workers: int

    def run(self, task: Task, shared: Any, items: Sequence[Any]) -> Iterator[tuple[int, Any]]:
        """Run every item; see the module docstring."""
        ...

    def describe(self) -> str:
        """A short description for summaries (``serial``, ``pool x2``, ``dask tcp://…``)."""
        ...


class SerialExecutor:
    """Everything in the calling process, in order (the reference and the 1-worker case)."""

    workers = 1

    def run(self, task: Task, shared: Any, items: Sequence[Any]) -> Iterator[tuple[int, Any]]:
        """Run the items one after another."""
        for i, item in enumerate(items):
            yield i, task(shared, item)

    def describe(self) -> str:
        """``serial``."""
        return "serial"


# --- process pool ------------------------------------------------------------------------

_SHARED: dict[int, Any] = {}


def _init_worker(token: int, shared: Any) -> None:
    # the terminal's Ctrl-C goes to the whole process group: the parent handles it and stops
    # the pool; a worker interrupted mid-chunk would only break the pool.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _SHARED[token] = shared


def _pool_call(token: int, task: Task, item: Any) -> Any:
    return task(_SHARED[token], item)


class PoolExecutor:
    """A local :class:`~concurrent.futures.ProcessPoolExecutor` of ``workers`` processes.

    At most ``2 × workers`` chunks are in flight, so the parent holds few results at once.
    """

    def __init__(self, workers: int | None = None) -> None:
        self.workers = max(1, workers or os.cpu_count() or 1)

    def describe(self) -> str:
        """``pool xK``."""
        return f"pool x{self.workers}"

    def run(self, task: Task, shared: Any, items: Sequence[Any]) -> Iterator[tuple[int, Any]]:
        """Run the items on the pool (the shared inputs unpickled once per worker)."""
        token = id(shared)
        pool = ProcessPoolExecutor(self.workers, initializer=_init_worker,
                                   initargs=(token, shared))
        pending: dict[Future[Any], int] = {}
        nxt = 0
        try:
            while nxt < len(items) or pending:
                while nxt < len(items) and len(pending) < 2 * self.workers:
                    pending[pool.submit(_pool_call, token, task, items[nxt])] = nxt
                    nxt += 1
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for fut in sorted(done, key=lambda f: pending[f]):
                    yield pending.pop(fut), fut.result()
        finally:
            for fut in pending:
                fut.cancel()
            pool.shutdown(wait=True, cancel_futures=True)


# --- Dask distributed ----------------------------------------------------------------------

def _distributed() -> Any:
    """The ``distributed`` module (untyped; an optional dependency)."""
    import importlib

    try:
        return importlib.import_module("distributed")
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise RuntimeError("Dask is not installed: pip install 'blinddrill[cluster]'") from exc


class DaskExecutor:
    """Chunks as tasks on a Dask ``distributed`` cluster (``pip install blinddrill[cluster]``).

    ``address``: a scheduler such as ``tcp://HOST:8786``; or pass a ready ``client``. The
    shared inputs are scattered to every worker once. Results come back as chunks finish.
    """

    def __init__(self, address: str | None = None, client: Any = None,
                 timeout: float = 30.0) -> None:
        if client is None:
            client = _distributed().Client(address, timeout=timeout)
            self._own = True
        else:
            self._own = False
        self.client = client
        self.address = address or str(getattr(client.scheduler, "address", "?"))
        n = len(client.scheduler_info().get("workers", {}))
        threads = sum(w.get("nthreads", 1)
                      for w in client.scheduler_info().get("workers", {}).values())
        self.workers = max(1, threads or n)

    def describe(self) -> str:
        """``dask <scheduler address>``."""
        return f"dask {self.address}"

    def run(self, task: Task, shared: Any, items: Sequence[Any]) -> Iterator[tuple[int, Any]]:
        """Submit every chunk (keeping ``2 × workers`` in flight) and yield them as they end."""
        client = self.client
        [shared_f] = client.scatter([shared], broadcast=True, hash=False)
        index: dict[str, int] = {}
        nxt = 0
        ac = _distributed().as_completed()
        try:
            while nxt < len(items) and nxt < 2 * self.workers:
                f = client.submit(task, shared_f, items[nxt], pure=False)
                index[f.key] = nxt
                ac.add(f)
                nxt += 1
            for fut in ac:
                i = index.pop(fut.key)
                result = fut.result()
                fut.release()
                if nxt < len(items):
                    f = client.submit(task, shared_f, items[nxt], pure=False)
                    index[f.key] = nxt
                    ac.add(f)
                    nxt += 1
                yield i, result
        finally:
            client.cancel(list(ac.futures) if hasattr(ac, "futures") else [])
            ac.clear()
            shared_f.release()

    def close(self) -> None:
        """Close the client if this executor opened it."""
        if self._own:
            self.client.close()


def make_executor(workers: int | None = None, scheduler: str | None = None) -> Executor:
    """The executor of the command-line options: Dask if a scheduler address is given, else a
    process pool of ``workers`` (1: in-process)."""
    if scheduler:
        return DaskExecutor(scheduler)
    if workers == 1:
        return SerialExecutor()
    return PoolExecutor(workers)
