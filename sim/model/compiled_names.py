"""The names a contact offers in a call, compiled with numba when it is installed (issue 5).

The reference is :func:`sim.model.approach.offer_names`: the contact's chance of lending a
name (eq. 5) sets how many names she offers (a binomial draw), an NFL seeker forces more up
to the names she demands (S2), a targeted seeker's planned introduction is made with the
same chance (S9), and the names are drawn among the contact's contacts the seeker does not
know yet, weighted by seniority. In Python that is two binomial draws, a weighted draw and
a dozen small steps on every meeting and phone call.

The answer is the same, bit for bit (the rules are in :mod:`sim.model.compiled_state`):
the binomial and weighted draws are numpy's algorithms on the run's Generator
(:mod:`sim.model.compiled_sampling`), goodwill decays by the numpy-made table, and eq. 5 is
the same operations in the same order. The seeker's known people are a Python set, so the
caller passes the contact's contacts not yet known; with more than
``BINOMIAL_MAX_TRIALS`` names possible, the reference runs instead.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from sim.model import compiled
from sim.model.compiled_sampling import BINOMIAL_MAX_TRIALS, binomial, weighted_choice
from sim.model.compiled_state import goodwill_now, model_state
from sim.model.reputation import NEUTRAL

if TYPE_CHECKING:
    from sim.model.model import NetworkingModel
    from sim.model.seekers import Lead, Seeker

__all__ = ["offer_names_body", "offer_names_compiled"]


def offer_names_compiled(
    model: NetworkingModel,
    seeker: Seeker,
    lead: Lead,
    row: int,
    max_names: int,
    can_force: bool,
    unknown: list[int],
) -> tuple[list[int], float] | None:
    """:func:`sim.model.approach.offer_names`, compiled, given ``unknown``: the contact's
    contacts the seeker does not know, in circle order. Returns (the names, the chance the
    contact calls ahead for each); or None, having drawn nothing, when compiled code cannot
    give the reference answer."""
    demanded = seeker.strategy.names_demanded
    if max(max_names, demanded) > BINOMIAL_MAX_TRIALS:
        return None
    run = model_state(model)
    if run is None:
        return None
    wanted = lead.ask_for
    ask = wanted if wanted is not None and wanted not in seeker.known else -1
    names, call_ahead, drawn = offer_names_body(
        run.handle, row, max_names, demanded, can_force, float(seeker.strategy.pressure), ask,
        np.asarray(unknown, dtype=np.int64), float(model.day),
    )  # fmt: skip
    if not drawn:
        raise ValueError("Fewer non-zero entries in p than size")  # numpy's check and message
    return names.tolist(), call_ahead


@compiled.jit
def offer_names_body(s, row, max_names, demanded, can_force, pressure, ask, unknown, day):
    """Returns (the names, the call-ahead chance, False if the weights could not be drawn)."""
    opinion = s.opinion[row]
    goodwill = goodwill_now(s, row, day)
    favour = 2.0 / (1.0 + math.exp(-s.favour_steepness * (opinion - NEUTRAL)))
    owed = s.goodwill_weight * min(goodwill, 1.0)
    lend = min(1.0, s.lend_base * favour + owed)
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
    call_ahead = min(1.0, s.call_ahead_base * favour + owed)
    if asked < 0:
        return picked, call_ahead, drawn
    names = np.empty(len(picked) + 1, dtype=np.int64)
    names[0] = asked
    names[1:] = picked
    return names, call_ahead, drawn
