"""The social costs of aggression, as a mechanism: removing them helps NFL seekers more than
polite ones. No default is tuned to this; it follows from which strategy triggers mop-up
calls, gossip about pushing and tired contacts.

Each replication runs the same seed with and without the costs (the same world and seekers),
and the run, not the seeker, is the independent unit: the claim is tested with a one-sided
t-test over the replications' paired differences.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

import sim
from sim.analysis import rmst
from sim.experiment.design import run_seed

from .worlds import small_params

REPLICATIONS = 8


def nfl_minus_polite(params: sim.ModelParams, seed: int) -> float:
    """NFL's restricted mean days to hire minus polite's, in one run."""
    seekers = sim.simulate(params, seed=seed).seekers
    return rmst(seekers[seekers.strategy == "nfl"], 365) - rmst(seekers[seekers.strategy == "polite"], 365)


def test_without_social_costs_nfl_gains_on_polite():
    params = small_params(("polite", 8), ("nfl", 8), people=600, horizon=365, record_events=False)
    ablated = params.without_social_costs()
    seeds = [run_seed(11, 0, r) for r in range(REPLICATIONS)]
    shrink = np.array([nfl_minus_polite(params, s) - nfl_minus_polite(ablated, s) for s in seeds])
    result = stats.ttest_1samp(shrink, 0.0, alternative="greater")
    assert result.pvalue < 0.01, shrink
