"""Calibration (sim calibrate): ABC-SMC narrows a prior, stores its posterior, predictive
checks and history, and is bit-identical with one worker."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from sim.cli import app

from .experiments import BRISK_HIRING, tiny_experiment

runner = CliRunner()
pytest.importorskip("pyabc")

PRIOR = (0.001, 0.1)


def calibration_block(population: int, generations: int, predictive: int, target: str = "mean_days") -> str:
    return (f"calibration:\n  population: {population}\n  generations: {generations}\n  predictive: {predictive}\n"
            f"  priors:\n    market.opening_rate: [{PRIOR[0]}, {PRIOR[1]}]\n"
            f"  targets:\n    {target}: {{value: 86, source: 'a slow market, for this test'}}\n")  # fmt: skip


def calibrate(folder, population=8, generations=3, predictive=6, target="mean_days", small=False):
    folder.mkdir(parents=True, exist_ok=True)
    # 150 people, 20 seekers, 90 days, hiring in 28 days: mean days to hire falls from about 86 to about 40 as
    # openings go from 0.003 to 0.1 per manager and day (small: a cheaper world, no signal)
    file = tiny_experiment(folder, replications=1, horizon=30 if small else 90, people=100 if small else 150,
                           extra=BRISK_HIRING + calibration_block(population, generations, predictive, target))  # fmt: skip
    if not small:
        file.write_text(file.read_text().replace("{polite: 3, nfl: 3}", "{polite: 10, nfl: 10}"))
    out = folder / "out"
    result = runner.invoke(app, ["calibrate", str(file), "--out", str(out), "--workers", "1"])
    return result, out / "calibration"


@pytest.fixture(scope="module")
def calibration_run(tmp_path_factory):
    result, folder = calibrate(tmp_path_factory.mktemp("abc"))
    assert result.exit_code == 0, result.output
    return result, folder


@pytest.fixture(scope="module")
def calibrated(calibration_run):
    return calibration_run[1]


def test_the_posterior_is_much_narrower_than_the_prior(calibrated):
    posterior = pd.read_parquet(calibrated / "posterior.parquet")
    assert list(posterior.columns) == ["market.opening_rate", "weight"]
    assert len(posterior) == 8  # one row per particle of the last generation
    weights = posterior["weight"] / posterior["weight"].sum()
    values = posterior["market.opening_rate"]
    mean = float((weights * values).sum())
    spread = float(np.sqrt((weights * (values - mean) ** 2).sum()))
    prior_spread = (PRIOR[1] - PRIOR[0]) / np.sqrt(12)
    assert spread < 0.5 * prior_spread
    assert values.between(*PRIOR).all()


def test_predictive_checks_and_history_are_stored(calibrated):
    predictive = pd.read_parquet(calibrated / "predictive.parquet")
    assert predictive[["target", "observed"]].values.tolist() == [["mean_days", 86.0]]
    row = predictive.iloc[0]
    assert row["low"] <= row["predicted_median"] <= row["high"] and row["draws"] == 6
    history = pd.read_parquet(calibrated / "history.parquet")
    assert history["generation"].tolist() == [0, 1, 2]
    assert history["acceptance_rate"].between(0, 1, inclusive="right").all()
    assert history["epsilon"].is_monotonic_decreasing  # the tolerance shrinks each generation
    assert (calibrated / "abc.db").stat().st_size > 0
    assert (calibrated / "plots" / "posterior.png").exists() and (
        calibrated / "plots" / "predictive_check.png"
    ).exists()


def test_the_command_prints_the_weighted_median_and_interval_of_each_parameter(calibration_run):
    result, folder = calibration_run
    posterior = pd.read_parquet(folder / "posterior.parquet")
    ordered = posterior.sort_values("market.opening_rate")
    cumulative = ordered["weight"].cumsum() / ordered["weight"].sum()
    median = ordered["market.opening_rate"][cumulative >= 0.5].iloc[0]
    line = next(line for line in result.output.splitlines() if line.startswith("- market.opening_rate:"))
    assert line.split()[2] == f"{median:.3g}"
    low, high = (float(end) for end in line.split("[")[1].rstrip("]").split(" to "))
    assert low <= median <= high


def test_one_worker_gives_the_same_posterior_again(tmp_path):
    from sim.experiment import RunOptions, load_experiment
    from sim.research import calibration

    file = tiny_experiment(tmp_path, replications=1, horizon=30, people=100, extra=calibration_block(5, 2, 2))
    study = calibration.plan(load_experiment(file))
    a = calibration.calibrate(study, RunOptions(out=tmp_path / "a", workers=1))
    b = calibration.calibrate(study, RunOptions(out=tmp_path / "b", workers=1))
    pd.testing.assert_frame_equal(a.posterior, b.posterior)
    pd.testing.assert_frame_equal(a.predictive, b.predictive)
    pd.testing.assert_frame_equal(pd.read_parquet(a.folder / "posterior.parquet"), a.posterior)


def test_bad_target_and_existing_results_exit_2(tmp_path):
    bad, folder = calibrate(tmp_path / "bad", target="mean_days.nobody")
    assert bad.exit_code == 2 and "'calibration.targets'" in bad.output and not folder.exists()
    (tmp_path / "again" / "out" / "calibration").mkdir(parents=True)
    again, _ = calibrate(tmp_path / "again", small=True)
    assert again.exit_code == 2 and "--overwrite" in again.output


_CALLS = {"n": 0}


def _interrupting(study, after: int):
    """The study with a simulator that stops the calibration (as Ctrl-C does) at its
    ``after + 1``-th model call."""
    import dataclasses

    from sim.research.calibration import Simulator

    @dataclasses.dataclass(frozen=True)
    class Interrupting(Simulator):
        def __call__(self, parameter):
            _CALLS["n"] += 1
            if _CALLS["n"] > after:
                raise KeyboardInterrupt
            return super().__call__(parameter)

    fields = {f.name: getattr(study.simulator, f.name) for f in dataclasses.fields(Simulator)}
    _CALLS["n"] = 0
    return dataclasses.replace(study, simulator=Interrupting(**fields))


def test_an_interrupted_calibration_keeps_its_generations_and_resumes(tmp_path):
    import shutil

    from sim.experiment import ConfigError, RunOptions, load_experiment
    from sim.research import calibration

    # How many model calls pyabc makes up to the end of generation 0 (the same with one worker each time).
    for name in ("one", "two"):
        (tmp_path / name).mkdir()
    one = calibration.plan(load_experiment(
        tiny_experiment(tmp_path / "one", replications=1, horizon=30, people=100, extra=calibration_block(5, 1, 2))
    ))  # fmt: skip
    counted = _interrupting(one, after=10**9)
    calibration.calibrate(counted, RunOptions(out=tmp_path / "one" / "out", workers=1))
    per_generation = _CALLS["n"]  # pyabc's calls: its calibration sample and generation 0

    file = tiny_experiment(
        tmp_path / "two", replications=1, horizon=30, people=100, extra=calibration_block(5, 2, 2)
    )
    study = calibration.plan(load_experiment(file))
    out = tmp_path / "two" / "out"
    with pytest.raises(KeyboardInterrupt):  # stopped in the second generation
        calibration.calibrate(_interrupting(study, after=per_generation), RunOptions(out=out, workers=1))
    partial = out / calibration.PARTIAL
    assert not (out / "calibration").exists()  # nothing that looks finished
    assert calibration.kept_after_interruption(partial) == 1 and (partial / "abc.db").exists()

    with pytest.raises(ConfigError, match="--resume"):  # neither --resume nor --overwrite
        calibration.calibrate(study, RunOptions(out=out, workers=1))
    shutil.copytree(partial, tmp_path / "copy")
    first = calibration.calibrate(study, RunOptions(out=out, workers=1, resume=True))
    assert first.history["generation"].tolist() == [0, 1] and not partial.exists()
    assert (out / "calibration" / "abc.db").stat().st_size > 0

    # the same interrupted state, resumed again elsewhere: bit-identical with one worker
    again = tmp_path / "again"
    again.mkdir()
    shutil.copytree(tmp_path / "copy", again / calibration.PARTIAL)
    second = calibration.calibrate(study, RunOptions(out=again, workers=1, resume=True))
    pd.testing.assert_frame_equal(first.posterior, second.posterior)
    # the first generation is the one the interrupted calibration finished
    uninterrupted = calibration.calibrate(study, RunOptions(out=tmp_path / "whole", workers=1))
    assert first.history.iloc[0].equals(uninterrupted.history.iloc[0])
    manifest = json.loads((out / "calibration" / "manifest.json").read_text())
    assert manifest["resumed_at_generation"] == 1 and manifest["bit_identical_rerun"] is False
    assert manifest["global_rng_seed"] == calibration.abc_seed(study, 1)

    # an interrupted --overwrite of a finished calibration resumes too, and replaces it
    shutil.copytree(tmp_path / "copy", out / calibration.PARTIAL)
    replaced = calibration.calibrate(study, RunOptions(out=out, workers=1, resume=True))
    pd.testing.assert_frame_equal(replaced.posterior, first.posterior)

    # resumed with no more generations than were finished (a deadline), it stops there; any
    # other change to the configuration is still refused
    short = calibration.plan(load_experiment(file, ["calibration.generations=1"]))
    shutil.copytree(tmp_path / "copy", tmp_path / "short" / calibration.PARTIAL)
    stopped = calibration.calibrate(short, RunOptions(out=tmp_path / "short", workers=1, resume=True))
    assert stopped.history["generation"].tolist() == [0]
    assert stopped.history.iloc[0].equals(first.history.iloc[0])
    bigger = calibration.plan(load_experiment(file, ["calibration.population=6"]))
    shutil.copytree(tmp_path / "copy", tmp_path / "bigger" / calibration.PARTIAL)
    with pytest.raises(ConfigError, match="another configuration"):
        calibration.calibrate(bigger, RunOptions(out=tmp_path / "bigger", workers=1, resume=True))

    # a database that cannot be read is reported, never deleted
    shutil.copytree(tmp_path / "copy", again / calibration.PARTIAL)
    (again / calibration.PARTIAL / "abc.db").write_bytes(b"not a database")
    with pytest.raises(ConfigError, match="cannot read"):
        calibration.calibrate(study, RunOptions(out=again, workers=1, resume=True, overwrite=False))
    assert (again / calibration.PARTIAL / "abc.db").read_bytes() == b"not a database"


def test_an_interruption_before_any_generation_finished_leaves_no_folder(tmp_path):
    """What ``sim calibrate`` does on Ctrl-C or SIGTERM: a partial folder that kept no
    generation is removed (it would look like a calibration to resume)."""
    from sim.research import calibration

    partial = tmp_path / "out" / calibration.PARTIAL
    partial.mkdir(parents=True)
    (partial / "config.yaml").write_text("name: x\n")
    assert calibration.kept_after_interruption(partial) == 0 and not partial.exists()


def test_resume_needs_the_same_configuration_and_something_to_resume(tmp_path):
    out = tmp_path / "out"
    file = tiny_experiment(tmp_path, replications=1, horizon=30, people=100, extra=calibration_block(5, 1, 2))
    result = runner.invoke(app, ["calibrate", str(file), "--out", str(out), "--resume"])
    assert result.exit_code == 2 and "no interrupted calibration" in result.output
    (out / "calibration.partial").mkdir(parents=True)
    (out / "calibration.partial" / "config.yaml").write_text("name: another\n")
    result = runner.invoke(app, ["calibrate", str(file), "--out", str(out), "--resume"])
    assert result.exit_code == 2 and "another configuration" in result.output
    both = runner.invoke(app, ["calibrate", str(file), "--out", str(out), "--resume", "--overwrite"])
    assert both.exit_code == 2 and "exclude each other" in both.output
    # nothing finished in that partial folder (no database): a new calibration just starts afresh
    fresh = runner.invoke(app, ["calibrate", str(file), "--out", str(out), "--workers", "1", "--quiet"])
    assert fresh.exit_code == 0, fresh.output
    assert (out / "calibration" / "posterior.parquet").exists() and not (out / "calibration.partial").exists()


def test_a_second_calibration_in_the_same_folder_is_refused_while_the_first_runs(tmp_path):
    fcntl = pytest.importorskip("fcntl")
    from sim.experiment import ConfigError, RunOptions, load_experiment
    from sim.research import calibration

    file = tiny_experiment(tmp_path, replications=1, horizon=30, people=100, extra=calibration_block(5, 1, 2))
    study = calibration.plan(load_experiment(file))
    out = tmp_path / "out"
    out.mkdir()
    with open(out / ".calibration.lock", "a+") as held:  # as a running calibration holds it
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(ConfigError, match="another calibration is running"):
            calibration.calibrate(study, RunOptions(out=out, workers=1, overwrite=True))
        assert not (out / "calibration.partial").exists()  # nothing of the first one touched
    calibration.calibrate(study, RunOptions(out=out, workers=1))  # once it has ended
    assert (out / "calibration" / "posterior.parquet").exists() and not (out / ".calibration.lock").exists()
