"""Sweeps: the outcome of each design point with its interval, and which strategy wins where."""

from __future__ import annotations

import pandas as pd

from sim.analysis.survival import logrank, survival_summary

__all__ = ["point_summary", "swept_columns", "winners"]


def swept_columns(seekers: pd.DataFrame) -> list[str]:
    """The design point's parameter columns (dotted names) that take more than one value."""
    return [c for c in seekers.columns if "." in c and seekers[c].nunique(dropna=False) > 1]


def point_summary(seekers: pd.DataFrame) -> pd.DataFrame:
    """Per design point and strategy: the swept values, seekers, share hired, median days to
    hire with its 95% limits, restricted mean days."""
    swept = swept_columns(seekers)
    summary = survival_summary(
        seekers, by=("point_id", "strategy"), horizon=float(seekers["days_searched"].max())
    )
    values = (
        seekers.groupby("point_id")[swept].first().reset_index()
        if swept
        else seekers[["point_id"]].drop_duplicates()
    )
    return values.merge(summary, on="point_id")


def winners(seekers: pd.DataFrame) -> pd.DataFrame:
    """Per design point: the strategy hired soonest (lowest restricted mean), the runner-up,
    the gap in mean days, and the log-rank p-value between the two."""
    rows = []
    for point_id, rows_at_point in point_summary(seekers).groupby("point_id"):
        ranked = rows_at_point.sort_values("rmst_days")
        if len(ranked) < 2:
            continue
        best, second = ranked.iloc[0], ranked.iloc[1]
        at_point = seekers[seekers["point_id"] == point_id]
        p = logrank(
            at_point[at_point["strategy"] == best.strategy], at_point[at_point["strategy"] == second.strategy]
        )
        rows.append({"point_id": point_id, **{c: best[c] for c in swept_columns(seekers)}, "winner": best.strategy,
                     "runner_up": second.strategy, "days_ahead": second.rmst_days - best.rmst_days, "p_value": p})  # fmt: skip
    return pd.DataFrame(rows)
