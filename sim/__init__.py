"""networking-sim: how job seekers network through their social graph, and which way of
networking gets people hired sooner.

Quick use in a notebook::

    import sim
    tables = sim.simulate(sim.ModelParams(), seed=1)
    tables.seekers.groupby("strategy")[["hired", "meetings", "mop_up_calls"]].mean()
"""

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from typing import Any

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

# The model's names are imported on first use (PEP 562), not with the package: importing the
# model (Mesa, pandas, SciPy) takes seconds, and ``sim validate`` refuses a hostile file
# before it needs any of it. ``sim.simulate`` and ``from sim import simulate`` work as ever.
_FROM_MODEL = frozenset(__all__) - {"__version__"}


def __getattr__(name: str) -> Any:
    if name in _FROM_MODEL:
        value = getattr(import_module("sim.model"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'sim' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | _FROM_MODEL)
