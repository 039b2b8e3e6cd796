"""numpy's ``Generator.choice``, draw for draw, without its argument checks.

``Generator.choice(items, size, replace=False, p=p)`` spends most of its time checking its
arguments and calling numpy on arrays of twenty numbers; a call offering names makes one
such draw. :func:`choose_without_replacement` runs numpy's own algorithm in Python floats,
which are the same IEEE doubles, and so returns exactly what ``choice`` returns and leaves
the generator in the same state (``tests/test_sampling.py`` checks both against numpy).

numpy's algorithm: draw as many uniforms as names are still wanted; look each one up in
the cumulative distribution (normalised by its last entry); keep the first occurrence of
each index; zero the chosen weights and repeat until enough distinct names are drawn.

A single draw with replacement (:func:`pick_one`, :func:`pick_by_cdf`) is what ``choice``
does for ``size=None``: one bounded integer, or one uniform looked up in the normalised
cumulative distribution. ``choice`` took about 6 µs for what ``integers`` does in 1 µs.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence

import numpy as np

__all__ = ["cdf_of", "choose_without_replacement", "pick_by_cdf", "pick_one"]


def choose_without_replacement(
    rng: np.random.Generator, items: list[int], p: list[float], size: int
) -> list[int]:
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


def pick_one(rng: np.random.Generator, items: Sequence[int] | np.ndarray) -> int:
    """One of ``items`` (not empty), uniformly: ``rng.choice(items)``, the same draw."""
    return int(items[int(rng.integers(len(items)))])


def cdf_of(p: np.ndarray) -> np.ndarray:
    """The cumulative distribution ``choice`` looks draws up in: the running sum of ``p``,
    divided by its last entry (so that it ends at exactly 1)."""
    cdf = np.cumsum(p, dtype=np.float64)
    cdf /= cdf[-1]
    return cdf


def pick_by_cdf(rng: np.random.Generator, items: np.ndarray, cdf: np.ndarray) -> int:
    """One of ``items`` drawn with the probabilities whose :func:`cdf_of` is ``cdf``:
    ``rng.choice(items, p=p)``, the same draw. One cdf serves many draws."""
    return int(items[int(np.searchsorted(cdf, rng.random(), side="right"))])
