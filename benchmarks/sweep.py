"""A sweep on 1 worker, 2 workers and Dask, timed: python benchmarks/sweep.py EXPERIMENT.yaml

Runs every replication of the experiment three times (in-process, local process pool with
2 workers, Dask LocalCluster with 2 workers), each into a fresh temporary folder, and prints
one JSON object: runs, seconds_1_worker, seconds_2_workers, seconds_dask, speedup_2_workers
(1 worker / 2 workers), dask_vs_pool (Dask / pool, 1.0 = as fast) and identical (whether the
three stored seeker tables are equal, as the seeding promises). Figures and the report are
not made: this times the runs and their storage. Start-up of the pool and the cluster is
included, as a user would feel it. ``--set`` and ``--replications`` work as in ``sim run``.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from sim.experiment.config import load_experiment
from sim.experiment.runner import RunOptions, execute
from sim.results import load


def timed_sweep(experiment, options: RunOptions) -> tuple[float, object]:
    """Seconds for one full execution, and the stored seeker table (sorted by run)."""
    start = time.perf_counter()
    outcome = execute(experiment, options)
    seconds = time.perf_counter() - start
    if not outcome.complete:
        raise SystemExit(f"sweep did not complete: {outcome.failed}")
    seekers = load(options.out).seekers.sort_values(["run_id", "seeker_id"]).reset_index(drop=True)
    return seconds, seekers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("experiment", type=Path)
    parser.add_argument("--set", dest="sets", action="append", default=[], metavar="PATH=VALUE")
    parser.add_argument("--replications", type=int)
    args = parser.parse_args()
    sets = args.sets + ([f"replications={args.replications}"] if args.replications else [])
    experiment = load_experiment(args.experiment, sets)

    setups = {
        "1_worker": {"workers": 1},
        "2_workers": {"workers": 2},
        "dask": {"workers": 2, "backend": "dask"},
    }
    seconds, tables = {}, {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, setup in setups.items():
            seconds[name], tables[name] = timed_sweep(experiment, RunOptions(out=Path(tmp) / name, **setup))
    identical = all(tables[name].equals(tables["1_worker"]) for name in tables)
    print(json.dumps({
        "experiment": str(args.experiment), "runs": int(tables["1_worker"]["run_id"].nunique()),
        **{f"seconds_{name}": round(s, 2) for name, s in seconds.items()},
        "speedup_2_workers": round(seconds["1_worker"] / seconds["2_workers"], 3),
        "dask_vs_pool": round(seconds["dask"] / seconds["2_workers"], 3),
        "identical": identical,
    }))  # fmt: skip


if __name__ == "__main__":
    main()
