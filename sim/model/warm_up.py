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

from sim.model import kernels
from sim.model.kernels.cache import CacheState
from sim.model.model import NetworkingModel
from sim.model.params import ModelParams, SeekerGroup, with_overrides
from sim.model.strategies import PRESETS
from sim.model.tables import RunKey, tables_of

__all__ = ["WARM_UP_TIMEOUT_S", "compile_elsewhere", "warm_up_run"]

#: How long a run waits for the child to compile (it takes about 30 s on the CI machine).
WARM_UP_TIMEOUT_S = 900
#: Set in the child, so that it compiles in itself instead of starting a child of its own.
_IN_CHILD = "NETWORKING_SIM_WARMING_UP"

_tried = False


def warm_up_run() -> None:
    """Run small worlds that call every kernel: every preset, for a year (long enough for
    the opinion book, the goodwill table and the row index to grow), once without the event
    log (a call is then compiled whole) and once with it (a call is compiled in parts)."""
    groups = tuple(SeekerGroup(strategy, 4) for strategy in PRESETS.values())
    for record_events in (False, True):
        params = with_overrides(
            ModelParams(),
            {"record_events": record_events, "job_loss_spread_days": 30, "population.seekers": groups},
        )
        model = NetworkingModel(params, seed=0).run()
        tables_of(model, RunKey("warm-up", 0, 0, 0), None)


def compile_elsewhere() -> bool:
    """Once per process, when compiled kernels run and the cache is empty: fill it from a
    child process (see the module's docstring). Returns whether a child filled it."""
    global _tried
    if _tried or not kernels.AVAILABLE or kernels.CACHE is not CacheState.EMPTY or os.environ.get(_IN_CHILD):
        return False
    _tried = True
    try:
        child = subprocess.run(
            [sys.executable, "-c", "from sim.model.warm_up import warm_up_run; warm_up_run()"],
            env={**os.environ, _IN_CHILD: "1"},
            capture_output=True,
            timeout=WARM_UP_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return child.returncode == 0
