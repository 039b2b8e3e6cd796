"""Run an experiment's (design point, replication) pairs on an executor and store them.

Runs go to a ``concurrent.futures`` executor: in-process for one worker, a process pool for
several, or Dask distributed (a ``LocalCluster``, or the cluster at a scheduler address)
through Dask's executor interface. Each run is a pure function of its parameters and seed,
so the stored tables do not depend on the executor or the order of completion. Tables come
back to this process and are written here, so workers need no shared file system.
"""

from __future__ import annotations

import contextlib
import dataclasses
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from sim.experiment.config import ConfigError, Experiment, resolved_tree
from sim.experiment.design import RunSpec, plan_runs, point_params
from sim.experiment.store import ResultStore, encode_run
from sim.model import ModelParams, RunTables, simulate

__all__ = ["Outcome", "RunOptions", "execute", "open_executor", "run_one"]

Backend = Literal["local", "dask"]


@dataclass(frozen=True)
class RunOptions:
    """How to execute: where to write, how many workers, which backend."""

    out: Path
    workers: int = 0  # 0: all cores
    backend: Backend = "local"
    scheduler: str | None = None
    resume: bool = False
    overwrite: bool = False

    def worker_count(self) -> int:
        """Workers to use (all cores when 0)."""
        return self.workers if self.workers > 0 else (os.cpu_count() or 1)


@dataclass
class Outcome:
    """What an execution did."""

    store: ResultStore
    planned: int
    skipped: int
    done: int = 0
    failed: dict[str, str] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        """Every planned run is stored."""
        return not self.failed and self.skipped + self.done == self.planned


def run_one(params: ModelParams, spec: RunSpec) -> RunTables:
    """One replication at one design point."""
    return simulate(
        params,
        spec.seed,
        run_id=spec.run_id,
        point_id=spec.point_id,
        replication=spec.replication,
        point=spec.point,
    )


def run_encoded(params: ModelParams, spec: RunSpec) -> dict[str, bytes]:
    """One replication, its tables encoded as Parquet where it ran (see :func:`encode_run`):
    the task that executors run."""
    return encode_run(run_one(params, spec))


class InlineExecutor(Executor):
    """Runs each task at submission, in this process (one worker, easy to debug)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:
            future.set_exception(exc)
        return future


def process_context() -> multiprocessing.context.BaseContext:
    """How worker processes start.

    On Linux, while this process runs a single thread, by forking it: workers then start at
    once, with the model imported and its compiled code loaded (a fork server takes about a
    second to import them, then each worker a quarter of a second to load the compiled
    code, which on the flagship sweep's runs of a second cost a tenth of the speedup).
    ``open_executor`` starts the workers at once, before any other thread can begin.
    Otherwise from a clean fork server (or spawn where there is none), never by forking a
    process that holds threads (Dask, progress bars, notebooks): fork would copy them
    half-way."""
    if sys.platform == "linux" and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" not in methods:
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["sim.experiment.runner"])  # workers start with the model imported
    return context


@contextlib.contextmanager
def open_executor(options: RunOptions) -> Iterator[Executor]:
    """The executor ``options`` asks for, closed on exit."""
    workers = options.worker_count()
    if options.backend == "dask":
        with _dask_executor(options.scheduler, workers) as executor:
            yield executor
    elif workers == 1:
        yield InlineExecutor()
    else:
        context = process_context()
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            if context.get_start_method() == "fork":
                pool.submit(int).result()  # forks every worker now, while this is the only thread
            try:
                yield pool
            except BaseException:
                pool.shutdown(wait=False, cancel_futures=True)
                raise


#: Dask worker settings for local clusters. A run holds the GIL for seconds; the worker's
#: statistical profiler (a stack sample every 10 ms) and GIL monitor then compete with it
#: for the interpreter and cost about a fifth of the throughput on two cores. The event
#: loop's health tick (every 20 ms), the system monitor (every 0.5 s) and the memory
#: monitor (every 0.1 s) wake a thread that needs the GIL too: about 3% more, measured on
#: the flagship sweep. A second is soon enough for each of them here.
_QUIET_WORKERS = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.system-monitor.gil.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "1s",
    "distributed.worker.memory.monitor-interval": "1s",
}


@contextlib.contextmanager
def _dask_executor(scheduler: str | None, workers: int) -> Iterator[Executor]:
    try:
        import dask
        import distributed  # noqa: F401 - only to check that the extra is installed
    except ImportError:
        raise ConfigError(
            "--backend dask needs Dask distributed, an optional extra: pip install 'networking-sim[dask]'"
        ) from None
    # The settings stay in force for the cluster's whole life: a worker that the nanny
    # restarts (after a crash, or past its memory limit) reads them again.
    with dask.config.set(_QUIET_WORKERS):
        client, cluster = _dask_client(scheduler, workers)
        try:
            yield client.get_executor(pure=False)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()


def _dask_client(scheduler: str | None, workers: int) -> tuple[Any, Any]:
    """A client of a new LocalCluster (and the cluster), or of the cluster at ``scheduler``."""
    from distributed import Client, LocalCluster

    cluster = None
    try:
        if scheduler is None:
            cluster = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
            )
            return Client(cluster), cluster
        return Client(scheduler, timeout="20s"), None
    except (OSError, ValueError, TypeError, TimeoutError) as exc:
        if cluster is not None:
            cluster.close()
        where = (
            f"--scheduler {scheduler}: cannot connect to a Dask scheduler there"
            if scheduler
            else "cannot start a Dask LocalCluster"
        )
        raise ConfigError(f"{where} ({exc})") from None


def execute(
    experiment: Experiment,
    options: RunOptions,
    on_start: Callable[[int, int], None] | None = None,
    on_run: Callable[[RunSpec, str | None], None] | None = None,
    executor: Executor | None = None,
) -> Outcome:
    """Run every pending run of ``experiment`` and store it.

    ``on_start(pending, planned)`` is called once, ``on_run(spec, error)`` after each run
    (``error`` is None on success). A KeyboardInterrupt stops the sweep: finished runs stay
    stored, the manifest says ``interrupted``, and the interrupt propagates. ``executor``
    is one from :func:`open_executor` for ``options``, opened by the caller (so that its
    workers start before the caller starts threads of its own); by default one is opened
    and closed here.
    """
    if executor is None:
        with open_executor(options) as opened:  # a bad scheduler fails here, before any folder is made
            return execute(experiment, options, on_start, on_run, opened)
    runs = plan_runs(experiment)
    params = point_params(experiment)
    store = ResultStore.open(
        options.out, resolved_tree(experiment), resume=options.resume, overwrite=options.overwrite,
        seeds={r.run_id: r.seed for r in runs},
    )  # fmt: skip
    finished = store.finished_runs()
    pending = [r for r in runs if r.run_id not in finished]
    outcome = Outcome(store, planned=len(runs), skipped=len(runs) - len(pending))
    store.start_session(backend=options.backend, workers=options.worker_count(), scheduler=options.scheduler)
    if on_start:
        on_start(len(pending), len(runs))
    try:
        for spec, future in _completed(executor, pending, experiment, params):
            error = _store_result(store, outcome, spec, future)
            if on_run:
                on_run(spec, error)
    except BaseException:
        store.finish("interrupted")
        raise
    store.finish("complete" if outcome.complete else "failed")
    return outcome


def _completed(executor: Executor, pending: list[RunSpec], experiment: Experiment, params: list[ModelParams]):
    """(spec, finished future) pairs: one at a time in this process, so that each run is
    stored before the next starts; as they complete on a pool or cluster."""
    if isinstance(executor, InlineExecutor):
        for spec in pending:
            yield spec, executor.submit(run_encoded, _params_for(experiment, params, spec), spec)
        return
    futures = {executor.submit(run_encoded, _params_for(experiment, params, r), r): r for r in pending}
    for future in as_completed(futures):
        yield futures[future], future


def _params_for(experiment: Experiment, params: list[ModelParams], spec: RunSpec) -> ModelParams:
    """The run's parameters; with ``outputs.events: first`` replication 0 keeps its event log,
    with ``one`` only replication 0 of point 0 (which changes no result, only what is stored)."""
    events = experiment.outputs.events
    if spec.replication == 0 and (events == "first" or (events == "one" and spec.point_id == 0)):
        return dataclasses.replace(params[spec.point_id], record_events=True)
    return params[spec.point_id]


def _store_result(store: ResultStore, outcome: Outcome, spec: RunSpec, future: Future) -> str | None:
    try:
        parts = future.result()
    except Exception as exc:
        message = f"{type(exc).__name__}: {exc}"
        store.record_failure(spec.run_id, message)
        outcome.failed[spec.run_id] = message
        return message
    store.write_run(spec.run_id, parts)
    outcome.done += 1
    return None
