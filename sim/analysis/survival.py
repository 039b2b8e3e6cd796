"""Time to hire as right-censored survival data (censoring at the horizon).

A seeker not hired by the horizon is censored at ``days_searched`` (the horizon): her time
to hire is only known to be longer. Curves and medians come from the Kaplan-Meier estimator
(``scipy.stats.ecdf`` on ``CensoredData``), with pointwise log-log confidence bands; a median
is "not reached" (NaN) when the curve never falls to one half, and its confidence limits are
read where the bands cross one half. Restricted mean time to hire is the area under the
curve up to the horizon. No naive mean of censored times is used anywhere.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from itertools import combinations

import numpy as np
import pandas as pd
from scipy import stats

__all__ = [
    "censored",
    "hazard_by_period",
    "km_curve",
    "km_curves",
    "km_median",
    "logrank",
    "logrank_pairs",
    "median_ci",
    "rmst",
    "stock_spells",
    "survival_summary",
]

CONFIDENCE = 0.95


def censored(seekers: pd.DataFrame) -> stats.CensoredData:
    """Days to hire of these seekers, right-censored for those not hired."""
    hired = seekers["hired"].to_numpy(bool)
    days = seekers["days_searched"].to_numpy(float)
    return stats.CensoredData(uncensored=days[hired], right=days[~hired])


def km_curve(seekers: pd.DataFrame, confidence: float = CONFIDENCE) -> pd.DataFrame:
    """The Kaplan-Meier curve of the share still searching, with its confidence band.

    One row per step, starting at day 0 with everyone searching: ``day``,
    ``share_searching``, ``low``, ``high``, ``at_risk`` (still searching just before).
    """
    start = pd.DataFrame(
        {"day": [0.0], "share_searching": [1.0], "low": [1.0], "high": [1.0], "at_risk": [len(seekers)]}
    )
    if len(seekers) == 0 or not seekers["hired"].any():
        return start
    result = stats.ecdf(censored(seekers))
    sf = result.sf
    with warnings.catch_warnings():  # undefined where the curve is 0 or 1; those become 0 / 1 below
        warnings.simplefilter("ignore", RuntimeWarning)
        band = sf.confidence_interval(confidence, method="log-log")
    days = sf.quantiles
    searched = np.sort(seekers["days_searched"].to_numpy(float))
    at_risk = len(searched) - np.searchsorted(
        searched, days, side="left"
    )  # still searching just before each day
    share = sf.probabilities
    # The log-log band is undefined where the curve is 0 or 1; there it collapses onto the curve.
    low = np.where(np.isnan(band.low.probabilities), share, band.low.probabilities)
    high = np.where(np.isnan(band.high.probabilities), share, band.high.probabilities)
    steps = pd.DataFrame(
        {"day": days, "share_searching": share, "low": low, "high": high, "at_risk": at_risk}
    )
    return pd.concat([start, steps], ignore_index=True)


def km_curves(seekers: pd.DataFrame, by: str = "strategy", confidence: float = CONFIDENCE) -> pd.DataFrame:
    """:func:`km_curve` for each group, stacked with the group in column ``by``."""
    frames = [
        km_curve(group, confidence).assign(**{by: name}) for name, group in seekers.groupby(by, sort=False)
    ]
    return pd.concat(frames, ignore_index=True)[[by, "day", "share_searching", "low", "high", "at_risk"]]


def _first_day_at_or_below_half(days: np.ndarray, share: np.ndarray) -> float:
    below = np.flatnonzero(share <= 0.5)
    return float(days[below[0]]) if below.size else float("nan")


def km_median(seekers: pd.DataFrame) -> float:
    """Kaplan-Meier median days to hire: the first day the share still searching is at or
    below one half; NaN ("not reached") if that never happens by the horizon."""
    curve = km_curve(seekers)
    return _first_day_at_or_below_half(curve["day"].to_numpy(), curve["share_searching"].to_numpy())


def median_ci(seekers: pd.DataFrame, confidence: float = CONFIDENCE) -> tuple[float, float, float]:
    """Median days to hire with its confidence limits, read where the band crosses one half
    (Brookmeyer and Crowley's inversion); NaN for a limit that is not reached."""
    curve = km_curve(seekers, confidence)
    days = curve["day"].to_numpy()
    return (
        _first_day_at_or_below_half(days, curve["share_searching"].to_numpy()),
        _first_day_at_or_below_half(days, curve["low"].to_numpy()),
        _first_day_at_or_below_half(days, curve["high"].to_numpy()),
    )


def rmst(seekers: pd.DataFrame, horizon: float | None = None) -> float:
    """Restricted mean time to hire: the area under the Kaplan-Meier curve from day 0 to the
    horizon (default: the longest ``days_searched``). It is the mean time to hire if
    everyone still searching at the horizon were hired there, so it is comparable between
    groups even when medians are not reached."""
    if len(seekers) == 0:
        return float("nan")
    horizon = float(seekers["days_searched"].max()) if horizon is None else float(horizon)
    curve = km_curve(seekers)
    days = np.minimum(np.append(curve["day"].to_numpy(), horizon), horizon)
    share = curve["share_searching"].to_numpy()
    return float(np.sum(share * np.diff(days)))


def hazard_by_period(seekers: pd.DataFrame, width: int = 30, by: str | None = "run_id") -> pd.DataFrame:
    """A life table of time to hire: for each period of ``width`` days, the seekers still
    searching at its start (``at_risk``), the hires within it and their ratio (``hazard``,
    the chance of a hire within the period for someone still searching at its start).

    Why: whether the chance of leaving unemployment falls the longer a search lasts
    (negative duration dependence, a robust fact of labour markets) is a question about
    this table's shape, which a survival curve hides. Periods are ``(start, start + width]``
    in search days (search day 1 is the first), the last one cut at the longest search (the
    horizon), so it may be shorter than ``width``: compare its hazard per day, not per period.
    A seeker censored within a period (only at the horizon) is at risk through it. With
    ``by`` (default one table per run, the independent unit) the table has one row per group
    and period; ``by=None`` pools every seeker given.
    """
    if width < 1:
        raise ValueError(f"width must be a whole number of days >= 1, got {width}")
    groups = [(None, seekers)] if by is None else list(seekers.groupby(by, sort=False))
    rows = []
    for key, group in groups:
        days = group["days_searched"].to_numpy(float)
        hired = group["hired"].to_numpy(bool)
        horizon = int(np.ceil(days.max(initial=0.0)))
        for start in range(0, horizon, width):
            end = min(start + width, horizon)  # the last period stops at the horizon
            at_risk = int(np.sum(days > start))
            hires = int(np.sum(hired & (days > start) & (days <= end)))
            row = {"start": start, "end": end, "at_risk": at_risk, "hires": hires,
                   "hazard": hires / at_risk if at_risk else float("nan")}  # fmt: skip
            rows.append(row if by is None else {by: key, **row})
    columns = ([] if by is None else [by]) + ["start", "end", "at_risk", "hires", "hazard"]
    return pd.DataFrame(rows, columns=columns)


def stock_spells(seekers: pd.DataFrame, horizon: float, tail_days: int = 91) -> tuple[float, float]:
    """Mean and median elapsed search of the *stock* of seekers that a steady flow of cohorts
    like this one would keep searching: what a labour-force survey such as the CPS measures.

    Why: the CPS's durations (median 9.5 weeks, mean 21.4, mean about 2.2 times the median)
    are those of people unemployed on the survey day, not of a cohort followed from job
    loss. In a steady state the elapsed durations of the stock have a density proportional
    to the cohort's share still searching, ``S(u)`` (renewal theory), so the stock's mean over
    its median is a measure of the *shape* of the cohort's spells: 1/ln 2 = 1.44 for a
    constant chance of a hire, more when that chance falls with the length of the search.

    ``S`` is the Kaplan-Meier curve, read at whole days up to ``horizon``; beyond it, the
    search is taken to end at the constant daily hazard of the last ``tail_days`` days
    (hires per day at risk), so that the share still searching at the horizon is counted.
    NaN when no one is hired, or when some are still searching and no one was hired in the
    last ``tail_days`` (the tail would be unbounded).
    """
    end = int(horizon)
    if len(seekers) == 0 or not seekers["hired"].any() or end < 1:
        return float("nan"), float("nan")
    curve = km_curve(seekers)
    steps = np.searchsorted(curve["day"].to_numpy(), np.arange(end + 1), side="right") - 1
    on_day = curve["share_searching"].to_numpy()[steps]  # S(u) for u = 0 .. horizon
    share, left = on_day[:-1], float(on_day[-1])  # S on each day searched; S at the horizon
    if share.sum() == 0:
        return float("nan"), float("nan")  # everyone hired at once on day 0: no stock
    days = seekers["days_searched"].to_numpy(float)
    hired = seekers["hired"].to_numpy(bool)
    start = max(0, end - tail_days)  # the tail's window: the last tail_days of the horizon
    at_risk_days = float(np.clip(days - start, 0, end - start).sum())
    tail_hires = int(np.sum(hired & (days > start) & (days <= end)))
    if left > 0 and tail_hires == 0:
        return float("nan"), float("nan")
    rate = tail_hires / at_risk_days if tail_hires else 0.0
    u = np.arange(end) + 0.5  # the middle of each day
    area = share.sum() + (left / rate if left > 0 else 0.0)
    first_moment = (u * share).sum() + (left * (end / rate + 1 / rate**2) if left > 0 else 0.0)
    cumulative = np.cumsum(share)
    half = area / 2
    if half <= cumulative[-1]:
        k = int(np.searchsorted(cumulative, half))
        before = cumulative[k - 1] if k else 0.0
        median = k + (half - before) / share[k]
    else:  # the stock's median lies in the tail: S(u) = left * exp(-rate (u - end))
        median = end - np.log(1 - (half - cumulative[-1]) * rate / left) / rate
    return float(first_moment / area), float(median)


def logrank(first: pd.DataFrame, second: pd.DataFrame, alternative: str = "two-sided") -> float:
    """p-value of the log-rank test of time to hire. ``alternative="greater"`` tests that
    ``first`` is hired sooner (its hire rate is higher), ``"less"`` that it is hired later."""
    if not len(first) or not len(second) or not (first["hired"].any() or second["hired"].any()):
        return float("nan")  # no hire at all: nothing to compare
    with warnings.catch_warnings():  # zero variance (e.g. one event in total) gives NaN, which we return
        warnings.simplefilter("ignore", RuntimeWarning)
        return float(stats.logrank(censored(first), censored(second), alternative=alternative).pvalue)


def logrank_pairs(seekers: pd.DataFrame, by: str = "strategy") -> pd.DataFrame:
    """Two-sided log-rank p-value for every pair of groups."""
    groups = dict(tuple(seekers.groupby(by, sort=False)))
    rows = [
        {"first": a, "second": b, "p_value": logrank(groups[a], groups[b])}
        for a, b in combinations(groups, 2)
    ]
    return pd.DataFrame(rows, columns=["first", "second", "p_value"])


def survival_summary(
    seekers: pd.DataFrame, by: Sequence[str] = ("strategy",), horizon: float | None = None
) -> pd.DataFrame:
    """Per group: seekers, share hired, median days to hire with its confidence limits,
    restricted mean time to hire."""
    rows = []
    for key, group in seekers.groupby(list(by), sort=False):
        key = key if isinstance(key, tuple) else (key,)
        median, low, high = median_ci(group)
        rows.append({**dict(zip(by, key, strict=True)), "seekers": len(group), "share_hired": float(group["hired"].mean()),
                     "median_days": median, "median_low": low, "median_high": high, "rmst_days": rmst(group, horizon)})  # fmt: skip
    return pd.DataFrame(rows)
