"""Who hears of a new opening, the draws compiled (issue 5).

The reference is the loop of :func:`sim.model.hiring.announce`: the (person, seeker) rows of
the manager and her contacts, in random order, each with one draw against the mention
probability (eq. 8) unless the seeker is hired or already considered for the opening. At a
million people an opening has thousands of such rows and few mentions, and the Python loop
cost 2 to 3 µs a row.

Here compiled code runs the draws up to the next mention and returns where it stopped;
Python passes the mention on (a lead, a call to the manager, an interview: what may end in a
hire) and asks for the next. A seeker who has been told once is hired or considered after
it, or the opening is filled, so she is skipped from then on, as the reference skips her.
The answer is the reference's, bit for bit: the same probability, in the same operations,
from the same arrays, with the draws from the run's Generator in the same order
(``tests/test_compiled_announce.py``).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from sim.model import compiled
from sim.model.compiled_call import tie_strength
from sim.model.compiled_state import CompiledRun, goodwill_now
from sim.model.reputation import NEUTRAL

if TYPE_CHECKING:
    from sim.model.model import NetworkingModel

__all__ = ["next_mention"]


def next_mention(
    model: NetworkingModel, run: CompiledRun, rows: np.ndarray, start: int, manager: int, told: np.ndarray
) -> int:
    """Draw for ``rows[start:]`` in order, skipping seekers marked in ``told``, until one
    person tells her seeker of the opening managed by ``manager``: returns that row's place
    in ``rows`` (its draw taken), or ``len(rows)`` if no one does."""
    p = model.params.contacts
    return _next_mention(
        run.handle, rows, start, manager, told, model.seeker_persons,
        float(p.mention_base), float(p.mention_when_asked), float(p.mention_stranger_weight), float(model.day),
    )  # fmt: skip


@compiled.jit
def _next_mention(
    s, rows, start, manager, told, seeker_persons, base_unasked, base_asked, stranger_weight, day
):
    for i in range(start, len(rows)):
        r = rows[i]
        k = s.seeker[r]
        if told[k]:
            continue
        person = s.person[r]
        base = base_asked if person == manager and s.met[r] else base_unasked  # eq. 8: asked, or not
        tie = tie_strength(s, person, seeker_persons[k], day)
        favour = 2.0 / (1.0 + math.exp(-s.favour_steepness * (s.opinion[r] - NEUTRAL)))
        prob = min(
            1.0,
            base * favour * (stranger_weight + tie) + s.goodwill_weight * min(goodwill_now(s, r, day), 1.0),
        )
        if s.rng.random() < prob:
            return i
    return len(rows)
