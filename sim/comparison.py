"""A first comparison of networking strategies in the default world (``python -m sim``).

Runs seeded replications of the default world with polite, NFL and balanced seekers, and
prints, per strategy: share hired, Kaplan-Meier median days to hire, meetings and mop-up
calls, with the log-rank test of polite against NFL. The experiment runner (``sim run``)
supersedes this once it lands.
"""

from __future__ import annotations

import argparse
import os
import sys
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pandas as pd
from scipy import stats

from sim.model import ModelParams, SeekerGroup, preset, simulate, with_overrides

__all__ = ["main"]

STRATEGIES = ("polite", "nfl", "balanced")


def comparison_params(per_strategy: int = 15) -> ModelParams:
    """The default world with ``per_strategy`` seekers of each compared strategy."""
    groups = tuple(SeekerGroup(preset(name), per_strategy) for name in STRATEGIES)
    return with_overrides(ModelParams(), {"population.seekers": groups})


def _one(args: tuple[ModelParams, int, int]) -> pd.DataFrame:
    params, replication, seed = args
    return simulate(params, seed=seed, replication=replication).seekers


def run_comparison(replications: int, base_seed: int, workers: int) -> pd.DataFrame:
    """All seekers of all replications; each replication's seed comes from SeedSequence."""
    params = comparison_params()
    children = np.random.SeedSequence(base_seed).spawn(replications)
    seeds = [int(c.generate_state(1, np.uint64)[0]) for c in children]
    jobs = [(params, r, s) for r, s in enumerate(seeds)]
    frames = []
    if workers <= 1:
        results = map(_one, jobs)
        frames = [_report(i, replications, df) for i, df in enumerate(results, 1)]
    else:
        with ProcessPoolExecutor(workers) as pool:
            frames = [_report(i, replications, df) for i, df in enumerate(pool.map(_one, jobs), 1)]
    return pd.concat(frames, ignore_index=True)


def _report(done: int, total: int, df: pd.DataFrame) -> pd.DataFrame:
    print(f"\rreplications done: {done}/{total}", end="", file=sys.stderr, flush=True)
    if done == total:
        print(file=sys.stderr)
    return df


def _censored(group: pd.DataFrame) -> stats.CensoredData:
    hired = group["hired"].to_numpy(bool)
    days = group["days_searched"].to_numpy(float)
    return stats.CensoredData(uncensored=days[hired], right=days[~hired])


def km_median(group: pd.DataFrame) -> float:
    """Kaplan-Meier median days to hire (NaN if not reached)."""
    sf = stats.ecdf(_censored(group)).sf
    below = np.flatnonzero(sf.probabilities <= 0.5)
    return float(sf.quantiles[below[0]]) if below.size else float("nan")


def summary(seekers: pd.DataFrame) -> pd.DataFrame:
    """Per strategy: hired share, median days to hire, meetings, mop-up calls."""
    rows = []
    for name, group in seekers.groupby("strategy", sort=False):
        rows.append(
            {
                "strategy": name,
                "seekers": len(group),
                "hired": f"{group['hired'].mean():.0%}",
                "median days to hire": km_median(group),
                "meetings": round(group["meetings"].mean(), 1),
                "phone help": round(group["phone_help"].mean(), 1),
                "mop-up calls": round(group["mop_up_calls"].mean(), 1),
            }
        )
    return pd.DataFrame(rows).set_index("strategy")


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m sim``."""
    parser = argparse.ArgumentParser(prog="python -m sim", description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=12, help="seeded replications (default 12)")
    parser.add_argument("--seed", type=int, default=2024, help="base seed (default 2024)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="processes (default: all cores)")
    args = parser.parse_args(argv)
    if args.replications < 1 or args.seed < 0 or args.workers < 1:
        parser.error("--replications and --workers must be at least 1, --seed non-negative")
    seekers = run_comparison(args.replications, args.seed, args.workers)
    print(summary(seekers).to_string())
    polite, nfl = (seekers[seekers["strategy"] == s] for s in ("polite", "nfl"))
    test = stats.logrank(_censored(polite), _censored(nfl))
    print(f"\nlog-rank test, polite vs NFL time to hire: p = {test.pvalue:.2g} ({args.replications} replications)")
    return 0
