"""The full model against a plain Mesa model on the same graph, in one process:
python benchmarks/vs_mesa.py --people N --days D [--seekers S]

The plain model makes every person a mesa.Agent whose step reads a random neighbour and
updates a float (``AgentSet.do("step")``, the Mesa 3 way). Both models run on the model's
own graph for the same number of days. Rates count simulated person-days per second of
stepping; set-up (graph, agents) is timed separately and reported. Seekers default to the
model's default population; ``--seekers S`` splits S between the polite and NFL presets.
Prints one JSON object: people, seekers, days, model_person_days_per_s,
mesa_person_days_per_s, ratio, model_setup_s, mesa_setup_s.
"""

from __future__ import annotations

import argparse
import json
import time

import mesa
import numpy as np
from scale import polite_and_nfl  # benchmarks/ is on the path when a script in it runs

import sim


class Person(mesa.Agent):
    """A trivial agent: look at one neighbour, move a float towards hers."""

    def __init__(self, model: PlainModel, neighbours: np.ndarray) -> None:
        super().__init__(model)
        self.neighbours = neighbours
        self.value = float(model.rng.random())

    def step(self) -> None:
        if len(self.neighbours):
            other = self.model.people[int(self.neighbours[self.model.rng.integers(len(self.neighbours))])]
            self.value += 0.1 * (other.value - self.value)


class PlainModel(mesa.Model):
    """Every person an Agent, all stepped each day."""

    def __init__(self, graph, seed: int) -> None:
        super().__init__(rng=seed)
        self.people = [Person(self, graph.neighbors(i)) for i in range(graph.n)]

    def step(self) -> None:
        self.agents.do("step")


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument(
        "--seekers", type=int, help="seekers, half polite and half NFL (default: the default population)"
    )
    args = parser.parse_args()

    overrides = {"graph.people": args.people, "horizon_days": args.days, "job_loss_spread_days": 0}
    if args.seekers:
        overrides["population.seekers"] = polite_and_nfl(args.seekers)
    params = sim.with_overrides(sim.ModelParams(), overrides)
    model, model_setup = timed(lambda: sim.NetworkingModel(params, seed=1))
    _, model_seconds = timed(model.run)

    plain, mesa_setup = timed(lambda: PlainModel(model.graph, seed=1))
    _, mesa_seconds = timed(lambda: [plain.step() for _ in range(args.days)])

    person_days = args.people * args.days
    print(json.dumps({
        "people": args.people, "seekers": params.population.seeker_count, "days": args.days,
        "model_person_days_per_s": round(person_days / model_seconds), "mesa_person_days_per_s": round(person_days / mesa_seconds),
        "ratio": round(mesa_seconds / model_seconds, 2), "model_setup_s": round(model_setup, 2), "mesa_setup_s": round(mesa_setup, 2),
    }))  # fmt: skip


if __name__ == "__main__":
    main()
