"""An approach: one call from a seeker to a contact, and what follows from it (S1-S4, C1-C3,
C5, C8; docs/model.md §1.3 and eqs. 2-4, 15).

The sequence: the contact hears any endorsement (eq. 2, :mod:`.endorsement`), weighs the
request (eq. 3), then grants a meeting, offers help on the phone (which the seeker takes or,
under NFL rule 1, refuses and pushes) or says no (eq. 15). A meeting or phone call changes
what she thinks of the seeker (eq. 4) and may yield names (:mod:`.names`), a job lead or an
interview (:mod:`.hiring`), a gift and an introduction (:mod:`.giving`). If the seeker used a
referrer's name, the contact may make a mop-up call to that referrer (:mod:`.mop_up`).

Without the event log, compiled code makes the call where it can
(:func:`sim.model.kernels.whole_call.whole_call_kernel`, built from the same equations), and
Python books it and carries on from where compiled code stopped; the steps below are the
reference, and run whenever compiled code cannot give the same answer bit for bit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from sim.model import kernels
from sim.model.codes import CallOutcome, CallStage
from sim.model.equations import hop_factor, impression, meeting_probability
from sim.model.kernels.call import open_call_kernel, talk_kernel
from sim.model.kernels.sampling import BINOMIAL_MAX_TRIALS
from sim.model.kernels.whole_call import whole_call_kernel
from sim.model.mechanisms import giving, hiring
from sim.model.mechanisms.endorsement import vouch
from sim.model.mechanisms.gossip import news
from sim.model.mechanisms.mop_up import book_mop_up, maybe_mop_up
from sim.model.mechanisms.names import give_names, queue_name
from sim.model.state.compiled_run import model_state
from sim.model.state.known import KnownTable
from sim.model.state.leads import PRIORITY, Lead

if TYPE_CHECKING:
    from sim.model.run_state import RunState
    from sim.model.seekers import Seeker

__all__ = ["CompiledCall", "approach", "open_call", "talk"]

#: The codes by number, for the integers kernels return (faster than ``CallOutcome(code)``).
_OUTCOMES, _STAGES = tuple(CallOutcome), tuple(CallStage)


def approach(model: RunState, seeker: Seeker, lead: Lead) -> CallOutcome:
    """Call ``lead.target``; returns how she answered."""
    mop_ups_before = seeker.record.mop_up_calls
    if kernels.AVAILABLE and not model.events.enabled:
        call = _whole_call_compiled(model, seeker, lead)
        if call is not None:
            return _carry_on(model, seeker, lead, call, mop_ups_before)
    target = lead.target
    opened = _open_call_compiled(model, seeker, lead) if kernels.AVAILABLE else None
    row, endorsement, outcome, insisted = opened if opened is not None else open_call(model, seeker, lead)
    seeker.record.calls += 1
    model.log(seeker, "call", lead.referrer, target, lead, outcome=outcome.label, endorsement=endorsement)
    if outcome == CallOutcome.REFUSAL:
        seeker.record.refusals += 1
        model.log(seeker, "refusal", lead.referrer, target, lead, outcome="insisted" if insisted else None)
    else:
        _converse(model, seeker, lead, row, outcome, forced=outcome == CallOutcome.MEETING and insisted)
    maybe_mop_up(model, seeker, lead, row, insisted)
    if model.params.calls_leave_traces:
        _after_call(model, seeker, target, outcome, insisted, mop_ups_before)
    return outcome


def open_call(model: RunState, seeker: Seeker, lead: Lead) -> tuple[int, float, CallOutcome, bool]:
    """From dialling to the answer: the contact's opinion row (made if new), the endorsement
    she hears, her meeting probability, one more request on her fatigue, and her answer.
    Returns (row, endorsement, outcome, whether the seeker insisted). The reference for
    :func:`sim.model.kernels.call.open_call_kernel`."""
    p, day = model.params.contacts, model.day
    target = lead.target
    row = model.book.ensure(target, seeker.index, hop=lead.hop)
    endorsement = 0.0
    if lead.referrer is not None and lead.hop > 0:
        endorsement = vouch(model, target, row, lead.referrer, seeker, lead.hop, lead.warm)
    prob = meeting_probability(
        model.ties.strength(target, seeker.person, day),
        endorsement,
        float(model.book.opinion[row]),
        seeker.pressure,
        bool(model.people.industry[target] == model.people.industry[seeker.person]),
        model.book.goodwill_at(row, day),
        float(model.people.busyness[target]),
        model.fatigue.level(target, day),
        p.acceptance,
    )
    model.fatigue.add_request(target, day)
    outcome, insisted = _decide(model, seeker, prob, target)
    if outcome == CallOutcome.MEETING:
        model.diary.record(target, day)
    return row, endorsement, outcome, insisted


def _decide(model: RunState, seeker: Seeker, prob: float, target: int) -> tuple[CallOutcome, bool]:
    """Meeting, phone help or refusal; and whether the seeker refused phone help and pushed
    (eq. 15). A contact who would grant a meeting but has given all she will this week
    (eq. 19) answers as one who would not; a seeker who insists still gets in."""
    rng, p, strategy = model.rng, model.params.contacts, seeker.strategy
    if rng.random() < prob and model.diary.has_time(target, model.day):
        return CallOutcome.MEETING, False
    if rng.random() >= p.phone_offer_prob:
        return CallOutcome.REFUSAL, False
    if strategy.accepts_phone_help:
        return CallOutcome.PHONE_HELP, False
    # NFL rule 1: never settle for the phone; insist on the visit (S1).
    if rng.random() < seeker.pressure * p.push_success:
        return CallOutcome.MEETING, True
    return CallOutcome.REFUSAL, True


def _converse(
    model: RunState, seeker: Seeker, lead: Lead, row: int, outcome: CallOutcome, forced: bool
) -> None:
    """A meeting or a phone call: impression, names, job talk, giving, introductions."""
    p, rec, target = model.params.contacts, seeker.record, lead.target
    meeting = outcome == CallOutcome.MEETING
    if meeting:
        rec.meetings += 1
    else:
        rec.phone_help += 1
    model.log(seeker, outcome.label, lead.referrer, target, lead, outcome="forced" if forced else None)
    gave = model.rng.random() < seeker.strategy.give_rate
    if gave:
        giving.give(model, seeker, target, row)
    view = impression(seeker.quality, gave, seeker.pressure, forced, p.liking)
    weight = p.meeting_weight if meeting else p.phone_weight
    if not (kernels.AVAILABLE and _talk_compiled(model, seeker, target, row, view, weight)):
        talk(model, seeker, target, row, view, weight)
    give_names(model, seeker, lead, row, p.names_max if meeting else p.names_phone_max, can_force=meeting)
    _after_names(model, seeker, lead, row)


def _after_names(model: RunState, seeker: Seeker, lead: Lead, row: int) -> None:
    """The end of a meeting or phone call: job talk, then, unless it got her hired, maybe
    an introduction (S6) and a re-contact planned."""
    hiring.job_talk(model, seeker, lead.target, lead.hop, row)
    if not seeker.hired:
        giving.maybe_introduce(model, seeker, lead.target)
        _plan_recontact(model, seeker, lead)


def _after_call(
    model: RunState, seeker: Seeker, target: int, outcome: CallOutcome, insisted: bool, mop_ups_before: int
) -> None:
    """What the call leaves behind, at its end (issue 14): the seeker learns from a refusal
    or a mop-up call (``pressure_learning``); insisting wears her tie to the contact
    (``ties.push_wear``); a meeting with someone she was not tied to makes a tie
    (``ties.met_strength``). Both paths apply it here, after everything else in the call, so
    that nothing in the call reads what the call itself changed."""
    p, ties = model.params.ties, model.ties
    seeker.learn_from_call(outcome == CallOutcome.REFUSAL, seeker.record.mop_up_calls - mop_ups_before)
    if insisted and p.push_wear > 0:
        ties.wear(seeker.person, target, p.push_wear, model.day)
    if outcome == CallOutcome.MEETING and p.met_strength > 0:
        ties.add_tie(seeker.person, target, model.day, p.met_strength)  # does nothing if they are tied


def _plan_recontact(model: RunState, seeker: Seeker, lead: Lead) -> None:
    """Keep in touch with the contact after ``recontact_after_days`` (S7)."""
    recontact = Lead(lead.target, hop=lead.hop, priority=PRIORITY.recontact)
    seeker.add_lead_later(recontact, model.day + model.params.contacts.recontact_after_days)


def talk(model: RunState, seeker: Seeker, target: int, row: int, view: float, weight: float) -> None:
    """What a meeting or phone call does to the contact (her row ``row``): she has now met
    the seeker, her view moves a share ``weight`` of the way to ``view`` (eq. 4b) and the
    news may spread (C4), and the tie is kept up (S7). The reference for
    :func:`sim.model.kernels.call.talk_kernel`."""
    model.book.met[row] = True
    news(model, target, seeker, model.book.shift(row, view, weight))
    model.ties.touch(seeker.person, target, model.day)


# --- the compiled path ------------------------------------------------------------------------
class CompiledCall(NamedTuple):
    """What a compiled call did, for Python to book and carry on from.

    Attributes:
        row: The contact's opinion row.
        endorsement: The endorsement she heard (eq. 2).
        outcome: How she answered.
        insisted: The seeker refused help on the phone and pushed (S1).
        gave: The seeker gave something of value (S5).
        first_goodwill: The contact held no goodwill before the gift.
        names: Names offered, in order.
        warm: For each name, whether the contact called ahead (S4; 1 or 0).
        stage: Where the call stopped.
        mopped: The contact made the mop-up call (only when ``stage`` is ``DONE``).
    """

    row: int
    endorsement: float
    outcome: CallOutcome
    insisted: bool
    gave: bool
    first_goodwill: bool
    names: Sequence[int]
    warm: Sequence[int]
    stage: CallStage
    mopped: bool


def _carry_on(
    model: RunState, seeker: Seeker, lead: Lead, call: CompiledCall, mop_ups_before: int
) -> CallOutcome:
    """Book a call compiled code made, and make the rest of it: what :func:`approach` and
    :func:`_converse` do after each step compiled code took."""
    rec, target, row = seeker.record, lead.target, call.row
    rec.calls += 1
    if call.outcome == CallOutcome.REFUSAL:
        rec.refusals += 1
    else:
        if call.outcome == CallOutcome.MEETING:
            rec.meetings += 1
        else:
            rec.phone_help += 1
        if call.gave:
            rec.gives += 1
            seeker.effort += model.params.gift_cost
            model.book.goodwill_added(row, call.first_goodwill)
        for name, warm in zip(call.names, call.warm, strict=True):
            rec.names_gained += 1
            queue_name(seeker, lead, name, warm)
        if call.stage == CallStage.JOB_TALK:
            _after_names(model, seeker, lead, row)
        else:  # no job talk, so no hire: an introduction drawn, or none
            if call.stage == CallStage.INTRODUCE:
                giving.introduce(model, seeker, target)
            _plan_recontact(model, seeker, lead)
    if call.stage != CallStage.DONE:
        maybe_mop_up(model, seeker, lead, row, call.insisted)
    elif call.mopped:
        book_mop_up(model, seeker, lead)
    if model.params.calls_leave_traces:
        _after_call(model, seeker, target, call.outcome, call.insisted, mop_ups_before)
    return call.outcome


def _whole_call_compiled(model: RunState, seeker: Seeker, lead: Lead) -> CompiledCall | None:
    """The call, compiled up to the first step that needs Python; or None, having done
    nothing, when compiled code cannot give the reference answer."""
    p, strategy = model.params.contacts, seeker.strategy
    if seeker.hired or max(p.names_max, p.names_phone_max, strategy.names_demanded) > BINOMIAL_MAX_TRIALS:
        return None  # a hired seeker makes no calls in a run; in a test, the reference makes it
    run = model_state(model)
    known = seeker.known
    if run is None or not isinstance(known, KnownTable):
        return None
    book = model.book
    referrer = -1 if lead.referrer is None else lead.referrer
    hops_factor = hop_factor(p.endorsement_hop_decay, lead.hop) if referrer >= 0 else 0.0
    (row, endorsement, outcome, insisted, gave, first, n, drawn, stage, mopped, size, grew) = whole_call_kernel(
        run.handle, known.table, book.size, lead.target, seeker.index,
        seeker.person, lead.hop, referrer, lead.warm, lead.name_used, hops_factor, float(seeker.pressure),
        strategy.accepts_phone_help, float(strategy.give_rate), float(seeker.quality), strategy.names_demanded,
        int(strategy.follow_up_mode), float(strategy.introduce_rate),
        -1 if lead.ask_for is None else lead.ask_for, p.names_max, p.names_phone_max, float(model.day),
    )  # fmt: skip
    run.settle(book, size, grew)
    if not drawn:
        raise ValueError("Fewer non-zero entries in p than size")  # numpy's check and message
    names = warm = ()
    if n:  # the names, then a call-ahead flag (1 or 0) for each, where the kernel left them
        picked = run.picked[: 2 * n].tolist()
        names, warm = picked[:n], picked[n:]
    return CompiledCall(
        row, endorsement, _OUTCOMES[outcome], insisted, gave, first, names, warm, _STAGES[stage], mopped
    )


def _open_call_compiled(
    model: RunState, seeker: Seeker, lead: Lead
) -> tuple[int, float, CallOutcome, bool] | None:
    """:func:`open_call`, compiled; or None, having done nothing, when compiled code cannot
    give the reference answer."""
    run = model_state(model)
    if run is None:
        return None
    book, p, strategy = model.book, model.params.contacts, seeker.strategy
    referrer = -1 if lead.referrer is None else lead.referrer
    hops_factor = hop_factor(p.endorsement_hop_decay, lead.hop) if referrer >= 0 else 0.0
    row, endorsement, outcome, insisted, size, grew = open_call_kernel(
        run.handle, book.size, lead.target, seeker.index, seeker.person, lead.hop, referrer, lead.warm, hops_factor,
        float(seeker.pressure), strategy.accepts_phone_help, float(model.day),
    )  # fmt: skip
    run.settle(book, size, grew)
    return row, endorsement, _OUTCOMES[outcome], insisted


def _talk_compiled(
    model: RunState, seeker: Seeker, target: int, row: int, view: float, weight: float
) -> bool:
    """:func:`talk`, compiled; False, having done nothing, when compiled code cannot give the
    reference answer."""
    run = model_state(model)
    if run is None:
        return False
    book = model.book
    size, grew = talk_kernel(
        run.handle, book.size, row, target, seeker.index, seeker.person, view, weight, float(model.day)
    )
    run.settle(book, size, grew)
    return True
