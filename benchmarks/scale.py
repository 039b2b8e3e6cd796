"""One large run, timed: python benchmarks/scale.py --people N --seekers S --days D [--graph KIND]

The graph is the model's default kind (``GraphParams().kind``) unless ``--graph`` says
otherwise; every other parameter is the model's default.

Prints one JSON object: people, seekers, days, seconds (whole run, graph included),
graph_seconds, peak_rss_mb, events (calls, names, leads, interviews), events_per_s,
person_days_per_s, and whether the compiled helpers ran (numba installed and
NETWORKING_SIM_PURE_NUMPY not set to 1). Seekers are split evenly between the polite and NFL
presets. On a first run after installing (numba's cache empty), ``seconds`` includes compiling
the kernels in a child process (about 30 s; ``sim.model.warm_up``), and ``peak_rss_mb``, this
process's own peak, does not include the child's.
"""

from __future__ import annotations

import argparse
import json
import resource
import time

import sim
import sim.model.model as model_module
from sim.model import kernels as compiled
from sim.model.params import GraphParams, SeekerGroup


def polite_and_nfl(seekers: int) -> tuple[SeekerGroup, SeekerGroup]:
    """``seekers`` split between the polite and NFL presets (the odd one polite)."""
    half = seekers // 2
    return SeekerGroup(sim.preset("polite"), seekers - half), SeekerGroup(sim.preset("nfl"), half)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--seekers", type=int, default=100)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument(
        "--spread",
        type=int,
        default=0,
        help="job_loss_spread_days (default 0: one cohort, the target's run of --days days)",
    )
    parser.add_argument("--graph", default=GraphParams().kind, help="graph kind (default: the model's)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    groups = polite_and_nfl(args.seekers)
    params = sim.with_overrides(sim.ModelParams(), {
        "graph": GraphParams(kind=args.graph, people=args.people), "population.seekers": groups, "horizon_days": args.days,
        "job_loss_spread_days": args.spread,
    })  # fmt: skip

    graph_seconds = 0.0
    build = model_module.build_graph

    def timed_build(*a, **k):
        nonlocal graph_seconds
        t = time.perf_counter()
        g = build(*a, **k)
        graph_seconds += time.perf_counter() - t
        return g

    model_module.build_graph = timed_build
    start = time.perf_counter()
    seekers = sim.simulate(params, seed=args.seed).seekers
    seconds = time.perf_counter() - start
    events = int(seekers[["calls", "names_gained", "leads", "interviews"]].to_numpy().sum())
    print(json.dumps({
        "people": args.people, "seekers": args.seekers, "days": args.days, "graph": args.graph,
        "seconds": round(seconds, 3), "graph_seconds": round(graph_seconds, 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "events": events, "events_per_s": round(events / seconds), "person_days_per_s": round(args.people * args.days / seconds),
        "compiled": compiled.AVAILABLE,
    }))  # fmt: skip


if __name__ == "__main__":
    main()
