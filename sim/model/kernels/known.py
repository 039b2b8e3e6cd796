"""The people each seeker knows, in a form compiled code reads (issue 5).

A seeker's known people (herself and everyone she has a lead to) decide which names a
contact can still give her. Compiled calls (:mod:`sim.model.kernels.whole_call`) need them:
filtering a contact's contacts in Python, then handing the survivors over as an array, was
the largest part of what Python did around a compiled call. So each seeker keeps them in a
small open-addressing hash table of her own, small enough to stay in the processor's cache
while her calls read it, which one table for all seekers was not at a million people.

When kernels run, the table is all a seeker keeps (``sim.model.state.known.KnownTable``):
Python asks it too, one call per question, instead of keeping the same people in a Python
set beside it (at a million people those sets and their integers held about 160 MB, more
than a run's margin under 4 GB; docs/performance.md). Without kernels a Python set keeps them
(``KnownSet``); both answer every question alike (``tests/test_known_people.py``). The table
is the seeker's own, so it is copied and pickled with her.
"""

from __future__ import annotations

import numpy as np

from sim.model import kernels
from sim.model.kernels.state import free_slot, home_slot

__all__ = ["add_known", "is_known", "new_known_table", "unknown_of"]

_EMPTY = -1
#: Person ids are kept in 32 bits (they are below 2**31, as in the opinion book): a
#: million-people run keeps about 250 MB of these tables in 64-bit (key, value) pairs.
KNOWN_INT = np.int32


def new_known_table() -> np.ndarray:
    """An empty table (a seeker's ``known_table`` before anything is added)."""
    return np.full(64, _EMPTY, dtype=KNOWN_INT)


@kernels.jit
def is_known(table, person):
    """Whether ``person`` (a non-negative id) is in the table: each slot holds one id."""
    slots = len(table)
    h = home_slot(person, slots)
    while table[h] != _EMPTY:
        if table[h] == person:
            return True
        h += 1
        if h == slots:
            h = 0
    return False


@kernels.jit
def _put(table, person):
    table[free_slot(table, person)] = person


@kernels.jit
def add_known(table, count, person):
    """Add ``person``; returns the table (a new, doubled one when it would be over half
    full) and how many people it holds."""
    if is_known(table, person):
        return table, count
    if 2 * (count + 1) > len(table):
        old = table
        table = np.full(2 * len(old), _EMPTY, dtype=old.dtype)
        for person_in in old:
            if person_in != _EMPTY:
                _put(table, person_in)
    _put(table, person)
    return table, count + 1


@kernels.jit
def unknown_of(table, people):
    """Those of ``people`` not in the table, in their order."""
    unknown = np.empty(len(people), dtype=np.int64)
    n = 0
    for person in people:
        if not is_known(table, person):
            unknown[n] = person
            n += 1
    return unknown[:n]
