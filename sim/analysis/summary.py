"""Summaries of seeker tables, one row per group (strategy, or design point and strategy)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from sim.analysis.survival import survival_summary

__all__ = ["strategy_summary"]


def strategy_summary(seekers: pd.DataFrame, by: Sequence[str] = ("strategy",)) -> pd.DataFrame:
    """Per group: seekers, share hired, Kaplan-Meier median days to hire (NaN = not
    reached), mean meetings, phone help and mop-up calls per seeker."""
    survival = survival_summary(seekers, by)[[*by, "seekers", "share_hired", "median_days"]]
    means = (
        seekers.groupby(list(by), sort=False)[["meetings", "phone_help", "mop_up_calls"]].mean().reset_index()
    )
    return survival.rename(columns={"median_days": "median_days_to_hire"}).merge(means, on=list(by))
