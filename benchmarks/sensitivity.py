"""A Sobol' sensitivity design, timed end to end: python benchmarks/sensitivity.py [--n 100]

Builds the issue-13 benchmark: a 1,200-person world (10 polite and 10 NFL seekers, a year),
a Sobol' design over four contact parameters (Saltelli's scheme: n (2k + 2) points, 1,000
for n = 100), one replication per point. Runs it the way ``sim sensitivity`` does (the same
plan, runner, store and analysis, into a temporary folder) and prints one JSON object: runs,
people, workers, backend, seconds_plan, seconds_runs, seconds_analysis, seconds_total,
runs_per_second and cpus (the machine's, to read the figure against).
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

from sim.experiment import RunOptions, execute, load_experiment
from sim.research import sensitivity

EXPERIMENT = """\
name: sobol_benchmark
description: The issue-13 benchmark design.
seed: 13
replications: 1
horizon_days: {days}
graph: {{people: {people}}}
population:
  seekers: {{polite: {half}, nfl: {half}}}
sensitivity:
  method: sobol
  n: {n}
  bounds:
    contacts.mop_up_propensity: [0.0, 1.5]
    contacts.accept_pressure: [1.0, 4.0]
    contacts.favour_steepness: [2.0, 10.0]
    contacts.gossip_weight: [0.1, 0.9]
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100, help="Sobol' base samples (runs = 10 n)")
    parser.add_argument("--people", type=int, default=1200)
    parser.add_argument("--seekers", type=int, default=20)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--backend", choices=("local", "dask"), default="local")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        file = Path(tmp) / "benchmark.yaml"
        file.write_text(
            EXPERIMENT.format(days=args.days, people=args.people, half=args.seekers // 2, n=args.n)
        )
        start = time.perf_counter()
        study = sensitivity.plan(load_experiment(file))
        planned = time.perf_counter()
        options = RunOptions(out=Path(tmp) / "out", workers=args.workers, backend=args.backend)
        outcome = execute(study.runs, options)
        ran = time.perf_counter()
        if not outcome.complete:
            raise SystemExit(f"the design did not complete: {outcome.failed}")
        result = sensitivity.analyse(study, options.out)
        done = time.perf_counter()
    print(json.dumps({
        "runs": outcome.planned, "people": args.people, "seekers": args.seekers, "days": args.days,
        "workers": args.workers, "backend": args.backend, "seconds_plan": round(planned - start, 2),
        "seconds_runs": round(ran - planned, 2), "seconds_analysis": round(done - ran, 2),
        "seconds_total": round(done - start, 2), "runs_per_second": round(outcome.planned / (ran - planned), 3),
        "indices": len(result.indices), "cpus": os.cpu_count(),
    }))  # fmt: skip


if __name__ == "__main__":
    main()
