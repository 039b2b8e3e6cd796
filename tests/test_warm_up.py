"""A first run after installing compiles the kernels in a child process, once, and only then:
the compiler's memory stays out of the run's peak (sim.model.warm_up); ``sim cache warm``
does it by hand."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from sim.cli import app
from sim.experiment import runner
from sim.experiment.backends import Backend
from sim.experiment.runner import RunOptions
from sim.model import kernels, warm_up
from sim.model.kernels.cache import CacheState
from tests.experiments import tiny_experiment


class FakeChild:
    """Stands in for ``subprocess.run``: records each command and answers with ``result``
    (an exit code, with ``stderr``, or an exception to raise)."""

    def __init__(self, result: int | Exception = 0, stderr: str = "") -> None:
        self.result, self.stderr, self.calls = result, stderr, []

    def __call__(self, command, **options):
        self.calls.append((command, options))
        if isinstance(self.result, Exception):
            raise self.result
        return subprocess.CompletedProcess(command, self.result, stderr=self.stderr)


@pytest.fixture
def first_run(monkeypatch):
    """A process that has compiled kernels on, an empty and writable cache (as it found it
    and as it is now) and no child tried yet."""
    monkeypatch.setattr(kernels, "AVAILABLE", True)
    monkeypatch.setattr(kernels, "CACHE", CacheState.EMPTY)
    monkeypatch.setattr(warm_up.cache, "cache_state", lambda folder: CacheState.EMPTY)
    monkeypatch.setattr(warm_up, "_writable", lambda folder: True)
    monkeypatch.setattr(warm_up, "_tried", False)
    monkeypatch.delenv(warm_up._IN_CHILD, raising=False)

    def child(result: int | Exception = 0, stderr: str = "") -> FakeChild:
        fake = FakeChild(result, stderr)
        monkeypatch.setattr(warm_up.subprocess, "run", fake)
        return fake

    return child


def test_an_empty_cache_is_filled_by_one_child_running_the_warm_up_worlds(first_run):
    fake = first_run()
    assert warm_up.compile_elsewhere() is True
    assert warm_up.compile_elsewhere() is False  # once per process
    ((command, options),) = fake.calls
    assert "fill_cache()" in command[-1] and "-P" in command  # not a folder named sim in the cwd
    assert options["env"][warm_up._IN_CHILD] == "1"  # so that the child compiles in itself
    assert options["timeout"] == warm_up.WARM_UP_TIMEOUT_S


@pytest.mark.parametrize(
    ("setting", "value"),
    [("CACHE", CacheState.CURRENT), ("CACHE", CacheState.STALE), ("AVAILABLE", False)],
)
def test_no_child_when_the_cache_is_not_empty_or_kernels_are_off(first_run, monkeypatch, setting, value):
    fake = first_run()
    monkeypatch.setattr(kernels, setting, value)
    assert warm_up.compile_elsewhere() is False and fake.calls == []


def test_the_child_starts_no_child_of_its_own(first_run, monkeypatch):
    fake = first_run()
    monkeypatch.setenv(warm_up._IN_CHILD, "1")
    assert warm_up.compile_elsewhere() is False and fake.calls == []


def test_no_child_when_the_cache_cannot_be_written_or_another_process_began_filling_it(
    first_run, monkeypatch
):
    """Where numba cannot write the cache it caches elsewhere, so the cache would look empty
    to every process, and each would start a child for nothing."""
    fake = first_run()
    monkeypatch.setattr(warm_up, "_writable", lambda folder: False)
    assert warm_up.compile_elsewhere() is False
    monkeypatch.setattr(warm_up, "_tried", False)
    monkeypatch.setattr(warm_up, "_writable", lambda folder: True)
    monkeypatch.setattr(warm_up.cache, "cache_state", lambda folder: CacheState.CURRENT)
    assert warm_up.compile_elsewhere() is False and fake.calls == []


def test_no_child_without_an_interpreter_to_start(first_run, monkeypatch):
    fake = first_run()
    monkeypatch.setattr(warm_up.sys, "executable", "")  # an embedded interpreter may have none
    assert warm_up.compile_elsewhere() is False and fake.calls == []


def test_a_missing_folder_is_as_writable_as_the_nearest_folder_that_exists(tmp_path):
    assert warm_up._writable(tmp_path / "not" / "yet")


@pytest.mark.parametrize(
    ("result", "reason"),
    [
        (1, "ValueError: no such parameter"),
        (3, "exit code 3"),
        (OSError("no such file"), "no such file"),
        (subprocess.TimeoutExpired("python", 900), "timed out"),
    ],
)
def test_a_child_that_fails_warns_and_leaves_compiling_to_the_run_itself(first_run, result, reason):
    fake = first_run(result, stderr="Traceback\nValueError: no such parameter\n" if result == 1 else "")
    with pytest.warns(RuntimeWarning, match=reason):
        assert warm_up.compile_elsewhere() is False
    assert len(fake.calls) == 1


@pytest.fixture
def compiles(monkeypatch) -> list:
    """What happens, in order, as executors open: "compile" (with or without a message)
    and "pool" (a process pool's workers start)."""
    events: list = []
    monkeypatch.setattr(
        runner, "compile_elsewhere", lambda on_start=None: events.append(("compile", on_start))
    )
    pool = runner.ProcessPoolExecutor

    def recorded_pool(*args, **kwargs):
        events.append(("pool", None))
        return pool(*args, **kwargs)

    monkeypatch.setattr(runner, "ProcessPoolExecutor", recorded_pool)
    return events


def test_a_sweep_compiles_once_before_its_workers_start_and_says_so(compiles, tmp_path):
    say = lambda: None  # noqa: E731
    with runner.open_executor(RunOptions(out=tmp_path, workers=2), say):
        pass
    with runner.open_executor(RunOptions(out=tmp_path, workers=1)):
        pass
    assert compiles == [("compile", say), ("pool", None), ("compile", None)]


def test_workers_of_a_remote_cluster_compile_where_they_run(compiles, monkeypatch, tmp_path):
    monkeypatch.setattr(
        runner, "_dask_executor", lambda scheduler, workers: contextlib.nullcontext("cluster")
    )
    remote = RunOptions(out=tmp_path, workers=2, backend=Backend.DASK, scheduler="tcp://10.0.0.1:8786")
    with runner.open_executor(remote) as executor:
        assert executor == "cluster"
    with runner.open_executor(dataclasses.replace(remote, scheduler=None)):  # a LocalCluster, here
        pass
    assert compiles == [("compile", None)]


def test_sim_run_says_why_the_first_run_pauses(compiles, monkeypatch, tmp_path):
    monkeypatch.setattr(runner, "compile_elsewhere", lambda on_start=None: on_start and on_start())
    path = tiny_experiment(tmp_path, replications=1, horizon=10)
    result = CliRunner().invoke(
        app, ["run", str(path), "--out", str(tmp_path / "out"), "--workers", "1", "--no-report"]
    )
    assert result.exit_code == 0, result.stderr
    assert "compiling the model's kernels" in result.stderr
    quiet = CliRunner().invoke(
        app, ["run", str(path), "--out", str(tmp_path / "q"), "-w", "1", "-q", "--no-report"]
    )
    assert quiet.exit_code == 0 and "compiling" not in quiet.stderr


def test_sim_cache_warm_refuses_a_stale_cache(monkeypatch):
    monkeypatch.setattr(kernels, "AVAILABLE", True)
    monkeypatch.setattr(kernels, "CACHE", CacheState.STALE)
    result = CliRunner().invoke(app, ["cache", "warm"])
    assert result.exit_code == 2 and "sim cache clear" in result.stderr


def test_sim_cache_warm_says_so_when_numba_could_not_write_the_cache(monkeypatch):
    monkeypatch.setattr(kernels, "AVAILABLE", True)
    monkeypatch.setattr(kernels, "CACHE", CacheState.EMPTY)
    monkeypatch.setattr(warm_up, "warm_up_run", lambda: None)  # compiled, but cached elsewhere
    monkeypatch.setattr(warm_up.cache, "cache_state", lambda folder: CacheState.EMPTY)
    result = CliRunner().invoke(app, ["cache", "warm"])
    assert result.exit_code == 2 and "NUMBA_CACHE_DIR" in result.stderr


def test_sim_cache_warm_says_there_is_nothing_to_compile_without_kernels(monkeypatch):
    monkeypatch.setattr(kernels, "AVAILABLE", False)
    monkeypatch.setattr(warm_up, "warm_up_run", lambda: pytest.fail("compiled without kernels"))
    result = CliRunner().invoke(app, ["cache", "warm"])
    assert result.exit_code == 0 and "nothing to compile" in result.stdout


CHILD_THEN_RUN = """
import sys
import numba.core.registry
import sim
from sim.model import kernels, warm_up
from sim.model.params import GraphParams

assert kernels.CACHE.value == "empty"
assert warm_up.compile_elsewhere(), "the child did not fill the cache"
params = sim.with_overrides(sim.ModelParams(), {"graph": GraphParams(people=300), "horizon_days": 40})
sim.simulate(params, seed=1)
dispatchers = [
    f for m in list(sys.modules.values()) if m and m.__name__.startswith("sim.model.kernels")
    for f in vars(m).values() if isinstance(f, numba.core.registry.CPUDispatcher)
]
hits = sum(sum(d.stats.cache_hits.values()) for d in dispatchers)
compiled_here = sorted(d.__name__ for d in dispatchers if d.stats.cache_misses)
print(hits, compiled_here)
"""


def test_after_the_child_a_first_run_loads_every_kernel_it_calls_from_the_cache(tmp_path):
    """The real thing, in a fresh process with an empty cache: the child's small worlds call
    every kernel a run calls, so the run itself compiles nothing (about 30 s: it compiles)."""
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("NETWORKING_SIM_PURE_NUMPY", None)
    done = subprocess.run(
        [sys.executable, "-c", CHILD_THEN_RUN],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    hits, compiled_here = done.stdout.split(maxsplit=1)
    assert int(hits) > 20 and compiled_here.strip() == "[]"
