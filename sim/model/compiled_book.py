"""Compiled passes over the opinion book's columns (issue 5): each seeker's opinion sum and
row count, and the rows of many people.

The daily record reads every opinion row: a million-people run holds about eight million,
and ``numpy.bincount`` reads the seeker column four times over two calls (a range check and
a pass for each of the count and the weighted sum). One compiled pass reads each column
once. The sums are the same, bit for bit: ``bincount`` adds the weights into each bin in
row order, and so does this loop (``tests/test_compiled_book.py``).

Announcing an opening reads the rows of the manager and of each of her contacts, walking
each person's linked list of rows (:meth:`OpinionBook.rows_of`); compiled, the walk for all
of them is one call.
"""

from __future__ import annotations

import numpy as np

from sim.model import compiled

__all__ = ["rows_of_people", "sums_and_counts"]


def sums_and_counts(
    seeker: np.ndarray, opinion: np.ndarray, bins: int, skip: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """``np.bincount(seeker, weights=opinion, minlength=bins)`` and ``np.bincount(seeker,
    minlength=bins)`` for seeker ids already known to lie in ``[0, bins)``; with ``skip``,
    the rows of seekers marked in it are left out (their sums and counts are 0).

    Each seeker's sum is a chain of additions in row order that cannot be reordered
    without changing its last bits, so the pass is bound by the latency of those additions,
    not by memory: leaving rows out is what makes it faster."""
    if skip is None:
        skip = np.zeros(bins, dtype=bool)
    return _sums_and_counts(seeker, opinion, bins, skip)


@compiled.jit
def _sums_and_counts(seeker, opinion, bins, skip):
    sums, counts = np.zeros(bins), np.zeros(bins, dtype=np.int64)
    for r in range(len(seeker)):
        s = seeker[r]
        if skip[s]:
            continue
        sums[s] += opinion[r]
        counts[s] += 1
    return sums, counts


def rows_of_people(first_row: np.ndarray, next_row: np.ndarray, people: np.ndarray) -> np.ndarray:
    """The rows of each of ``people`` in turn, each person's in creation order (what
    :meth:`OpinionBook.rows_of` gives, person after person); ids past ``first_row`` have none."""
    return _rows_of_people(first_row, next_row, np.ascontiguousarray(people, dtype=np.int64))


@compiled.jit
def _rows_of_people(first_row, next_row, people):
    count = 0
    for person in people:
        if 0 <= person < len(first_row):
            r = first_row[person]
            while r >= 0:
                count += 1
                r = next_row[r]
    rows, k = np.empty(count, dtype=np.int64), 0
    for person in people:
        if 0 <= person < len(first_row):
            r = first_row[person]
            while r >= 0:
                rows[k] = r
                k += 1
                r = next_row[r]
    return rows
