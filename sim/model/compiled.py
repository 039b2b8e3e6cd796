"""Whether the compiled helpers run, and the decorator that compiles them (issue 5).

numba is optional (``pip install 'networking-sim[fast]'``). Every compiled helper has a
numpy or Python reference that gives the same results bit for bit; the reference runs when
numba is absent or when the environment variable ``NETWORKING_SIM_PURE_NUMPY`` is "1".
Callers read :data:`AVAILABLE` at call time (``compiled.AVAILABLE``), so that tests can
switch every compiled path off at once to compare a whole run with its reference.
"""

from __future__ import annotations

import os
from collections.abc import Callable

try:
    from numba import njit
except ImportError:  # pragma: no cover - exercised where numba is absent
    njit = None

__all__ = ["AVAILABLE", "INSTALLED", "jit"]

#: numba can be imported.
INSTALLED = njit is not None

#: Whether compiled helpers run: numba is installed and ``NETWORKING_SIM_PURE_NUMPY`` is not "1".
AVAILABLE = INSTALLED and os.environ.get("NETWORKING_SIM_PURE_NUMPY") != "1"


def jit(function: Callable) -> Callable:
    """``function`` compiled by numba (cached on disk, no GIL), or unchanged without numba."""
    if njit is None:  # pragma: no cover
        return function
    return njit(cache=True, nogil=True)(function)
