"""Compiled kernels: the model's hot loops, compiled by numba, and the one switch that says
whether they run.

Kernels are functions of arrays, numbers and the run's compiled state
(:mod:`sim.model.kernels.state`). They compute with the same equations as Python
(:mod:`sim.model.equations`) and use the same codes (:mod:`sim.model.codes`), and import
nothing else of the model: not the mechanisms, the state classes, the seekers or the model.
The mechanisms call them, and each mechanism keeps a step-by-step Python reference that gives
the same results bit for bit; ``tests/test_equivalence.py`` and the ``test_compiled_*``
modules check that.

:data:`AVAILABLE` is the one switch. Callers read it at call time (``kernels.AVAILABLE``), so
that tests can switch every compiled path off at once; the environment variable
``NETWORKING_SIM_PURE_NUMPY=1`` switches it off for a whole process.

numba caches compiled code on disk, next to these modules, and checks only the file a
function is defined in before reusing it: a kernel whose equation or callee in another file
changed would run stale machine code. :mod:`sim.model.kernels.cache` therefore keeps a hash
of the sources beside the cache; importing the package only reads it. Where the cache was
made from other sources, this process compiles afresh without using it and says so once; the
documented ``sim cache clear`` throws it away. A process that found the cache empty stamps
it when it first builds a model (:func:`stamp_cache`).
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable

from sim.model.kernels.cache import CacheState, cache_state, remember_sources

try:
    from numba import njit
except ImportError:  # pragma: no cover - exercised where numba is absent
    njit = None

__all__ = ["AVAILABLE", "CACHE", "INSTALLED", "jit", "running", "stamp_cache"]

#: numba can be imported.
INSTALLED = njit is not None

#: Whether compiled kernels run: numba is installed and ``NETWORKING_SIM_PURE_NUMPY`` is not "1".
AVAILABLE = INSTALLED and os.environ.get("NETWORKING_SIM_PURE_NUMPY") != "1"

#: The on-disk cache as this process found it (read, never changed, on import).
CACHE: CacheState = cache_state() if INSTALLED else CacheState.EMPTY

if CACHE is CacheState.STALE:  # pragma: no cover - depends on the machine's cache
    warnings.warn(
        "networking-sim: numba's cached kernels were compiled from other sources; compiling "
        "afresh for this process. Run `sim cache clear` once to refresh the cache.",
        RuntimeWarning,
        stacklevel=2,
    )


def jit(function: Callable) -> Callable:
    """``function`` compiled by numba (no GIL; cached on disk unless the cache is stale), or
    unchanged without numba."""
    if njit is None:  # pragma: no cover
        return function
    return njit(cache=CACHE is not CacheState.STALE, nogil=True)(function)


def running(function: Callable) -> Callable:
    """The version of a jitted ``function`` that runs now: compiled when :data:`AVAILABLE`,
    else the same code as plain Python (for kernels that are their own reference)."""
    return function if AVAILABLE else getattr(function, "py_func", function)


_stamped = False


def stamp_cache() -> None:
    """Once per process, if this process found the cache empty and compiles into it: stamp
    it as made from today's sources (a model calls this when it is built, not on import)."""
    global _stamped
    if AVAILABLE and CACHE is CacheState.EMPTY and not _stamped:
        _stamped = remember_sources()
