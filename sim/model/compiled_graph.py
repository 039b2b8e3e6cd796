"""Tie lookups in the CSR graph, compiled (issue 5).

:meth:`sim.model.graphs.Graph.slot` finds the slot ``i -> j`` by a binary search of ``i``'s
sorted row; :func:`csr_slot` is the same search, compiled, for Python callers (a call costs
about 0.4 µs, a ``searchsorted`` call about 3 µs) and for other compiled code.
"""

from __future__ import annotations

import numpy as np

from sim.model import compiled

__all__ = ["csr_slot"]


@compiled.jit
def csr_slot(indptr: np.ndarray, indices: np.ndarray, i: int, j: int) -> int:
    """Index of the slot ``i -> j`` (rows of ``indices`` sorted), or -1 when not tied."""
    lo, hi = indptr[i], indptr[i + 1]
    end = hi
    while lo < hi:
        mid = (lo + hi) >> 1
        if indices[mid] < j:
            lo = mid + 1
        else:
            hi = mid
    return lo if lo < end and indices[lo] == j else -1
