"""Statistics on the stored tables (DataFrames in, DataFrames out); never touches the model."""

from sim.analysis.chains import by_hop
from sim.analysis.effects import effect_table, paired_difference
from sim.analysis.outputs import (
    default_outputs,
    parse_output,
    point_outputs,
    replication_noise,
    run_outputs,
)
from sim.analysis.summary import strategy_summary
from sim.analysis.survival import (
    censored,
    hazard_by_period,
    km_curve,
    km_curves,
    km_median,
    logrank,
    logrank_pairs,
    median_ci,
    rmst,
    stock_spells,
    survival_summary,
)
from sim.analysis.sweep import point_summary, swept_columns, winners

__all__ = [
    "by_hop",
    "censored",
    "default_outputs",
    "effect_table",
    "hazard_by_period",
    "km_curve",
    "km_curves",
    "km_median",
    "logrank",
    "logrank_pairs",
    "median_ci",
    "paired_difference",
    "parse_output",
    "point_outputs",
    "point_summary",
    "replication_noise",
    "rmst",
    "run_outputs",
    "stock_spells",
    "strategy_summary",
    "survival_summary",
    "swept_columns",
    "winners",
]
