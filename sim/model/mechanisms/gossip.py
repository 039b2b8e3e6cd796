"""Gossip: reputation travels along ties (C4; docs/model.md eq. 7).

When a person's view of a seeker changes by at least ``gossip_threshold``, she tells each
contact with probability ``gossip_rate * tie strength`` (times ``bad_news_factor`` for bad
news, capped at 1). The listener moves her own view towards the teller's by
``gossip_weight * trust in the teller``; a change large enough is passed on again, up to
``gossip_depth`` steps from the first teller.

The cascade runs compiled (:func:`sim.model.kernels.gossip.cascade`) when it can; the loop
here is the reference, drawing the same numbers in the same order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.model.equations import chance_of_telling, heard_opinion
from sim.model.kernels.gossip import cascade
from sim.model.params import ContactParams
from sim.model.state.compiled_run import state_for
from sim.model.state.opinions import OpinionBook
from sim.model.state.world import Ties

if TYPE_CHECKING:
    from sim.model.run_state import RunState
    from sim.model.seekers import Seeker

__all__ = ["news", "spread"]


def news(model: RunState, teller: int, seeker: Seeker, change: float) -> None:
    """``teller``'s view of ``seeker`` changed by ``change``: it may spread (C4)."""
    spread(
        model.book, model.ties, model.rng, model.params.contacts,
        teller=teller, seeker=seeker.index, change=change, day=model.day, seeker_person=seeker.person,
    )  # fmt: skip


def spread(
    book: OpinionBook,
    ties: Ties,
    rng: np.random.Generator,
    p: ContactParams,
    *,
    teller: int,
    seeker: int,
    change: float,
    day: float,
    seeker_person: int,
) -> int:
    """Spread news of ``teller``'s changed opinion of ``seeker``; returns listeners reached."""
    if p.gossip_rate <= 0.0 or p.gossip_depth <= 0 or abs(change) < p.gossip_threshold:
        return 0
    run = state_for(book, ties, rng, p, day)
    if run is not None:
        reached, size, grew = cascade(
            run.handle, book.size, teller, seeker, float(change), float(day), seeker_person
        )
        run.settle(book, size, grew)
        if reached >= 0:
            return reached
    reached = 0
    frontier = [(teller, change)]
    for _ in range(p.gossip_depth):
        next_frontier: list[tuple[int, float]] = []
        for person, delta in frontier:
            listeners, changes = _tell_neighbours(
                book, ties, rng, p, person, seeker, delta, day, seeker_person
            )
            reached += len(listeners)
            next_frontier.extend(
                (listener, heard)
                for listener, heard in zip(listeners, changes, strict=True)
                if abs(heard) >= p.gossip_threshold
            )
        frontier = next_frontier
        if not frontier:
            break
    return reached


def _tell_neighbours(
    book: OpinionBook,
    ties: Ties,
    rng: np.random.Generator,
    p: ContactParams,
    teller: int,
    seeker: int,
    delta: float,
    day: float,
    seeker_person: int,
) -> tuple[list[int], list[float]]:
    """The contacts of ``teller`` who hear the news, and how much each one's view moved."""
    nbrs, strengths, trust_in_teller = ties.circle(teller, day)
    if nbrs.size == 0:
        return [], []
    rate = p.gossip_rate * (p.bad_news_factor if delta < 0 else 1.0)
    draws = rng.random(nbrs.size)  # one draw per contact, as many as the cascade draws
    told = [
        k
        for k, (draw, strength) in enumerate(zip(draws.tolist(), strengths.tolist(), strict=True))
        if draw < chance_of_telling(rate, strength) and nbrs[k] != seeker_person
    ]
    listeners = nbrs[told]
    teller_row = book.row(teller, seeker)
    teller_view, teller_hop = float(book.opinion[teller_row]), int(book.hop[teller_row])
    rows = book.ensure_many(listeners, seeker, teller_hop + 1)
    changes = []
    for row, trust in zip(rows.tolist(), trust_in_teller[told].tolist(), strict=True):
        before = float(book.opinion[row])
        after = heard_opinion(before, p.gossip_weight, trust, teller_view)
        book.opinion[row] = after
        changes.append(after - before)
    return listeners.tolist(), changes
