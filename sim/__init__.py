"""networking-sim: how job seekers network through their social graph, and which way of
networking gets people hired sooner.

Quick use in a notebook::

    import sim
    tables = sim.simulate(sim.ModelParams(), seed=1)
    tables.seekers.groupby("strategy")[["hired", "meetings", "mop_up_calls"]].mean()
"""

from importlib.metadata import PackageNotFoundError, version

from sim.model import (
    PRESETS,
    ContactParams,
    GraphParams,
    MarketParams,
    ModelParams,
    NetworkingModel,
    PopulationParams,
    RunKey,
    RunTables,
    SeekerGroup,
    Strategy,
    TieParams,
    preset,
    simulate,
    tables_of,
    with_overrides,
)

try:
    __version__ = version("networking-sim")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+unknown"

__all__ = [
    "PRESETS",
    "ContactParams",
    "GraphParams",
    "MarketParams",
    "ModelParams",
    "NetworkingModel",
    "PopulationParams",
    "RunKey",
    "RunTables",
    "SeekerGroup",
    "Strategy",
    "TieParams",
    "__version__",
    "preset",
    "simulate",
    "tables_of",
    "with_overrides",
]
