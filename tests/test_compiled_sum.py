"""Compiled sums add as ``numpy.sum`` adds, bit for bit (sim/model/kernels/sums.py)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

pytest.importorskip("numba")

from sim.model.kernels.sums import pairwise_sum


def numpy_sum(values: np.ndarray) -> float:
    """``values.sum()`` for a 1-d float64 array, added by the compiled pairwise sum."""
    return float(pairwise_sum(np.ascontiguousarray(values, dtype=np.float64), 0, len(values)))


finite = st.floats(0.0, 1e6, allow_nan=False, allow_infinity=False)


@given(hnp.arrays(np.float64, st.integers(0, 700), elements=finite))
@settings(max_examples=300, deadline=None)
def test_sum_adds_as_numpy_adds(values):
    assert numpy_sum(values) == values.sum()


def test_sum_of_long_runs_splits_as_numpy_splits():
    """Runs past 128 numbers are split in halves, several levels deep at these lengths."""
    rng = np.random.default_rng(4)
    for n in (129, 135, 256, 257, 1000, 4099, 70_001):
        values = rng.random(n) * 10.0 ** rng.uniform(-8, 8, n)
        assert numpy_sum(values) == values.sum(), n
