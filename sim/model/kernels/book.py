"""Compiled passes over the opinion book's columns (issue 5): each seeker's opinion sum and
row count, and the rows of many people.

The daily record reads every opinion row: a million-people run holds about eight million,
and ``numpy.bincount`` reads the seeker column four times over two calls (a range check and
a pass for each of the count and the weighted sum). One compiled pass reads each column
once. The sums are the same, bit for bit: ``bincount`` adds the weights into each bin in
row order, and so does this loop (``tests/test_compiled_book.py``).

Announcing an opening reads the rows of the manager and of each of her contacts, over a
thousand at 10^5 people. Each person's rows form a linked list (:meth:`OpinionBook.rows_of`),
and following it costs a cache miss per row; compiled, the rows are read from a snapshot
grouped by person (rebuilt now and then by a counting pass), and only the rows made since
are followed one by one.
"""

from __future__ import annotations

import numpy as np

from sim.model import kernels

__all__ = ["rows_by_person", "rows_of_people_indexed", "sums_and_counts"]


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


def rows_by_person(person: np.ndarray, size: int, people: int) -> tuple[np.ndarray, np.ndarray]:
    """The first ``size`` rows grouped by person (``person`` holds each row's person id, all
    below ``people``), each person's in creation order: CSR ``(start, rows)``, person ``p``'s
    rows being ``rows[start[p]:start[p + 1]]``. A snapshot that lets an announcement read a
    person's rows side by side rather than by following her list row by row."""
    rows = np.empty(size, dtype=np.int32 if size < 2**31 else np.int64)  # half the memory, mostly
    return _rows_by_person(person, size, people, rows)


@kernels.jit
def _rows_by_person(person, size, people, rows):
    start = np.zeros(people + 1, dtype=np.int64)
    for r in range(size):
        start[person[r] + 1] += 1
    for p in range(people):
        start[p + 1] += start[p]
    place = start[:-1].copy()
    for r in range(size):  # ascending rows: each person's in creation order
        rows[place[person[r]]] = r
        place[person[r]] += 1
    return start, rows


def rows_of_people_indexed(
    start: np.ndarray, rows: np.ndarray, first_row: np.ndarray, next_row: np.ndarray, people: np.ndarray
) -> np.ndarray:
    """The rows of each of ``people`` in turn, each person's in creation order (what
    :meth:`OpinionBook.rows_of` gives, person after person; ids past ``first_row`` have none):
    her rows in a snapshot (:func:`rows_by_person`) first, then those made since, by
    following her list (``first_row``, ``next_row``) on from the last of them."""
    people = np.ascontiguousarray(people, dtype=np.int64)
    return _rows_of_people_indexed(start, rows, first_row, next_row, people)


@kernels.jit
def _rows_of_people_indexed(start, rows, first_row, next_row, people):
    found, k = np.empty(max(16, 4 * len(people)), dtype=np.int64), 0
    for person in people:
        if not 0 <= person < len(first_row):
            continue
        r = first_row[person]
        if person < len(start) - 1:
            lo, hi = start[person], start[person + 1]
            if k + hi - lo > len(found):
                found = _room(found, k, k + hi - lo)
            found[k : k + hi - lo] = rows[lo:hi]
            k += hi - lo
            if hi > lo:
                r = next_row[rows[hi - 1]]  # the rows made since the snapshot
        while r >= 0:
            if k == len(found):
                found = _room(found, k, k + 1)
            found[k] = r
            k += 1
            r = next_row[r]
    return found[:k].copy()


@kernels.jit
def _room(found, k, needed):
    grown = np.empty(max(needed, 2 * len(found)), dtype=np.int64)
    grown[:k] = found[:k]
    return grown
