"""The research blocks of an experiment file: ``sensitivity:``, ``calibration:`` and
``posterior:``.

They are validated here, with the rest of the file, so that ``sim validate`` catches a bad
block before anything runs. Only their shape is checked here; whether every dotted path names
a model parameter and every output a known strategy is checked by :mod:`sim.research`, which
builds the design from them.
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = ["Bounds", "CalibrationSpec", "PosteriorSpec", "SensitivitySpec", "TargetSpec"]

#: ``{dotted.path: [low, high]}``.
Bounds = dict[str, tuple[float, float]]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _check_bounds(bounds: Bounds) -> Bounds:
    for path, (low, high) in bounds.items():
        if not (math.isfinite(low) and math.isfinite(high) and low < high):
            raise ValueError(f"[low, high] of {path!r} must be finite with low < high, got [{low}, {high}]")
    return bounds


class SensitivitySpec(_Strict):
    """A global sensitivity analysis: which parameters move which outputs.

    ``n`` is the number of base samples for Sobol' (Saltelli's scheme makes ``n * (2k + 2)``
    design points for ``k`` parameters) or of trajectories for Morris (``n * (k + 1)``).
    """

    method: Literal["sobol", "morris"]
    n: int = Field(ge=2, le=100_000)
    bounds: Bounds = Field(min_length=1)
    outputs: list[str] | None = Field(default=None, min_length=1)
    levels: int = Field(default=4, ge=2, le=100)
    seed: int | None = Field(default=None, ge=0, lt=2**63)

    @field_validator("bounds")
    @classmethod
    def _ordered(cls, bounds: Bounds) -> Bounds:
        return _check_bounds(bounds)


class TargetSpec(_Strict):
    """One observed figure: its value and where it comes from."""

    value: float
    source: str = Field(min_length=1)

    @field_validator("value")
    @classmethod
    def _finite(cls, value: float) -> float:
        if not math.isfinite(value):
            raise ValueError(f"value must be a finite number, got {value}")
        return value


class CalibrationSpec(_Strict):
    """Approximate Bayesian computation (ABC-SMC) of parameters against observed figures.

    ``priors`` are uniform on ``[low, high]``; ``population`` particles per generation, at
    most ``generations`` generations; ``predictive`` posterior draws for the predictive check.
    """

    method: Literal["abc-smc"] = "abc-smc"
    population: int = Field(default=200, ge=5, le=100_000)
    generations: int = Field(default=6, ge=1, le=100)
    priors: Bounds = Field(min_length=1)
    targets: dict[str, TargetSpec] = Field(min_length=1)
    predictive: int = Field(default=100, ge=2, le=100_000)
    seed: int | None = Field(default=None, ge=0, lt=2**63)

    @field_validator("priors")
    @classmethod
    def _ordered(cls, priors: Bounds) -> Bounds:
        return _check_bounds(priors)


class PosteriorSpec(_Strict):
    """Run each replication in a world drawn from a calibration's posterior.

    ``file`` is a table (``.csv`` or ``.parquet``, relative to the experiment file) with one
    column per parameter (dotted path) and a ``weight`` column, such as
    ``OUT/calibration/posterior.parquet``. Each run draws one row, with probability
    proportional to its weight, from its own seed: the headline then carries the
    uncertainty of the parameters as well as that of chance.
    """

    file: str = Field(min_length=1, max_length=1000)
