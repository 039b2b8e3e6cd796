"""Summaries of seeker tables, one row per group (strategy, or design point and strategy)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from sim.analysis.survival import km_median

__all__ = ["strategy_summary"]


def strategy_summary(seekers: pd.DataFrame, by: Sequence[str] = ("strategy",)) -> pd.DataFrame:
    """Per group: seekers, share hired, Kaplan-Meier median days to hire (NaN = not
    reached), mean meetings, phone help and mop-up calls per seeker."""
    rows = []
    for key, group in seekers.groupby(list(by), sort=False):
        key = key if isinstance(key, tuple) else (key,)
        rows.append(
            {
                **dict(zip(by, key, strict=True)),
                "seekers": len(group),
                "share_hired": float(group["hired"].mean()),
                "median_days_to_hire": km_median(group),
                "meetings": float(group["meetings"].mean()),
                "phone_help": float(group["phone_help"].mean()),
                "mop_up_calls": float(group["mop_up_calls"].mean()),
            }
        )
    return pd.DataFrame(rows)
