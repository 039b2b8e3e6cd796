"""The people each seeker knows, on the compiled side (issue 5).

A seeker's known people (``Seeker.known``, a Python set: herself and everyone she has a
lead to) decide which names a contact can still give her. Compiled calls
(:mod:`sim.model.compiled_approach`) need them, and filtering a contact's contacts by the
Python set, then handing the survivors over as an array, was the largest part of what
Python did around a compiled call. So the compiled state keeps the same pairs in an
open-addressing hash set of ``seeker * people + person`` keys.

The Python set stays the reference, and the hash set follows it: every person a seeker
comes to know is appended to her log (``Seeker.known_log``, in :meth:`Seeker.add_lead`),
and :func:`sync_known` hands the entries the hash set has not seen to it before a compiled
call. A compiled call adds the names it has a seeker follow up itself, and Python, after
queueing those leads, marks them as handed over (:func:`mark_synced`). A rebuilt compiled
state (a copied or pickled model) starts empty, and each seeker's whole log is handed over
on her next call.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.model import compiled
from sim.model.compiled_state import find, put

if TYPE_CHECKING:
    from sim.model.compiled_state import CompiledRun
    from sim.model.seekers import Seeker

__all__ = ["add_known", "is_known", "mark_synced", "sync_known"]

_EMPTY = -1


def sync_known(run: CompiledRun, seeker: Seeker) -> None:
    """Hand the people ``seeker`` came to know since the last hand-over to ``run``."""
    log = seeker.known_log
    synced = seeker.known_synced if seeker.known_run is run else 0
    if synced < len(log):
        _add_many(run.handle, seeker.index, np.asarray(log[synced:], dtype=np.int64))
    seeker.known_run, seeker.known_synced = run, len(log)


def mark_synced(run: CompiledRun, seeker: Seeker) -> None:
    """The compiled call just made on ``run`` already added what ``seeker`` came to know
    since :func:`sync_known` (the names it had her follow up)."""
    seeker.known_run, seeker.known_synced = run, len(seeker.known_log)


@compiled.jit
def is_known(s, seeker, person):
    """Whether ``seeker`` knows ``person`` (the table's keys are non-negative, so it serves
    as its own column of values for :func:`~sim.model.compiled_state.find`)."""
    return find(s.known, s.known, seeker * s.n_people + person) >= 0


@compiled.jit
def add_known(s, seeker, person):
    """``seeker`` now knows ``person`` (nothing changes if she did); the table doubles
    before it would be over half full."""
    if is_known(s, seeker, person):
        return
    if 2 * (s.known_count + 1) > len(s.known):
        old = s.known
        s.known = np.full(2 * len(old), _EMPTY, dtype=np.int64)
        for key in old:
            if key != _EMPTY:
                put(s.known, s.known, key, key)
    key = seeker * s.n_people + person
    put(s.known, s.known, key, key)
    s.known_count += 1


@compiled.jit
def _add_many(s, seeker, people):
    for person in people:
        add_known(s, seeker, person)
