"""Interrupted sweeps: kill part way (SIGINT like Ctrl-C, SIGKILL like a lost node), then
--resume, and get exactly the tables of an uninterrupted run; no part is ever half-written."""

from __future__ import annotations

import errno
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

import sim.results
from sim.experiment import RunOptions, execute, load_experiment

from .experiments import tiny_experiment
from .test_runner import assert_same_results

RUNS = 24


@pytest.fixture(scope="module")
def experiment_file(tmp_path_factory) -> Path:
    # Runs of about a fifth of a second each (2026-11-30), and enough of them that a kill lands
    # well before the sweep ends.
    return tiny_experiment(tmp_path_factory.mktemp("int"), replications=RUNS, horizon=300, people=700)


@pytest.fixture(scope="module")
def reference(experiment_file, tmp_path_factory):
    out = tmp_path_factory.mktemp("ref") / "res"
    execute(load_experiment(experiment_file), RunOptions(out=out, workers=1))
    return sim.results.load(out)


def stored_runs(out: Path) -> list[Path]:
    runs = out / "runs"
    return [p for p in runs.iterdir() if not p.name.startswith(".")] if runs.exists() else []


def start(experiment_file: Path, out: Path, workers: int) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "sim",
        "run",
        str(experiment_file),
        "--out",
        str(out),
        "--workers",
        str(workers),
        "-q",
        "--no-report",
    ]
    return subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=_ctrl_c_as_in_a_terminal,
    )


def _ctrl_c_as_in_a_terminal() -> None:
    """Give the child the default SIGINT, as in a terminal. A shell's background job (``cmd
    &`` without job control) ignores SIGINT, and children inherit that: a suite started so
    saw every run finish despite the signal."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def wait_for_runs(process: subprocess.Popen, out: Path, count: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while len(stored_runs(out)) < count:
        assert process.poll() is None, "the run ended before it could be interrupted"
        assert time.monotonic() < deadline, "no runs were stored in time"
        time.sleep(0.05)


def assert_every_part_is_whole(out: Path) -> None:
    for run in stored_runs(out):
        names = sorted(p.name for p in run.iterdir())
        assert names == ["daily.parquet", "runs.parquet", "seekers.parquet"], names
        for part in run.iterdir():
            assert len(pd.read_parquet(part)) > 0


@pytest.mark.parametrize(
    ("sig", "workers"),
    [(signal.SIGINT, 2), (signal.SIGTERM, 2), (signal.SIGKILL, 1)],
    ids=["SIGINT", "SIGTERM", "SIGKILL"],
)
def test_kill_then_resume_gives_the_uninterrupted_tables(experiment_file, reference, tmp_path, sig, workers):
    out = tmp_path / "res"
    process = start(experiment_file, out, workers)
    wait_for_runs(process, out, 2)
    os.killpg(process.pid, sig)  # the whole group, as Ctrl-C in a terminal or a scheduler kill would
    _, stderr = process.communicate(timeout=120)
    stored = len(stored_runs(out))
    assert 2 <= stored < RUNS
    if sig in (signal.SIGINT, signal.SIGTERM):  # a scheduler's SIGTERM stops it as Ctrl-C does
        assert process.returncode == 130
        assert "--resume" in stderr and "Traceback" not in stderr
    else:
        assert process.returncode == -signal.SIGKILL
    assert_every_part_is_whole(out)
    assert not sim.results.load(out).complete
    resumed = subprocess.run([sys.executable, "-m", "sim", "run", str(experiment_file), "--out", str(out), "--workers",
                              str(workers), "--resume", "-q", "--no-report"], capture_output=True, text=True, timeout=300)  # fmt: skip
    assert resumed.returncode == 0, resumed.stderr
    assert_every_part_is_whole(out)
    final = sim.results.load(out)
    assert final.complete
    assert_same_results(reference, final)


def test_a_full_disk_mid_sweep_is_a_clear_error_and_resume_finishes_it(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from sim.cli import app
    from sim.experiment import store

    path = tiny_experiment(tmp_path, replications=4)
    reference = tmp_path / "reference"
    execute(load_experiment(path), RunOptions(out=reference, workers=1))
    real_fsync = store._fsync

    def disk_full_at_run_2(file: Path) -> None:  # the third run's first part fills the disk
        if "r0002" in str(file):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(file))
        real_fsync(file)

    monkeypatch.setattr(store, "_fsync", disk_full_at_run_2)
    out = tmp_path / "res"
    args = ["run", str(path), "--out", str(out), "--workers", "1", "-q", "--no-report"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2 and "No space left on device" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert len(stored_runs(out)) == 2 and not [p for p in (out / "runs").iterdir() if p.name.startswith(".")]
    assert not sim.results.load(out).complete
    monkeypatch.undo()
    resumed = CliRunner().invoke(app, [*args, "--resume"])
    assert resumed.exit_code == 0, resumed.stderr
    assert_same_results(sim.results.load(reference), sim.results.load(out))


def test_a_dask_worker_killed_mid_sweep_still_leaves_identical_tables(tmp_path):
    pytest.importorskip("distributed")
    from sim.experiment import open_executor

    path = tiny_experiment(tmp_path, replications=6, horizon=120)
    reference = tmp_path / "reference"
    execute(load_experiment(path), RunOptions(out=reference, workers=1))
    options = RunOptions(out=tmp_path / "dask", workers=2, backend="dask")
    killed: list[int] = []
    with open_executor(options) as executor:
        client = executor._client

        def kill_a_worker_once(spec, error) -> None:
            if not killed:
                pid = next(iter(client.run(os.getpid).values()))
                os.kill(pid, signal.SIGKILL)  # the nanny starts another; Dask runs its tasks again
                killed.append(pid)

        outcome = execute(load_experiment(path), options, on_run=kill_a_worker_once, executor=executor)
    assert killed and outcome.complete and outcome.done == 6
    assert_same_results(sim.results.load(reference), sim.results.load(options.out))


def test_pool_workers_leave_ctrl_c_to_the_parent_and_end_with_an_interrupt(tmp_path):
    from sim.experiment import open_executor

    options = RunOptions(out=tmp_path / "unused", workers=2)
    with pytest.raises(KeyboardInterrupt), open_executor(options) as pool:
        assert pool.submit(signal.getsignal, signal.SIGINT).result() == signal.SIG_IGN
        assert pool.submit(signal.getsignal, signal.SIGTERM).result() == signal.SIG_DFL
        pool.submit(time.sleep, 60)  # a run still going when Ctrl-C comes
        raise KeyboardInterrupt
    assert multiprocessing.active_children() == []
