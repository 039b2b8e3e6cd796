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

from sim.model import kernels

__all__ = ["rows_of_people", "sums_and_counts"]


def sums_and_counts(
    seeker: np.ndarray,
    opinion: np.ndarray,
    bins: int,
    skip: np.ndarray | None = None,
    done: np.ndarray | None = None,
    block: int = 1024,
) -> tuple[np.ndarray, np.ndarray]:
    """``np.bincount(seeker, weights=opinion, minlength=bins)`` and ``np.bincount(seeker,
    minlength=bins)`` for seeker ids already known to lie in ``[0, bins)``; with ``skip``,
    the rows of seekers marked in it are left out (their sums and counts are 0).

    Each seeker's sum is a chain of additions in row order that cannot be reordered
    without changing its last bits, so the pass is bound by the latency of those additions,
    not by memory: leaving whole blocks out is what makes it faster. ``done`` (one flag per
    ``block`` rows, updated here) marks full blocks whose rows all belong to skipped
    seekers; they are not read again, as long as ``skip`` only ever gains seekers."""
    if skip is None:
        skip = np.zeros(bins, dtype=bool)
    if done is None:
        done = np.zeros(0, dtype=bool)
    return _sums_and_counts(seeker, opinion, bins, skip, done, block)


@kernels.jit
def _sums_and_counts(seeker, opinion, bins, skip, done, block_size):
    # Rows of skipped seekers are added into one extra bin, thrown away at the end, rather
    # than left out by a branch: the seekers of successive rows are mixed, so such a branch
    # is mispredicted about as often as not, which cost more than the additions it saved.
    # Every other bin gets the same additions in the same order.
    sums, counts = np.zeros(bins + 1), np.zeros(bins + 1, dtype=np.int64)
    bin_of = np.arange(bins)
    bin_of[skip] = bins
    n = len(seeker)
    for block in range((n + block_size - 1) // block_size):
        if block < len(done) and done[block]:
            continue
        start = block * block_size
        stop = min(n, start + block_size)
        read = 0
        for r in range(start, stop):
            b = bin_of[seeker[r]]
            sums[b] += opinion[r]
            counts[b] += 1
            read += b != bins
        if read == 0 and stop - start == block_size and block < len(done):
            done[block] = True
    return sums[:bins].copy(), counts[:bins].copy()


def rows_of_people(first_row: np.ndarray, next_row: np.ndarray, people: np.ndarray) -> np.ndarray:
    """The rows of each of ``people`` in turn, each person's in creation order (what
    :meth:`OpinionBook.rows_of` gives, person after person); ids past ``first_row`` have none."""
    return _rows_of_people(first_row, next_row, np.ascontiguousarray(people, dtype=np.int64))


@kernels.jit
def _rows_of_people(first_row, next_row, people):
    # One walk of the lists, into an array that doubles when full: each step of a walk is
    # a random read of a column of millions of rows (a cache miss), so walking twice (once
    # to count, once to fill) cost twice as much.
    rows, k = np.empty(max(16, 4 * len(people)), dtype=np.int64), 0
    for person in people:
        if 0 <= person < len(first_row):
            r = first_row[person]
            while r >= 0:
                if k == len(rows):
                    grown = np.empty(2 * len(rows), dtype=np.int64)
                    grown[:k] = rows
                    rows = grown
                rows[k] = r
                k += 1
                r = next_row[r]
    return rows[:k].copy()
