"""The social costs of aggression, as a mechanism: mop-up calls, gossip and tired contacts
lower what people think of NFL seekers more than of polite ones. No default is tuned to
this, and whether it changes who is hired sooner is an output (docs/model.md §1.1).

Each replication runs the same seed with and without the costs (the same world and seekers),
and the run, not the seeker, is the independent unit: the claim is tested with a one-sided
t-test over the replications' paired differences.
"""

from __future__ import annotations

from scipy import stats

import sim
from sim.experiment.design import run_seed

from .worlds import small_params

REPLICATIONS = 6


def nfl_minus_polite_reputation(params: sim.ModelParams, seed: int) -> float:
    """Mean end reputation of NFL seekers minus that of polite seekers, in one run."""
    seekers = sim.simulate(params, seed=seed).seekers
    by_strategy = seekers.groupby("strategy")["reputation_end"].mean()
    return float(by_strategy["nfl"] - by_strategy["polite"])


def test_social_costs_lower_nfl_reputation_more_than_polite():
    params = small_params(("polite", 8), ("nfl", 8), people=600, horizon=120, record_events=False)
    ablated = params.without_social_costs()
    seeds = [run_seed(11, 0, r) for r in range(REPLICATIONS)]
    change = [nfl_minus_polite_reputation(params, s) - nfl_minus_polite_reputation(ablated, s) for s in seeds]
    result = stats.ttest_1samp(change, 0.0, alternative="less")
    assert result.pvalue < 0.01, change
