"""Parts of a call, compiled: its opening, the talk's effect on the contact, and the mop-up
call (the kernels of :mod:`sim.model.mechanisms.approach` and :mod:`sim.model.mechanisms.mop_up`).

The opening is everything from dialling to the contact's answer (:func:`sim.model.mechanisms.approach.open_call`, the
reference): the contact's opinion row is found or made, she hears the referrer's
endorsement (eq. 2), her meeting probability is computed from the tie, the endorsement, her
opinion, the seeker's pressure, a shared industry, goodwill, busyness and fatigue (eq. 3),
her fatigue rises, and she grants a meeting, offers help on the phone or says no. In Python
that is a dozen small steps of one or two microseconds each, on every call. The talk
(:func:`sim.model.mechanisms.approach.talk`, the reference) is what a meeting or phone call does to
the contact: she has now met the seeker, her view moves towards the impression made, the
news of it may spread, and the tie is kept up. The mop-up
(:func:`sim.model.mechanisms.approach.mop_up`, the reference) follows every call made with a
referrer's name: whether the contact calls the referrer (eq. 6), and if she does, the
opinions both lower and the news each spreads (eq. 7, the compiled cascade).

The answer is the same, bit for bit (the rules are in :mod:`sim.model.kernels.state`):
ties, trust, opinions, goodwill and fatigue are read from the run's arrays with decays from
numpy-made tables, the probability is the same sum in the same order, and the draws come
from the run's Generator in the same order. ``p.endorsement_hop_decay ** (hop - 1)`` is
computed in Python and passed in, because a compiled power of an integer exponent need not
round as Python's does.
"""

from __future__ import annotations

import numpy as np

from sim.model import kernels
from sim.model.codes import CallOutcome
from sim.model.equations import (
    NEUTRAL,
    decayed,
    endorsement,
    has_time,
    lowered_opinion,
    meeting_probability,
    mop_up_probability,
    transfer_weight,
    week_of,
)
from sim.model.kernels.diary import record_meeting
from sim.model.kernels.gossip import cascade
from sim.model.kernels.graph import csr_slot, linked_entry_to
from sim.model.kernels.state import (
    decayed_introduced,
    decayed_strength,
    find,
    goodwill_now,
    index_rows,
    row_for,
    shift,
)

__all__ = [
    "mop_up_body",
    "mop_up_kernel",
    "open_body",
    "open_call_kernel",
    "talk_body",
    "talk_kernel",
    "tie_strength",
]


@kernels.jit
def talk_kernel(s, size, row, target, seeker, seeker_person, view, weight, day):
    """The talk in a book of ``size`` rows. Returns (the book's size, whether its columns were replaced)."""
    capacity = len(s.opinion)
    size = talk_body(s, size, row, target, seeker, seeker_person, view, weight, day)
    return size, len(s.opinion) != capacity


@kernels.jit
def talk_body(s, size, row, target, seeker, seeker_person, view, weight, day):
    """The talk (:func:`sim.model.mechanisms.approach.talk`); returns the book's size."""
    s.met[row] = True
    size = _tell(s, size, target, seeker, shift(s, row, view, weight), day, seeker_person)
    _touch(s, seeker_person, target, day)
    return size


@kernels.jit
def _touch(s, i, j, day):
    """:meth:`Ties.touch`: decay settled up to today, plus ``touch_boost``, both ways."""
    k = csr_slot(s.indptr, s.indices, i, j)
    if k < 0:
        e = _introduced(s, i, j)
        if e >= 0:
            new = min(1.0, decayed_introduced(s, e, day) + s.touch_boost)
            for entry in (e, s.ex_mirror[e]):
                s.ex_strength[entry] = new
                s.ex_touched[entry] = day
        return
    new = min(1.0, decayed_strength(s, k, day) + s.touch_boost)
    for slot in (k, np.int64(s.mirror[k])):  # one type, to iterate in numba
        s.level[slot] = new
    if s.decay_slot[k] >= 0:  # a tie that does not decay keeps no day (Ties.decay_slot)
        s.touched[s.decay_slot[k]] = day


@kernels.jit
def mop_up_kernel(s, size, target, row, referrer, seeker, seeker_person, pushed, day):
    """The mop-up in a book of ``size`` rows. Returns (whether the call was made, the book's size, whether its columns were replaced)."""
    capacity = len(s.opinion)
    index_rows(s, size)
    called, size = mop_up_body(s, size, target, row, referrer, seeker, seeker_person, pushed, day)
    return called, size, len(s.opinion) != capacity


@kernels.jit
def mop_up_body(s, size, target, row, referrer, seeker, seeker_person, pushed, day):
    """The mop-up decision and its effects (:func:`sim.model.mechanisms.approach.mop_up`); returns
    (whether the call was made, the book's size)."""
    referrer_row, size = row_for(s, referrer, seeker, size, 0)
    m = s.mop_up
    prob = mop_up_probability(pushed, s.protectiveness[target], s.opinion[referrer_row], m)
    if s.rng.random() >= prob:
        return False, size
    size = _tell(
        s, size, referrer, seeker, _lower(s, referrer_row, m.mop_up_referrer_cost), day, seeker_person
    )
    size = _tell(s, size, target, seeker, _lower(s, row, m.mop_up_target_cost), day, seeker_person)
    return True, size


@kernels.jit
def _lower(s, r, amount):
    """:meth:`OpinionBook.lower`: returns the change."""
    old = s.opinion[r]
    s.opinion[r] = lowered_opinion(old, amount)
    return s.opinion[r] - old


@kernels.jit
def _tell(s, size, teller, seeker, change, day, seeker_person):
    """:func:`sim.model.mechanisms.gossip.spread` from compiled code; returns the book's size."""
    if s.rate_good <= 0.0 or s.depth <= 0 or abs(change) < s.threshold:
        return size
    _, size, _ = cascade(s, size, teller, seeker, change, day, seeker_person)
    return size


@kernels.jit
def open_call_kernel(
    s, size, target, seeker, seeker_person, hop, referrer, warm, hop_factor, pressure, accepts_phone, day
):
    """The opening in a book of ``size`` rows. Returns (row, endorsement, outcome code, insisted, the book's size, whether its
    columns were replaced)."""
    capacity = len(s.opinion)
    index_rows(s, size)
    row, endorsement, outcome, insisted, size = open_body(
        s, size, target, seeker, seeker_person, hop, referrer, warm, hop_factor, pressure, accepts_phone, day
    )
    # the outcome's code as a plain integer: boxing an enum member costs Python a microsecond
    return row, endorsement, outcome.value, insisted, size, len(s.opinion) != capacity


@kernels.jit
def open_body(
    s, size, target, seeker, seeker_person, hop, referrer, warm, hop_factor, pressure, accepts_phone, day
):
    """The opening (:func:`sim.model.mechanisms.approach.open_call`); returns (row, endorsement,
    outcome code, insisted, the book's size)."""
    row, size = row_for(s, target, seeker, size, hop)
    heard = 0.0
    if referrer >= 0 and hop > 0:
        heard = _vouch(s, row, target, referrer, seeker, warm, hop_factor)
    tie = tie_strength(s, target, seeker_person, day)
    goodwill = goodwill_now(s, row, day)
    fatigue = decayed(s.fatigue[target], s.fatigue_decay[np.int64(day - s.fatigue_since[target])])
    same_industry = s.industry[target] == s.industry[seeker_person]
    prob = meeting_probability(
        tie,
        heard,
        s.opinion[row],
        pressure,
        same_industry,
        goodwill,
        s.busyness[target],
        fatigue,
        s.acceptance,
    )
    s.fatigue[target] = fatigue + 1.0
    s.fatigue_since[target] = day
    outcome, insisted = _decide(s, prob, pressure, accepts_phone, target, day)
    if outcome == CallOutcome.MEETING and len(s.meeting_limit) > 0:  # empty: no weekly limits
        record_meeting(s.meeting_week, s.meetings_given, target, day)
    return row, heard, outcome, insisted, size


@kernels.jit
def _vouch(s, row, target, referrer, seeker, warm, hop_factor):
    """The target takes in part of the referrer's view (eq. 2); returns the endorsement."""
    r = find(s, referrer * s.n_seekers + seeker)
    view = s.opinion[r] if r >= 0 else NEUTRAL
    weight = transfer_weight(_trust(s, target, referrer), hop_factor, warm, s.cold_call_factor)
    shift(s, row, view, s.endorsement_transfer * weight)
    return endorsement(view, weight)


@kernels.jit
def _decide(s, prob, pressure, accepts_phone, target, day):
    """The outcome (a :class:`~sim.model.codes.CallOutcome` code), and whether the seeker
    refused help on the phone and pushed (S1; eq. 15)."""
    if s.rng.random() < prob and (
        len(s.meeting_limit) == 0
        or has_time(s.meeting_limit[target], s.meetings_given[target], s.meeting_week[target], week_of(day))
    ):
        return CallOutcome.MEETING, False
    if s.rng.random() >= s.phone_offer:
        return CallOutcome.REFUSAL, False
    if accepts_phone:
        return CallOutcome.PHONE_HELP, False
    if s.rng.random() < pressure * s.push_success:
        return CallOutcome.MEETING, True
    return CallOutcome.REFUSAL, True


@kernels.jit
def _introduced(s, i, j):
    """The introduced-tie entry i -> j, or -1."""
    return linked_entry_to(s.ex_head, s.ex_next, s.ex_other, i, j)


@kernels.jit
def tie_strength(s, i, j, day):
    """:meth:`Ties.strength`: decayed towards the floor if the tie touches a seeker."""
    k = csr_slot(s.indptr, s.indices, i, j)
    if k < 0:
        e = _introduced(s, i, j)
        return decayed_introduced(s, e, day) if e >= 0 else 0.0
    return decayed_strength(s, k, day)


@kernels.jit
def _trust(s, i, j):
    """:meth:`Ties.trust_in`: how far ``i`` trusts ``j``, 0.0 for strangers."""
    k = csr_slot(s.indptr, s.indices, i, j)
    if k >= 0:
        return s.trust[k]
    e = _introduced(s, i, j)
    return s.ex_trust[e] if e >= 0 else 0.0
