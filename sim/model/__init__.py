"""The model layer: plain parameters and a seed in, tables out. Knows nothing of files,
executors, plots or the command line."""

from sim.model.graphs import TIER_NAMES, TIER_STRENGTHS, Graph, build_graph, load_edge_list
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
from sim.model.simulate import simulate
from sim.model.strategies import PRESETS, Strategy, preset
from sim.model.tables import RunKey, RunTables, flatten_params, tables_of

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
    "flatten_params",
    "load_edge_list",
    "preset",
    "simulate",
    "tables_of",
    "with_overrides",
]
