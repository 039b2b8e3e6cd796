"""Design points and runs: which parameter values, which replications, which seeds.

A design is the product of the sweep's parts: every combination of the full ``grid``, times
every explicit ``points`` entry, times every row of a ``sample`` (Latin hypercube or Sobol,
from ``scipy.stats.qmc``, scaled to the bounds). No sweep means one design point.

Each (design point, replication) gets its own seed: the integer drawn from
``SeedSequence(seed, spawn_key=(point_id, replication))``. It depends only on those three
numbers, so results are identical whatever the workers, backend or order of completion, and
one run can be repeated alone from the seed recorded in its rows.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sim.experiment.config import ConfigError, Experiment, SampleSpec
from sim.model import ModelParams, seed_to_int

__all__ = ["RunSpec", "design_points", "plan_runs", "run_seed", "sample_points"]


@dataclass(frozen=True)
class RunSpec:
    """One replication at one design point."""

    run_id: str
    point_id: int
    replication: int
    seed: int
    point: dict[str, Any] = field(default_factory=dict)


def run_seed(base_seed: int, point_id: int, replication: int) -> int:
    """The run's integer seed, keyed by its indices (not by its place in any queue)."""
    return seed_to_int(np.random.SeedSequence(base_seed, spawn_key=(point_id, replication)))


def sample_points(spec: SampleSpec, base_seed: int) -> list[dict[str, Any]]:
    """``spec.n`` points inside the bounds, reproducible from the seed.

    Sobol designs are balanced only for powers of two; other sizes are allowed (scipy warns
    about the balance, which we accept silently and document).
    """
    from scipy.stats import qmc  # here, not at the top: workers import this module and never sample

    paths = list(spec.bounds)
    seed = spec.seed if spec.seed is not None else base_seed
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(2**31,)))
    if spec.method == "lhs":
        unit = qmc.LatinHypercube(d=len(paths), rng=rng).random(spec.n)
    else:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            unit = qmc.Sobol(d=len(paths), scramble=True, rng=rng).random(spec.n)
    low = np.array([spec.bounds[p][0] for p in paths])
    high = np.array([spec.bounds[p][1] for p in paths])
    scaled = qmc.scale(unit, low, high)
    points = []
    for row in scaled:
        point = {}
        for path, value in zip(paths, row, strict=True):
            point[path] = int(round(value)) if path in spec.integers else float(value)  # noqa: RUF046 - numpy floats round to numpy floats
        points.append(point)
    return points


def design_points(experiment: Experiment) -> list[dict[str, Any]]:
    """All design points as ``{dotted.path: value}`` (``[{}]`` without a sweep).

    Raises:
        ConfigError: a path set by more than one part of the sweep.
    """
    try:
        return _design_points(experiment)
    except ConfigError as exc:
        raise ConfigError(f"{experiment.source}: {exc}") from None


def _design_points(experiment: Experiment) -> list[dict[str, Any]]:
    sweep = experiment.sweep
    if sweep is None:
        return [{}]
    parts: list[list[dict[str, Any]]] = []
    if sweep.grid:
        paths = list(sweep.grid)
        parts.append(
            [dict(zip(paths, combo, strict=True)) for combo in itertools.product(*sweep.grid.values())]
        )
    if sweep.points:
        parts.append([dict(p) for p in sweep.points])
    if sweep.sample is not None:
        parts.append(sample_points(sweep.sample, experiment.seed))
    return [_merge(combo) for combo in itertools.product(*parts)]


def _merge(dicts: tuple[dict[str, Any], ...]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for d in dicts:
        clash = set(merged) & set(d)
        if clash:
            raise ConfigError(
                f"sweep: {sorted(clash)} set by more than one part of the sweep (grid, points, sample)"
            )
        merged.update(d)
    return merged


def point_params(experiment: Experiment) -> list[ModelParams]:
    """Model parameters of every design point (validates every point)."""
    base = experiment.base_params()
    return [experiment.params_at(point, base) for point in design_points(experiment)]


def plan_runs(experiment: Experiment) -> list[RunSpec]:
    """Every (design point, replication) with its seed, in a fixed order."""
    runs = []
    for point_id, point in enumerate(design_points(experiment)):
        for replication in range(experiment.replications):
            run_id = f"p{point_id:04d}-r{replication:04d}"
            runs.append(
                RunSpec(
                    run_id, point_id, replication, run_seed(experiment.seed, point_id, replication), point
                )
            )
    return runs
