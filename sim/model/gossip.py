"""Reputation travels along ties (C4; docs/model.md eq. 7).

When a person's view of a seeker changes by at least ``gossip_threshold``, she tells each
contact with probability ``gossip_rate * tie strength`` (times ``bad_news_factor`` for bad
news, capped at 1). The listener moves her own view towards the teller's by
``gossip_weight * trust in the teller``; a change large enough is passed on again, up to
``gossip_depth`` steps from the first teller.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from sim.model.compiled_gossip import spread_compiled
from sim.model.params import ContactParams
from sim.model.reputation import OpinionBook
from sim.model.world import Ties

__all__ = ["spread"]

#: Called once per listener reached: (teller, listener, change of the listener's opinion).
OnHeard = Callable[[int, int, float], None]


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
    on_heard: OnHeard | None = None,
) -> int:
    """Spread news of ``teller``'s changed opinion of ``seeker``; returns listeners reached."""
    if p.gossip_rate <= 0.0 or p.gossip_depth <= 0 or abs(change) < p.gossip_threshold:
        return 0
    if on_heard is None:
        reached = spread_compiled(
            book,
            ties,
            rng,
            p,
            teller=teller,
            seeker=seeker,
            change=change,
            day=day,
            seeker_person=seeker_person,
        )
        if reached is not None:
            return reached
    reached = 0
    frontier = [(teller, change)]
    for _ in range(p.gossip_depth):
        next_frontier: list[tuple[int, float]] = []
        for person, delta in frontier:
            listeners, changes = _tell_neighbours(
                book, ties, rng, p, person, seeker, delta, day, seeker_person
            )
            reached += listeners.size
            if on_heard is not None:
                for listener, heard in zip(listeners.tolist(), changes.tolist(), strict=True):
                    on_heard(person, listener, heard)
            newsworthy = np.abs(changes) >= p.gossip_threshold
            next_frontier.extend(
                zip(listeners[newsworthy].tolist(), changes[newsworthy].tolist(), strict=True)
            )
        frontier = next_frontier
        if not frontier:
            break
    return reached


def _tell_neighbours(
    book, ties, rng, p, teller, seeker, delta, day, seeker_person
) -> tuple[np.ndarray, np.ndarray]:
    """The contacts of ``teller`` who hear the news, and how much each one's view moved."""
    nbrs, strengths, trust_in_teller = ties.circle(teller, day)
    if nbrs.size == 0:
        return nbrs, np.zeros(0)
    rate = p.gossip_rate * (p.bad_news_factor if delta < 0 else 1.0)
    told = (rng.random(nbrs.size) < np.minimum(1.0, rate * strengths)) & (nbrs != seeker_person)
    listeners = nbrs[told]
    teller_row = book.row(teller, seeker)
    teller_view, teller_hop = float(book.opinion[teller_row]), int(book.hop[teller_row])
    rows = book.ensure_many(listeners, seeker, teller_hop + 1, day)
    before = book.opinion[rows]
    moved = before + p.gossip_weight * trust_in_teller[told] * (teller_view - before)
    after = np.minimum(np.maximum(moved, 0.0), 1.0)  # np.clip, without its Python wrapper
    book.opinion[rows] = after
    return listeners, after - before
