"""numba's on-disk cache of the kernels: a stamp says which sources it was compiled from, stale
code is never run, importing the package changes no file, and ``sim cache clear`` empties it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from sim.cli import app
from sim.model.kernels import cache
from sim.model.kernels.cache import CacheState


def fill(folder, stamp: str | None) -> list:
    folder.mkdir(exist_ok=True)
    cached = [folder / "state.find-1.py311.nbi", folder / "state.find-1.py311.1.nbc"]
    for path in cached:
        path.write_bytes(b"compiled")
    if stamp is not None:
        (folder / cache.STAMP.name).write_text(stamp)
    return cached


def test_a_cache_is_current_only_when_stamped_with_todays_sources(tmp_path):
    """Numba checks only a function's own file; a change to any source the kernels are
    compiled from (an equation, a code, a callee) must make the whole cache stale."""
    assert cache.cache_state(tmp_path / "none") is CacheState.EMPTY
    fill(tmp_path / "unstamped", None)
    assert cache.cache_state(tmp_path / "unstamped") is CacheState.STALE  # of unknown origin
    fill(tmp_path / "old", "0" * 64)
    assert cache.cache_state(tmp_path / "old") is CacheState.STALE
    fill(tmp_path / "new", cache.sources_digest())
    assert cache.cache_state(tmp_path / "new") is CacheState.CURRENT
    sources = {path.name for path in cache._SOURCES}
    assert {"equations.py", "codes.py", "state.py", "whole_call.py"} <= sources


def test_remembering_and_clearing_the_cache(tmp_path):
    folder = tmp_path / "cache"
    cached = fill(folder, None)
    assert cache.remember_sources(folder) and cache.cache_state(folder) is CacheState.CURRENT
    kept = folder / "state.cpython-311.pyc"
    kept.write_bytes(b"bytecode")
    assert cache.clear(folder) == 3  # two compiled files and the stamp
    assert not any(path.exists() for path in cached) and kept.exists()
    assert cache.cache_state(folder) is CacheState.EMPTY


def test_importing_the_package_changes_no_file_even_with_a_stale_cache(tmp_path):
    """A stale cache is left as it is on import (and not used); only ``sim cache clear``
    deletes it. The cache is a private one (numba's ``NUMBA_CACHE_DIR``): planting a stale
    stamp in the real cache would make every other process of a parallel test run compile
    afresh, and could leave the cache stale after it."""
    environ = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path / "numba")}
    folder = cache.cache_dir(environ)
    fill(folder.parent, None)  # the root numba would make
    fill(folder, "0" * 64)
    before = sorted((p.name, p.stat().st_mtime_ns) for p in folder.iterdir())
    result = subprocess.run(
        [sys.executable, "-W", "default", "-c",
         "import sim, sim.model.kernels as k, sim.model.kernels.cache as c; print(k.CACHE.value, c.CACHE_DIR)"],
        capture_output=True, text=True, check=True, timeout=120, env=environ,
    )  # fmt: skip
    assert result.stdout.split() == ["stale", str(folder)] and "sim cache clear" in result.stderr
    assert sorted((p.name, p.stat().st_mtime_ns) for p in folder.iterdir()) == before


def test_the_cache_folder_follows_numba_cache_dir(tmp_path):
    """With ``NUMBA_CACHE_DIR`` set, numba caches in a folder of its own under it; the stamp
    and ``sim cache clear`` follow it there."""
    assert cache.cache_dir({}) == Path(cache.__file__).parent / "__pycache__"
    folder = cache.cache_dir({"NUMBA_CACHE_DIR": str(tmp_path)})
    assert folder.parent == tmp_path and folder.name.startswith("kernels_")
    result = subprocess.run(
        [sys.executable, "-c",
         "from numba.core.caching import UserProvidedCacheLocator as L; import sim.model.kernels.state as m;"
         "print(L.from_function(m.find.py_func, m.__file__).get_cache_path())"],
        capture_output=True, text=True, check=True, timeout=120, env={**os.environ, "NUMBA_CACHE_DIR": str(tmp_path)},
    )  # fmt: skip
    assert result.stdout.strip() == str(folder)


def test_sim_cache_clear_empties_the_cache_and_says_how_much(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    fill(folder, "0" * 64)
    monkeypatch.setattr(cache, "CACHE_DIR", folder)
    result = CliRunner().invoke(app, ["cache", "clear"])
    assert result.exit_code == 0, result.output
    assert "3 files" in result.output and cache.cache_state(folder) is CacheState.EMPTY
