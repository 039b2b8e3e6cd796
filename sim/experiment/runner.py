"""Run an experiment's (design point, replication) pairs on an executor and store them.

Runs go to a ``concurrent.futures`` executor: in-process for one worker, a process pool for
several, or Dask distributed (a ``LocalCluster``, or the cluster at a scheduler address)
through Dask's executor interface. Each run is a pure function of its parameters and seed,
so the stored tables do not depend on the executor or the order of completion. Tables come
back to this process and are written here, so workers need no shared file system.

The design is walked lazily: runs are made one at a time from their indices, each design
point's parameters are built when its first run is submitted, and at most a window of runs
is in flight, so a sweep of a million runs never holds a million of anything.
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sim.experiment.backends import Backend
from sim.experiment.config import ConfigError, Experiment, resolved_tree
from sim.experiment.design import RunSpec, check_points, check_run_cap, iter_runs
from sim.experiment.messages import clip
from sim.experiment.store import FAILURES_KEPT, ResultStore, encode_run
from sim.model import ModelParams, RunTables, compile_elsewhere, simulate

__all__ = ["Backend", "Outcome", "RunOptions", "execute", "open_executor", "run_one"]

#: Runs submitted ahead of those finished, per worker and at least: enough to keep every
#: worker of a large cluster busy, few enough that a million-run sweep is never queued whole.
IN_FLIGHT_PER_WORKER, IN_FLIGHT_MIN = 4, 1_000


@dataclass(frozen=True)
class RunOptions:
    """How to execute: where to write, how many workers, which backend."""

    out: Path
    workers: int = 0  # 0: all cores
    backend: Backend = Backend.LOCAL
    scheduler: str | None = None
    resume: bool = False
    overwrite: bool = False
    max_runs: int | None = None  # the run cap (--max-runs); None: the file's, else the default

    def worker_count(self) -> int:
        """Workers to use (all cores when 0)."""
        return self.workers if self.workers > 0 else (os.cpu_count() or 1)


@dataclass
class Outcome:
    """What an execution did. ``failed`` holds the first failures' messages by run id,
    ``failures`` counts them all."""

    store: ResultStore
    planned: int
    skipped: int
    done: int = 0
    failed: dict[str, str] = field(default_factory=dict)
    failures: int = 0

    @property
    def complete(self) -> bool:
        """Every planned run is stored."""
        return not self.failures and self.skipped + self.done == self.planned


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
def open_executor(options: RunOptions, on_compile: Callable[[], None] | None = None) -> Iterator[Executor]:
    """The executor ``options`` asks for, closed on exit.

    On a first run after installing, the kernels are compiled once, here, before workers on
    this machine start (``on_compile`` is called first): each worker then loads the compiled
    code instead of compiling it too, with the compiler's memory, at the same moment. Workers
    of a cluster at ``--scheduler`` compile where they run."""
    workers = options.worker_count()
    if options.backend != "dask" or options.scheduler is None:
        compile_elsewhere(on_compile)
    if options.backend == "dask":
        with _dask_executor(options.scheduler, workers) as executor:
            yield executor
    elif workers == 1:
        yield InlineExecutor()
    else:
        context = process_context()
        with ProcessPoolExecutor(
            workers, mp_context=context, initializer=leave_signals_to_the_parent
        ) as pool:
            if context.get_start_method() == "fork":
                pool.submit(int).result()  # forks every worker now, while this is the only thread
            try:
                yield pool
            except BaseException:
                end_worker_processes()
                # Wait for the pool's thread, which sees the workers gone and ends: left to the
                # interpreter's exit, it raced the exit hook (a write to a closed pipe, printed as
                # a traceback, once in about 30 SIGTERMs on Python 3.11).
                pool.shutdown(wait=True, cancel_futures=True)
                raise


def leave_signals_to_the_parent() -> None:
    """Pool workers' initializer: ignore SIGINT, die at once on SIGTERM.

    Ctrl-C reaches the whole process group. A worker that took it as a KeyboardInterrupt could
    die inside the task queue's lock, leaving a sibling blocked on that lock for ever, and the
    parent's exit waits for every worker: ``sim run`` printed "interrupted" and then hung (once
    on CI, 2026-12-03). The parent alone decides to stop, and ends its workers
    (:func:`end_worker_processes`); a SIGTERM (which forked workers would otherwise take
    through the parent's handler, as an interrupt) ends a worker without a traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def end_worker_processes(grace: float = 5.0) -> None:
    """Terminate this process's pool workers (its only ``multiprocessing`` children) and wait
    for them: a stopped sweep's results are already stored, and a worker left running would
    hold the command open until its run ended."""
    children = multiprocessing.active_children()
    for child in children:
        child.terminate()
    for child in children:
        child.join(grace)
        if child.is_alive():
            child.kill()
            child.join()


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
    and closed here. The design is walked lazily (see the module's docstring).

    Raises:
        RunCapError: more runs than the cap (``options.max_runs``, the file's ``max_runs``
            or the default), before anything is made.
        ConfigError: a design point with bad parameters (checked before anything is made
            up to ``FULL_CHECK_POINTS`` points, else when the point's first run starts),
            or a results folder that cannot be used.
    """
    if executor is None:
        with open_executor(options) as opened:  # a bad scheduler fails here, before any folder is made
            return execute(experiment, options, on_start, on_run, opened)
    planned = check_run_cap(experiment, options.max_runs)
    check_points(experiment)
    seeding = {
        "seed": experiment.seed,
        "rule": "SeedSequence(seed, spawn_key=(point_id, replication)), first 63 bits",
    }
    store = ResultStore.open(
        options.out, resolved_tree(experiment), resume=options.resume, overwrite=options.overwrite,
        planned=planned, seeding=seeding,
    )  # fmt: skip
    stored = store.count_stored()
    outcome = Outcome(store, planned=planned, skipped=stored)
    store.start_session(backend=options.backend, workers=options.worker_count(), scheduler=options.scheduler)
    if on_start:
        on_start(planned - stored, planned)
    pending = (spec for spec in iter_runs(experiment) if not (stored and store.is_stored(spec.run_id)))
    window = max(IN_FLIGHT_PER_WORKER * options.worker_count(), IN_FLIGHT_MIN)
    try:
        for spec, future in _completed(executor, pending, _PointParams(experiment), window):
            error = _store_result(store, outcome, spec, future)
            if on_run:
                on_run(spec, error)
    except BaseException:
        store.finish("interrupted")
        raise
    store.finish("complete" if outcome.complete else "failed")
    return outcome


class _PointParams:
    """Each run's parameters, built once per design point (a point's runs come one after
    another, so one point is held at a time). With ``outputs.events: first`` replication 0
    keeps its event log, with ``one`` only replication 0 of point 0 (which changes no result,
    only what is stored)."""

    def __init__(self, experiment: Experiment) -> None:
        self.experiment = experiment
        self.base = experiment.base_params()
        self.current: tuple[int, ModelParams] | None = None  # (point id, its parameters)

    def __call__(self, spec: RunSpec) -> ModelParams:
        if self.experiment.posterior is not None:  # a world of its own for every run
            point = self.experiment.run_point(spec.point, spec.point_id, spec.replication)
            params = self.experiment.params_at(point, self.base)
        else:
            if self.current is None or self.current[0] != spec.point_id:
                self.current = (spec.point_id, self.experiment.params_at(spec.point, self.base))
            params = self.current[1]
        events = self.experiment.outputs.events
        if spec.replication == 0 and (events == "first" or (events == "one" and spec.point_id == 0)):
            return dataclasses.replace(params, record_events=True)
        return params


def _completed(
    executor: Executor, pending: Iterator[RunSpec], params: Callable[[RunSpec], ModelParams], window: int
) -> Iterator[tuple[RunSpec, Future]]:
    """(spec, finished future) pairs: one at a time in this process, so that each run is
    stored before the next starts; as they complete on a pool or cluster, with at most
    ``window`` runs queued or running (and at most as many finished, waiting to be stored)."""
    if isinstance(executor, InlineExecutor):
        for spec in pending:
            yield spec, executor.submit(run_encoded, params(spec), spec)
        return
    in_flight: dict[Future, RunSpec] = {}

    def top_up() -> None:
        for spec in itertools.islice(pending, window - len(in_flight)):
            in_flight[executor.submit(run_encoded, params(spec), spec)] = spec

    top_up()
    while in_flight:
        done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
        finished = [(in_flight.pop(future), future) for future in done]
        top_up()  # before storing, so that workers are not idle while this process writes
        yield from finished


def _store_result(store: ResultStore, outcome: Outcome, spec: RunSpec, future: Future) -> str | None:
    try:
        parts = future.result()
    except Exception as exc:
        message = clip(f"{type(exc).__name__}: {exc}", 1_000)
        store.record_failure(spec.run_id, message)
        outcome.failures += 1
        if len(outcome.failed) < FAILURES_KEPT:
            outcome.failed[spec.run_id] = message
        return message
    store.write_run(spec.run_id, parts)
    outcome.done += 1
    return None
