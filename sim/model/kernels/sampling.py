"""numpy's draws for the names a contact offers, compiled with numba when it is installed
(issue 5): weighted sampling without replacement, and binomial counts.

:func:`weighted_choice` is the compiled twin of
:func:`sim.model.sampling.choose_without_replacement`. A call that yields names spent about
a fifth of its time normalising twenty weights and running numpy's ``choice`` algorithm in
Python floats; compiled, it is one call. :func:`binomial` is numpy's ``Generator.binomial``
for the few trials of a name count. The draws are the same, bit for bit:

- uniforms come from the run's own ``numpy.random.Generator``, held by the compiled side
  in the run's state (:mod:`sim.model.kernels.state`; passing the Generator itself from
  Python costs about 8 µs a call), and are taken in the same number and order as numpy
  takes them;
- the weights are normalised by their sum as ``numpy.sum`` adds them up (pairwise, with
  eight accumulators: :func:`sim.model.kernels.sums.pairwise_sum`), and the cumulative
  distribution is built and searched as numpy builds and searches it;
- the binomial is numpy's inversion algorithm, operation for operation.
"""

from __future__ import annotations

import math

import numpy as np

from sim.model import kernels
from sim.model.kernels.sums import pairwise_sum

__all__ = ["BINOMIAL_MAX_TRIALS", "binomial", "weighted_choice"]


@kernels.jit
def weighted_choice(rng, weight, items, size):
    """``size`` of ``items`` drawn as numpy's ``choice(replace=False, p)`` with
    ``p = weight[items] / weight[items].sum()``: as many uniforms as are still wanted,
    looked up in the normalised cumulative distribution, first occurrences kept, chosen
    weights zeroed, repeated until ``size`` are found. Returns the chosen items, or an empty
    array (having drawn nothing) when fewer than ``size`` weights are positive."""
    n = len(items)
    p = np.empty(n)
    for i in range(n):
        p[i] = weight[items[i]]
    total = pairwise_sum(p, 0, n)
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
            draws[k] = rng.random()
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


#: Up to this many trials, numpy's binomial always takes its inversion algorithm.
BINOMIAL_MAX_TRIALS = 30


@kernels.jit
def binomial(rng, n, p):
    """Numpy's ``Generator.binomial(n, p)`` for ``0 <= n <= BINOMIAL_MAX_TRIALS``, draw for
    draw (``random_binomial`` in numpy's ``distributions.c``). With so few trials numpy
    always inverts the distribution (it switches to BTPE only when ``n * min(p, 1 - p)``
    exceeds 30), and so does this."""
    if n == 0 or p == 0.0:
        return 0
    if p <= 0.5:
        return _binomial_inversion(rng, n, p)
    return n - _binomial_inversion(rng, n, 1.0 - p)


@kernels.jit
def _binomial_inversion(rng, n, p):
    q = 1.0 - p
    qn = math.exp(n * math.log(q))
    mean = n * p
    bound = np.int64(min(n, mean + 10.0 * math.sqrt(mean * q + 1)))
    x, px, u = 0, qn, rng.random()
    while u > px:
        x += 1
        if x > bound:
            x, px, u = 0, qn, rng.random()
        else:
            u -= px
            px = ((n - x + 1) * p * px) / (x * q)
    return x


@kernels.jit
def _among(values, start, stop, value):
    for k in range(start, stop):  # noqa: SIM110 - an explicit loop for numba
        if values[k] == value:
            return True
    return False
