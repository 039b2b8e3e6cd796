"""Tiny experiment files for tests."""

from __future__ import annotations

from pathlib import Path

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
#: A hiring process of 28 days (window 21, offer lag 7) instead of the default 42, for tiny
#: worlds of a month or two that must see hires: tests of the research machinery need an
#: output that moves with the parameters, not the sourced process (docs/model.md §3.3.15).
BRISK_HIRING = "market: {application_window_days: 21, offer_lag_days: 7}\n"


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
