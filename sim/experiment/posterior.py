"""Worlds drawn from a calibration's posterior (the ``posterior:`` block).

A calibration (:mod:`sim.research.calibration`) leaves weighted particles: parameter values
the public figures support. Running the flagship at one point estimate would hide how unsure
those values are. With ``posterior: {file: ...}`` each run draws one particle instead, from a
generator seeded by the run's own indices, so the draw is the same whatever the number of
workers, the backend or a resume, and the spread of the results over runs covers both the
parameters and chance.

The table is parsed as data (pandas' CSV reader or Parquet), never unpickled or executed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.experiment.errors import ConfigError
from sim.experiment.messages import quote
from sim.model import ModelParams, with_overrides

__all__ = ["POSTERIOR_STREAM", "Posterior", "load_posterior"]

#: The spawn-key stream of posterior draws, apart from the runs' own seeds.
POSTERIOR_STREAM = 2**31 + 5
#: Most rows a posterior table may hold (a calibration keeps one generation's particles).
MAX_ROWS = 1_000_000


@dataclass(frozen=True)
class Posterior:
    """Weighted parameter values: ``values[i]`` holds row ``i``'s value of each of ``paths``."""

    paths: tuple[str, ...]
    values: np.ndarray
    probabilities: np.ndarray

    def draw(self, seed: int, point_id: int, replication: int) -> dict[str, float]:
        """The parameter values of one run, ``{path: value}``."""
        sequence = np.random.SeedSequence(seed, spawn_key=(POSTERIOR_STREAM, point_id, replication))
        row = int(np.random.default_rng(sequence).choice(len(self.probabilities), p=self.probabilities))
        return {path: float(v) for path, v in zip(self.paths, self.values[row], strict=True)}


def load_posterior(file: str, experiment_source: str, base: ModelParams) -> Posterior:
    """Read and check the table named in an experiment file.

    Raises:
        ConfigError: naming the experiment file, the ``posterior.file`` field and the problem.
    """
    where = f"{experiment_source}: field 'posterior.file'"
    path = _resolved(file, experiment_source)
    table = _read(path, where)
    if "weight" not in table.columns:
        raise ConfigError(f"{where}: {quote(str(path))} has no 'weight' column")
    paths = tuple(str(c) for c in table.columns if c != "weight")
    if not paths or not 0 < len(table) <= MAX_ROWS:
        raise ConfigError(f"{where}: expected 1 to {MAX_ROWS:,} rows and at least one parameter column")
    values = _numbers(table, [*paths, "weight"], where)
    weights = values[:, -1]
    if (weights < 0).any() or not weights.sum() > 0:
        raise ConfigError(f"{where}: weights must be 0 or more, with a positive sum")
    _check_paths(base, paths, values[0, :-1], where)
    return Posterior(paths, values[:, :-1], weights / weights.sum())


def _resolved(file: str, experiment_source: str) -> Path:
    path = Path(file)
    if not path.is_absolute() and experiment_source != "<memory>":
        path = Path(experiment_source).parent / path
    return path


def _read(path: Path, where: str) -> pd.DataFrame:
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".parquet"):
        raise ConfigError(f"{where}: expected a .csv or .parquet file, got {quote(str(path))}")
    try:
        return pd.read_parquet(path) if suffix == ".parquet" else pd.read_csv(path)
    except FileNotFoundError:
        raise ConfigError(f"{where}: no such file {quote(str(path))}") from None
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise ConfigError(
            f"{where}: cannot read {quote(str(path))} as a table ({type(exc).__name__})"
        ) from None


def _numbers(table: pd.DataFrame, columns: list[str], where: str) -> np.ndarray:
    try:
        values = table[columns].to_numpy(np.float64)
    except (TypeError, ValueError):
        raise ConfigError(f"{where}: every column must hold numbers") from None
    if not np.isfinite(values).all():
        raise ConfigError(f"{where}: every value must be a finite number")
    return values


def _check_paths(base: ModelParams, paths: tuple[str, ...], first: np.ndarray, where: str) -> None:
    """Every column names a model parameter (checked by applying the first row)."""
    changes: dict[str, Any] = {p: float(v) for p, v in zip(paths, first, strict=True)}
    try:
        with_overrides(base, changes)
    except (KeyError, ValueError, TypeError) as exc:
        message = exc.args[0] if exc.args else str(exc)
        raise ConfigError(f"{where}: {message}") from None
