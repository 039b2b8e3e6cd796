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


def busy_world():
    """Some weeks into a search: decayed and refreshed ties, introductions, goodwill, fatigue
    (the world the compiled-versus-reference checks run their calls in)."""
    from sim.model.model import NetworkingModel

    params = small_params(("polite", 8), ("nfl", 8), ("targeted", 4), people=500, horizon=45, record_events=False)
    model = NetworkingModel(params, seed=4).run()
    model.day = 45  # the next day of the same run
    assert model.ties.introduced.size > 0 and model.book.goodwill[: model.book.size].any()
    return model
