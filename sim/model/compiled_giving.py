"""The goodwill owed to a seeker, totalled compiled (issue 5).

Every day, each seeker still searching may receive introductions unasked, at a rate
proportional to the goodwill her contacts owe her (:func:`sim.model.giving.receive_unasked`).
The total is read every day for every seeker, though it is rarely large enough for an
introduction; in numpy that is half a dozen array calls on a handful of rows. Compiled, it
is one call, with the same result bit for bit: each row's goodwill times its decay from the
numpy-made table (:mod:`sim.model.compiled_state`), rows below ``1e-12`` dropped, and the
rest added in numpy's order (:func:`sim.model.compiled_sum.pairwise_sum`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.model import compiled
from sim.model.compiled_state import state_for
from sim.model.compiled_sum import pairwise_sum
from sim.model.reputation import HELD

if TYPE_CHECKING:
    from sim.model.model import NetworkingModel

__all__ = ["owed_total_compiled"]


def owed_total_compiled(model: NetworkingModel, seeker: int) -> float | None:
    """``OpinionBook.goodwill_rows(seeker, day)[1].sum()``, compiled; or None when compiled
    code cannot give that answer bit for bit."""
    book = model.book
    run = state_for(book, model.ties, model.rng, model.params.contacts, model.day, model.people, model.fatigue)
    if run is None:
        return None
    return _owed_total(run.handle, book.owing_rows(seeker), float(model.day))


@compiled.jit
def _owed_total(s, rows, day):
    amounts, held = np.empty(len(rows)), 0
    for r in rows:
        amount = s.goodwill[r] * s.goodwill_decay[np.int64(day - s.goodwill_day[r])]
        if amount > HELD:
            amounts[held] = amount
            held += 1
    return pairwise_sum(amounts, 0, held)
