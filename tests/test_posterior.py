"""Worlds drawn from a calibration's posterior: each run draws its own parameters, the same
way whatever the order of runs, with the file checked before anything runs."""

from __future__ import annotations

import pandas as pd
import pytest
from scipy import stats
from typer.testing import CliRunner

import sim.results
from sim.cli import app
from sim.experiment.config import ConfigError, load_experiment

from .experiments import tiny_experiment

runner = CliRunner()


def _posterior(folder, rows, name="posterior.csv"):
    path = folder / name
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def test_each_run_draws_its_world_in_proportion_to_the_weights(tmp_path):
    _posterior(tmp_path, {"market.opening_rate": [0.002, 0.004, 0.008], "weight": [1.0, 3.0, 0.0]})
    experiment = load_experiment(tiny_experiment(tmp_path, extra="posterior: {file: posterior.csv}\n"))
    draws = [experiment.run_point({}, 0, r)["market.opening_rate"] for r in range(400)]
    assert 0.008 not in draws  # a particle of weight 0 is never drawn
    heavy = sum(d == 0.004 for d in draws)
    # 400 draws with p = 3/4: the two-sided 99.9% binomial range
    low, high = stats.binom.ppf([0.0005, 0.9995], 400, 0.75)
    assert low <= heavy <= high
    assert experiment.run_point({}, 0, 7) == experiment.run_point({}, 0, 7)  # keyed by the run, not by order


def test_runs_record_the_drawn_values_and_repeat_them_with_two_workers(tmp_path):
    _posterior(tmp_path, {"market.opening_rate": [0.002, 0.009], "weight": [1.0, 1.0]})
    path = tiny_experiment(tmp_path, replications=6, horizon=20, extra="posterior: {file: posterior.csv}\n")
    tables = {}
    for workers in ("1", "2"):
        out = tmp_path / f"out{workers}"
        result = runner.invoke(
            app, ["run", str(path), "--out", str(out), "--workers", workers, "--no-report"]
        )
        assert result.exit_code == 0, result.output
        tables[workers] = (
            sim.results.load(out).runs.sort_values(["run_id", "strategy"]).reset_index(drop=True)
        )
    experiment = load_experiment(path)
    runs = tables["1"]
    for run_id, rate in runs.groupby("run_id")["market.opening_rate"].first().items():
        replication = int(run_id.split("-r")[1])
        assert rate == experiment.run_point({}, 0, replication)["market.opening_rate"]
    assert runs["market.opening_rate"].nunique() == 2  # six runs, two particles: both drawn here
    pd.testing.assert_frame_equal(runs, tables["2"])


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (None, "no such file"),
        ({"market.opening_rate": [0.002]}, "no 'weight' column"),
        ({"market.no_such_rate": [0.002], "weight": [1.0]}, "no_such_rate"),
        ({"market.opening_rate": [0.002], "weight": [-1.0]}, "weights must be"),
        ({"market.opening_rate": ["fast"], "weight": [1.0]}, "numbers"),
    ],
)
def test_a_bad_posterior_file_is_refused_by_name_before_any_run(tmp_path, rows, expected):
    if rows is not None:
        _posterior(tmp_path, rows)
    path = tiny_experiment(tmp_path, extra="posterior: {file: posterior.csv}\n")
    with pytest.raises(ConfigError, match=expected) as caught:
        load_experiment(path)
    assert "posterior.file" in str(caught.value) and str(path) in str(caught.value)
    result = runner.invoke(app, ["run", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2 and not (tmp_path / "out").exists()
    assert "Traceback" not in result.output
