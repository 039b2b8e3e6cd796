"""A whole call in one compiled call, when compiled code runs (issue 5).

The reference is the step-by-step call of :func:`sim.model.approach.approach`: the opening
(:func:`~sim.model.approach.open_call`), and if the contact answers, the gift (S5), the
impression (eq. 4) and the talk (:func:`~sim.model.approach.talk`), the names offered
(:func:`~sim.model.approach.offer_names`) and who follows each up (S3, S4), job talk, an
introduction (S6), and last the mop-up call (:func:`~sim.model.approach.mop_up`). Made as
four compiled calls with Python between them, the joins cost more than the compiled work.

Here the call runs in one compiled call up to the first step that needs Python, and says
where it stopped (:data:`STAGES`):

- ``done``: the whole call, mop-up included. Most calls: the contact knows no manager with
  an open opening, so job talk would do nothing, and no introduction is drawn.
- ``job_talk``: stopped after the names were drawn, because the contact is a hiring
  manager or knows one with an open opening; Python goes on from job talk.
- ``introduce``: stopped after the draw that decides an introduction; Python makes it.

What stays with Python in every case is bookkeeping that draws nothing and that nothing in
the call reads: the seeker's counters, her leads (a heap of Python objects), the list of
rows owing her goodwill, and trust lowered after a mop-up call. The people she knows, which
decide the names she can be given, are read from the compiled copy of her set
(:mod:`sim.model.compiled_known`). The answer is the
reference's, bit for bit (the rules are in :mod:`sim.model.compiled_state`), and
``tests/test_compiled_approach.py`` checks it call by call. With the event log on, the
reference runs, since its records are taken between the steps.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from sim.model import compiled
from sim.model.compiled_call import OUTCOMES, mop_up_body, open_body, talk_body
from sim.model.compiled_known import add_known, is_known, sync_known
from sim.model.compiled_names import offer_names_body
from sim.model.compiled_sampling import BINOMIAL_MAX_TRIALS
from sim.model.compiled_state import goodwill_now, index_rows, model_state
from sim.model.giving import GIFT
from sim.model.strategies import FOLLOW_UP_MODES

if TYPE_CHECKING:
    from sim.model.model import NetworkingModel
    from sim.model.seekers import Lead, Seeker

__all__ = ["STAGES", "CompiledCall", "approach_compiled"]

#: Where a compiled call stopped, by the code compiled code returns.
STAGES = ("done", "job_talk", "introduce")
_DONE, _JOB_TALK, _INTRODUCE = 0, 1, 2
_MEETING, _REFUSAL = 0, 2


class CompiledCall(NamedTuple):
    """What a compiled call did, for Python to book and carry on from.

    Attributes:
        row: The contact's opinion row.
        endorsement: The endorsement she heard (eq. 2).
        outcome: ``"meeting"``, ``"phone_help"`` or ``"refusal"``.
        insisted: The seeker refused help on the phone and pushed (S1).
        gave: The seeker gave something of value (S5).
        first_goodwill: The contact held no goodwill before the gift.
        names: Names offered, in order.
        warm: For each name, whether the contact called ahead (S4).
        stage: Where the call stopped (one of :data:`STAGES`).
        mopped: The contact made the mop-up call (only when ``stage`` is ``"done"``).
    """

    row: int
    endorsement: float
    outcome: str
    insisted: bool
    gave: bool
    first_goodwill: bool
    names: list[int]
    warm: list[bool]
    stage: str
    mopped: bool


def approach_compiled(model: NetworkingModel, seeker: Seeker, lead: Lead) -> CompiledCall | None:
    """The call, compiled up to the first step that needs Python; or None, having done
    nothing, when compiled code cannot give the reference answer."""
    p, strategy = model.params.contacts, seeker.strategy
    if seeker.hired or max(p.names_max, p.names_phone_max, strategy.names_demanded) > BINOMIAL_MAX_TRIALS:
        return None  # a hired seeker makes no calls in a run; in a test, the reference makes it
    run = model_state(model)
    if run is None:
        return None
    sync_known(seeker)
    target, book = lead.target, model.book
    referrer = -1 if lead.referrer is None else lead.referrer
    hop_factor = p.endorsement_hop_decay ** (lead.hop - 1) if referrer >= 0 and lead.hop > 0 else 0.0
    (row, endorsement, outcome, insisted, gave, first, names, warm, drawn, stage, mopped, size, grew, table, count) = _call(
        run.handle, seeker.known_table, seeker.known_count, book.size, target, seeker.index, seeker.person, lead.hop,
        referrer, lead.warm, lead.name_used,
        hop_factor, float(strategy.pressure), strategy.accepts_phone_help, float(strategy.give_rate),
        float(seeker.quality), strategy.names_demanded, FOLLOW_UP_MODES.index(strategy.follow_up),
        float(strategy.introduce_rate), -1 if lead.ask_for is None else lead.ask_for, p.names_max, p.names_phone_max,
        float(model.day),
    )  # fmt: skip
    run.settle(book, size, grew)
    seeker.known_table, seeker.known_count = table, count  # with the names she is about to follow up
    if not drawn:
        raise ValueError("Fewer non-zero entries in p than size")  # numpy's check and message
    return CompiledCall(
        row,
        endorsement,
        OUTCOMES[outcome],
        insisted,
        gave,
        first,
        names.tolist(),
        warm.tolist(),
        STAGES[stage],
        mopped,
    )


@compiled.jit
def _call(
    s, known, known_count, size, target, seeker, seeker_person, hop, referrer, warm, name_used, hop_factor, pressure, accepts_phone,
    give_rate, quality, demanded, mode, introduce_rate, ask_for, names_max, names_phone_max, day,
):  # fmt: skip
    """Returns (row, endorsement, outcome code, insisted, gave, first goodwill, names, warm
    flags, whether the names could be drawn, stage code, mopped, the book's size, whether
    its columns were replaced, the seeker's known table and how many it holds)."""
    capacity = len(s.opinion)
    index_rows(s, size)
    row, endorsement, outcome, insisted, size = open_body(
        s, size, target, seeker, seeker_person, hop, referrer, warm, hop_factor, pressure, accepts_phone, day
    )
    t = s.talk  # give_liking, pressure_liking_cost, forced_liking_cost, meeting_weight, phone_weight, forced_push_extra
    gave = first = False
    names, warm_names, drawn, stage = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.bool_), True, _DONE
    if outcome != _REFUSAL:
        gave = s.rng.random() < give_rate
        if gave:  # OpinionBook.add_goodwill
            first = s.goodwill[row] == 0.0
            s.goodwill[row] = goodwill_now(s, row, day) + GIFT
            s.goodwill_day[row] = day
        meeting = outcome == _MEETING
        forced = 1.0 if meeting and insisted else 0.0
        view = min(1.0, max(0.0, quality + t[0] * (1.0 if gave else 0.0) - t[1] * pressure - t[2] * forced))
        size = talk_body(s, size, row, target, seeker, seeker_person, view, t[3] if meeting else t[4], day)
        max_names = names_max if meeting else names_phone_max
        unknown = _unknown_contacts(s, known, target)
        ask = ask_for if ask_for >= 0 and not is_known(known, ask_for) else -1
        names, call_ahead, drawn = offer_names_body(
            s, row, max_names, demanded, meeting, pressure, ask, unknown, day
        )
        if not drawn:
            return (row, endorsement, outcome, insisted, gave, first, names, warm_names, drawn, stage, False, size,
                    len(s.opinion) != capacity, known, known_count)  # fmt: skip
        warm_names = np.zeros(len(names), dtype=np.bool_)
        if mode != 0:  # not "seeker": the contact may call ahead for each name
            for k in range(len(names)):
                warm_names[k] = s.rng.random() < call_ahead
        for k in range(len(names)):
            if (
                warm_names[k] or mode != 1
            ):  # followed up (not dropped, as under "contact"): she knows them now
                known, known_count = add_known(known, known_count, names[k])
        if _job_talk_possible(s, target):
            stage = _JOB_TALK
        elif s.rng.random() < introduce_rate:
            stage = _INTRODUCE
    mopped = False
    if stage == _DONE and name_used and referrer >= 0:
        pushed = min(1.0, pressure * (1.0 + (t[5] if insisted else 0.0)))
        mopped, size = mop_up_body(s, size, target, row, referrer, seeker, seeker_person, pushed, day)
    return (row, endorsement, outcome, insisted, gave, first, names, warm_names, drawn, stage, mopped, size,
            len(s.opinion) != capacity, known, known_count)  # fmt: skip


@compiled.jit
def _job_talk_possible(s, person):
    """Whether job talk with ``person`` could do anything (``sim.model.hiring.job_talk``):
    she is a hiring manager, or one of her contacts manages an open opening."""
    if s.is_manager[person]:
        return True
    for k in range(s.indptr[person], s.indptr[person + 1]):
        if s.has_open[s.indices[k]]:
            return True
    e = s.ex_head[person]
    while e != -1:
        if s.has_open[s.ex_other[e]]:
            return True
        e = s.ex_next[e]
    return False


@compiled.jit
def _unknown_contacts(s, known, person):
    """``person``'s contacts not in the seeker's ``known`` table, in circle order (``Ties.neighbors``:
    the graph's, then those introductions made, oldest first)."""
    start, stop = s.indptr[person], s.indptr[person + 1]
    introduced, e = 0, s.ex_head[person]
    while e != -1:
        introduced += 1
        e = s.ex_next[e]
    found, n = np.empty(stop - start + introduced, dtype=np.int64), 0
    for k in range(start, stop):
        if not is_known(known, s.indices[k]):
            found[n] = s.indices[k]
            n += 1
    e = s.ex_head[person]
    while e != -1:
        if not is_known(known, s.ex_other[e]):
            found[n] = s.ex_other[e]
            n += 1
        e = s.ex_next[e]
    return found[:n]
