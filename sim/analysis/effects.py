"""Effect sizes between strategies, with bootstrap confidence intervals.

Seekers of one run share a world, so they are not independent. The unit of resampling is the
run: for each run, the mean of a metric among each strategy's seekers; the effect is the mean
over runs of the within-run difference (strategies compared in the same world), and its
interval comes from ``scipy.stats.bootstrap`` over runs (BCa, fixed seed, so the report is
reproducible).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

__all__ = ["METRICS", "effect_table", "paired_difference"]

#: The per-seeker outcomes compared between strategies.
METRICS = ("meetings", "mop_up_calls", "reputation_end")
RESAMPLES = 2000
SEED = 20240607


def paired_difference(
    seekers: pd.DataFrame, metric: str, first: str, second: str, confidence: float = 0.95
) -> dict:
    """Mean over runs of (``first`` minus ``second``) in ``metric``, with a bootstrap interval.

    Returns a dict with ``metric``, ``first``, ``second``, ``mean_first``, ``mean_second``,
    ``difference``, ``low``, ``high`` and ``runs`` (runs holding both strategies).
    """
    per_run = seekers.groupby(["run_id", "strategy"])[metric].mean().unstack()
    both = per_run[[first, second]].dropna() if {first, second} <= set(per_run.columns) else per_run.iloc[:0]
    diff = (both[first] - both[second]).to_numpy(float)
    row = {"metric": metric, "first": first, "second": second, "runs": len(diff),
           "mean_first": float(both[first].mean()) if len(both) else np.nan,
           "mean_second": float(both[second].mean()) if len(both) else np.nan,
           "difference": float(diff.mean()) if len(diff) else np.nan, "low": np.nan, "high": np.nan}  # fmt: skip
    if len(diff) < 3:
        return row  # too few runs for an interval: low and high stay NaN
    if np.ptp(diff) == 0:
        row["low"] = row["high"] = float(diff[0])  # the same difference in every run
    else:
        ci = stats.bootstrap((diff,), np.mean, confidence_level=confidence, n_resamples=RESAMPLES, method="BCa",
                             rng=np.random.default_rng(SEED)).confidence_interval  # fmt: skip
        row["low"], row["high"] = float(ci.low), float(ci.high)
    return row


def effect_table(
    seekers: pd.DataFrame, reference: str | None = None, metrics: Sequence[str] = METRICS
) -> pd.DataFrame:
    """Every other strategy against ``reference`` (default: the first strategy) on each metric."""
    strategies = list(dict.fromkeys(seekers["strategy"]))
    if not strategies:
        return pd.DataFrame()
    reference = reference or strategies[0]
    rows = [
        paired_difference(seekers, m, other, reference)
        for other in strategies
        if other != reference
        for m in metrics
    ]
    return pd.DataFrame(rows)
