"""Statistics on the stored tables (DataFrames in, DataFrames out); never touches the model."""

from sim.analysis.summary import strategy_summary
from sim.analysis.survival import censored, km_median, logrank

__all__ = ["censored", "km_median", "logrank", "strategy_summary"]
