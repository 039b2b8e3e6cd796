"""The one-call API: parameters and a seed in, tables out."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from sim.model.model import NetworkingModel
from sim.model.params import ModelParams
from sim.model.seeds import seed_to_int
from sim.model.tables import RunKey, RunTables, tables_of
from sim.model.warm_up import compile_elsewhere

__all__ = ["simulate"]


def simulate(
    params: ModelParams | None = None,
    seed: int | np.random.SeedSequence = 0,
    *,
    run_id: str | None = None,
    point_id: int = 0,
    replication: int = 0,
    point: Mapping[str, Any] | None = None,
) -> RunTables:
    """Run one replication to the horizon and return its tables.

    Args:
        params: Model parameters (defaults if None).
        seed: Integer or SeedSequence; the same params and seed give identical tables.
        run_id: Label of the run in every table (default ``"p{point_id}-r{replication}"``).
        point_id: Design point the run belongs to (for experiments).
        replication: Replication number within the design point.
        point: The design point's parameters, added as columns of the seeker table.

    Example:
        >>> from sim import ModelParams, simulate
        >>> tables = simulate(ModelParams(horizon_days=30), seed=1)
        >>> sorted(tables.seekers["strategy"].unique())
        ['nfl', 'polite']
    """
    compile_elsewhere()  # on a first run after installing: keeps the compiler's memory out of this run
    model = NetworkingModel(params, seed=seed).run()
    key = RunKey(run_id or f"p{point_id}-r{replication}", point_id, replication, seed_to_int(seed))
    return tables_of(model, key, point)
