"""Hashes of every output table for a fixed set of worlds and seeds, to check that a change
leaves results bit-identical: python benchmarks/fingerprint.py [--compare BEFORE.json]

Prints one JSON object mapping "<world>/<seed>" to a short hash of each table (seekers, runs,
daily, and with the event log events and ego). Save it before a change, then run again with ``--compare`` after it: the
differing entries are listed and the exit code is 1 if any differ. Takes about a minute.
Hashes depend on the numpy, pandas and Mesa versions, so compare on one machine and one
environment only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import pandas as pd

import sim
from sim.model.params import SeekerGroup

#: The worlds: each shape of graph, warm-up with cultivation, targeting, and a larger world;
#: the default's flow of job losers and, elsewhere, one cohort (job_loss_spread_days 0).
COHORT = {"job_loss_spread_days": 0}
WORLDS = {
    "default": {},
    "events": {"record_events": True},
    "barabasi_albert": {
        "graph.kind": "barabasi_albert",
        "record_events": True,
        "horizon_days": 200,
        **COHORT,
    },
    "holme_kim": {"graph.kind": "holme_kim", "horizon_days": 150, **COHORT},
    "sbm": {"graph.kind": "sbm", "record_events": True, "horizon_days": 200, **COHORT},
    "warm_up": {"warmup_days": 30, "record_events": True, "horizon_days": 120, "job_loss_spread_days": 30},
    "big": {"graph.people": 20000, "horizon_days": 60, "record_events": True, **COHORT},
    # no event log: the paths only it takes
    "big_quiet": {"graph.people": 20000, "horizon_days": 90, **COHORT},
}
GROUPS = {
    "warm_up": (("polite", 20), ("balanced", 20), ("targeted", 10)),
    "big": (("polite", 100), ("nfl", 100), ("targeted", 50)),
    "big_quiet": (("polite", 100), ("nfl", 100), ("balanced", 50)),
}


def digest(table: pd.DataFrame) -> str:
    """A short hash of a table's values, index and column names."""
    values = pd.util.hash_pandas_object(table, index=True).to_numpy().tobytes()
    return hashlib.sha256(values + table.to_csv().encode()).hexdigest()[:16]


def fingerprints(seeds: tuple[int, ...] = (1, 2)) -> dict[str, dict[str, str]]:
    """Hashes of every table of every world and seed."""
    out = {}
    for name, overrides in WORLDS.items():
        params = sim.with_overrides(sim.ModelParams(), overrides)
        if name in GROUPS:
            groups = tuple(SeekerGroup(sim.preset(preset), count) for preset, count in GROUPS[name])
            params = sim.with_overrides(params, {"population.seekers": groups})
        for seed in seeds:
            tables = sim.simulate(params, seed=seed)
            out[f"{name}/{seed}"] = {
                kind: digest(getattr(tables, kind))
                for kind in ("seekers", "runs", "daily", "events", "ego")
                if getattr(tables, kind) is not None
            }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--compare", type=Path, help="fingerprints saved before the change")
    args = parser.parse_args()
    now = fingerprints()
    print(json.dumps(now, indent=1))
    if args.compare:
        before = json.loads(args.compare.read_text())
        changed = sorted(k for k in before.keys() | now.keys() if before.get(k) != now.get(k))
        print(json.dumps({"identical": not changed, "changed": changed}), file=sys.stderr)
        sys.exit(1 if changed else 0)


if __name__ == "__main__":
    main()
