"""Compile the kernels in a short-lived process of their own, before a run needs them.

numba's compiler keeps what it allocated while compiling (about 280 MB for the model's
kernels, measured on 2026-12-07) for the rest of the process. On the first run after an
install, when the on-disk cache is empty, that memory used to add to the run's own peak: the
10^6-people run peaked 240 MB higher on its first run than on later ones (docs/performance.md).
So the first run in a process that finds the cache empty compiles elsewhere: a child process
simulates a small world that calls every kernel, which fills and stamps the cache, and exits,
giving its memory back; this process then loads the compiled code from the cache, as any
later run does. If the child fails (an unwritable cache, say), this process compiles as
before: the results are the same either way, only the peak differs.

``sim cache warm`` fills the cache by hand, for instance on a cluster's shared file system
before a sweep starts its workers.
"""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from collections.abc import Callable
from pathlib import Path

from sim.model import kernels
from sim.model.kernels import cache
from sim.model.kernels.cache import CacheState
from sim.model.model import NetworkingModel
from sim.model.params import ModelParams, SeekerGroup, with_overrides
from sim.model.strategies import PRESETS
from sim.model.tables import RunKey, tables_of

__all__ = ["WARM_UP_TIMEOUT_S", "compile_elsewhere", "fill_cache", "warm_up_run"]

#: How long a run waits for the child to compile (it takes about 30 s on the CI machine).
WARM_UP_TIMEOUT_S = 900
#: Set in the child, so that it compiles in itself instead of starting a child of its own.
_IN_CHILD = "NETWORKING_SIM_WARMING_UP"
#: What the child runs; ``-P`` keeps the working directory off ``sys.path``, so that a folder
#: named ``sim`` there cannot stand in for the package.
_CHILD_CODE = "from sim.model.warm_up import fill_cache; raise SystemExit(0 if fill_cache() else 1)"

_tried = False


def warm_up_run() -> None:
    """Run small worlds that call every kernel: every preset, for a year (long enough for
    the opinion book, the goodwill table and the row index to grow), once without the event
    log (a call is then compiled whole) and once with it (a call is compiled in parts).
    Not covered: the 32-bit seeker column of runs with over 32,768 seekers, which such a run
    compiles itself."""
    groups = tuple(SeekerGroup(strategy, 4) for strategy in PRESETS.values())
    for record_events in (False, True):
        params = with_overrides(
            ModelParams(),
            {"record_events": record_events, "job_loss_spread_days": 30, "population.seekers": groups},
        )
        model = NetworkingModel(params, seed=0).run()
        tables_of(model, RunKey("warm-up", 0, 0, 0), None)


def fill_cache() -> bool:
    """Compile every kernel into the cache (:func:`warm_up_run`); returns whether the cache
    now holds code stamped as today's. A cache of other sources is left alone (False)."""
    if not kernels.AVAILABLE or kernels.CACHE is CacheState.STALE:
        return False
    warm_up_run()
    return cache.cache_state(cache.CACHE_DIR) is CacheState.CURRENT


def _writable(folder: Path) -> bool:
    """Whether numba could write ``folder`` (made if missing): where it cannot, it caches
    elsewhere, this process would find its own cache empty every time, and a child would
    compile for nothing."""
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return os.access(folder, os.W_OK | os.X_OK)


def compile_elsewhere(on_start: Callable[[], None] | None = None) -> bool:
    """Once per process, when compiled kernels run and the cache is empty and writable: fill
    it from a child process (see the module's docstring), calling ``on_start`` first (to say
    why nothing seems to happen for half a minute). Returns whether a child filled it; when
    one tried and failed, warns once and leaves compiling to this process."""
    global _tried
    if _tried or not kernels.AVAILABLE or kernels.CACHE is not CacheState.EMPTY or os.environ.get(_IN_CHILD):
        return False
    _tried = True
    if not sys.executable or not _writable(cache.CACHE_DIR):
        return False
    if cache.cache_state(cache.CACHE_DIR) is not CacheState.EMPTY:
        return False  # another process has begun filling it (or filled it) since this one started
    if on_start is not None:
        on_start()
    try:
        child = subprocess.run(
            [sys.executable, "-P", "-c", _CHILD_CODE],
            env={**os.environ, _IN_CHILD: "1"},
            capture_output=True,
            text=True,
            timeout=WARM_UP_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as error:
        _warn(str(error))
        return False
    if child.returncode != 0:
        lines = (child.stderr or "").strip().splitlines()
        _warn(lines[-1] if lines else f"exit code {child.returncode}")
        return False
    return True


def _warn(reason: str) -> None:
    warnings.warn(
        f"networking-sim: the kernels could not be compiled in a child process ({reason}); "
        "compiling them in this one, whose peak memory grows by about 280 MB.",
        RuntimeWarning,
        stacklevel=3,
    )
