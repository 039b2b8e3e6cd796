"""Calibration against observed figures: approximate Bayesian computation (pyabc's ABC-SMC).

The ``calibration:`` block gives uniform priors on parameters (by dotted path) and targets:
observed values of named outputs (:mod:`sim.analysis.outputs`), each with its source. A
particle's summary statistics are the outputs averaged over ``replications`` runs of the
model at that particle's parameters, each run built and executed by :mod:`sim.experiment`.
The distance is the Euclidean norm of the relative errors (each output minus its target,
over the target), so targets in days and in shares weigh alike. pyabc's ABC-SMC then
shrinks the tolerance generation by generation (median of the last distances) for at most
``generations`` generations of ``population`` particles.

While it runs, pyabc writes each finished generation to ``OUT/calibration.partial/abc.db``
(beside the run's ``config.yaml``); an interrupted calibration (Ctrl-C, a killed job) keeps
them there, and ``--resume`` goes on from the last finished generation.

Stored under ``OUT/calibration/`` in one step at the end: ``posterior.parquet`` (one row per
particle of the last generation: a column per parameter and ``weight``),
``predictive.parquet`` (per target: observed, predicted median and 95% interval over
``predictive`` draws from the posterior, each run afresh), ``history.parquet`` (per
generation: tolerance, distances, samples and acceptance rate), ``abc.db`` (pyabc's SQLite
database), ``config.yaml`` and ``manifest.json``; figures by :mod:`sim.viz.research`.

Reproducibility: a run's seed comes from ``SeedSequence(seed, spawn_key=(stream, bits of
the parameter values..., replication))``, so every simulation is a pure function of its
parameters and can be repeated alone. pyabc draws particles from numpy's global generator,
which is seeded from the experiment's ``SeedSequence`` before the run: with ``--workers 1``
the whole calibration is bit-identical for the same file and seed. With several workers or
Dask, pyabc's samplers reseed each worker from the operating system and accept particles in
the order they finish, so the posterior is the same only in distribution. A resumed
calibration seeds the global generator afresh from the seed and the generation it resumes
at: with ``--workers 1``, two resumptions from the same point are bit-identical, and the
posterior is the same in distribution as that of a calibration never interrupted.
"""

from __future__ import annotations

import contextlib
import json
import logging
import random
import shutil
from collections.abc import Iterator
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from sim.analysis.outputs import OutputName, parse_output, run_outputs
from sim.experiment import ConfigError, Experiment, RunOptions, RunSpec, open_executor, run_one
from sim.experiment.config import resolved_tree
from sim.experiment.store import environment
from sim.model.model import seed_to_int
from sim.research.common import STREAMS, atomic_folder, check_ranges, field_error, require, stream_seed

__all__ = [
    "CalibrationResult",
    "CalibrationStudy",
    "Simulator",
    "abc_seed",
    "calibrate",
    "finished_generations",
    "kept_after_interruption",
    "plan",
]

FOLDER = "calibration"
#: Where the generations of a calibration under way are kept until it has finished.
PARTIAL = "calibration.partial"


@dataclass(frozen=True)
class Simulator:
    """The model as pyabc sees it: parameter values in, mean outputs over replications out.

    A plain frozen dataclass, so that it pickles to process-pool and Dask workers.
    """

    experiment: Experiment
    paths: tuple[str, ...]
    outputs: tuple[OutputName, ...]
    seed: int

    def run(self, values: dict[str, float], draw: int = 0) -> dict[str, float]:
        """Mean of each output over the experiment's replications at ``values``; ``draw``
        separates repeated draws of the same values (posterior predictive checks)."""
        params = self.experiment.params_at(values)
        bits = [int(b) for b in np.asarray([values[p] for p in self.paths], np.float64).view(np.uint64)]
        tables = []
        for replication in range(self.experiment.replications):
            sequence = np.random.SeedSequence(self.seed, spawn_key=(STREAMS["abc"], *bits, draw, replication))
            spec = RunSpec(f"d{draw}-r{replication}", 0, replication, seed_to_int(sequence), dict(values))
            tables.append(run_one(params, spec).seekers)
        per_run = run_outputs(pd.concat(tables, ignore_index=True), self.outputs, float(params.horizon_days))
        return {name.text: float(per_run[name.text].mean()) for name in self.outputs}

    def __call__(self, parameter: Any) -> dict[str, float]:
        """Pyabc's model call: a particle's parameters (a mapping by path)."""
        return self.run({p: float(parameter[p]) for p in self.paths})


@dataclass(frozen=True)
class CalibrationStudy:
    """A checked ``calibration:`` block and the simulator it calibrates."""

    experiment: Experiment
    simulator: Simulator
    observed: dict[str, float]

    @property
    def priors(self) -> dict[str, tuple[float, float]]:
        """Uniform prior ranges by dotted path."""
        return {p: tuple(b) for p, b in self.experiment.calibration.priors.items()}


@dataclass(frozen=True)
class CalibrationResult:
    """The stored tables of a calibration."""

    posterior: pd.DataFrame
    predictive: pd.DataFrame
    history: pd.DataFrame
    folder: Path


def plan(experiment: Experiment) -> CalibrationStudy:
    """Check the ``calibration:`` block.

    Raises:
        ConfigError: no block, a sweep beside it, a prior that builds no valid parameters, or
            an unknown target output; the message names the file and the field.
    """
    spec = experiment.calibration
    if spec is None:
        raise field_error(experiment, "calibration", "missing; sim calibrate needs a calibration: block")
    if experiment.sweep is not None:
        raise field_error(experiment, "sweep", "a calibration explores its priors itself; remove sweep:")
    check_ranges(experiment, spec.priors, "calibration.priors")
    strategies = list(experiment.seeker_counts())
    try:
        outputs = tuple(parse_output(name, strategies) for name in spec.targets)
    except ValueError as exc:
        raise field_error(experiment, "calibration.targets", str(exc)) from None
    seed = spec.seed if spec.seed is not None else experiment.seed
    simulator = Simulator(experiment, tuple(spec.priors), outputs, seed)
    return CalibrationStudy(experiment, simulator, {k: t.value for k, t in spec.targets.items()})


def _sampler(pyabc: Any, executor: Executor, options: RunOptions) -> Any:
    if options.backend == "local" and options.worker_count() == 1:
        return pyabc.sampler.SingleCoreSampler()
    return pyabc.sampler.ConcurrentFutureSampler(executor, client_max_jobs=options.worker_count())


def _abc(
    study: CalibrationStudy, executor: Executor, options: RunOptions, database: Path, resume: bool
) -> tuple[Any, int]:
    """The ABC-SMC run (pyabc), new or resumed from the generations ``database`` holds; and
    the generation it resumed at (0 for a new run)."""
    pyabc = require("pyabc", "sim calibrate")
    spec = study.experiment.calibration
    prior = pyabc.Distribution(
        **{p: pyabc.RV("uniform", low, high - low) for p, (low, high) in study.priors.items()}
    )
    weights = {name: 1 / abs(value) if value else 1.0 for name, value in study.observed.items()}
    abc = pyabc.ABCSMC(study.simulator, prior, pyabc.PNormDistance(p=2, fixed_weights=weights),
                       population_size=spec.population, sampler=_sampler(pyabc, executor, options))  # fmt: skip
    done = finished_generations(database) if resume else 0
    np.random.seed(abc_seed(study, done))  # pyabc draws particles from numpy's global generator
    random.seed(abc_seed(study, done))
    if done:
        abc.load(f"sqlite:///{database}", 1)
    else:
        database.unlink(missing_ok=True)  # no generation finished (read above): start afresh
        abc.new(f"sqlite:///{database}", study.observed)
    if done >= spec.generations:
        return abc.history, done
    return abc.run(max_nr_populations=spec.generations - done), done


def abc_seed(study: CalibrationStudy, resumed_at: int) -> int:
    """The seed of numpy's global generator for a calibration, or for one resumed at
    generation ``resumed_at`` (its own stream, so that a resumption is reproducible)."""
    if resumed_at:
        return stream_seed(study.simulator.seed, "abc", resumed_at)
    return stream_seed(study.simulator.seed, "abc")


def finished_generations(database: Path) -> int:
    """How many generations an interrupted calibration stored in ``database`` (0 if none).

    Raises:
        ConfigError: the database exists but cannot be read (another process may hold it,
            or it was written by another pyabc version); nothing is deleted.
    """
    if not database.exists():
        return 0
    pyabc = require("pyabc", "sim calibrate")
    try:
        last = pyabc.History(f"sqlite:///{database}", _id=1).max_t
    except Exception as exc:  # SQLAlchemy's and pyabc's errors vary
        raise ConfigError(
            f"{database}: cannot read the interrupted calibration ({type(exc).__name__}: {exc}); "
            "if no other calibration is using it, add --overwrite to start afresh"
        ) from None
    return 0 if last is None or last < 0 else int(last) + 1


def kept_after_interruption(partial: Path) -> int:
    """After an interruption: how many finished generations ``partial`` keeps for
    ``--resume``. A folder that kept none is removed, so that nothing is left beside OUT
    that looks like a calibration to go on from.

    Raises:
        ConfigError: the generations cannot be read (:func:`finished_generations`); the
            folder is then left as it is.
    """
    done = finished_generations(partial / "abc.db")
    if done == 0:
        shutil.rmtree(partial, ignore_errors=True)
    return done


def _history(history: Any) -> pd.DataFrame:
    populations = history.get_all_populations()
    rows = []
    for row in populations[populations["t"] >= 0].itertuples():
        distances = history.get_weighted_distances(t=int(row.t))
        rows.append({"generation": int(row.t), "epsilon": float(row.epsilon), "samples": int(row.samples),
                     "particles": int(row.particles), "acceptance_rate": row.particles / row.samples,
                     "distance_median": float(distances["distance"].median()),
                     "distance_max": float(distances["distance"].max())})  # fmt: skip
    return pd.DataFrame(rows)


def _predictive(study: CalibrationStudy, posterior: pd.DataFrame, executor: Executor) -> pd.DataFrame:
    spec = study.experiment.calibration
    rng = np.random.default_rng(stream_seed(study.simulator.seed, "predictive"))
    weights = posterior["weight"].to_numpy(float)
    picks = rng.choice(len(posterior), size=spec.predictive, p=weights / weights.sum())
    draws = [{p: float(posterior[p].iloc[i]) for p in study.simulator.paths} for i in picks]
    futures = [
        executor.submit(study.simulator.run, values, draw) for draw, values in enumerate(draws, start=1)
    ]
    predicted = pd.DataFrame([f.result() for f in futures])
    rows = []
    for name, observed in study.observed.items():
        values = predicted[name].dropna()
        low, median, high = np.quantile(values, [0.025, 0.5, 0.975]) if len(values) else (np.nan,) * 3
        rows.append({"target": name, "observed": observed, "predicted_median": float(median), "low": float(low),
                     "high": float(high), "draws": len(values), "source": spec.targets[name].source})  # fmt: skip
    return pd.DataFrame(rows)


def calibrate(study: CalibrationStudy, options: RunOptions, verbose: bool = False) -> CalibrationResult:
    """Run ABC-SMC, then the posterior predictive check, and write ``OUT/calibration/``.

    ``verbose`` lets pyabc log each generation (tolerance, acceptance, timing).

    Each finished generation is kept in ``OUT/calibration.partial`` until the end, so that
    ``options.resume`` can go on after an interruption.

    Raises:
        ConfigError: ``OUT/calibration`` exists and ``options.overwrite`` is off; an
            interrupted calibration is in the way, or missing for ``options.resume``
            (:func:`_partial_folder`); or OUT cannot be written.
    """
    final = Path(options.out) / FOLDER
    if final.exists() and not (options.overwrite or options.resume):
        raise ConfigError(
            f"--out {options.out}: already holds a calibration; add --overwrite or choose another --out"
        )
    started = datetime.now(UTC).isoformat(timespec="seconds")
    require("pyabc", "sim calibrate")  # its loggers exist once it is imported
    loggers = [
        logging.getLogger(n) for n in list(logging.root.manager.loggerDict) if n.split(".")[0] == "ABC"
    ]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.INFO if verbose else logging.WARNING)
    try:
        with _only_calibration_in(Path(options.out)):
            result = _calibrate_locked(study, options, final, started)
    except OSError as exc:
        raise ConfigError(f"--out {options.out}: cannot write there ({exc.strerror or exc})") from None
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)
    return result


def _calibrate_locked(
    study: CalibrationStudy, options: RunOptions, final: Path, started: str
) -> CalibrationResult:
    """:func:`calibrate`'s work, once no other calibration can write to the same folder."""
    partial = _partial_folder(study, options)
    with atomic_folder(final) as folder, open_executor(options) as executor:
        history, resumed_at = _abc(study, executor, options, partial / "abc.db", options.resume)
        frame, weights = history.get_distribution(m=0, t=history.max_t)
        columns = {p: frame[p].to_numpy(float) for p in study.simulator.paths}
        posterior = pd.DataFrame({**columns, "weight": np.asarray(weights, float)})
        predictive = _predictive(study, posterior, executor)
        result = CalibrationResult(posterior, predictive, _history(history), final)
        _write(study, result, folder, options, started, resumed_at)
        shutil.copy2(partial / "abc.db", folder / "abc.db")
    shutil.rmtree(partial, ignore_errors=True)
    return result


@contextlib.contextmanager
def _only_calibration_in(out: Path) -> Iterator[None]:
    """Hold ``OUT/.calibration.lock`` while a calibration runs there, so that a second one
    (a job submitted again while the first still runs) cannot write to the same database
    or delete it. The operating system drops the lock when the process ends, however it
    ends; without ``fcntl`` (Windows) there is no lock.

    Raises:
        ConfigError: another calibration holds the lock.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    out.mkdir(parents=True, exist_ok=True)
    lock = out / ".calibration.lock"
    with open(lock, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ConfigError(
                f"--out {out}: another calibration is running there; wait for it or choose another --out"
            ) from None
        try:
            yield
        finally:
            lock.unlink(missing_ok=True)


def _without_generations(config: str) -> Any:
    """A resolved configuration without ``calibration.generations``: a resumed calibration
    may go on for more generations, or stop at those already finished (fewer: a deadline),
    since each generation depends only on the ones before it."""
    tree = yaml.safe_load(config)
    if isinstance(tree, dict) and isinstance(tree.get("calibration"), dict):
        tree["calibration"].pop("generations", None)
    return tree


def _partial_folder(study: CalibrationStudy, options: RunOptions) -> Path:
    """The folder that keeps a calibration's finished generations while it runs: made
    afresh, or, with ``--resume``, the one an interrupted calibration of the same
    configuration left.

    Raises:
        ConfigError: generations of an interrupted calibration are there and neither
            ``--resume`` nor ``--overwrite`` was given; ``--resume`` finds none, or finds
            those of another configuration.
    """
    partial = Path(options.out) / PARTIAL
    config = yaml.safe_dump(resolved_tree(study.experiment), sort_keys=False, allow_unicode=True)
    kept = partial / "config.yaml"
    if options.resume:
        if not kept.exists():
            raise ConfigError(f"--resume: {partial} holds no interrupted calibration to go on from")
        if _without_generations(kept.read_text(encoding="utf-8")) != _without_generations(config):
            raise ConfigError(
                f"--resume: {partial} was started from another configuration (file, --set or "
                "--replications differ; only calibration.generations may change); add --overwrite "
                "to start afresh"
            )
        return partial
    if partial.exists() and not options.overwrite:
        done = finished_generations(partial / "abc.db")
        if done:
            raise ConfigError(
                f"--out {options.out}: holds an interrupted calibration ({done} generation(s) finished, "
                f"in {partial}); add --resume to go on, or --overwrite to start afresh"
            )
    shutil.rmtree(partial, ignore_errors=True)  # (without --overwrite: no generation had finished)
    partial.mkdir(parents=True)
    kept.write_text(config, encoding="utf-8")
    return partial


def _write(
    study: CalibrationStudy,
    result: CalibrationResult,
    folder: Path,
    options: RunOptions,
    started: str,
    resumed_at: int,
) -> None:
    result.posterior.to_parquet(folder / "posterior.parquet", index=False)
    result.predictive.to_parquet(folder / "predictive.parquet", index=False)
    result.history.to_parquet(folder / "history.parquet", index=False)
    tree = resolved_tree(study.experiment)
    (folder / "config.yaml").write_text(
        yaml.safe_dump(tree, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    one_worker = options.backend == "local" and options.worker_count() == 1
    manifest = {**environment(), "experiment": tree["name"], "seed": study.simulator.seed,
                "global_rng_seed": abc_seed(study, resumed_at), "resumed_at_generation": resumed_at,
                "backend": options.backend, "workers": options.worker_count(),
                "bit_identical_rerun": one_worker and not resumed_at,
                "started": started, "finished": datetime.now(UTC).isoformat(timespec="seconds"),
                "generations": len(result.history)}  # fmt: skip
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
