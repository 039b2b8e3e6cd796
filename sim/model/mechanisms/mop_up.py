"""Mop-up calls: a contact who was pushed, or whose friend's name was used as a club, calls that
friend to disclaim the seeker (C3, C8; docs/model.md eq. 6).

"Overaggressive Networking can backfire into 'mop up' calls" (000): the seeker lands on "two
you-know-what lists". Both the contact and the referrer think less of the seeker, the news of
each may spread (eq. 7), and the contact trusts the referrer less.

The decision and its effects on opinions run compiled when they can
(:func:`sim.model.kernels.call.mop_up_kernel`, which calls the same equations);
:func:`mop_up` is the reference.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.model import kernels
from sim.model.equations import mop_up_probability, push
from sim.model.kernels.call import mop_up_kernel
from sim.model.mechanisms.gossip import news
from sim.model.state.compiled_run import model_state

if TYPE_CHECKING:
    from sim.model.run_state import RunState
    from sim.model.seekers import Lead, Seeker

__all__ = ["book_mop_up", "maybe_mop_up", "mop_up", "pushed"]


def pushed(model: RunState, seeker: Seeker, insisted: bool) -> float:
    """How pushed the contact feels after the call (eq. 6): the seeker's pressure, more if she
    refused help on the phone and insisted."""
    return push(seeker.pressure, insisted, model.params.contacts.mop_up)


def maybe_mop_up(model: RunState, seeker: Seeker, lead: Lead, row: int, insisted: bool) -> None:
    """After a call made with a referrer's name, the contact (her row ``row``) may call the
    referrer to disclaim the seeker: "two lists"."""
    if not (lead.name_used and lead.referrer is not None):
        return
    push_felt = pushed(model, seeker, insisted)
    called = _mop_up_compiled(model, seeker, lead, row, push_felt) if kernels.AVAILABLE else None
    if called is None:
        called = mop_up(model, seeker, lead, row, push_felt)
    if called:
        book_mop_up(model, seeker, lead)


def book_mop_up(model: RunState, seeker: Seeker, lead: Lead) -> None:
    """After a mop-up call: counted, logged, the contact trusts the referrer less (C8), and
    the seeker's own tie to the referrer, if any, wears (``ties.mop_up_wear``)."""
    seeker.record.mop_up_calls += 1
    model.log(seeker, "mop_up", lead.target, lead.referrer, lead)
    model.ties.lower_trust(lead.target, lead.referrer, model.params.contacts.referrer_trust_cost)
    wear = model.params.ties.mop_up_wear
    if wear > 0:
        model.ties.wear(seeker.person, lead.referrer, wear, model.day)


def mop_up(model: RunState, seeker: Seeker, lead: Lead, row: int, push_felt: float) -> bool:
    """Whether the contact (her row ``row``) calls the referrer (eq. 6); if she does, both
    think less of the seeker, and the news of each may spread (C3, C4). Returns whether she
    called. The reference for :func:`sim.model.kernels.call.mop_up_kernel`."""
    p, s, referrer = model.params.contacts, seeker.index, lead.referrer
    referrer_row = model.book.ensure(referrer, s)
    prob = mop_up_probability(
        push_felt,
        float(model.people.protectiveness[lead.target]),
        float(model.book.opinion[referrer_row]),
        p.mop_up,
    )
    if model.rng.random() >= prob:
        return False
    news(model, referrer, seeker, model.book.lower(referrer_row, p.mop_up_referrer_cost))
    news(model, lead.target, seeker, model.book.lower(row, p.mop_up_target_cost))
    return True


def _mop_up_compiled(model: RunState, seeker: Seeker, lead: Lead, row: int, push_felt: float) -> bool | None:
    """:func:`mop_up`, compiled; None, having done nothing, when compiled code cannot give
    the reference answer."""
    run = model_state(model)
    if run is None:
        return None
    book = model.book
    called, size, grew = mop_up_kernel(
        run.handle, book.size, lead.target, row, lead.referrer, seeker.index, seeker.person, float(push_felt),
        float(model.day),
    )  # fmt: skip
    run.settle(book, size, grew)
    return called
