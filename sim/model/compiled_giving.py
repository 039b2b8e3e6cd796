"""The goodwill owed to each seeker, totalled compiled for a whole day at once (issue 5).

Every day, each seeker still searching may receive introductions unasked, at a rate
proportional to the goodwill her contacts owe her (:func:`sim.model.giving.receive_unasked`).
The total is needed every day for every seeker, though it is rarely large enough for an
introduction; one call per seeker and day cost more than the totals themselves (3.65 million
calls a year at ten thousand seekers). The totals of all seekers are therefore computed in
one compiled call when the day starts (:meth:`sim.model.model.NetworkingModel.step`). That
gives each seeker's total as her own step would find it: only her own actions change the
goodwill owed to her, and they come after it in her step; a change made anyway (by a
caller outside the daily schedule) marks her total as unknown
(``OpinionBook.add_goodwill``), and it is then computed the reference way.

Each total is the same, bit for bit, as ``OpinionBook.goodwill_rows(seeker, day)[1].sum()``:
each row's goodwill times its decay from the numpy-made table
(:mod:`sim.model.compiled_state`), rows at or below ``HELD`` dropped, the rest added in
numpy's order (:func:`sim.model.compiled_sum.pairwise_sum`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.model import compiled
from sim.model.compiled_state import goodwill_now, model_state
from sim.model.compiled_sum import pairwise_sum
from sim.model.reputation import HELD

if TYPE_CHECKING:
    from sim.model.model import NetworkingModel

__all__ = ["owed_totals_compiled"]


def owed_totals_compiled(model: NetworkingModel, seekers: list[int]) -> np.ndarray | None:
    """Today's goodwill total of each of ``seekers`` (in that order); or None when compiled
    code cannot give the reference answer bit for bit."""
    book = model.book
    run = model_state(model)
    if run is None:
        return None
    rows = [book.owing_rows(seeker) for seeker in seekers]
    ends = np.cumsum([len(r) for r in rows], dtype=np.int64)
    flat = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    return _owed_totals(run.handle, flat, ends, float(model.day))


@compiled.jit
def _owed_totals(s, rows, ends, day):
    totals = np.zeros(len(ends))
    amounts = np.empty(len(rows))
    start = 0
    for k in range(len(ends)):
        held = 0
        for r in rows[start : ends[k]]:
            amount = goodwill_now(s, r, day)
            if amount > HELD:
                amounts[held] = amount
                held += 1
        totals[k] = pairwise_sum(amounts, 0, held)
        start = ends[k]
    return totals
