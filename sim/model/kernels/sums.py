"""numpy's sum of float64 numbers, compiled: the same additions in the same order (issue 5).

Compiled code that must give numpy's answer bit for bit cannot add a list of numbers one by
one: ``numpy.sum`` adds pairwise, with eight accumulators over blocks of up to 128 numbers,
and floating-point addition depends on the order. :func:`pairwise_sum` copies that order
(``pairwise_sum`` in numpy's ``loops_utils.h``); ``tests/test_compiled_sum.py`` checks it
against ``numpy.sum``.
"""

from __future__ import annotations

import numpy as np

from sim.model import kernels

__all__ = ["pairwise_sum"]

#: numpy adds up to this many numbers with eight accumulators before splitting in halves.
_BLOCK = 128


@kernels.jit
def pairwise_sum(a, lo, n):
    """Sum of ``a[lo:lo+n]`` in numpy's pairwise order (``pairwise_sum`` in numpy's
    ``loops_utils.h``): runs of up to ``_BLOCK`` by :func:`_block_sum`, longer runs split in
    two at a multiple of eight and the halves' sums added. The halves are walked with an
    explicit stack, not by recursion: numba's on-disk cache can crash on recursive functions
    (numba issue 6061)."""
    if n <= _BLOCK:
        return _block_sum(a, lo, n)
    starts, sizes = np.empty(64, dtype=np.int64), np.empty(64, dtype=np.int64)
    lefts, on_right = np.empty(64), np.zeros(64, dtype=np.bool_)
    top, starts[0], sizes[0] = 0, lo, n
    value, have_value = 0.0, False
    while top >= 0:
        if have_value:
            if not on_right[top]:
                lefts[top], on_right[top], have_value = value, True, False
            else:
                value, top = lefts[top] + value, top - 1
                continue
        half = sizes[top] // 2
        half -= half % 8
        start, size = starts[top], half
        if on_right[top]:
            start, size = starts[top] + half, sizes[top] - half
        if size <= _BLOCK:
            value, have_value = _block_sum(a, start, size), True
        else:
            top += 1
            starts[top], sizes[top], on_right[top] = start, size, False
    return value


@kernels.jit
def _block_sum(a, lo, n):
    """Numpy's sum of up to ``_BLOCK`` numbers: fewer than eight one by one; otherwise eight
    accumulators over whole groups of eight, combined in pairs, then the rest one by one."""
    if n < 8:
        total = 0.0
        for i in range(lo, lo + n):
            total += a[i]
        return total
    r0, r1, r2, r3, r4, r5, r6, r7 = (
        a[lo],
        a[lo + 1],
        a[lo + 2],
        a[lo + 3],
        a[lo + 4],
        a[lo + 5],
        a[lo + 6],
        a[lo + 7],
    )
    i, whole = lo + 8, lo + n - n % 8
    while i < whole:
        r0, r1, r2, r3 = r0 + a[i], r1 + a[i + 1], r2 + a[i + 2], r3 + a[i + 3]
        r4, r5, r6, r7 = r4 + a[i + 4], r5 + a[i + 5], r6 + a[i + 6], r7 + a[i + 7]
        i += 8
    total = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    for k in range(i, lo + n):
        total += a[k]
    return total
