"""Weighted sampling without replacement gives what numpy's ``Generator.choice`` gives.

Both implementations are checked: the Python one (:mod:`sim.model.sampling`) and, where
numba is installed, the compiled one (:mod:`sim.model.kernels.sampling`), which reads each
item's weight from a per-person array and normalises the weights itself.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.model import kernels as compiled
from sim.model.sampling import cdf_of, choose_without_replacement, pick_by_cdf, pick_one


def python_draw(rng: np.random.Generator, items: list[int], w: np.ndarray, size: int) -> list[int]:
    return choose_without_replacement(rng, items, (w / w.sum()).tolist(), size)


def compiled_draw(rng: np.random.Generator, items: list[int], w: np.ndarray, size: int) -> list[int]:
    """The compiled draw, with weights read per person; it returns nothing, having drawn
    nothing, where numpy raises (and its caller, ``offer_names_compiled``, raises numpy's
    error)."""
    from sim.model.kernels.sampling import weighted_choice

    per_person = np.zeros(max(items) + 1)
    per_person[items] = w
    chosen = weighted_choice(rng, per_person, np.asarray(items, dtype=np.int64), size).tolist()
    if len(chosen) < size:
        raise ValueError("Fewer non-zero entries in p than size")
    return chosen


DRAWS = [python_draw] + ([compiled_draw] if compiled.INSTALLED else [])
weights = st.lists(
    st.one_of(st.sampled_from([1.0, 2.0, 4.0, 0.0]), st.floats(0.001, 50.0)), min_size=1, max_size=60
)


@pytest.mark.parametrize("draw", DRAWS)
@given(weights, st.integers(1, 60), st.integers(0, 2**32 - 1))
@settings(max_examples=400, deadline=None)
def test_same_draws_and_same_stream_as_numpy_choice(draw, raw, size, seed):
    w = np.asarray(raw)
    size = min(size, int(np.count_nonzero(w)))
    if size == 0:
        return
    items = list(range(100, 100 + len(raw)))[::-1]  # ids in another order than the list
    ours_rng, numpy_rng = np.random.default_rng(seed), np.random.default_rng(seed)
    ours = draw(ours_rng, items, w, size)
    expected = numpy_rng.choice(np.asarray(items), size=size, replace=False, p=w / w.sum()).tolist()
    assert ours == expected
    assert ours_rng.random() == numpy_rng.random()  # as many uniforms consumed


@pytest.mark.parametrize("draw", DRAWS)
def test_heavy_weights_make_repeat_rounds_and_still_match(draw):
    """A dominant weight is drawn again and again, so numpy needs several rounds."""
    w = np.array([1000.0] + [1.0] * 9)
    for seed in range(50):
        a, b = np.random.default_rng(seed), np.random.default_rng(seed)
        assert (
            draw(a, list(range(10)), w, 5)
            == b.choice(np.arange(10), size=5, replace=False, p=w / w.sum()).tolist()
        )
        assert a.random() == b.random()


@pytest.mark.parametrize("draw", DRAWS)
def test_too_few_positive_weights_raise_before_any_draw_as_numpy_does(draw):
    w = np.array([0.5, 0.5, 0.0])
    ours_rng, numpy_rng = np.random.default_rng(1), np.random.default_rng(1)
    with pytest.raises(ValueError, match="Fewer non-zero entries"):
        draw(ours_rng, [1, 2, 3], w, 3)
    with pytest.raises(ValueError, match="Fewer non-zero entries"):
        numpy_rng.choice(np.array([1, 2, 3]), size=3, replace=False, p=w)
    assert ours_rng.random() == numpy_rng.random()


@given(st.integers(1, 5000), st.integers(0, 2**32 - 1))
@settings(max_examples=300, deadline=None)
def test_pick_one_is_numpys_uniform_choice(n, seed):
    items = np.arange(n, dtype=np.int64) * 7 + 3
    ours_rng, numpy_rng = np.random.default_rng(seed), np.random.default_rng(seed)
    assert [pick_one(ours_rng, items) for _ in range(3)] == [int(numpy_rng.choice(items)) for _ in range(3)]
    assert [pick_one(ours_rng, items.tolist()) for _ in range(3)] == [
        int(numpy_rng.choice(items)) for _ in range(3)
    ]
    assert ours_rng.random() == numpy_rng.random()


@given(weights.filter(lambda w: sum(w) > 0), st.integers(0, 2**32 - 1))
@settings(max_examples=300, deadline=None)
def test_pick_by_cdf_is_numpys_weighted_choice(raw, seed):
    """As ``giving.receive_unasked`` draws introducers: one cdf, several draws."""
    w = np.asarray(raw)
    p = w / w.sum()
    items = np.arange(len(raw), dtype=np.int64)[::-1] + 100
    ours_rng, numpy_rng = np.random.default_rng(seed), np.random.default_rng(seed)
    cdf = cdf_of(p)
    assert [pick_by_cdf(ours_rng, items, cdf) for _ in range(4)] == [
        int(numpy_rng.choice(items, p=p)) for _ in range(4)
    ]
    assert ours_rng.random() == numpy_rng.random()


@pytest.mark.skipif(not compiled.INSTALLED, reason="numba is not installed")
@given(st.integers(0, 30), st.one_of(st.floats(0.0, 1.0), st.sampled_from([0.0, 0.5, 1.0, 1e-300, 0.4999999])),
       st.integers(0, 2**32 - 1))  # fmt: skip
@settings(max_examples=500, deadline=None)
def test_compiled_binomial_is_numpys_draw_for_draw(n, p, seed):
    from sim.model.kernels.sampling import BINOMIAL_MAX_TRIALS, binomial

    assert n <= BINOMIAL_MAX_TRIALS
    ours_rng, numpy_rng = np.random.default_rng(seed), np.random.default_rng(seed)
    draws = [binomial(ours_rng, n, p) for _ in range(5)]
    assert draws == [int(numpy_rng.binomial(n, p)) for _ in range(5)]
    assert ours_rng.random() == numpy_rng.random()
