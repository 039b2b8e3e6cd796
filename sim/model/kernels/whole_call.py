"""A whole call in one compiled call (the kernel of :mod:`sim.model.mechanisms.approach`).

The reference is the step-by-step call of :func:`sim.model.mechanisms.approach.approach`: the opening
(:func:`~sim.model.mechanisms.approach.open_call`), and if the contact answers, the gift (S5), the
impression (eq. 4) and the talk (:func:`~sim.model.mechanisms.approach.talk`), the names offered
(:func:`~sim.model.mechanisms.approach.offer_names`) and who follows each up (S3, S4), job talk, an
introduction (S6), and last the mop-up call (:func:`~sim.model.mechanisms.approach.mop_up`). Made as
four compiled calls with Python between them, the joins cost more than the compiled work.

Here the call runs in one compiled call up to the first step that needs Python, and says
where it stopped (:class:`~sim.model.codes.CallStage`):

- ``done``: the whole call, mop-up included. Most calls: the contact knows no manager with
  an open opening, so job talk would do nothing, and no introduction is drawn.
- ``job_talk``: stopped after the names were drawn, because the contact is a hiring
  manager or knows one with an open opening; Python goes on from job talk.
- ``introduce``: stopped after the draw that decides an introduction; Python makes it.

What stays with Python in every case is bookkeeping that draws nothing and that nothing in
the call reads: the seeker's counters, her leads (a heap of Python objects), the list of
rows owing her goodwill, and trust lowered after a mop-up call. The people she knows, which
decide the names she can be given, are read from her table
(:mod:`sim.model.kernels.known`). The answer is the reference's, bit for bit (the rules are
in :mod:`sim.model.kernels.state`), and ``tests/test_compiled_approach.py`` checks it call by
call. With the event log on, the
reference runs, since its records are taken between the steps.
"""

from __future__ import annotations

import numpy as np

from sim.model import kernels
from sim.model.codes import CallOutcome, CallStage, FollowUp
from sim.model.equations import gift_value, impression, push
from sim.model.kernels.call import mop_up_body, open_body, talk_body
from sim.model.kernels.known import is_known
from sim.model.kernels.names import offer_names_body
from sim.model.kernels.state import add_goodwill, index_rows

__all__ = ["whole_call_kernel"]


@kernels.jit
def whole_call_kernel(
    s, known, size, target, seeker, seeker_person, hop, referrer, warm, name_used, hop_factor, pressure, accepts_phone,
    give_rate, quality, demanded, mode, introduce_rate, ask_for, names_max, names_phone_max, day,
):  # fmt: skip
    """The call up to the first step that needs Python. Returns (row, endorsement, outcome
    code, insisted, gave, first goodwill, how many names, whether the names could be
    drawn, stage code, mopped, the book's size, whether its columns were replaced). It reads
    the seeker's ``known`` table and leaves it as it was: Python adds the names she follows
    up when it queues them. The ``n`` names are left in
    ``s.picked[:n]``, and whether the contact called ahead for each (1 or 0) in
    ``s.picked[n:2 * n]``: two new arrays handed back to Python cost it more than the rest
    of what it reads of the call."""
    capacity = len(s.opinion)
    index_rows(s, size)
    row, endorsement, outcome, insisted, size = open_body(
        s, size, target, seeker, seeker_person, hop, referrer, warm, hop_factor, pressure, accepts_phone, day
    )
    w = s.liking
    gave = first = False
    n, drawn = 0, True
    stage = CallStage.DONE
    if outcome != CallOutcome.REFUSAL:
        gave = s.rng.random() < give_rate
        if gave:
            fits = s.industry[target] == s.industry[seeker_person]
            first = add_goodwill(s, row, gift_value(fits, s.gift_misfit), day)
        meeting = outcome == CallOutcome.MEETING
        view = impression(quality, gave, pressure, meeting and insisted, w)
        size = talk_body(
            s,
            size,
            row,
            target,
            seeker,
            seeker_person,
            view,
            w.meeting_weight if meeting else w.phone_weight,
            day,
        )
        max_names = names_max if meeting else names_phone_max
        unknown = _unknown_contacts(s, known, target)
        ask = ask_for if ask_for >= 0 and not is_known(known, ask_for) else -1
        names, call_ahead, drawn = offer_names_body(
            s, row, max_names, demanded, meeting, pressure, ask, unknown, day
        )
        if not drawn:
            return (row, endorsement, outcome.value, insisted, gave, first, 0, drawn, stage.value,
                    False, size, len(s.opinion) != capacity)  # fmt: skip
        n, picked = len(names), s.picked  # at most BINOMIAL_MAX_TRIALS + 1 names: it has room
        picked[: 2 * n] = 0
        picked[:n] = names
        if mode != FollowUp.SEEKER:  # the contact may call ahead for each name
            for k in range(n):
                picked[n + k] = s.rng.random() < call_ahead
        if _job_talk_possible(s, target):
            stage = CallStage.JOB_TALK
        elif s.rng.random() < introduce_rate:
            stage = CallStage.INTRODUCE
    mopped = False
    if stage == CallStage.DONE and name_used and referrer >= 0:
        pushed = push(pressure, insisted, s.mop_up)
        mopped, size = mop_up_body(s, size, target, row, referrer, seeker, seeker_person, pushed, day)
    # codes as plain integers: boxing an enum member costs Python a microsecond per call
    return (row, endorsement, outcome.value, insisted, gave, first, n, drawn, stage.value, mopped,
            size, len(s.opinion) != capacity)  # fmt: skip


@kernels.jit
def _job_talk_possible(s, person):
    """Whether job talk with ``person`` could do anything (``sim.model.mechanisms.hiring.job_talk``):
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


@kernels.jit
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
