"""What a calibration's posterior says about each parameter, in the numbers a researcher
adopts: its weighted median (the default the calibration implies) and its 95% interval.

pyabc's particles carry importance weights, so the plain median of a column is not the
posterior's: a particle drawn where the prior was dense but the fit poor counts for little.
The quantiles here are of the weighted empirical distribution (the inverted CDF: the
smallest particle value at which the cumulative weight reaches the level), so they are
always values some particle held, and they match ``numpy.quantile(...,
method="inverted_cdf")`` when the weights are equal.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = ["INTERVAL", "posterior_summary", "weighted_quantiles"]

#: The levels reported: the 95% interval's ends and the median.
INTERVAL = (0.025, 0.5, 0.975)


def weighted_quantiles(
    values: Sequence[float], weights: Sequence[float], levels: Sequence[float]
) -> np.ndarray:
    """The quantiles of ``values`` weighted by ``weights`` (non-negative, positive sum) at
    each of ``levels`` (each in [0, 1]), by the inverted CDF."""
    values, weights = np.asarray(values, float), np.asarray(weights, float)
    if values.shape != weights.shape or not len(values):
        raise ValueError("values and weights must be non-empty and of the same length")
    if (weights < 0).any() or not weights.sum() > 0:
        raise ValueError("weights must be 0 or more, with a positive sum")
    order = np.argsort(values, kind="stable")
    cumulative = np.cumsum(weights[order])  # compared with level x total, not divided by it:
    wanted = np.asarray(levels, float) * cumulative[-1]  # equal weights then stay whole numbers
    places = np.searchsorted(cumulative, wanted, side="left")
    return values[order][np.minimum(places, len(values) - 1)]


def posterior_summary(posterior: pd.DataFrame) -> pd.DataFrame:
    """One row per parameter of a calibration's posterior (a column per parameter and
    ``weight``, as in ``posterior.parquet``): ``parameter``, ``median``, ``low`` and
    ``high`` (the 2.5% and 97.5% points)."""
    weights = posterior["weight"].to_numpy(float)
    rows = []
    for parameter in posterior.columns.drop("weight"):
        low, median, high = weighted_quantiles(posterior[parameter].to_numpy(float), weights, INTERVAL)
        rows.append({"parameter": parameter, "median": median, "low": low, "high": high})
    return pd.DataFrame(rows, columns=["parameter", "median", "low", "high"])
