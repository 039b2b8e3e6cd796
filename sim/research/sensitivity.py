"""Global sensitivity analysis: which parameters move which outputs (SALib).

The ``sensitivity:`` block of an experiment file names parameters by dotted path with their
bounds. SALib samples the design (Saltelli's scheme for Sobol' indices, trajectories for
Morris screening); the design points become the experiment's sweep points, so they run
through the same runner and store as any sweep (seeds from ``SeedSequence``, Parquet parts,
``--resume``, process pool or Dask). The seekers tables are then reduced to the named outputs
(:mod:`sim.analysis.outputs`), averaged over replications, and SALib computes the indices.

Stored under ``OUT/sensitivity/`` (written all at once, after every run is stored):
``design.parquet`` (``sample_id`` and one column per parameter, in the sampler's order),
``outputs.parquet`` (``sample_id`` and the mean of each output over replications),
``indices.parquet`` (``output``, ``parameter`` and ``S1``, ``S1_conf``, ``ST``, ``ST_conf``
for Sobol', or ``mu_star``, ``mu_star_conf``, ``sigma`` for Morris), ``noise.parquet`` (how
much of each output's variance is replication noise), ``rules.parquet`` (scenario discovery
for every ``gap.A-B`` output, :mod:`sim.research.discovery`), and, written by :mod:`sim.viz.research`, the figures and a report.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.analysis.outputs import (
    OutputName,
    default_outputs,
    parse_output,
    point_outputs,
    replication_noise,
    run_outputs,
)
from sim.experiment import ConfigError, Experiment
from sim.experiment.config import SweepSpec
from sim.research.common import atomic_folder, check_ranges, field_error, require, stream_seed
from sim.research.discovery import discover_all

__all__ = ["MORRIS_COLUMNS", "SOBOL_COLUMNS", "SensitivityResult", "SensitivityStudy", "analyse", "plan"]

FOLDER = "sensitivity"
SOBOL_COLUMNS = ("S1", "S1_conf", "ST", "ST_conf")
MORRIS_COLUMNS = ("mu_star", "mu_star_conf", "sigma")
RESAMPLES = 100  # bootstrap resamples of SALib's confidence intervals
CONFIDENCE = 0.95


@dataclass(frozen=True)
class SensitivityStudy:
    """A planned analysis: the file, the experiment that runs its design, and the design."""

    experiment: Experiment
    runs: Experiment  # the same, with the design points as its sweep
    problem: dict
    design: pd.DataFrame  # sample_id, then one column per parameter
    outputs: tuple[OutputName, ...]

    @property
    def method(self) -> str:
        """``sobol`` or ``morris``."""
        return self.experiment.sensitivity.method

    @property
    def seed(self) -> int:
        """The base seed of the sampler and of the bootstrap intervals."""
        spec = self.experiment.sensitivity
        return spec.seed if spec.seed is not None else self.experiment.seed


@dataclass(frozen=True)
class SensitivityResult:
    """What an analysis found (the tables as stored)."""

    design: pd.DataFrame
    outputs: pd.DataFrame
    indices: pd.DataFrame
    noise: pd.DataFrame
    rules: pd.DataFrame  # one row per rule (sim.research.discovery.rules_table)
    folder: Path


def _parse_outputs(experiment: Experiment, names: list[str] | None) -> tuple[OutputName, ...]:
    strategies = list(experiment.seeker_counts())
    try:
        return tuple(parse_output(n, strategies) for n in (names or default_outputs(strategies)))
    except ValueError as exc:
        raise field_error(experiment, "sensitivity.outputs", str(exc)) from None


def _sample(problem: dict, method: str, n: int, levels: int, seed: int) -> np.ndarray:
    if method == "sobol":
        sampler = require("SALib.sample.sobol", "sim sensitivity")
        with warnings.catch_warnings():  # n not a power of two: allowed, less balanced (documented)
            warnings.simplefilter("ignore", UserWarning)
            return sampler.sample(problem, n, calc_second_order=True, seed=seed)
    sampler = require("SALib.sample.morris", "sim sensitivity")
    return sampler.sample(problem, n, num_levels=levels, seed=seed)


def plan(experiment: Experiment) -> SensitivityStudy:
    """Check the ``sensitivity:`` block and sample its design.

    Raises:
        ConfigError: no block, a sweep beside it, a bound that builds no valid parameters, or
            an unknown output; the message names the file and the field.
    """
    spec = experiment.sensitivity
    if spec is None:
        raise field_error(experiment, "sensitivity", "missing; sim sensitivity needs a sensitivity: block")
    if experiment.sweep is not None:
        raise field_error(
            experiment, "sweep", "the sensitivity design makes the design points; remove sweep:"
        )
    check_ranges(experiment, spec.bounds, "sensitivity.bounds")
    outputs = _parse_outputs(experiment, spec.outputs)
    paths = list(spec.bounds)
    problem = {"num_vars": len(paths), "names": paths, "bounds": [list(spec.bounds[p]) for p in paths]}
    seed = spec.seed if spec.seed is not None else experiment.seed
    sample = _sample(problem, spec.method, spec.n, spec.levels, stream_seed(seed, "sample"))
    design = pd.DataFrame(sample, columns=paths)
    design.insert(0, "sample_id", np.arange(len(design)))
    points = [{p: float(v) for p, v in zip(paths, row, strict=True)} for row in sample]
    runs = experiment.model_copy(update={"sweep": SweepSpec(points=points)})
    return SensitivityStudy(experiment, runs, problem, design, outputs)


def _indices(study: SensitivityStudy, name: str, y: np.ndarray) -> pd.DataFrame:
    """One output's indices, one row per parameter (NaN where the output is undefined at
    some design point or does not vary at all)."""
    columns = SOBOL_COLUMNS if study.method == "sobol" else MORRIS_COLUMNS
    frame = pd.DataFrame({"output": name, "parameter": study.problem["names"]})
    if not np.all(np.isfinite(y)) or np.ptp(y) == 0:
        return frame.assign(**dict.fromkeys(columns, math.nan))
    seed = stream_seed(study.seed, "analyse")
    with warnings.catch_warnings():  # SALib warns of constant sub-samples; the indices stand
        warnings.simplefilter("ignore", UserWarning)
        found = _salib(study, y, seed)
    return frame.assign(**{c: np.asarray(found[c], float) for c in columns})


def _salib(study: SensitivityStudy, y: np.ndarray, seed: int) -> dict:
    if study.method == "sobol":
        analyser = require("SALib.analyze.sobol", "sim sensitivity")
        return analyser.analyze(study.problem, y, calc_second_order=True, num_resamples=RESAMPLES,
                                conf_level=CONFIDENCE, seed=seed)  # fmt: skip
    analyser = require("SALib.analyze.morris", "sim sensitivity")
    x = study.design[study.problem["names"]].to_numpy()
    return analyser.analyze(study.problem, x, y, num_resamples=RESAMPLES, conf_level=CONFIDENCE,
                            num_levels=study.experiment.sensitivity.levels, seed=seed)  # fmt: skip


def horizons(study: SensitivityStudy) -> dict[int, float]:
    """Each design point's horizon in days (it may itself be a parameter of the design)."""
    base = study.runs.base_params()
    if "horizon_days" not in study.problem["names"]:
        return dict.fromkeys(study.design["sample_id"].tolist(), float(base.horizon_days))
    points = study.runs.sweep.points
    return {i: float(study.runs.params_at(p, base).horizon_days) for i, p in enumerate(points)}


def analyse(study: SensitivityStudy, out: Path) -> SensitivityResult:
    """Reduce the stored runs to outputs, compute the indices and scenario rules, and write
    the tables of ``OUT/sensitivity/`` in one step (figures and report: :mod:`sim.viz.research`).

    Raises:
        ConfigError: the results folder does not hold every run of the design.
    """
    from sim.results import ResultsError, load

    try:
        seekers = load(out, tables=("seekers",)).seekers
    except ResultsError as exc:
        raise ConfigError(str(exc)) from None
    stored = set(seekers["point_id"].unique()) if len(seekers) else set()
    if stored != set(study.design["sample_id"]):
        raise ConfigError(
            f"{out}: holds {len(stored)} of {len(study.design)} design points; run it to the end first"
        )
    per_run = run_outputs(seekers, study.outputs, horizons(study))
    means = point_outputs(per_run)
    outputs = means.rename_axis("sample_id").reset_index()
    indices = pd.concat(
        [_indices(study, n.text, means[n.text].to_numpy(float)) for n in study.outputs], ignore_index=True
    )
    params = study.design.drop(columns="sample_id")
    gaps = [n for n in study.outputs if n.base == "gap"]
    rules = discover_all(params, outputs, gaps, study.problem, stream_seed(study.seed, "discovery"))
    result = SensitivityResult(
        study.design, outputs, indices, replication_noise(per_run), rules, Path(out) / FOLDER
    )
    with atomic_folder(result.folder) as folder:
        result.design.to_parquet(folder / "design.parquet", index=False)
        result.outputs.to_parquet(folder / "outputs.parquet", index=False)
        result.indices.to_parquet(folder / "indices.parquet", index=False)
        result.noise.to_parquet(folder / "noise.parquet", index=False)
        result.rules.to_parquet(folder / "rules.parquet", index=False)
    return result
