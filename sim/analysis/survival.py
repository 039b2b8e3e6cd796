"""Time to hire as right-censored survival data (censoring at the horizon).

A seeker not hired by the horizon is censored at ``days_searched`` (the horizon): her time
to hire is only known to be longer. Medians come from the Kaplan-Meier curve
(``scipy.stats.ecdf`` on ``CensoredData``) and are "not reached" (NaN) when fewer than half
were hired; no naive mean of censored times is used anywhere.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

__all__ = ["censored", "km_median", "logrank"]


def censored(seekers: pd.DataFrame) -> stats.CensoredData:
    """Days to hire of these seekers, right-censored for those not hired."""
    hired = seekers["hired"].to_numpy(bool)
    days = seekers["days_searched"].to_numpy(float)
    return stats.CensoredData(uncensored=days[hired], right=days[~hired])


def km_median(seekers: pd.DataFrame) -> float:
    """Kaplan-Meier median days to hire: the first day the share still searching is at or
    below one half; NaN ("not reached") if that never happens by the horizon."""
    if len(seekers) == 0 or not seekers["hired"].any():
        return float("nan")
    sf = stats.ecdf(censored(seekers)).sf
    below = np.flatnonzero(sf.probabilities <= 0.5)
    return float(sf.quantiles[below[0]]) if below.size else float("nan")


def logrank(first: pd.DataFrame, second: pd.DataFrame, alternative: str = "two-sided") -> float:
    """p-value of the log-rank test of time to hire. ``alternative="greater"`` tests that
    ``first`` is hired sooner (its hire rate is higher), ``"less"`` that it is hired later."""
    return float(stats.logrank(censored(first), censored(second), alternative=alternative).pvalue)
