"""Tie lookups in the CSR graph, and the sorts that build it, compiled (issue 5).

:meth:`sim.model.state.graphs.Graph.slot` finds the slot ``i -> j`` by a binary search of ``i``'s
sorted row; :func:`csr_slot` is the same search, compiled, for Python callers (a call costs
about 0.4 µs, a ``searchsorted`` call about 3 µs) and for other compiled code.

Building a million-people graph sorts tens of millions of node ids three times (edges by
endpoint, both directions into rows, every slot by its mirror). numpy's stable sort of
32- or 64-bit integers is a merge sort, about a second each at that size;
:func:`counting_order` is a counting sort, which node ids in ``[0, n)`` allow, and gives the
same permutation (a stable order is unique).
"""

from __future__ import annotations

import numpy as np

from sim.model import kernels

__all__ = ["counting_order", "csr_slot", "linked_entries", "linked_entry_to", "symmetric_csr_compiled"]


@kernels.jit
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


@kernels.jit
def linked_entries(head, next_, i):
    """The entries of ``i``'s linked list (``head[i]``, then ``next_`` until -1), in order."""
    count, e = 0, head[i]
    while e != -1:
        count += 1
        e = next_[e]
    found, e = np.empty(count, dtype=np.int64), head[i]
    for k in range(count):
        found[k] = e
        e = next_[e]
    return found


@kernels.jit
def linked_entry_to(head, next_, other, i, j):
    """The first entry of ``i``'s linked list whose ``other`` is ``j``, or -1."""
    e = head[i]
    while e != -1 and other[e] != j:
        e = next_[e]
    return e


@kernels.jit
def counting_order(keys, bins):
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


def symmetric_csr_compiled(
    n: int, lo: np.ndarray, hi: np.ndarray, w: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """What :func:`sim.model.state.graphs.csr_from_edges` makes of edges ``lo < hi`` sorted by
    ``(lo, hi)``: duplicates merged (the largest strength kept), then both directions of
    each edge in sorted rows. In one pass over the edges for each step: in the edges'
    order, the neighbours above a row arrive ascending, and so do those below it."""
    return _symmetric_csr(n, lo, hi, np.ascontiguousarray(w, dtype=np.float64))


@kernels.jit
def _symmetric_csr(n, lo, hi, w):
    m = 0  # edges kept: the first of each run of equal (lo, hi), with the run's largest strength
    for e in range(len(lo)):
        if m > 0 and lo[e] == lo[m - 1] and hi[e] == hi[m - 1]:
            w_kept = w[m - 1]
            w[m - 1] = w[e] if w[e] >= w_kept else w_kept  # a tie keeps the later, as np.maximum.reduceat
        else:
            lo[m], hi[m], w[m] = lo[e], hi[e], w[e]
            m += 1
    below, above = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64)
    for e in range(m):
        below[hi[e]] += 1
        above[lo[e]] += 1
    indptr = np.zeros(n + 1, dtype=np.int64)
    for r in range(n):
        indptr[r + 1] = indptr[r] + below[r] + above[r]
    next_below, next_above = indptr[:-1].copy(), indptr[:-1] + below
    indices, strength = np.empty(2 * m, dtype=np.int32), np.empty(2 * m, dtype=np.float64)
    for e in range(m):
        a, b = lo[e], hi[e]
        indices[next_above[a]], strength[next_above[a]] = b, w[e]
        next_above[a] += 1
        indices[next_below[b]], strength[next_below[b]] = a, w[e]
        next_below[b] += 1
    return indptr, indices, strength
