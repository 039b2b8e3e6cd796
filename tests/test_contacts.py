"""Each contact equation moves in the direction its source passage says."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.model import contacts
from sim.model.params import ContactParams

P = ContactParams()
unit = st.floats(0.0, 1.0)


def meeting(**changes) -> float:
    base = dict(tie=0.4, endorsement=0.0, opinion=0.5, pressure=0.1, same_industry=True,
                goodwill=0.0, busyness=0.5, fatigue=0.0, p=P)  # fmt: skip
    return contacts.meeting_probability(**{**base, **changes})


@given(hop=st.integers(1, 8), trust=st.floats(0.01, 1.0), view=st.floats(0.01, 1.0), warm=st.booleans())
def test_endorsement_falls_with_every_hop(hop, trust, view, warm):
    """C2: Jim -> Norma -> Sam -> Phil, each hop relays less."""
    here = contacts.endorsement(view, trust, hop, warm, P)
    further = contacts.endorsement(view, trust, hop + 1, warm, P)
    assert further < here
    assert further == pytest.approx(here * P.endorsement_hop_decay)


@given(hop=st.integers(1, 5), trust=st.floats(0.01, 1.0), view=st.floats(0.01, 1.0))
def test_endorsement_is_weaker_when_the_seeker_makes_the_call(hop, trust, view):
    """C2: "weaker still when the seeker, not the referrer, makes the call"."""
    warm = contacts.endorsement(view, trust, hop, True, P)
    cold = contacts.endorsement(view, trust, hop, False, P)
    assert cold == pytest.approx(warm * P.cold_call_factor)
    assert cold < warm


def test_own_contacts_carry_no_endorsement():
    assert contacts.endorsement(0.9, 0.9, 0, True, P) == 0.0


@given(low=unit, high=unit)
def test_pressure_raises_meeting_acceptance(low, high):
    """C1: "someone may have to see you"."""
    low, high = sorted((low, high))
    assert meeting(pressure=high) >= meeting(pressure=low)


def test_pressure_strictly_raises_acceptance_and_lowers_liking():
    """C1: "...But she doesn't have to like you"."""
    assert meeting(pressure=0.9) > meeting(pressure=0.1)
    polite = contacts.impression(0.65, False, 0.1, False, P)
    pushy = contacts.impression(0.65, False, 0.9, False, P)
    forced = contacts.impression(0.65, False, 0.9, True, P)
    assert pushy < polite
    assert forced < pushy


@given(quality=unit, pressure=unit, gave=st.booleans(), forced=st.booleans())
def test_impression_stays_in_unit_interval(quality, pressure, gave, forced):
    assert 0.0 <= contacts.impression(quality, gave, pressure, forced, P) <= 1.0


def test_giving_raises_the_impression():
    assert contacts.impression(0.6, True, 0.1, False, P) > contacts.impression(0.6, False, 0.1, False, P)


@given(low=st.floats(0, 20), high=st.floats(0, 20))
def test_fatigue_lowers_acceptance(low, high):
    """C5: "Calls like yours are frequent"."""
    low, high = sorted((low, high))
    assert meeting(fatigue=high) <= meeting(fatigue=low)


def test_each_named_factor_moves_acceptance_the_right_way():
    base = meeting()
    assert meeting(tie=0.9) > base
    assert meeting(endorsement=0.5) > base
    assert meeting(opinion=0.8) > base
    assert meeting(goodwill=1.0) > base
    assert meeting(same_industry=False) < base  # C7
    assert meeting(busyness=0.9) < base
    assert meeting(fatigue=3.0) < base


@given(tie=unit, endorsement=unit, opinion=unit, pressure=unit, goodwill=st.floats(0, 10),
       busyness=unit, fatigue=st.floats(0, 100), same=st.booleans())  # fmt: skip
def test_meeting_probability_is_a_probability(
    tie, endorsement, opinion, pressure, goodwill, busyness, fatigue, same
):
    prob = meeting(tie=tie, endorsement=endorsement, opinion=opinion, pressure=pressure,
                   goodwill=goodwill, busyness=busyness, fatigue=fatigue, same_industry=same)  # fmt: skip
    assert 0.0 <= prob <= 1.0


@given(a=unit, b=unit)
def test_favour_is_monotone_and_neutral_at_one_half(a, b):
    a, b = sorted((a, b))
    assert contacts.favour(a, P) <= contacts.favour(b, P)
    assert 0.0 <= contacts.favour(a, P) <= 2.0
    assert contacts.favour(0.5, P) == pytest.approx(1.0)


def test_mop_up_rises_with_push_and_protectiveness_and_falls_with_closeness():
    """C3: "Is your caller really close to the 'name' he's using?"."""
    base = contacts.mop_up_probability(0.5, 0.5, 0.5, P)
    assert contacts.mop_up_probability(0.9, 0.5, 0.5, P) > base
    assert contacts.mop_up_probability(0.5, 0.9, 0.5, P) > base
    assert contacts.mop_up_probability(0.5, 0.5, 0.9, P) < base
    assert contacts.mop_up_probability(0.0, 0.9, 0.1, P) == 0.0
    off = ContactParams(mop_up_propensity=0.0)
    assert contacts.mop_up_probability(1.0, 1.0, 0.0, off) == 0.0


@given(pushed=unit, protect=unit, view=unit)
def test_mop_up_probability_is_a_probability(pushed, protect, view):
    assert (
        0.0
        <= contacts.mop_up_probability(pushed, protect, view, ContactParams(mop_up_propensity=50.0))
        <= 1.0
    )


def test_mentions_favour_strong_ties_goodwill_and_being_asked():
    """C6 and Marin (2012): mostly to strong ties; goodwill is repaid unasked."""
    base = contacts.mention_probability(0.5, 0.15, 0.0, P.mention_base, P)
    assert contacts.mention_probability(0.5, 0.9, 0.0, P.mention_base, P) > base
    assert contacts.mention_probability(0.5, 0.15, 1.0, P.mention_base, P) > base
    assert contacts.mention_probability(0.5, 0.15, 0.0, P.mention_when_asked, P) > base
    assert contacts.mention_probability(0.1, 0.15, 0.0, P.mention_base, P) < base


def test_lending_a_name_needs_trust():
    """C8: no one turns over a friend's name to someone they do not trust."""
    assert contacts.lend_probability(0.2, 0.0, P.lend_base, P) < contacts.lend_probability(
        0.8, 0.0, P.lend_base, P
    )
    assert contacts.lend_probability(0.5, 0.0, P.lend_base, P) == pytest.approx(P.lend_base)


def test_push_is_pressure_plus_insisting():
    assert contacts.push(0.5, False, P) == 0.5
    assert contacts.push(0.5, True, P) > 0.5
    assert contacts.push(1.0, True, P) == 1.0
