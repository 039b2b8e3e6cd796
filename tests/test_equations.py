"""Each contact equation moves in the direction its source passage says."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.model import equations as eq
from sim.model.params import ContactParams

P = ContactParams()
unit = st.floats(0.0, 1.0)


def endorse(view: float, trust: float, hop: int, warm: bool) -> float:
    """Eq. 2 with the default parameters."""
    weight = eq.transfer_weight(trust, eq.hop_factor(P.endorsement_hop_decay, hop), warm, P.cold_call_factor)
    return eq.endorsement(view, weight)


def meeting(**changes) -> float:
    base = dict(tie=0.4, endorsement=0.0, opinion=0.5, pressure=0.1, same_industry=True,
                goodwill=0.0, busyness=0.5, fatigue=0.0, a=P.acceptance)  # fmt: skip
    return eq.meeting_probability(**{**base, **changes})


@given(hop=st.integers(1, 8), trust=st.floats(0.01, 1.0), view=st.floats(0.01, 1.0), warm=st.booleans())
def test_endorsement_falls_with_every_hop(hop, trust, view, warm):
    """C2: Jim -> Norma -> Sam -> Phil, each hop relays less."""
    here = endorse(view, trust, hop, warm)
    further = endorse(view, trust, hop + 1, warm)
    assert further < here
    assert further == pytest.approx(here * P.endorsement_hop_decay)


@given(hop=st.integers(1, 5), trust=st.floats(0.01, 1.0), view=st.floats(0.01, 1.0))
def test_endorsement_is_weaker_when_the_seeker_makes_the_call(hop, trust, view):
    """C2: "weaker still when the seeker, not the referrer, makes the call"."""
    warm = endorse(view, trust, hop, True)
    cold = endorse(view, trust, hop, False)
    assert cold == pytest.approx(warm * P.cold_call_factor)
    assert cold < warm


def test_own_contacts_carry_no_endorsement():
    assert endorse(0.9, 0.9, 0, True) == 0.0


@given(low=unit, high=unit)
def test_pressure_raises_meeting_acceptance(low, high):
    """C1: "someone may have to see you"."""
    low, high = sorted((low, high))
    assert meeting(pressure=high) >= meeting(pressure=low)


def test_pressure_strictly_raises_acceptance_and_lowers_liking():
    """C1: "...But she doesn't have to like you"."""
    assert meeting(pressure=0.9) > meeting(pressure=0.1)
    polite = eq.impression(0.65, False, 0.1, False, P.liking)
    pushy = eq.impression(0.65, False, 0.9, False, P.liking)
    forced = eq.impression(0.65, False, 0.9, True, P.liking)
    assert pushy < polite
    assert forced < pushy


@given(quality=unit, pressure=unit, gave=st.booleans(), forced=st.booleans())
def test_impression_stays_in_unit_interval(quality, pressure, gave, forced):
    assert 0.0 <= eq.impression(quality, gave, pressure, forced, P.liking) <= 1.0


def test_giving_raises_the_impression():
    assert eq.impression(0.6, True, 0.1, False, P.liking) > eq.impression(0.6, False, 0.1, False, P.liking)


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
    assert eq.favour(a, P.favour_steepness) <= eq.favour(b, P.favour_steepness)
    assert 0.0 <= eq.favour(a, P.favour_steepness) <= 2.0
    assert eq.favour(0.5, P.favour_steepness) == pytest.approx(1.0)


def test_mop_up_rises_with_push_and_protectiveness_and_falls_with_closeness():
    """C3: "Is your caller really close to the 'name' he's using?"."""
    base = eq.mop_up_probability(0.5, 0.5, 0.5, P.mop_up)
    assert eq.mop_up_probability(0.9, 0.5, 0.5, P.mop_up) > base
    assert eq.mop_up_probability(0.5, 0.9, 0.5, P.mop_up) > base
    assert eq.mop_up_probability(0.5, 0.5, 0.9, P.mop_up) < base
    assert eq.mop_up_probability(0.0, 0.9, 0.1, P.mop_up) == 0.0
    off = ContactParams(mop_up_propensity=0.0)
    assert eq.mop_up_probability(1.0, 1.0, 0.0, off.mop_up) == 0.0


@given(pushed=unit, protect=unit, view=unit)
def test_mop_up_probability_is_a_probability(pushed, protect, view):
    assert (
        0.0
        <= eq.mop_up_probability(pushed, protect, view, ContactParams(mop_up_propensity=50.0).mop_up)
        <= 1.0
    )


def test_mentions_favour_strong_ties_goodwill_and_being_asked():
    """C6 and Marin (2012): mostly to strong ties; goodwill is repaid unasked."""
    base = eq.mention_probability(0.5, 0.15, 0.0, P.mention_base, P.lending)
    assert eq.mention_probability(0.5, 0.9, 0.0, P.mention_base, P.lending) > base
    assert eq.mention_probability(0.5, 0.15, 1.0, P.mention_base, P.lending) > base
    assert eq.mention_probability(0.5, 0.15, 0.0, P.mention_when_asked, P.lending) > base
    assert eq.mention_probability(0.1, 0.15, 0.0, P.mention_base, P.lending) < base


def test_lending_a_name_needs_trust():
    """C8: no one turns over a friend's name to someone they do not trust."""
    assert eq.lend_probability(0.2, 0.0, P.lend_base, P.lending) < eq.lend_probability(
        0.8, 0.0, P.lend_base, P.lending
    )
    assert eq.lend_probability(0.5, 0.0, P.lend_base, P.lending) == pytest.approx(P.lend_base)


def test_push_is_pressure_plus_insisting():
    assert eq.push(0.5, False, P.mop_up) == 0.5
    assert eq.push(0.5, True, P.mop_up) > 0.5
    assert eq.push(1.0, True, P.mop_up) == 1.0


# --- one definition, two paths ------------------------------------------------------------------
numba = pytest.importorskip("numba")


@numba.njit
def _compiled_call(which, a, b, c, d, flag, acceptance, liking, lending, mop_up):
    """Each equation as compiled code calls it (the kernels call the very same functions)."""
    if which == 0:
        return eq.favour(a, b)
    if which == 1:
        return eq.meeting_probability(a, b, c, d, flag, a * b, c, d, acceptance)
    if which == 2:
        return eq.impression(a, flag, b, not flag, liking)
    if which == 3:
        return eq.lend_probability(a, b, c, lending)
    if which == 4:
        return eq.mention_probability(a, b, c, d, lending)
    if which == 5:
        return eq.mop_up_probability(a, b, c, mop_up)
    if which == 6:
        return eq.heard_opinion(a, b, c, d)
    if which == 7:
        return eq.transfer_weight(a, b, flag, c)
    return eq.shifted_opinion(a, b, c)


def _python_call(which, a, b, c, d, flag, acceptance, liking, lending, mop_up):
    return [
        lambda: eq.favour(a, b),
        lambda: eq.meeting_probability(a, b, c, d, flag, a * b, c, d, acceptance),
        lambda: eq.impression(a, flag, b, not flag, liking),
        lambda: eq.lend_probability(a, b, c, lending),
        lambda: eq.mention_probability(a, b, c, d, lending),
        lambda: eq.mop_up_probability(a, b, c, mop_up),
        lambda: eq.heard_opinion(a, b, c, d),
        lambda: eq.transfer_weight(a, b, flag, c),
        lambda: eq.shifted_opinion(a, b, c),
    ][which]()


@given(which=st.integers(0, 8), a=unit, b=unit, c=unit, d=st.floats(0.0, 5.0), flag=st.booleans())
@settings(max_examples=400, deadline=None)  # the first example compiles
def test_compiled_code_computes_each_equation_bit_for_bit_as_python(which, a, b, c, d, flag):
    """The kernels and the Python mechanisms share one definition of each equation; compiled,
    it must give the very same double (the fast paths' bit-for-bit agreement rests on it)."""
    args = (
        which,
        a,
        b,
        c,
        d,
        flag,
        P.acceptance,
        P.liking,
        P.lending,
        ContactParams(mop_up_propensity=d).mop_up,
    )
    assert _compiled_call(*args) == _python_call(*args)


@pytest.mark.parametrize("kind", [eq.Acceptance, eq.Liking, eq.Lending, eq.MopUp])
def test_coefficient_tuples_are_filled_from_the_same_named_parameters(kind):
    """A coefficient of an equation is a parameter of the same name (docs/architecture.md's
    worked example rests on it): each field is copied from ``ContactParams``, by name."""
    changed = ContactParams(**{name: 0.123 for name in kind._fields if not name.startswith("accept_base")})
    tuple_ = eq.coefficients(kind, changed)
    assert tuple_._fields == kind._fields
    for name in kind._fields:
        assert getattr(tuple_, name) == float(getattr(changed, name))
