"""The names a contact offers in a call (eq. 5, S2, S9), compiled.

The reference is :func:`sim.model.mechanisms.approach.offer_names`: the contact's chance of lending a
name (eq. 5) sets how many names she offers (a binomial draw), an NFL seeker forces more up
to the names she demands (S2), a targeted seeker's planned introduction is made with the
same chance (S9), and the names are drawn among the contact's contacts the seeker does not
know yet, weighted by seniority. In Python that is two binomial draws, a weighted draw and
a dozen small steps on every meeting and phone call.

The answer is the same, bit for bit (the rules are in :mod:`sim.model.kernels.state`):
the binomial and weighted draws are numpy's algorithms on the run's Generator
(:mod:`sim.model.kernels.sampling`), goodwill decays by the numpy-made table, and eq. 5 is
the same operations in the same order. The seeker's known people are a Python set, so the
caller passes the contact's contacts not yet known; with more than
``BINOMIAL_MAX_TRIALS`` names possible, the reference runs instead.
"""

from __future__ import annotations

import numpy as np

from sim.model import kernels
from sim.model.equations import lend_probability
from sim.model.kernels.sampling import binomial, weighted_choice
from sim.model.kernels.state import goodwill_now

__all__ = ["offer_names_body"]


@kernels.jit
def offer_names_body(s, row, max_names, demanded, can_force, pressure, ask, unknown, day):
    """Returns (the names, the call-ahead chance, False if the weights could not be drawn)."""
    opinion = s.opinion[row]
    goodwill = goodwill_now(s, row, day)
    w = s.lending
    lend = lend_probability(opinion, goodwill, w.lend_base, w)
    offered = binomial(s.rng, max_names, lend) if max_names else 0
    shortfall = demanded - offered
    forced = binomial(s.rng, shortfall, pressure) if can_force and shortfall > 0 else 0
    asked = ask if ask >= 0 and s.rng.random() < lend else -1
    count = offered + forced
    picked, drawn = unknown[:0], True
    if count > 0:
        fresh = unknown[unknown != asked] if asked >= 0 else unknown
        take = min(count, len(fresh))
        if take > 0:
            picked = weighted_choice(s.rng, s.name_weight, fresh, take)
            drawn = len(picked) == take
    call_ahead = lend_probability(opinion, goodwill, w.call_ahead_base, w)
    if asked < 0:
        return picked, call_ahead, drawn
    names = np.empty(len(picked) + 1, dtype=np.int64)
    names[0] = asked
    names[1:] = picked
    return names, call_ahead, drawn
