"""Interrupted sweeps: kill part way (SIGINT like Ctrl-C, SIGKILL like a lost node), then
--resume, and get exactly the tables of an uninterrupted run; no part is ever half-written."""

from __future__ import annotations

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
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )


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
    ("sig", "workers"), [(signal.SIGINT, 2), (signal.SIGKILL, 1)], ids=["SIGINT", "SIGKILL"]
)
def test_kill_then_resume_gives_the_uninterrupted_tables(experiment_file, reference, tmp_path, sig, workers):
    out = tmp_path / "res"
    process = start(experiment_file, out, workers)
    wait_for_runs(process, out, 2)
    os.killpg(process.pid, sig)  # the whole group, as Ctrl-C in a terminal or a scheduler kill would
    _, stderr = process.communicate(timeout=120)
    stored = len(stored_runs(out))
    assert 2 <= stored < RUNS
    if sig == signal.SIGINT:
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
