"""Can volume win without the social costs? docs/model.md §1.1, "When aggression pays":
python benchmarks/social_costs.py [--runs R] [--seed S]

Runs the flagship world (2,000 people; 15 polite, 15 NFL and 15 balanced seekers; every
parameter at its default, the calibrated medians) R times, each seed twice: as it is, and
with mop-up calls, gossip and contact fatigue switched off
(``ModelParams.without_social_costs()``, the brief's "when aggression pays"). Pairing the
seeds makes the runs, not pooled seekers, the independent unit. Prints one CSV row per run
and world (restricted mean days to hire by strategy, mean mop-up calls), then a JSON
summary: in how many runs the NFL - polite gap shrank without the costs (one-sided sign
test), in how many NFL was ahead, and Kaplan-Meier medians pooled over the runs.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys

import numpy as np
import pandas as pd
from scipy import stats

import sim
from sim.analysis import km_median, rmst
from sim.model.params import SeekerGroup

STRATEGIES = ("polite", "nfl", "balanced")


def flagship_world() -> sim.ModelParams:
    """The flagship's world at the defaults: 15 seekers of each strategy."""
    groups = tuple(SeekerGroup(sim.preset(name), 15) for name in STRATEGIES)
    return sim.with_overrides(sim.ModelParams(), {"population.seekers": groups})


def paired_runs(base: sim.ModelParams, runs: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One row per run and world ("with" or "without" the costs), and every seeker of every
    run (for pooled medians); run ``i`` of both worlds uses the same seed."""
    rows, seekers = [], []
    for run, child in enumerate(np.random.SeedSequence(seed).spawn(runs)):
        for world, params in (("with", base), ("without", base.without_social_costs())):
            table = sim.simulate(params, seed=child).seekers.assign(world=world, run=run)
            seekers.append(table)
            means = {f"mean_days.{s}": rmst(g, params.horizon_days) for s, g in table.groupby("strategy")}
            rows.append(
                {"run": run, "world": world, "seed": int(table["seed"].iloc[0]), **means,
                 "mop_ups": float(table["mop_up_calls"].mean())}
            )  # fmt: skip
    return pd.DataFrame(rows), pd.concat(seekers, ignore_index=True)


def summary(per_run: pd.DataFrame, seekers: pd.DataFrame) -> dict:
    """The sign test over paired runs and the pooled medians."""
    gap = {
        w: (g.set_index("run")["mean_days.nfl"] - g.set_index("run")["mean_days.polite"])
        for w, g in per_run.groupby("world")
    }
    shrank = int((gap["without"] < gap["with"]).sum())
    runs = len(gap["with"])
    return {
        "runs": runs,
        "gap_shrank": shrank,
        "sign_test_p": float(stats.binomtest(shrank, runs, alternative="greater").pvalue),
        "nfl_ahead": {w: int((g < 0).sum()) for w, g in gap.items()},
        "km_median": {
            w: {s: km_median(x) for s, x in g.groupby("strategy")} for w, g in seekers.groupby("world")
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=20261202)
    args = parser.parse_args()
    per_run, seekers = paired_runs(flagship_world(), args.runs, args.seed)
    writer = csv.DictWriter(sys.stdout, fieldnames=list(per_run.columns))
    writer.writeheader()
    writer.writerows(per_run.to_dict("records"))
    print(json.dumps(summary(per_run, seekers)))


if __name__ == "__main__":
    main()
