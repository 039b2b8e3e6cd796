"""Tiny experiment files for tests."""

from __future__ import annotations

from pathlib import Path

from tests import worlds

TINY = """\
name: tiny
description: A tiny world for tests.
seed: 5
replications: {replications}
horizon_days: {horizon}
job_loss_spread_days: 0
graph: {{people: {people}, mean_degree: 10}}
population:
  seekers: {{polite: 3, nfl: 3}}
"""
#: :data:`tests.worlds.BRISK_HIRING` as an experiment file's ``market:`` section.
_BRISK_FIELDS = ", ".join(f"{path.removeprefix('market.')}: {v}" for path, v in worlds.BRISK_HIRING.items())
BRISK_HIRING = f"market: {{{_BRISK_FIELDS}}}\n"


def tiny_experiment(
    folder: Path, replications: int = 3, horizon: int = 60, extra: str = "", people: int = 300
) -> Path:
    """Write a tiny experiment file and return its path (one cohort, all laid off on day 0,
    so that its runs last ``horizon`` days)."""
    path = folder / "tiny.yaml"
    path.write_text(
        TINY.format(replications=replications, horizon=horizon, people=people) + extra, encoding="utf-8"
    )
    return path
