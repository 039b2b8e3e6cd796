"""Small worlds for tests: they run in a fraction of a second."""

from __future__ import annotations

import sim
from sim.model.params import GraphParams, ModelParams, PopulationParams, SeekerGroup


def small_params(
    *groups: tuple[str, int],
    people: int = 400,
    horizon: int = 120,
    record_events: bool = True,
    **overrides,
) -> ModelParams:
    """A small world with the given (preset, count) seeker groups."""
    groups = groups or (("polite", 5), ("nfl", 5))
    params = ModelParams(
        graph=GraphParams(people=people, mean_degree=12),
        population=PopulationParams(seekers=tuple(SeekerGroup(sim.preset(n), c) for n, c in groups)),
        horizon_days=horizon,
        record_events=record_events,
    )
    return sim.with_overrides(params, overrides) if overrides else params
