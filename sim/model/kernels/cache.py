"""numba's on-disk cache of the kernels: whether it was made from the sources installed now,
and how to throw it away.

numba reuses cached machine code after checking only the file a function is defined in, so a
kernel whose equation (:mod:`sim.model.equations`), codes or callee in another file changed
would run stale code after an update. The cache therefore carries a stamp: a hash of every
source the kernels are compiled from. :func:`cache_state` reads it (importing the package
changes no file); :func:`remember_sources` writes it once a process has compiled with the
cache on; :func:`clear` deletes the cached code and the stamp (``sim cache clear``).
"""

from __future__ import annotations

import enum
import hashlib
import os
from collections.abc import Mapping
from pathlib import Path

__all__ = [
    "CACHE_DIR",
    "STAMP",
    "CacheState",
    "cache_dir",
    "cache_state",
    "clear",
    "remember_sources",
    "sources_digest",
]

_KERNELS = Path(__file__).parent


def cache_dir(environ: Mapping[str, str] = os.environ) -> Path:
    """Where numba keeps the kernels' compiled code: beside the sources, or, when numba's
    own ``NUMBA_CACHE_DIR`` is set, in the folder numba makes there for this source folder
    (its name and a SHA-1 of its absolute path, as numba's ``UserProvidedCacheLocator``
    names it), so that the stamp sits beside the code it describes."""
    root = environ.get("NUMBA_CACHE_DIR")
    if not root:
        return _KERNELS / "__pycache__"
    folder = os.path.abspath(_KERNELS)
    return Path(root) / f"{os.path.basename(folder)}_{hashlib.sha1(folder.encode()).hexdigest()}"


#: Where numba keeps the kernels' compiled code for this process.
CACHE_DIR = cache_dir()
#: The stamp: the hash of the sources the cached code was compiled from.
STAMP = CACHE_DIR / "networking-sim-sources.sha256"
#: Every file kernels are compiled from: the kernels, and the equations and codes they call.
_SOURCES = (*sorted(_KERNELS.glob("*.py")), _KERNELS.parent / "equations.py", _KERNELS.parent / "codes.py")


class CacheState(enum.Enum):
    """What the on-disk cache holds."""

    EMPTY = "empty"  # no compiled code: numba compiles and caches
    CURRENT = "current"  # compiled from the sources installed now
    STALE = "stale"  # compiled from other sources (or of unknown origin): not to be used


def sources_digest() -> str:
    """A hash of every source the kernels are compiled from."""
    digest = hashlib.sha256()
    for path in _SOURCES:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _cached_files(cache: Path) -> list[Path]:
    return [*cache.glob("*.nbi"), *cache.glob("*.nbc")] if cache.is_dir() else []


def cache_state(cache: Path = CACHE_DIR) -> CacheState:
    """Whether ``cache`` holds compiled code, and if so whether from today's sources."""
    if not _cached_files(cache):
        return CacheState.EMPTY
    stamp = cache / STAMP.name
    try:
        current = stamp.read_text() == sources_digest()
    except OSError:
        current = False
    return CacheState.CURRENT if current else CacheState.STALE


def remember_sources(cache: Path = CACHE_DIR) -> bool:
    """Stamp ``cache`` as compiled from today's sources (after this process compiled into it);
    returns whether the stamp could be written (an unwritable cache is left to numba)."""
    try:
        cache.mkdir(exist_ok=True)
        (cache / STAMP.name).write_text(sources_digest())
    except OSError:
        return False
    return True


def clear(cache: Path = CACHE_DIR) -> int:
    """Delete the cached compiled code and its stamp; returns how many files were deleted."""
    files = _cached_files(cache)
    stamp = cache / STAMP.name
    if stamp.exists():
        files.append(stamp)
    for path in files:
        path.unlink(missing_ok=True)
    return len(files)
