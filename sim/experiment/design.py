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
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sim.experiment.config import ConfigError, Experiment, SampleSpec
from sim.model import ModelParams, seed_to_int

__all__ = [
    "DEFAULT_MAX_RUNS",
    "FULL_CHECK_POINTS",
    "RunCapError",
    "RunSpec",
    "check_points",
    "check_run_cap",
    "count_points",
    "design_points",
    "iter_points",
    "iter_runs",
    "plan_runs",
    "run_seed",
    "sample_points",
]

#: Runs ``sim run`` starts unless the file's ``max_runs`` or ``--max-runs`` allows more: a
#: run of the default world takes a second or two and stores about 100 kB, so this is a day
#: or two of a 2-core machine and some 10 GB; a typo in a grid (``[0, 0.1, ..., 1]`` written
#: out at a finer step, one more parameter) should be refused, not started.
DEFAULT_MAX_RUNS = 100_000
#: Designs up to this many points have every point's parameters built and checked before
#: anything runs (about a second; each takes some 100 µs). Larger designs have each part
#: checked alone (every grid value, every explicit point, each sampled parameter's extremes);
#: their combinations are checked as they run.
FULL_CHECK_POINTS = 10_000


class RunCapError(ConfigError):
    """More runs than the cap allows; the message gives the count and how to raise the cap."""


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


class _SampleRows(Sequence):
    """The rows of a sampled design as ``{path: value}``, made one at a time from the array."""

    def __init__(self, spec: SampleSpec, base_seed: int) -> None:
        self.paths = list(spec.bounds)
        self.integers = set(spec.integers)
        self.values = _sample_array(spec, base_seed)

    def __len__(self) -> int:
        return len(self.values)

    def __getitem__(self, index: int) -> dict[str, Any]:  # type: ignore[override]
        return {
            path: int(round(value)) if path in self.integers else float(value)  # noqa: RUF046 - numpy floats round to numpy floats
            for path, value in zip(self.paths, self.values[index], strict=True)
        }


def _sample_array(spec: SampleSpec, base_seed: int) -> np.ndarray:
    """``spec.n`` x parameters, inside the bounds, reproducible from the seed.

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
    return qmc.scale(unit, low, high)


def sample_points(spec: SampleSpec, base_seed: int) -> list[dict[str, Any]]:
    """``spec.n`` points inside the bounds, reproducible from the seed."""
    return list(_SampleRows(spec, base_seed))


def _axes(experiment: Experiment) -> list[Sequence[dict[str, Any]]]:
    """The design as a product of axes, each a sequence of ``{path: value}`` fragments: one
    axis per grid parameter, then the explicit points, then the sampled rows. The design
    points are their product in order (the last axis varies fastest), which is the order of
    a product of the full grid, the points and the sample.

    Raises:
        ConfigError: a path set by more than one part of the sweep.
    """
    sweep = experiment.sweep
    if sweep is None:
        return []
    sample = _SampleRows(sweep.sample, experiment.seed) if sweep.sample is not None else None
    parts = [set(sweep.grid), set().union(*sweep.points), set(sample.paths if sample else ())]
    clash = (parts[0] & parts[1]) | (parts[0] & parts[2]) | (parts[1] & parts[2])
    if clash:
        raise ConfigError(
            f"{experiment.source}: sweep: {sorted(clash)[:5]} set by more than one part of the sweep "
            "(grid, points, sample)"
        )
    axes: list[Sequence[dict[str, Any]]] = [
        [{path: v} for v in values] for path, values in sweep.grid.items()
    ]
    if sweep.points:
        axes.append(sweep.points)
    if sample is not None:
        axes.append(sample)
    return axes


def count_points(experiment: Experiment) -> int:
    """How many design points there are, by arithmetic (nothing is built)."""
    sweep = experiment.sweep
    if sweep is None:
        return 1
    sizes = [len(v) for v in sweep.grid.values()] + [len(sweep.points) or 1]
    return math.prod(sizes) * (sweep.sample.n if sweep.sample is not None else 1)


def iter_points(experiment: Experiment) -> Iterator[dict[str, Any]]:
    """The design points as ``{dotted.path: value}``, one at a time, in order (``{}`` alone
    without a sweep).

    Raises:
        ConfigError: a path set by more than one part of the sweep.
    """
    axes = _axes(experiment)
    for combo in itertools.product(*(range(len(axis)) for axis in axes)):
        point: dict[str, Any] = {}
        for axis, index in zip(axes, combo, strict=True):
            point.update(axis[index])
        yield point


def design_points(experiment: Experiment) -> list[dict[str, Any]]:
    """All design points in a list (for small designs; :func:`iter_points` walks large ones).

    Raises:
        ConfigError: a path set by more than one part of the sweep.
    """
    return list(iter_points(experiment))


def check_points(experiment: Experiment) -> bool:
    """Build and check design points' parameters, so that a bad value fails before anything
    runs.

    Returns:
        True when every point was checked; False when the design has more than
        :data:`FULL_CHECK_POINTS` points and each part was checked alone.

    Raises:
        ConfigError: naming the point and the field.
    """
    base = experiment.base_params()
    if count_points(experiment) <= FULL_CHECK_POINTS:
        for point in iter_points(experiment):
            experiment.params_at(point, base)
        return True
    for axis in _axes(experiment):
        for fragment in _extremes(axis) if isinstance(axis, _SampleRows) else axis:
            experiment.params_at(fragment, base)
    return False


def _extremes(sample: _SampleRows) -> Iterator[dict[str, Any]]:
    """Each sampled parameter at its smallest and largest drawn value (on its own)."""
    for column, path in enumerate(sample.paths):
        for value in (sample.values[:, column].min(), sample.values[:, column].max()):
            yield {path: int(round(value)) if path in sample.integers else float(value)}  # noqa: RUF046


def check_run_cap(experiment: Experiment, max_runs: int | None = None) -> int:
    """The number of runs (points x replications), refused above the cap: ``max_runs``
    (``--max-runs``), else the file's ``max_runs``, else :data:`DEFAULT_MAX_RUNS`.

    Raises:
        RunCapError: more runs than the cap, with the count and how to raise the cap.
    """
    points = count_points(experiment)
    runs = points * experiment.replications
    cap = max_runs or experiment.max_runs or DEFAULT_MAX_RUNS
    if runs > cap:
        raise RunCapError(
            f"{experiment.source}: {points:,} design point(s) x {experiment.replications:,} replication(s) = "
            f"{runs:,} runs, more than the cap of {cap:,}. To run them all, raise the cap: max_runs: {runs} "
            f"in the file, or --max-runs {runs}; or shrink the sweep or the replications"
        )
    return runs


def point_params(experiment: Experiment) -> list[ModelParams]:
    """Model parameters of every design point in a list (validates every point; for small
    designs)."""
    base = experiment.base_params()
    return [experiment.params_at(point, base) for point in iter_points(experiment)]


def iter_runs(experiment: Experiment) -> Iterator[RunSpec]:
    """Every (design point, replication) with its seed, one at a time, in a fixed order."""
    for point_id, point in enumerate(iter_points(experiment)):
        for replication in range(experiment.replications):
            run_id = f"p{point_id:04d}-r{replication:04d}"
            yield RunSpec(
                run_id, point_id, replication, run_seed(experiment.seed, point_id, replication), point
            )


def plan_runs(experiment: Experiment) -> list[RunSpec]:
    """Every run in a list (for small designs; :func:`iter_runs` walks large ones)."""
    return list(iter_runs(experiment))
