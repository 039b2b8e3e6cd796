"""Weighted draws without replacement, compiled with numba when it is installed (issue 5).

The compiled twin of :func:`sim.model.sampling.choose_without_replacement`, for the names a
contact offers. A call that yields names spent about a fifth of its time normalising twenty
weights and running numpy's ``choice`` algorithm in Python floats; compiled, it is one call.

The draws are the same, bit for bit:

- uniforms come from the run's own ``numpy.random.Generator``, held by the compiled side
  in a numba ``StructRef`` (passing the Generator itself costs about 8 µs a call), and are
  taken in the same number and order as ``Generator.choice`` takes them;
- the weights are normalised by their sum as ``numpy.sum`` adds them up (pairwise, with
  eight accumulators: :func:`_numpy_sum`), and the cumulative distribution is built and
  searched as numpy builds and searches it.
"""

from __future__ import annotations

import numpy as np

from sim.model import compiled

if compiled.INSTALLED:
    from numba import types
    from numba.experimental import structref

__all__ = ["WeightedDraw", "numpy_sum"]

_FIELDS = ("rng", "weight")
#: numpy adds up to this many numbers with eight accumulators before splitting in halves.
_BLOCK = 128


class WeightedDraw:
    """Draws from ``rng`` among people, each weighted by ``weight[person]``.

    Args:
        rng: The run's Generator (the compiled side draws from the same stream).
        weight: One non-negative weight per person.
    """

    def __init__(self, rng: np.random.Generator, weight: np.ndarray) -> None:
        self.handle = _new_draw(rng, np.ascontiguousarray(weight, dtype=np.float64))

    def choose(self, items: list[int], size: int) -> list[int]:
        """``size`` distinct items of ``items``, drawn as ``rng.choice(items, size,
        replace=False, p=weight[items] / weight[items].sum())`` draws them."""
        chosen = _choose(self.handle, np.asarray(items, dtype=np.int64), size)
        if len(chosen) < size:
            raise ValueError("Fewer non-zero entries in p than size")  # numpy's check and message
        return chosen.tolist()


def numpy_sum(values: np.ndarray) -> float:
    """``values.sum()`` for a 1-d float64 array, added in numpy's order (for tests)."""
    return float(_numpy_sum(np.ascontiguousarray(values, dtype=np.float64), 0, len(values)))


# --- compiled code --------------------------------------------------------------------------
if compiled.INSTALLED:

    @structref.register
    class _DrawType(types.StructRef):
        def preprocess_fields(self, fields):
            return tuple((name, types.unliteral(typ)) for name, typ in fields)

    class _Draw(structref.StructRefProxy):
        """The Generator and the weights, held on the compiled side."""

    structref.define_proxy(_Draw, _DrawType, list(_FIELDS))


@compiled.jit
def _new_draw(rng, weight):
    return _Draw(rng, weight)


@compiled.jit
def _numpy_sum(a, lo, n):
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


@compiled.jit
def _block_sum(a, lo, n):
    """numpy's sum of up to ``_BLOCK`` numbers: fewer than eight one by one; otherwise eight
    accumulators over whole groups of eight, combined in pairs, then the rest one by one."""
    if n < 8:
        total = 0.0
        for i in range(lo, lo + n):
            total += a[i]
        return total
    r0, r1, r2, r3, r4, r5, r6, r7 = a[lo], a[lo + 1], a[lo + 2], a[lo + 3], a[lo + 4], a[lo + 5], a[lo + 6], a[lo + 7]
    i, whole = lo + 8, lo + n - n % 8
    while i < whole:
        r0, r1, r2, r3 = r0 + a[i], r1 + a[i + 1], r2 + a[i + 2], r3 + a[i + 3]
        r4, r5, r6, r7 = r4 + a[i + 4], r5 + a[i + 5], r6 + a[i + 6], r7 + a[i + 7]
        i += 8
    total = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    for k in range(i, lo + n):
        total += a[k]
    return total


@compiled.jit
def _choose(s, items, size):
    """Indices drawn as numpy's ``choice(replace=False, p)``: as many uniforms as are still
    wanted, looked up in the normalised cumulative distribution, first occurrences kept,
    chosen weights zeroed, repeated until ``size`` are found. Returns the chosen items, or
    an empty array (having drawn nothing) when fewer than ``size`` weights are positive."""
    n = len(items)
    p = np.empty(n)
    for i in range(n):
        p[i] = s.weight[items[i]]
    total = _numpy_sum(p, 0, n)
    positive = 0
    for i in range(n):
        p[i] = p[i] / total
        positive += p[i] > 0
    found = np.empty(size, dtype=np.int64)
    if positive < size:
        return found[:0]
    cdf, draws, count = np.empty(n), np.empty(size), 0
    while count < size:
        wanted = size - count
        for k in range(wanted):
            draws[k] = s.rng.random()
        for k in range(count):
            p[found[k]] = 0.0
        running = 0.0
        for i in range(n):
            running += p[i]
            cdf[i] = running
        last = cdf[n - 1]
        for i in range(n):
            cdf[i] = cdf[i] / last
        start = count
        for k in range(wanted):
            i = np.searchsorted(cdf, draws[k], side="right")
            if not _among(found, start, count, i):
                found[count] = i
                count += 1
    return items[found]


@compiled.jit
def _among(values, start, stop, value):
    for k in range(start, stop):
        if values[k] == value:
            return True
    return False
