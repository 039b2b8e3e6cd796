"""The goodwill owed to each seeker (eq. 13), totalled compiled for a whole day at once.

Every day, each seeker still searching may receive introductions unasked, at a rate
proportional to the goodwill her contacts owe her (:func:`sim.model.mechanisms.giving.receive_unasked`).
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
(:mod:`sim.model.kernels.state`), rows at or below ``HELD`` dropped, the rest added in
numpy's order (:func:`sim.model.kernels.sums.pairwise_sum`).
"""

from __future__ import annotations

import numpy as np

from sim.model import kernels
from sim.model.equations import HELD
from sim.model.kernels.state import goodwill_now
from sim.model.kernels.sums import pairwise_sum

__all__ = ["owed_totals_kernel"]


@kernels.jit
def owed_totals_kernel(s, rows, ends, day):
    """The goodwill total owed on ``day`` to each seeker whose rows end at each of ``ends``
    in ``rows``."""
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
