"""Whether the compiled helpers run, and the decorator that compiles them (issue 5).

numba is optional (``pip install 'networking-sim[fast]'``). Every compiled helper has a
numpy or Python reference that gives the same results bit for bit; the reference runs when
numba is absent or when the environment variable ``NETWORKING_SIM_PURE_NUMPY`` is "1".
Callers read :data:`AVAILABLE` at call time (``compiled.AVAILABLE``), so that tests can
switch every compiled path off at once to compare a whole run with its reference.

numba caches compiled code on disk and checks only the file a function is defined in
before reusing it: a function whose callee or constant in another module changed (after an
update of the package, say) would run stale machine code. :func:`clear_stale_cache` throws
the cached code of this package away whenever any of its model sources changed.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

try:
    from numba import njit
except ImportError:  # pragma: no cover - exercised where numba is absent
    njit = None

__all__ = ["AVAILABLE", "INSTALLED", "clear_stale_cache", "jit"]

#: numba can be imported.
INSTALLED = njit is not None

#: Whether compiled helpers run: numba is installed and ``NETWORKING_SIM_PURE_NUMPY`` is not "1".
AVAILABLE = INSTALLED and os.environ.get("NETWORKING_SIM_PURE_NUMPY") != "1"


def jit(function: Callable) -> Callable:
    """``function`` compiled by numba (cached on disk, no GIL), or unchanged without numba."""
    if njit is None:  # pragma: no cover
        return function
    return njit(cache=True, nogil=True)(function)


def clear_stale_cache(sources: Path, cache: Path) -> bool:
    """Delete numba's cached code in ``cache`` (index ``.nbi`` and data ``.nbc`` files) if
    the ``.py`` files in ``sources`` differ from when it was last kept, as recorded in a
    stamp file there; returns whether it did. A cache that cannot be read or written is
    left to numba, which then compiles afresh or caches elsewhere."""
    digest = hashlib.sha256()
    for path in sorted(sources.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    stamp, wanted = cache / "networking-sim-sources.sha256", digest.hexdigest()
    try:
        if stamp.exists() and stamp.read_text() == wanted:
            return False
        for cached in [*cache.glob("*.nbi"), *cache.glob("*.nbc")]:
            cached.unlink(missing_ok=True)
        cache.mkdir(exist_ok=True)
        stamp.write_text(wanted)
    except OSError:
        return False
    return True


if INSTALLED:
    clear_stale_cache(Path(__file__).parent, Path(__file__).parent / "__pycache__")
