"""Weighted sampling without replacement for short lists, in plain Python.

``Generator.choice(items, size, replace=False, p=p)`` spends most of its time checking its
arguments and calling numpy on arrays of twenty numbers; a call offering names makes one
such draw. :func:`choose_without_replacement` runs numpy's own algorithm in Python floats,
which are the same IEEE doubles, and so returns exactly what ``choice`` returns and leaves
the generator in the same state (``tests/test_sampling.py`` checks both against numpy).

numpy's algorithm: draw as many uniforms as names are still wanted; look each one up in
the cumulative distribution (normalised by its last entry); keep the first occurrence of
each index; zero the chosen weights and repeat until enough distinct names are drawn.
"""

from __future__ import annotations

import bisect
import itertools

import numpy as np

__all__ = ["choose_without_replacement"]


def choose_without_replacement(rng: np.random.Generator, items: list[int], p: list[float], size: int) -> list[int]:
    """``size`` distinct items drawn with probabilities ``p``, as ``rng.choice`` draws them.

    ``p`` must be non-negative and sum to one (the caller's weights guarantee it; ``choice``
    would check). Fewer than ``size`` positive entries raise ``ValueError`` before any draw,
    as in ``choice``.
    """
    if sum(1 for w in p if w > 0) < size:
        raise ValueError("Fewer non-zero entries in p than size")  # numpy's check and message
    weights = list(p)
    found: list[int] = []
    while len(found) < size:
        draws = rng.random(size - len(found)).tolist()
        for i in found:
            weights[i] = 0.0
        cdf = list(itertools.accumulate(weights))
        total = cdf[-1]
        cdf = [c / total for c in cdf]
        fresh: list[int] = []
        for x in draws:
            i = bisect.bisect_right(cdf, x)
            if i not in fresh:
                fresh.append(i)
        found.extend(fresh)
    return [items[i] for i in found]
