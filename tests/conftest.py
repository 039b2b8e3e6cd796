"""Shared fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from sim.model.params import ModelParams

from .experiments import tiny_experiment
from .worlds import small_params

GRID = """\
strategies:
  yours: {preset: polite}
sweep:
  grid:
    population.seekers.yours.pressure: [0.1, 0.9]
    contacts.gossip_rate: [0.0, 0.5]
outputs: {events: one, explorer: true}
"""


def pytest_configure(config: pytest.Config) -> None:
    """Stamp an empty kernel cache before any test compiles into it. Tests that call kernels
    without building a model (which is where a run stamps it) would otherwise leave compiled
    files without a stamp for a moment, and another worker or a test's subprocess starting
    then would take the cache for stale, warn, and compile afresh."""
    from sim.model import kernels

    kernels.stamp_cache()


@pytest.fixture
def params() -> ModelParams:
    return small_params()


@pytest.fixture(scope="session")
def grid(tmp_path_factory) -> Path:
    """A tiny scenario grid run by ``sim run`` (4 design points x 2 replications), which
    writes the figures, report, handout and explorer: shared by the explorer and handout tests."""
    from sim.cli import app

    folder = tmp_path_factory.mktemp("grid")
    path = tiny_experiment(folder, replications=2, extra=GRID)
    path.write_text(path.read_text().replace("{polite: 3, nfl: 3}", "{polite: 3, nfl: 3, yours: 3}"))
    out = folder / "out"
    result = CliRunner().invoke(app, ["run", str(path), "--out", str(out), "--workers", "1", "-q"])
    assert result.exit_code == 0, result.stderr
    return out
