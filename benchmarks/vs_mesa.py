"""The full model against a plain Mesa model on the same graph, in one process:
python benchmarks/vs_mesa.py --people N --days D

The plain model makes every person a mesa.Agent whose step reads a random neighbour and
updates a float. Prints one JSON object: people, model_person_days_per_s,
mesa_person_days_per_s, ratio.
"""

from __future__ import annotations

import argparse
import json
import time

import mesa
import numpy as np

import sim
from sim.model.graphs import build_graph
from sim.model.params import GraphParams


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
    def __init__(self, graph, seed: int) -> None:
        super().__init__(rng=seed)
        self.people = [Person(self, graph.neighbors(i)) for i in range(graph.n)]

    def step(self) -> None:
        self.agents.do("step")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=30)
    args = parser.parse_args()

    params = sim.with_overrides(sim.ModelParams(), {"graph.people": args.people, "horizon_days": args.days})
    start = time.perf_counter()
    sim.simulate(params, seed=1)
    model_rate = args.people * args.days / (time.perf_counter() - start)

    graph = build_graph(GraphParams(people=args.people), 4, np.random.default_rng(1))
    plain = PlainModel(graph, seed=1)
    start = time.perf_counter()
    for _ in range(args.days):
        plain.step()
    mesa_rate = args.people * args.days / (time.perf_counter() - start)
    print(json.dumps({"people": args.people, "days": args.days, "model_person_days_per_s": round(model_rate),
                      "mesa_person_days_per_s": round(mesa_rate), "ratio": round(model_rate / mesa_rate, 2)}))  # fmt: skip


if __name__ == "__main__":
    main()
