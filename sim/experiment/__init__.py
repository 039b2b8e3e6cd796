"""Experiments: YAML config, design points and seeds, execution, storage. Uses the model's
public API only.

The names below are imported on first use (PEP 562), so that reading and refusing a file
(:mod:`sim.experiment.safeyaml`) does not wait for the model to be imported.
"""

from importlib import import_module
from typing import Any

#: Each public name and the module that defines it.
_WHERE = {
    "ConfigError": "sim.experiment.errors",
    "Experiment": "sim.experiment.config",
    "load_experiment": "sim.experiment.config",
    "RunSpec": "sim.experiment.design",
    "design_points": "sim.experiment.design",
    "plan_runs": "sim.experiment.design",
    "run_seed": "sim.experiment.design",
    "Outcome": "sim.experiment.runner",
    "RunOptions": "sim.experiment.runner",
    "execute": "sim.experiment.runner",
    "open_executor": "sim.experiment.runner",
    "run_one": "sim.experiment.runner",
    "ResultStore": "sim.experiment.store",
}

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


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        value = getattr(import_module(_WHERE[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'sim.experiment' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))
