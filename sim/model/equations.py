"""The model's equations (docs/model.md, eqs. 1-14), each written once as a plain scalar function.

Python mechanisms call these functions directly, and compiled kernels (:mod:`sim.model.kernels`)
call the very same functions: :func:`equation` registers each one with numba, which compiles it
into any kernel that calls it, while Python keeps calling the plain function. So a change to an
equation here changes both paths, and they cannot drift apart.

Parameters enter as plain floats or as small named tuples of coefficients (:class:`Acceptance`,
:class:`Liking`, :class:`Lending`), whose field names are those of
:class:`sim.model.params.ContactParams`: ``ContactParams.acceptance`` and its siblings build them
once per run, and compiled code reads them by name.

Bit-for-bit agreement between the paths rests on writing every float operation once, in one
order; the functions therefore spell out ``1.0 if flag else 0.0`` where a flag scales a term,
and leave powers with integer exponents (eq. 2's hop decay) to Python (:func:`hop_factor`).

Equations 15-18 are decisions and draws (the answer to a call, the names drawn, openings
arriving, the time a call takes) and live in their mechanisms.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import NamedTuple, TypeVar

import numpy as np

try:
    from numba.extending import register_jitable
except ImportError:  # pragma: no cover - exercised where numba is absent
    register_jitable = None

__all__ = [
    "DAYS_PER_MONTH",
    "GIFT",
    "HELD",
    "NEUTRAL",
    "Acceptance",
    "Lending",
    "Liking",
    "MopUp",
    "chance_of_telling",
    "coefficients",
    "decayed",
    "decayed_level",
    "duration_signal",
    "endorsement",
    "equation",
    "favour",
    "gift_value",
    "has_time",
    "heard_opinion",
    "hop_factor",
    "impression",
    "knows_seeker",
    "lend_probability",
    "lowered_opinion",
    "meeting_probability",
    "mention_probability",
    "mop_up_probability",
    "push",
    "scaled_chance",
    "screening_score",
    "shifted_opinion",
    "transfer_weight",
    "week_of",
    "weekly_meeting_limit",
]

#: Opinion of someone who has formed no view of the seeker.
NEUTRAL = 0.5

#: Days in an average month (365.25 / 12): elapsed search in months, as Kroft et al. count it.
DAYS_PER_MONTH = 365.25 / 12

#: Goodwill one gift or introduction creates: the unit of goodwill (S5, eq. 13).
GIFT = 1.0

#: Goodwill at or below this counts as repaid: no longer drawn on for unasked introductions.
HELD = 1e-12

F = TypeVar("F", bound=Callable)
T = TypeVar("T", bound=tuple)
#: A float, or an array of them: the decays (eqs. 11-13) are plain arithmetic, and state applies
#: them to many ties or people at once.
Amount = TypeVar("Amount", float, np.ndarray)


def equation(function: F) -> F:
    """Mark ``function`` as an equation: unchanged for Python, and compiled by numba into the
    kernels that call it (``numba.extending.register_jitable``)."""
    if register_jitable is None:  # pragma: no cover
        return function
    return register_jitable(function)


class Acceptance(NamedTuple):
    """Coefficients of the meeting probability (eq. 3)."""

    accept_base: float
    accept_tie: float
    accept_endorsement: float
    accept_opinion: float
    accept_pressure: float
    accept_same_industry: float
    accept_goodwill: float
    accept_busyness: float
    accept_fatigue: float


class Liking(NamedTuple):
    """What a contact makes of a seeker, and how far it moves her view (eq. 4)."""

    give_liking: float
    pressure_liking_cost: float
    forced_liking_cost: float
    meeting_weight: float
    phone_weight: float


class Lending(NamedTuple):
    """How a view of the seeker and goodwill owed turn into help (eqs. 1, 5, 8)."""

    favour_steepness: float
    goodwill_weight: float
    lend_base: float
    call_ahead_base: float
    mention_stranger_weight: float


class MopUp(NamedTuple):
    """How pushed a contact feels, whether she makes a mop-up call, and what it costs the
    seeker (eq. 6)."""

    mop_up_propensity: float
    forced_push_extra: float
    mop_up_referrer_cost: float
    mop_up_target_cost: float


def coefficients(kind: type[T], params: object) -> T:
    """A named tuple of ``kind`` filled from the same-named fields of ``params`` (as floats)."""
    return kind(**{name: float(getattr(params, name)) for name in kind._fields})


# --- eq. 1 --------------------------------------------------------------------------------------
@equation
def favour(opinion: float, steepness: float) -> float:
    """How much a view of the seeker helps or hinders what a person does for her (eq. 1).

    ``2 / (1 + exp(-k (opinion - 0.5)))``: 1 at a neutral view, rising to 2 for someone who
    thinks highly of the seeker and falling to 0 for someone who dislikes her. It scales name
    lending, mentioning jobs, interviews and offers, so that "someone may have to see you. But
    she doesn't have to like you." has consequences.
    """
    return 2.0 / (1.0 + math.exp(-steepness * (opinion - NEUTRAL)))


# --- eq. 2 --------------------------------------------------------------------------------------
def hop_factor(hop_decay: float, hop: int) -> float:
    """``hop_decay ** (hop - 1)``, the share of an endorsement left after ``hop`` hops (eq. 2;
    0 for one's own contacts). Python computes it and hands it to compiled code, because a
    compiled power of an integer exponent need not round as Python's does."""
    return hop_decay ** (hop - 1) if hop > 0 else 0.0


@equation
def transfer_weight(
    trust_in_referrer: float, hops_factor: float, warm: bool, cold_call_factor: float
) -> float:
    """How much of the referrer's view reaches the target, in [0, 1] (eq. 2; C2, C8).

    Trust in the referrer, times the hop factor ("Norma can only relay Jim's endorsement"),
    times ``cold_call_factor`` when the seeker, not the referrer, makes the call.
    """
    weight = trust_in_referrer * hops_factor
    return weight if warm else weight * cold_call_factor


@equation
def endorsement(referrer_opinion: float, weight: float) -> float:
    """Strength of the endorsement a referred seeker arrives with (eq. 2): the referrer's view
    times the transfer weight."""
    return referrer_opinion * weight


# --- eq. 3 --------------------------------------------------------------------------------------
@equation
def meeting_probability(
    tie: float,
    endorsement: float,
    opinion: float,
    pressure: float,
    same_industry: bool,
    goodwill: float,
    busyness: float,
    fatigue: float,
    a: Acceptance,
) -> float:
    """Probability that a contact grants a meeting (eq. 3; C1, C5, C7, C8).

    Logistic in: the tie to the seeker, the endorsement carried, the contact's own opinion,
    the seeker's pressure, a shared industry and goodwill owed (all raise it), and the
    contact's busyness and recent requests from all seekers (both lower it).
    """
    z = (
        a.accept_base
        + a.accept_tie * tie
        + a.accept_endorsement * endorsement
        + a.accept_opinion * (opinion - NEUTRAL)
        + a.accept_pressure * pressure
        + a.accept_same_industry * (1.0 if same_industry else 0.0)
        + a.accept_goodwill * min(goodwill, 1.0)
        - a.accept_busyness * busyness
        - a.accept_fatigue * fatigue
    )
    return 1.0 / (1.0 + math.exp(-z))


# --- eq. 4 --------------------------------------------------------------------------------------
@equation
def impression(quality: float, gave: bool, pressure: float, forced: bool, w: Liking) -> float:
    """What a contact makes of a seeker after a contact, in [0, 1] (eq. 4a; C1, S5).

    "Someone may have to see you. But she doesn't have to like you.": pressure costs liking,
    and a meeting forced after help on the phone was refused costs more. Giving something of
    value raises it.
    """
    value = (
        quality
        + w.give_liking * (1.0 if gave else 0.0)
        - w.pressure_liking_cost * pressure
        - w.forced_liking_cost * (1.0 if forced else 0.0)
    )
    return min(1.0, max(0.0, value))


@equation
def shifted_opinion(old: float, toward: float, weight: float) -> float:
    """An opinion moved a share ``weight`` of the way from ``old`` to ``toward``, kept in
    [0, 1] (eq. 4b; also vouching, eq. 2c)."""
    return min(1.0, max(0.0, old + weight * (toward - old)))


@equation
def lowered_opinion(old: float, amount: float) -> float:
    """An opinion lowered by ``amount``, not below 0 (a mop-up call, eq. 6)."""
    return max(0.0, old - amount)


# --- eq. 5 --------------------------------------------------------------------------------------
@equation
def lend_probability(opinion: float, goodwill: float, base: float, w: Lending) -> float:
    """Chance a contact lends her name: offers a name, or calls ahead (eq. 5; C8).

    ``base`` is ``lend_base`` for offering a name and ``call_ahead_base`` for calling ahead
    on the seeker's behalf. ``base * favour(opinion)`` (so ``base`` at a neutral view) plus
    ``goodwill_weight`` x goodwill owed (goodwill counted up to 1), the sum capped at 1:
    "No one is going to turn over a friend's name to someone they feel is going to betray
    their trust" (001).
    """
    return min(1.0, base * favour(opinion, w.favour_steepness) + w.goodwill_weight * min(goodwill, 1.0))


# --- eq. 6 --------------------------------------------------------------------------------------
@equation
def push(pressure: float, forced: bool, m: MopUp) -> float:
    """How pushed a contact feels, in [0, 1]: the pressure, more if the seeker insisted (eq. 6)."""
    return min(1.0, pressure * (1.0 + (m.forced_push_extra if forced else 0.0)))


@equation
def mop_up_probability(pushed: float, protectiveness: float, referrer_opinion: float, m: MopUp) -> float:
    """Chance a contact whose friend's name was used calls that friend to disclaim the seeker
    (eq. 6; C3).

    Rises with how pushed she felt and how protective she is of her contacts, and falls the
    closer the seeker really is to the name ("Is your caller really close to the 'name' he's
    using?").
    """
    return min(1.0, m.mop_up_propensity * protectiveness * pushed * (1.0 - referrer_opinion))


# --- eq. 7 --------------------------------------------------------------------------------------
@equation
def chance_of_telling(rate: float, strength: float) -> float:
    """Chance a person tells one contact her news of a seeker (eq. 7): the gossip rate (times
    ``bad_news_factor`` for bad news) times the tie's strength, capped at 1."""
    return min(1.0, rate * strength)


@equation
def heard_opinion(before: float, weight: float, trust_in_teller: float, teller_view: float) -> float:
    """A listener's view after hearing the teller's (eq. 7): moved ``weight`` x trust of the
    way to the teller's view, kept in [0, 1]."""
    return min(max(before + weight * trust_in_teller * (teller_view - before), 0.0), 1.0)


# --- eq. 8 --------------------------------------------------------------------------------------
@equation
def mention_probability(opinion: float, tie: float, goodwill: float, base: float, w: Lending) -> float:
    """Chance a person who knows of a fitting opening tells the seeker (eq. 8; C6).

    ``base`` is ``mention_base`` for a spontaneous mention (Marin 2012: people mention a
    job to a specific contact about 27% of the time they could, mostly to strong ties) and
    ``mention_when_asked`` in a conversation where the seeker asks. Scaled by favour and tie
    strength (``mention_stranger_weight + tie``, so strangers met through referrals count
    for something), plus ``goodwill_weight`` x goodwill owed ("when the time is right, you
    will receive without asking", 001).
    """
    scaled = base * favour(opinion, w.favour_steepness) * (w.mention_stranger_weight + tie)
    return min(1.0, scaled + w.goodwill_weight * min(goodwill, 1.0))


@equation
def knows_seeker(talked: bool, tie: float) -> bool:
    """Whether a person can tell the seeker of an opening unasked (eq. 8): she knows her
    personally, by a tie (of any strength above 0) or because they have talked. Someone who
    has only heard of the seeker (gossip, an endorsement, a refused call) knows neither that
    she is looking nor how to reach her; job information flows to people one knows
    (Granovetter 1974; Marin 2012: mostly to strong ties, and to contacts known to be looking).
    """
    return talked or tie > 0.0


# --- eqs. 9, 10 ---------------------------------------------------------------------------------
@equation
def scaled_chance(base: float, standing: float) -> float:
    """An interview (eq. 9) or offer (eq. 10) chance: the channel's base rate times the
    manager's favour towards the seeker, capped at 1."""
    return min(1.0, base * standing)


# --- eq. 13: what a gift is worth ----------------------------------------------------------------
@equation
def gift_value(fits: bool, misfit: float) -> float:
    """Goodwill a gift creates (eq. 13): one unit when it fits the contact's need (her
    industry), ``misfit`` of a unit when it does not (issue 14: giving that needs to fit)."""
    return GIFT if fits else GIFT * misfit


# --- eq. 20: screening a pool of candidates ------------------------------------------------------
@equation
def screening_score(
    quality: float,
    endorsement: float,
    opinion: float,
    noise: float,
    referral_weight: float,
    opinion_weight: float,
) -> float:
    """A manager's score of a candidate in her pool (eq. 20, issue 14): the candidate's
    quality (in units of the spread of applicants' quality), the referrer's view of her
    (0 without one), the manager's own view minus neutral, and the manager's error."""
    return quality + referral_weight * endorsement + opinion_weight * (opinion - NEUTRAL) + noise


def duration_signal(days_searched: float, penalty: float, cap_months: float) -> float:
    """What a candidate's elapsed search costs her in a manager's score (eq. 20's last
    term, issue 14): ``penalty`` per month searched, growing for ``cap_months`` and flat
    after (Kroft, Lange & Notowidigdo 2013: callbacks fall with the length of a spell, most
    of the fall within the first eight months). Why a score term: the manager reads a long
    spell as a sign of what the rest of the application does not show."""
    return penalty * min(days_searched / DAYS_PER_MONTH, cap_months)


# --- eq. 19 ------------------------------------------------------------------------------------
@equation
def week_of(day: float) -> int:
    """The week a search day falls in (weeks start on day 1; warm-up weeks are negative)."""
    return math.floor((day - 1.0) / 7.0)


@equation
def weekly_meeting_limit(busyness: float, per_week: float) -> int:
    """Meetings a person will give in a week (eq. 19; W2 "meetings they will give per week"):
    ``per_week`` for someone of average busyness (0.5), fewer the busier, at least one;
    0 when ``per_week`` is 0 (no limit)."""
    if per_week <= 0.0:
        return 0
    return max(1, round(2.0 * per_week * (1.0 - busyness)))


@equation
def has_time(limit: int, given: int, counted_week: int, week: int) -> bool:
    """Whether a person with a weekly ``limit`` (0: none) can give one more meeting this
    ``week``, having given ``given`` in ``counted_week`` (eq. 19)."""
    return limit <= 0 or counted_week != week or given < limit


# --- eqs. 11-13 ---------------------------------------------------------------------------------
@equation
def decayed_level(level: Amount, floor: float, factor: Amount) -> Amount:
    """A tie's strength decayed towards its floor by ``factor`` (eq. 11): ``2^(-days/half-life)``
    since it was last touched. Elementwise on arrays too."""
    return floor + (level - floor) * factor


@equation
def decayed(amount: Amount, factor: Amount) -> Amount:
    """Fatigue (eq. 12) or goodwill (eq. 13) decayed by ``factor`` since it was last set.
    Elementwise on arrays too."""
    return amount * factor
