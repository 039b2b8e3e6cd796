"""The compiled opinion tally gives numpy's ``bincount`` sums and counts, bit for bit (issue 5)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("numba")

from sim.model.compiled_reputation import sums_and_counts  # noqa: E402


@given(st.integers(1, 50), st.integers(0, 3000), st.integers(0, 2**32 - 1))
@settings(max_examples=200, deadline=None)
def test_sums_and_counts_are_bincounts(bins, rows, seed):
    rng = np.random.default_rng(seed)
    seeker = rng.integers(0, bins, rows)
    opinion = rng.random(rows) * 10.0 ** rng.uniform(-6, 2, rows)  # magnitudes that round differently by order
    sums, counts = sums_and_counts(seeker, opinion, bins)
    assert np.array_equal(sums, np.bincount(seeker, weights=opinion, minlength=bins))
    assert np.array_equal(counts, np.bincount(seeker, minlength=bins))
    assert sums.shape == counts.shape == (bins,)
