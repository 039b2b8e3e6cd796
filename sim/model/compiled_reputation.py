"""Each seeker's opinion sum and row count in one compiled pass (issue 5).

The daily record reads every opinion row: a million-people run holds about eight million,
and ``numpy.bincount`` reads the seeker column four times over two calls (a range check and
a pass for each of the count and the weighted sum). One compiled pass reads each column
once. The sums are the same, bit for bit: ``bincount`` adds the weights into each bin in
row order, and so does this loop (``tests/test_compiled_reputation.py``).
"""

from __future__ import annotations

import numpy as np

from sim.model import compiled

__all__ = ["sums_and_counts"]


def sums_and_counts(seeker: np.ndarray, opinion: np.ndarray, bins: int) -> tuple[np.ndarray, np.ndarray]:
    """``np.bincount(seeker, weights=opinion, minlength=bins)`` and ``np.bincount(seeker,
    minlength=bins)`` for seeker ids already known to lie in ``[0, bins)``."""
    return _sums_and_counts(seeker, opinion, bins)


@compiled.jit
def _sums_and_counts(seeker, opinion, bins):
    sums, counts = np.zeros(bins), np.zeros(bins, dtype=np.int64)
    for r in range(len(seeker)):
        s = seeker[r]
        sums[s] += opinion[r]
        counts[s] += 1
    return sums, counts
