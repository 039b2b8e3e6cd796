"""Tie lookups in the CSR graph, and the sorts that build it, compiled (issue 5).

:meth:`sim.model.graphs.Graph.slot` finds the slot ``i -> j`` by a binary search of ``i``'s
sorted row; :func:`csr_slot` is the same search, compiled, for Python callers (a call costs
about 0.4 µs, a ``searchsorted`` call about 3 µs) and for other compiled code.

Building a million-people graph sorts tens of millions of node ids three times (edges by
endpoint, both directions into rows, every slot by its mirror). numpy's stable sort of
32- or 64-bit integers is a merge sort, about a second each at that size;
:func:`stable_order` is a counting sort, which node ids in ``[0, n)`` allow, and gives the
same permutation (a stable order is unique).
"""

from __future__ import annotations

import numpy as np

from sim.model import compiled

__all__ = ["csr_slot", "stable_order"]


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


def stable_order(keys: np.ndarray, bins: int) -> np.ndarray:
    """``np.argsort(keys, kind="stable")`` for integer keys in ``[0, bins)``: by counting
    when compiled code runs, by numpy's sort otherwise."""
    if compiled.AVAILABLE:
        return _counting_order(np.ascontiguousarray(keys), bins)
    return np.argsort(keys, kind="stable")


@compiled.jit
def _counting_order(keys, bins):
    start = np.zeros(bins + 1, dtype=np.int64)
    for key in keys:
        start[key + 1] += 1
    for b in range(bins):
        start[b + 1] += start[b]
    order = np.empty(len(keys), dtype=np.int64)
    for i in range(len(keys)):
        order[start[keys[i]]] = i
        start[keys[i]] += 1
    return order
