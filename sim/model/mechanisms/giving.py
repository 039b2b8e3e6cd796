"""Give first: gifts, introductions, keeping in touch, and receiving without asking (S5, S6, S7,
C6; docs/model.md eqs. 13, 14).

"Give, give and then give some more ... when the time is right, you will receive without
asking" (001). Each gift adds one unit of goodwill that the contact owes the seeker; goodwill
raises meeting acceptance and name lending, and is repaid unasked: introductions now (here)
and job leads when an opening appears (:mod:`sim.model.mechanisms.hiring`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.model.equations import GIFT, gift_value, impression
from sim.model.kernels.goodwill import owed_totals_kernel
from sim.model.sampling import cdf_of, pick_by_cdf, pick_one
from sim.model.state.compiled_run import ensure_row, model_state
from sim.model.state.leads import PRIORITY, Lead

if TYPE_CHECKING:
    from sim.model.run_state import RunState
    from sim.model.seekers import Seeker

__all__ = ["give", "introduce", "keep_in_touch", "maybe_introduce", "owed_totals", "receive_unasked"]


def give(model: RunState, seeker: Seeker, person: int, row: int) -> None:
    """The seeker gives ``person`` something of value: information, an idea (S5). It is
    worth less to her when it does not fit her need (another industry; ``gift_misfit``)."""
    industry = model.people.industry
    fits = bool(industry[person] == industry[seeker.person])
    model.book.add_goodwill(row, gift_value(fits, model.params.contacts.gift_misfit), model.day)
    seeker.effort += model.params.gift_cost
    seeker.record.gives += 1
    model.log(seeker, "give", seeker.person, person)


def maybe_introduce(model: RunState, seeker: Seeker, person: int) -> bool:
    """With prob ``introduce_rate``, introduce ``person`` to one of the seeker's own contacts
    who does not know her yet: a new tie, and goodwill from both (S6, 002 "Generative")."""
    if model.rng.random() >= seeker.strategy.introduce_rate:
        return False
    return introduce(model, seeker, person)


def introduce(model: RunState, seeker: Seeker, person: int) -> bool:
    """The introduction :func:`maybe_introduce` has drawn (compiled calls draw it
    themselves): ``person`` meets one of the seeker's own contacts, if one does not know
    her yet. False if none is left to introduce."""
    rng = model.rng
    own = model.ties.neighbors(seeker.person)
    candidates = own[own != person]
    if candidates.size == 0:
        return False
    other = pick_one(rng, candidates)
    seeker.effort += model.params.introduction_cost
    success = model.params.contacts.introduction_success
    if success < 1.0 and rng.random() >= success:  # issue 14: an introduction can fail
        model.log(seeker, "introduction", person, other, outcome="failed")
        return False
    if not model.ties.add_tie(person, other, model.day):
        return False
    for who in (person, other):
        row = ensure_row(model, who, seeker.index)
        model.book.add_goodwill(row, GIFT, model.day)
    seeker.record.introductions += 1
    model.log(seeker, "introduction", person, other)
    return True


def keep_in_touch(model: RunState, seeker: Seeker) -> None:
    """A warm-up contact with one of one's own ties, with nothing asked: the tie is kept up,
    the contact warms to the seeker, and a gift is made with prob ``give_rate`` (S7, 004)."""
    own = model.ties.neighbors(seeker.person)
    if own.size == 0:
        return
    person = pick_one(model.rng, own)
    row = model.book.ensure(person, seeker.index)
    model.ties.touch(seeker.person, person, model.day)
    model.book.met[row] = True
    gave = model.rng.random() < seeker.strategy.give_rate
    if gave:
        give(model, seeker, person, row)
    view = impression(seeker.quality, gave, 0.0, False, model.params.contacts.liking)
    model.book.shift(row, view, model.params.contacts.phone_weight)


def receive_unasked(model: RunState, seeker: Seeker) -> None:
    """Contacts who owe goodwill introduce the seeker to one of theirs, unasked (C6).

    Introductions arrive as a Poisson process with rate ``unsolicited_intro_rate`` times the
    goodwill held towards the seeker; the introducer is drawn in proportion to what she owes.
    """
    rate = model.params.contacts.unsolicited_intro_rate
    if rate <= 0:
        return
    total = model.book.owed_total(seeker.index, model.day)
    if total <= 0:
        return
    count = model.rng.poisson(rate * total)
    if count == 0:
        return
    rows, owed = model.book.goodwill_rows(seeker.index, model.day)
    cdf = cdf_of(owed / total)
    for _ in range(count):
        _introduce_unasked(model, seeker, pick_by_cdf(model.rng, rows, cdf))


def _introduce_unasked(model: RunState, seeker: Seeker, row: int) -> None:
    introducer = int(model.book.person[row])
    fresh = seeker.known.unknown_among(model.ties.neighbors(introducer))
    if not fresh:
        return
    name = pick_one(model.rng, fresh)
    model.book.spend_goodwill(row, model.params.contacts.favour_spend, model.day)
    hop = int(model.book.hop[row]) + 1
    seeker.add_lead(Lead(name, introducer, hop, warm=True, priority=PRIORITY.unasked))
    seeker.record.names_gained += 1
    model.log(seeker, "referral", introducer, name, None, hop=hop, warm=True, outcome="unasked")


def owed_totals(model: RunState, seekers: list[int]) -> np.ndarray | None:
    """Today's goodwill total of each of ``seekers`` (in that order), computed compiled for
    all at once when the day starts; or None when compiled code cannot give the reference
    answer bit for bit (:mod:`sim.model.kernels.goodwill` says why this is exact)."""
    book = model.book
    run = model_state(model)
    if run is None:
        return None
    rows = [book.owing_rows(seeker) for seeker in seekers]
    ends = np.cumsum([len(r) for r in rows], dtype=np.int64)
    flat = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    return owed_totals_kernel(run.handle, flat, ends, float(model.day))
