"""Weighted sampling without replacement gives what numpy's ``Generator.choice`` gives."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.model.sampling import choose_without_replacement

weights = st.lists(st.one_of(st.sampled_from([1.0, 2.0, 4.0, 0.0]), st.floats(0.001, 50.0)), min_size=1, max_size=40)


@given(weights, st.integers(1, 40), st.integers(0, 2**32 - 1))
@settings(max_examples=400, deadline=None)
def test_same_draws_and_same_stream_as_numpy_choice(raw, size, seed):
    w = np.asarray(raw)
    size = min(size, int(np.count_nonzero(w)))
    if size == 0:
        return
    p = w / w.sum()
    items = list(range(100, 100 + len(raw)))
    ours_rng, numpy_rng = np.random.default_rng(seed), np.random.default_rng(seed)
    ours = choose_without_replacement(ours_rng, items, p.tolist(), size)
    expected = numpy_rng.choice(np.asarray(items), size=size, replace=False, p=p).tolist()
    assert ours == expected
    assert ours_rng.random() == numpy_rng.random()  # as many uniforms consumed


def test_heavy_weights_make_repeat_rounds_and_still_match():
    """A dominant weight is drawn again and again, so numpy needs several rounds."""
    w = np.array([1000.0] + [1.0] * 9)
    p = w / w.sum()
    for seed in range(50):
        a, b = np.random.default_rng(seed), np.random.default_rng(seed)
        assert choose_without_replacement(a, list(range(10)), p.tolist(), 5) == b.choice(
            np.arange(10), size=5, replace=False, p=p
        ).tolist()
        assert a.random() == b.random()


def test_too_few_positive_weights_raise_before_any_draw_as_numpy_does():
    import pytest

    p = [0.5, 0.5, 0.0]
    ours_rng, numpy_rng = np.random.default_rng(1), np.random.default_rng(1)
    with pytest.raises(ValueError, match="Fewer non-zero entries"):
        choose_without_replacement(ours_rng, [1, 2, 3], p, 3)
    with pytest.raises(ValueError, match="Fewer non-zero entries"):
        numpy_rng.choice(np.array([1, 2, 3]), size=3, replace=False, p=np.array(p))
    assert ours_rng.random() == numpy_rng.random()
