"""The model layer: plain parameters and a seed in, tables out. Knows nothing of YAML,
executors, plots or the command line (it reads a file only when asked to load an edge list).

Inside, arrows point one way (docs/architecture.md): :mod:`.equations` and :mod:`.codes` at the
bottom; compiled :mod:`.kernels` on them; the run's :mod:`.state` (graph and ties, opinion
book, market, leads); the :mod:`.mechanisms`, one module per ODD submodel; the seekers; and
:mod:`.model`, which wires a day."""

from sim.model.model import NetworkingModel
from sim.model.params import (
    ContactParams,
    GraphParams,
    MarketParams,
    ModelParams,
    PopulationParams,
    SeekerGroup,
    TieParams,
    with_overrides,
)
from sim.model.seeds import seed_to_int
from sim.model.simulate import simulate
from sim.model.state.graphs import TIER_NAMES, TIER_STRENGTHS, Graph, build_graph, load_edge_list
from sim.model.strategies import PRESETS, Strategy, preset
from sim.model.tables import RunKey, RunTables, flatten_params, tables_of
from sim.model.warm_up import compile_elsewhere

__all__ = [
    "PRESETS",
    "TIER_NAMES",
    "TIER_STRENGTHS",
    "ContactParams",
    "Graph",
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
    "build_graph",
    "compile_elsewhere",
    "flatten_params",
    "load_edge_list",
    "preset",
    "seed_to_int",
    "simulate",
    "tables_of",
    "with_overrides",
]
