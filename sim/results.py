"""Load a stored experiment back: ``sim.results.load("results/aggressive_vs_polite")``.

Only Parquet, JSON and YAML (safe loading) are read; nothing is unpickled or executed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from sim.experiment.safeyaml import load_bounded
from sim.experiment.store import RUNS_DIR, TABLES

__all__ = ["Results", "ResultsError", "load"]


class ResultsError(Exception):
    """A results folder that is missing, incomplete or unreadable."""


@dataclass(frozen=True)
class Results:
    """The tables of a stored experiment, with its config and manifest.

    Attributes:
        seekers, runs, daily: One row per seeker / strategy / day and strategy, all runs.
        events: The event log, or None when the experiment did not record it.
        ego: One row per seeker and own contact at job loss, or None without the event log
            (docs/tables.md).
        config: The resolved experiment (as in config.yaml).
        manifest: Versions, times, seeds and status (as in manifest.json).
        path: The folder.
    """

    seekers: pd.DataFrame
    runs: pd.DataFrame
    daily: pd.DataFrame
    events: pd.DataFrame | None
    ego: pd.DataFrame | None
    config: dict[str, Any]
    manifest: dict[str, Any]
    path: Path

    @property
    def complete(self) -> bool:
        """Every planned run is stored."""
        return self.manifest.get("status") == "complete"


def _read_table(run_dirs: list[Path], name: str) -> pd.DataFrame | None:
    files = [d / f"{name}.parquet" for d in run_dirs if (d / f"{name}.parquet").exists()]
    if not files:
        return None
    try:
        return pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)
    except (OSError, ValueError) as exc:
        raise ResultsError(f"{files[0].parent.parent}: cannot read the {name} tables ({exc})") from None


def load(path: str | Path, tables: tuple[str, ...] = TABLES) -> Results:
    """Read every stored run of the experiment at ``path``.

    ``tables`` names the tables to read (others come back empty, or None for ``events``):
    a design of a thousand runs that needs only ``seekers`` need not read ``daily``.

    Raises:
        ResultsError: the folder is missing, is not an experiment, or a file is unreadable.
    """
    root = Path(path)
    if not root.is_dir():
        raise ResultsError(f"{root}: no such results folder")
    try:
        manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
        config = load_bounded((root / "config.yaml").read_text(encoding="utf-8"))  # folders are shared too
    except FileNotFoundError as exc:
        raise ResultsError(
            f"{root}: not an experiment's results folder (missing {Path(exc.filename).name})"
        ) from None
    except (OSError, ValueError, yaml.YAMLError) as exc:
        raise ResultsError(f"{root}: unreadable manifest or config ({exc})") from None
    runs_dir = root / RUNS_DIR
    run_dirs = (
        sorted(d for d in runs_dir.iterdir() if d.is_dir() and not d.name.startswith("."))
        if runs_dir.exists()
        else []
    )
    read = {name: _read_table(run_dirs, name) if name in tables else None for name in TABLES}
    for name in ("seekers", "runs", "daily"):
        if read[name] is None:
            read[name] = pd.DataFrame()
    return Results(**read, config=config, manifest=manifest, path=root)
