"""Experiments: YAML config, design points and seeds, execution, storage. Uses the model's
public API only."""

from sim.experiment.config import ConfigError, Experiment, load_experiment
from sim.experiment.design import RunSpec, design_points, plan_runs, run_seed
from sim.experiment.runner import Outcome, RunOptions, execute, open_executor, run_one
from sim.experiment.store import ResultStore

__all__ = [
    "ConfigError",
    "Experiment",
    "Outcome",
    "ResultStore",
    "RunOptions",
    "RunSpec",
    "design_points",
    "execute",
    "load_experiment",
    "open_executor",
    "plan_runs",
    "run_one",
    "run_seed",
]
