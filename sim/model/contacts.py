"""How a contact decides: pure functions of the quantities the sources name.

Each function is one equation of ``docs/model.md`` and takes plain floats, so it can be tested
for direction on its own (endorsement falls with hops, pressure raises acceptance and lowers
liking, fatigue lowers acceptance, ...).
"""

from __future__ import annotations

import math

from sim.model.params import ContactParams
from sim.model.reputation import NEUTRAL

__all__ = [
    "endorsement",
    "favour",
    "impression",
    "lend_probability",
    "meeting_probability",
    "mention_probability",
    "mop_up_probability",
    "push",
    "transfer_weight",
]


def favour(opinion: float, p: ContactParams) -> float:
    """How much a view of the seeker helps or hinders what a person does for her (eq. 1).

    ``2 / (1 + exp(-k (opinion - 0.5)))``: 1 at a neutral view, rising to 2 for someone who
    thinks highly of the seeker and falling to 0 for someone who dislikes her; ``k`` is
    ``favour_steepness``. It scales name lending, mentioning jobs, interviews and offers, so
    that "someone may have to see you. But she doesn't have to like you." has consequences.
    """
    return 2.0 / (1.0 + math.exp(-p.favour_steepness * (opinion - NEUTRAL)))


def transfer_weight(trust_in_referrer: float, hop: int, warm: bool, p: ContactParams) -> float:
    """How much of the referrer's view reaches the target, in [0, 1] (C2, C8).

    Trust in the referrer, times ``endorsement_hop_decay`` for every hop beyond the first
    (Jim -> Norma -> Sam: "Norma can only relay Jim's endorsement"), times
    ``cold_call_factor`` when the seeker, not the referrer, makes the call.
    """
    if hop <= 0:
        return 0.0
    w = trust_in_referrer * p.endorsement_hop_decay ** (hop - 1)
    return w if warm else w * p.cold_call_factor


def endorsement(
    referrer_opinion: float, trust_in_referrer: float, hop: int, warm: bool, p: ContactParams
) -> float:
    """Strength of the endorsement a referred seeker arrives with, in [0, 1] (C2, eq. 2)."""
    return referrer_opinion * transfer_weight(trust_in_referrer, hop, warm, p)


def meeting_probability(
    *,
    tie: float,
    endorsement: float,
    opinion: float,
    pressure: float,
    same_industry: bool,
    goodwill: float,
    busyness: float,
    fatigue: float,
    p: ContactParams,
) -> float:
    """Probability that a contact grants a meeting (C1, C5, C7, C8; eq. 3).

    Logistic in: the tie to the seeker, the endorsement carried, the contact's own opinion,
    the seeker's pressure, a shared industry and goodwill owed (all raise it), and the
    contact's busyness and recent requests from all seekers (both lower it).
    """
    z = (
        p.accept_base
        + p.accept_tie * tie
        + p.accept_endorsement * endorsement
        + p.accept_opinion * (opinion - NEUTRAL)
        + p.accept_pressure * pressure
        + p.accept_same_industry * same_industry
        + p.accept_goodwill * min(goodwill, 1.0)
        - p.accept_busyness * busyness
        - p.accept_fatigue * fatigue
    )
    return 1.0 / (1.0 + math.exp(-z))


def impression(quality: float, gave: bool, pressure: float, forced: bool, p: ContactParams) -> float:
    """What a contact makes of a seeker after a contact, in [0, 1] (C1, S5; eq. 4).

    "Someone may have to see you. But she doesn't have to like you.": pressure costs liking,
    and a meeting forced after help on the phone was refused costs more. Giving something of
    value raises it.
    """
    value = quality + p.give_liking * gave - p.pressure_liking_cost * pressure - p.forced_liking_cost * forced
    return min(1.0, max(0.0, value))


def lend_probability(opinion: float, goodwill: float, base: float, p: ContactParams) -> float:
    """Chance a contact lends her name: offers a name, or calls ahead (C8; eq. 5).

    ``base`` is ``lend_base`` for offering a name and ``call_ahead_base`` for calling ahead
    on the seeker's behalf. ``base * favour(opinion)`` (so ``base`` at a neutral view) plus
    ``goodwill_weight`` x goodwill owed (goodwill counted up to 1), the sum capped at 1:
    "No one is going to turn over a friend's name to someone they feel is going to betray
    their trust" (001).
    """
    return min(1.0, base * favour(opinion, p) + p.goodwill_weight * min(goodwill, 1.0))


def mention_probability(opinion: float, tie: float, goodwill: float, base: float, p: ContactParams) -> float:
    """Chance a person who knows of a fitting opening tells the seeker (C6; eq. 8).

    ``base`` is ``mention_base`` for a spontaneous mention (Marin 2012: people mention a
    job to a specific contact about 27% of the time they could, mostly to strong ties) and
    ``mention_when_asked`` in a conversation where the seeker asks. Scaled by favour and tie
    strength (``mention_stranger_weight + tie``, so strangers met through referrals count
    for something), plus ``goodwill_weight`` x goodwill owed ("when the time is right, you will receive without
    asking", 001).
    """
    base = base * favour(opinion, p) * (p.mention_stranger_weight + tie)
    return min(1.0, base + p.goodwill_weight * min(goodwill, 1.0))


def push(pressure: float, forced: bool, p: ContactParams) -> float:
    """How pushed a contact feels, in [0, 1]: the pressure, more if the seeker insisted."""
    return min(1.0, pressure * (1.0 + p.forced_push_extra * forced))


def mop_up_probability(
    pushed: float, protectiveness: float, referrer_opinion: float, p: ContactParams
) -> float:
    """Chance a contact whose friend's name was used calls that friend to disclaim the seeker
    (C3; eq. 6).

    Rises with how pushed she felt and how protective she is of her contacts, and falls the
    closer the seeker really is to the name ("Is your caller really close to the 'name' he's
    using?").
    """
    return min(1.0, p.mop_up_propensity * protectiveness * pushed * (1.0 - referrer_opinion))
