"""Parts of a call, compiled with numba when it is installed (issue 5): its opening, the
talk's effect on the contact, and the mop-up call.

The opening is everything from dialling to the contact's answer (:func:`sim.model.approach.open_call`, the
reference): the contact's opinion row is found or made, she hears the referrer's
endorsement (eq. 2), her meeting probability is computed from the tie, the endorsement, her
opinion, the seeker's pressure, a shared industry, goodwill, busyness and fatigue (eq. 3),
her fatigue rises, and she grants a meeting, offers help on the phone or says no. In Python
that is a dozen small steps of one or two microseconds each, on every call. The talk
(:func:`sim.model.approach.talk`, the reference) is what a meeting or phone call does to
the contact: she has now met the seeker, her view moves towards the impression made, the
news of it may spread, and the tie is kept up. The mop-up
(:func:`sim.model.approach.mop_up`, the reference) follows every call made with a
referrer's name: whether the contact calls the referrer (eq. 6), and if she does, the
opinions both lower and the news each spreads (eq. 7, the compiled cascade).

The answer is the same, bit for bit (the rules are in :mod:`sim.model.compiled_state`):
ties, trust, opinions, goodwill and fatigue are read from the run's arrays with decays from
numpy-made tables, the probability is the same sum in the same order, and the draws come
from the run's Generator in the same order. ``p.endorsement_hop_decay ** (hop - 1)`` is
computed in Python and passed in, because a compiled power of an integer exponent need not
round as Python's does.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from sim.model import compiled
from sim.model.compiled_gossip import cascade
from sim.model.compiled_graph import csr_slot
from sim.model.compiled_state import (
    decayed_strength,
    find,
    goodwill_now,
    index_rows,
    model_state,
    row_for,
    shift,
)
from sim.model.reputation import NEUTRAL

if TYPE_CHECKING:
    from sim.model.model import NetworkingModel
    from sim.model.seekers import Lead, Seeker

__all__ = [
    "OUTCOMES",
    "mop_up_body",
    "mop_up_compiled",
    "open_body",
    "open_call_compiled",
    "talk_body",
    "talk_compiled",
    "tie_strength",
]

#: Outcomes by the code compiled code returns.
OUTCOMES = ("meeting", "phone_help", "refusal")


def open_call_compiled(
    model: NetworkingModel, seeker: Seeker, lead: Lead
) -> tuple[int, float, str, bool] | None:
    """:func:`sim.model.approach.open_call`, compiled: (the contact's row, the endorsement
    carried, the outcome, whether the seeker insisted); or None, having done nothing, when
    compiled code cannot give the reference answer."""
    book, p = model.book, model.params.contacts
    run = model_state(model)
    if run is None:
        return None
    referrer = -1 if lead.referrer is None else lead.referrer
    hop_factor = p.endorsement_hop_decay ** (lead.hop - 1) if referrer >= 0 and lead.hop > 0 else 0.0
    strategy, old_size = seeker.strategy, book.size
    row, endorsement, outcome, insisted, size, grew = _open_call(
        run.handle, old_size, lead.target, seeker.index, seeker.person, lead.hop, referrer, lead.warm, hop_factor,
        float(strategy.pressure), strategy.accepts_phone_help, float(model.day),
    )  # fmt: skip
    run.settle(book, size, grew)
    return row, endorsement, OUTCOMES[outcome], insisted


def talk_compiled(
    model: NetworkingModel, seeker: Seeker, target: int, row: int, view: float, weight: float
) -> bool:
    """:func:`sim.model.approach.talk`, compiled; False, having done nothing, when compiled
    code cannot give the reference answer."""
    book = model.book
    run = model_state(model)
    if run is None:
        return False
    size, grew = _talk(
        run.handle, book.size, row, target, seeker.index, seeker.person, view, weight, float(model.day)
    )
    run.settle(book, size, grew)
    return True


@compiled.jit
def _talk(s, size, row, target, seeker, seeker_person, view, weight, day):
    """Returns (the book's size, whether its columns were replaced)."""
    capacity = len(s.opinion)
    size = talk_body(s, size, row, target, seeker, seeker_person, view, weight, day)
    return size, len(s.opinion) != capacity


@compiled.jit
def talk_body(s, size, row, target, seeker, seeker_person, view, weight, day):
    """The talk (:func:`sim.model.approach.talk`); returns the book's size."""
    s.met[row] = True
    size = _tell(s, size, target, seeker, shift(s, row, view, weight), day, seeker_person)
    _touch(s, seeker_person, target, day)
    return size


@compiled.jit
def _touch(s, i, j, day):
    """:meth:`Ties.touch`: decay settled up to today, plus ``touch_boost``, both ways."""
    k = csr_slot(s.indptr, s.indices, i, j)
    if k < 0:
        return
    new = min(1.0, decayed_strength(s, k, day) + s.touch_boost)
    for slot in (k, s.mirror[k]):
        s.level[slot] = new
        s.touched[slot] = day


def mop_up_compiled(
    model: NetworkingModel, seeker: Seeker, lead: Lead, row: int, pushed: float
) -> bool | None:
    """:func:`sim.model.approach.mop_up`, compiled: whether the contact made the mop-up call
    (its effects on opinions done); or None, having done nothing, when compiled code cannot
    give the reference answer."""
    book = model.book
    run = model_state(model)
    if run is None:
        return None
    called, size, grew = _mop_up(
        run.handle,
        book.size,
        lead.target,
        row,
        lead.referrer,
        seeker.index,
        seeker.person,
        float(pushed),
        float(model.day),
    )
    run.settle(book, size, grew)
    return called


@compiled.jit
def _mop_up(s, size, target, row, referrer, seeker, seeker_person, pushed, day):
    """Returns (whether the call was made, the book's size, whether its columns were replaced)."""
    capacity = len(s.opinion)
    index_rows(s, size)
    called, size = mop_up_body(s, size, target, row, referrer, seeker, seeker_person, pushed, day)
    return called, size, len(s.opinion) != capacity


@compiled.jit
def mop_up_body(s, size, target, row, referrer, seeker, seeker_person, pushed, day):
    """The mop-up decision and its effects (:func:`sim.model.approach.mop_up`); returns
    (whether the call was made, the book's size)."""
    referrer_row, size = row_for(s, referrer, seeker, size, 0, day)
    prob = min(1.0, s.mop_up_propensity * s.protectiveness[target] * pushed * (1.0 - s.opinion[referrer_row]))
    if s.rng.random() >= prob:
        return False, size
    size = _tell(
        s, size, referrer, seeker, _lower(s, referrer_row, s.mop_up_referrer_cost), day, seeker_person
    )
    size = _tell(s, size, target, seeker, _lower(s, row, s.mop_up_target_cost), day, seeker_person)
    return True, size


@compiled.jit
def _lower(s, r, amount):
    """:meth:`OpinionBook.lower`: returns the change."""
    old = s.opinion[r]
    s.opinion[r] = max(0.0, old - amount)
    return s.opinion[r] - old


@compiled.jit
def _tell(s, size, teller, seeker, change, day, seeker_person):
    """:func:`sim.model.gossip.spread` from compiled code; returns the book's size."""
    if s.rate_good <= 0.0 or s.depth <= 0 or abs(change) < s.threshold:
        return size
    _, size, _ = cascade(s, size, teller, seeker, change, day, seeker_person)
    return size


@compiled.jit
def _open_call(
    s, size, target, seeker, seeker_person, hop, referrer, warm, hop_factor, pressure, accepts_phone, day
):
    """Returns (row, endorsement, outcome code, insisted, the book's size, whether its
    columns were replaced)."""
    capacity = len(s.opinion)
    index_rows(s, size)
    row, endorsement, outcome, insisted, size = open_body(
        s, size, target, seeker, seeker_person, hop, referrer, warm, hop_factor, pressure, accepts_phone, day
    )
    return row, endorsement, outcome, insisted, size, len(s.opinion) != capacity


@compiled.jit
def open_body(
    s, size, target, seeker, seeker_person, hop, referrer, warm, hop_factor, pressure, accepts_phone, day
):
    """The opening (:func:`sim.model.approach.open_call`); returns (row, endorsement,
    outcome code, insisted, the book's size)."""
    row, size = row_for(s, target, seeker, size, hop, day)
    endorsement = 0.0
    if referrer >= 0 and hop > 0:
        endorsement = _vouch(s, row, target, referrer, seeker, warm, hop_factor)
    tie = tie_strength(s, target, seeker_person, day)
    goodwill = goodwill_now(s, row, day)
    fatigue = s.fatigue[target] * s.fatigue_decay[np.int64(day - s.fatigue_since[target])]
    same_industry = 1.0 if s.industry[target] == s.industry[seeker_person] else 0.0
    a = s.accept
    z = (
        a[0]
        + a[1] * tie
        + a[2] * endorsement
        + a[3] * (s.opinion[row] - NEUTRAL)
        + a[4] * pressure
        + a[5] * same_industry
        + a[6] * min(goodwill, 1.0)
        - a[7] * s.busyness[target]
        - a[8] * fatigue
    )
    prob = 1.0 / (1.0 + math.exp(-z))
    s.fatigue[target] = fatigue + 1.0
    s.fatigue_since[target] = day
    outcome, insisted = _decide(s, prob, pressure, accepts_phone)
    return row, endorsement, outcome, insisted, size


@compiled.jit
def _vouch(s, row, target, referrer, seeker, warm, hop_factor):
    """The target takes in part of the referrer's view (eq. 2); returns the endorsement."""
    r = find(s.index, referrer * s.n_seekers + seeker)
    view = s.opinion[r] if r >= 0 else NEUTRAL
    weight = _trust(s, target, referrer) * hop_factor
    if not warm:
        weight = weight * s.cold_call_factor
    shift(s, row, view, s.endorsement_transfer * weight)
    return view * weight


@compiled.jit
def _decide(s, prob, pressure, accepts_phone):
    """Meeting (0), phone help (1) or refusal (2), and whether the seeker pushed (S1)."""
    if s.rng.random() < prob:
        return 0, False
    if s.rng.random() >= s.phone_offer:
        return 2, False
    if accepts_phone:
        return 1, False
    if s.rng.random() < pressure * s.push_success:
        return 0, True
    return 2, True


@compiled.jit
def _introduced(s, i, j):
    """The introduced-tie entry i -> j, or -1."""
    e = s.ex_head[i]
    while e != -1 and s.ex_other[e] != j:
        e = s.ex_next[e]
    return e


@compiled.jit
def tie_strength(s, i, j, day):
    """:meth:`Ties.strength`: decayed towards the floor if the tie touches a seeker."""
    k = csr_slot(s.indptr, s.indices, i, j)
    if k < 0:
        e = _introduced(s, i, j)
        return s.ex_strength[e] if e >= 0 else 0.0
    return decayed_strength(s, k, day)


@compiled.jit
def _trust(s, i, j):
    """:meth:`Ties.trust_in`: how far ``i`` trusts ``j``, 0.0 for strangers."""
    k = csr_slot(s.indptr, s.indices, i, j)
    if k >= 0:
        return s.trust[k]
    e = _introduced(s, i, j)
    return s.ex_trust[e] if e >= 0 else 0.0
