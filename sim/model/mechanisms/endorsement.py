"""Endorsement: a referrer vouches for the seeker, weakened by every hop (C2, C8; docs/model.md eq. 2).

Jim knows the seeker well; Norma "can only relay Jim's endorsement"; Sam says "I don't
personally know how good he is". The listener takes in part of the speaker's view of the
seeker, weighted by how far she trusts the speaker, by the hops the name has travelled, and by
who made the call (weaker when the seeker calls using the name).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.model.equations import endorsement, hop_factor, transfer_weight
from sim.model.state.compiled_run import opinion_of

if TYPE_CHECKING:
    from sim.model.run_state import RunState
    from sim.model.seekers import Seeker

__all__ = ["vouch"]


def vouch(
    model: RunState, listener: int, row: int, speaker: int, seeker: Seeker, hop: int, warm: bool
) -> float:
    """``speaker`` vouches for ``seeker`` to ``listener`` (whose opinion row is ``row``): the
    listener moves her view a share ``endorsement_transfer`` x weight of the way to the
    speaker's (eq. 2c). Returns the endorsement carried (eq. 2)."""
    p = model.params.contacts
    view = opinion_of(model, speaker, seeker.index)
    weight = transfer_weight(
        model.ties.trust_in(listener, speaker),
        hop_factor(p.endorsement_hop_decay, hop),
        warm,
        p.cold_call_factor,
    )
    model.book.shift(row, view, p.endorsement_transfer * weight)
    return endorsement(view, weight)
