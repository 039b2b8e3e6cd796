"""How the headline figures change with the size of the world at a fixed density of seekers
(docs/model.md §1.1, "World size"): python benchmarks/world_size.py [--runs R] [--sizes N ...]

Each world has 45 seekers per 2,000 people, split evenly between the polite, NFL and balanced
presets, every other parameter at its default, and a year's horizon. Prints one CSV row per
run: people, seekers, run, restricted mean and Kaplan-Meier median days to hire by strategy,
the network share of hires, the share hired, and the share of the world that has heard of a
seeker by the end (holds a view of her), averaged over the NFL and over the polite seekers.
Seeds come from SeedSequence(2026, spawn_key=(size, run)).
"""

from __future__ import annotations

import argparse
import csv
import sys

import numpy as np

import sim
from sim.analysis import km_median, rmst
from sim.model.model import NetworkingModel
from sim.model.params import GraphParams, SeekerGroup
from sim.model.tables import RunKey, tables_of

STRATEGIES = ("polite", "nfl", "balanced")
SEEKERS_PER_PERSON = 45 / 2000


def world(people: int) -> sim.ModelParams:
    """The default model in a world of ``people``, with 45 seekers per 2,000 people."""
    seekers = max(3, round(SEEKERS_PER_PERSON * people))
    groups = tuple(
        SeekerGroup(sim.preset(name), seekers // 3 + (k < seekers % 3)) for k, name in enumerate(STRATEGIES)
    )
    return sim.with_overrides(
        sim.ModelParams(), {"graph": GraphParams(people=people), "population.seekers": groups}
    )


def heard_share(model: NetworkingModel, strategy: str) -> float:
    """Mean share of the world holding a view of a seeker of ``strategy`` at the end."""
    held = np.bincount(model.book.seeker[: model.book.size], minlength=len(model.seekers))
    mine = [s.index for s in model.seekers if s.strategy.name == strategy]
    return float(held[mine].mean() / model.people.n)


def one_run(people: int, run: int) -> dict[str, float]:
    params = world(people)
    seed = np.random.SeedSequence(2026, spawn_key=(people, run))
    model = NetworkingModel(params, seed=seed).run()
    seekers = tables_of(model, RunKey(f"r{run}", 0, run, 0), None).seekers
    row: dict[str, float] = {"people": people, "seekers": len(seekers), "run": run}
    for name in STRATEGIES:
        group = seekers[seekers["strategy"] == name]
        row[f"mean_days.{name}"] = rmst(group, params.horizon_days)
        row[f"median_days.{name}"] = km_median(group)
    hired = seekers["hired"].to_numpy(bool)
    row["network_share"] = (
        float((seekers["hire_channel"][hired] == "network").mean()) if hired.any() else np.nan
    )
    row["share_hired"] = float(hired.mean())
    row["heard_nfl"], row["heard_polite"] = heard_share(model, "nfl"), heard_share(model, "polite")
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 2000, 4000, 8000])
    args = parser.parse_args()
    writer = None
    for people in args.sizes:
        for run in range(args.runs):
            row = one_run(people, run)
            if writer is None:
                writer = csv.DictWriter(sys.stdout, fieldnames=list(row))
                writer.writeheader()
            writer.writerow(row)
            sys.stdout.flush()


if __name__ == "__main__":
    main()
