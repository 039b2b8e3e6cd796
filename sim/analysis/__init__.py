"""Statistics on the stored tables (DataFrames in, DataFrames out); never touches the model."""

from sim.analysis.chains import by_hop
from sim.analysis.effects import effect_table, paired_difference
from sim.analysis.summary import strategy_summary
from sim.analysis.survival import (
    censored,
    km_curve,
    km_curves,
    km_median,
    logrank,
    logrank_pairs,
    median_ci,
    rmst,
    survival_summary,
)
from sim.analysis.sweep import point_summary, swept_columns, winners

__all__ = [
    "by_hop",
    "censored",
    "effect_table",
    "km_curve",
    "km_curves",
    "km_median",
    "logrank",
    "logrank_pairs",
    "median_ci",
    "paired_difference",
    "point_summary",
    "rmst",
    "strategy_summary",
    "survival_summary",
    "swept_columns",
    "winners",
]
