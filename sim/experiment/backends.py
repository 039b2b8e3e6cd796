"""Where runs execute (a module of its own, so that the command line can offer the choice
without importing the runner and the model)."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Backend"]


class Backend(StrEnum):
    """Where runs execute: a local process pool, or Dask distributed."""

    LOCAL = "local"
    DASK = "dask"
