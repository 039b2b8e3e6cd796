"""numba's on-disk cache of compiled code is discarded when the model's sources change."""

from __future__ import annotations


def test_cached_compiled_code_is_thrown_away_when_any_model_source_changes(tmp_path):
    """Numba checks only a function's own file before reusing its cache; a change to any
    source (a callee, a constant) must discard every cached function."""
    from sim.model.compiled import clear_stale_cache

    sources, cache = tmp_path / "model", tmp_path / "model" / "__pycache__"
    sources.mkdir()
    (sources / "a.py").write_text("X = 1\n")
    (sources / "b.py").write_text("def f(): return 1\n")
    cache.mkdir()
    cached = [cache / "b.f-1.py311.nbi", cache / "b.f-1.py311.1.nbc"]
    kept = cache / "b.cpython-311.pyc"
    for path in (*cached, kept):
        path.write_bytes(b"old")
    assert clear_stale_cache(sources, cache)  # no stamp yet: nothing cached can be trusted
    assert not any(path.exists() for path in cached) and kept.exists()
    for path in cached:
        path.write_bytes(b"new")
    assert not clear_stale_cache(sources, cache)  # unchanged sources: the cache stays
    assert all(path.exists() for path in cached)
    (sources / "a.py").write_text("X = 2\n")  # a constant another file's function reads
    assert clear_stale_cache(sources, cache)
    assert not any(path.exists() for path in cached)
