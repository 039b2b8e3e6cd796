"""One call from a seeker to a contact, and what follows from it (S1-S4, C1-C3, C5, C8).

The sequence (docs/model.md, "Submodel: an approach"): the contact hears any endorsement,
weighs the request (meeting probability), then either grants a meeting, offers help on the
phone (which the seeker takes or, under NFL rule 1, refuses and pushes), or says no. A meeting
or phone call may yield names, a job lead or an interview, a gift and an introduction. If the
seeker used a referrer's name, the contact may make a mop-up call to that referrer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.model import compiled, contacts, giving, hiring
from sim.model.compiled_approach import CompiledCall, approach_compiled
from sim.model.compiled_call import mop_up_compiled, open_call_compiled, talk_compiled
from sim.model.compiled_known import mark_synced
from sim.model.compiled_names import offer_names_compiled
from sim.model.seekers import PRIORITY, Lead, Seeker

if TYPE_CHECKING:
    from sim.model.model import NetworkingModel

__all__ = ["approach", "mop_up", "offer_names", "open_call", "talk"]

MEETING, PHONE_HELP, REFUSAL = "meeting", "phone_help", "refusal"


def approach(model: NetworkingModel, seeker: Seeker, lead: Lead) -> str:
    """Call ``lead.target``; returns ``"meeting"``, ``"phone_help"`` or ``"refusal"``.

    Without the event log, compiled code makes the call where it can
    (:mod:`sim.model.compiled_approach`), and Python books it and carries on from where
    compiled code stopped; the steps below are the reference."""
    if compiled.AVAILABLE and not model.events.enabled:
        call = approach_compiled(model, seeker, lead)
        if call is not None:
            return _carry_on(model, seeker, lead, call)
    p, target = model.params.contacts, lead.target
    opened = open_call_compiled(model, seeker, lead) if compiled.AVAILABLE else None
    row, endorsement, outcome, insisted = opened if opened is not None else open_call(model, seeker, lead)
    seeker.record.calls += 1
    model.log(seeker, "call", lead.referrer, target, lead, outcome=outcome, endorsement=endorsement)
    forced = outcome == MEETING and insisted
    if outcome == REFUSAL:
        seeker.record.refusals += 1
        model.log(seeker, "refusal", lead.referrer, target, lead, outcome="insisted" if insisted else None)
    else:
        _converse(model, seeker, lead, row, outcome, forced)
    if lead.name_used and lead.referrer is not None:
        _maybe_mop_up(model, seeker, lead, row, contacts.push(seeker.strategy.pressure, insisted, p))
    return outcome


def _carry_on(model: NetworkingModel, seeker: Seeker, lead: Lead, call: CompiledCall) -> str:
    """Book a call compiled code made, and make the rest of it: what
    :func:`approach` and :func:`_converse` do after each step compiled code took."""
    rec, target, row = seeker.record, lead.target, call.row
    rec.calls += 1
    if call.outcome == REFUSAL:
        rec.refusals += 1
    else:
        if call.outcome == MEETING:
            rec.meetings += 1
        else:
            rec.phone_help += 1
        if call.gave:
            rec.gives += 1
            model.book.goodwill_added(row, call.first_goodwill)
        for name, warm in zip(call.names, call.warm, strict=True):
            rec.names_gained += 1
            _queue_name(seeker, lead, name, warm)
        mark_synced(seeker)  # the compiled call added the names she follows up to her table
        if call.stage == "job_talk":
            _after_names(model, seeker, lead, row)
        else:  # no job talk, so no hire: an introduction drawn, or none
            if call.stage == "introduce":
                giving.introduce(model, seeker, target)
            _plan_recontact(model, seeker, lead)
    if call.stage != "done":
        if lead.name_used and lead.referrer is not None:
            _maybe_mop_up(
                model,
                seeker,
                lead,
                row,
                contacts.push(seeker.strategy.pressure, call.insisted, model.params.contacts),
            )
    elif call.mopped:
        _book_mop_up(model, seeker, lead)
    return call.outcome


def open_call(model: NetworkingModel, seeker: Seeker, lead: Lead) -> tuple[int, float, str, bool]:
    """From dialling to the answer: the contact's opinion row (made if new), the endorsement
    she hears, her meeting probability, one more request on her fatigue, and her answer.
    Returns (row, endorsement, outcome, whether the seeker insisted). The reference for
    :func:`sim.model.compiled_call.open_call_compiled`."""
    p, day = model.params.contacts, model.day
    target, s = lead.target, seeker.index
    row = model.book.ensure(target, s, hop=lead.hop, day=day)
    endorsement = _hear_endorsement(model, seeker, lead, row)
    tie = model.ties.strength(target, seeker.person, day)
    prob = contacts.meeting_probability(
        tie=tie,
        endorsement=endorsement,
        opinion=float(model.book.opinion[row]),
        pressure=seeker.strategy.pressure,
        same_industry=bool(model.people.industry[target] == model.people.industry[seeker.person]),
        goodwill=model.book.goodwill_at(row, day),
        busyness=float(model.people.busyness[target]),
        fatigue=model.fatigue.level(target, day),
        p=p,
    )
    model.fatigue.add_request(target, day)
    outcome, insisted = _decide(model, seeker, prob)
    return row, endorsement, outcome, insisted


def _hear_endorsement(model: NetworkingModel, seeker: Seeker, lead: Lead, row: int) -> float:
    """The target takes in the referrer's view of the seeker, weighted by trust (C2, C8)."""
    if lead.referrer is None or lead.hop <= 0:
        return 0.0
    return model.vouch(lead.target, row, lead.referrer, seeker, lead.hop, lead.warm)


def _decide(model: NetworkingModel, seeker: Seeker, prob: float) -> tuple[str, bool]:
    """Meeting, phone help or refusal; and whether the seeker refused phone help and pushed."""
    rng, p, strategy = model.rng, model.params.contacts, seeker.strategy
    if rng.random() < prob:
        return MEETING, False
    if rng.random() >= p.phone_offer_prob:
        return REFUSAL, False
    if strategy.accepts_phone_help:
        return PHONE_HELP, False
    # NFL rule 1: never settle for the phone; insist on the visit (S1).
    if rng.random() < strategy.pressure * p.push_success:
        return MEETING, True
    return REFUSAL, True


def _converse(
    model: NetworkingModel, seeker: Seeker, lead: Lead, row: int, outcome: str, forced: bool
) -> None:
    """A meeting or a phone call: impression, names, job talk, giving, introductions."""
    p, rng, rec = model.params.contacts, model.rng, seeker.record
    target = lead.target
    if outcome == MEETING:
        rec.meetings += 1
    else:
        rec.phone_help += 1
    model.log(seeker, outcome, lead.referrer, target, lead, outcome="forced" if forced else None)
    gave = rng.random() < seeker.strategy.give_rate
    if gave:
        giving.give(model, seeker, target, row)
    view = contacts.impression(seeker.quality, gave, seeker.strategy.pressure, forced, p)
    weight = p.meeting_weight if outcome == MEETING else p.phone_weight
    if not (compiled.AVAILABLE and talk_compiled(model, seeker, target, row, view, weight)):
        talk(model, seeker, target, row, view, weight)
    max_names = p.names_max if outcome == MEETING else p.names_phone_max
    _give_names(model, seeker, lead, row, max_names, can_force=outcome == MEETING)
    _after_names(model, seeker, lead, row)


def _after_names(model: NetworkingModel, seeker: Seeker, lead: Lead, row: int) -> None:
    """The end of a meeting or phone call: job talk, then, unless it got her hired, maybe
    an introduction (S6) and a re-contact planned."""
    hiring.job_talk(model, seeker, lead.target, lead.hop, row)
    if not seeker.hired:
        giving.maybe_introduce(model, seeker, lead.target)
        _plan_recontact(model, seeker, lead)


def _plan_recontact(model: NetworkingModel, seeker: Seeker, lead: Lead) -> None:
    """Keep in touch with the contact after ``recontact_after_days`` (S7)."""
    recontact = Lead(lead.target, hop=lead.hop, priority=PRIORITY.recontact)
    seeker.add_lead_later(recontact, model.day + model.params.contacts.recontact_after_days)


def talk(model: NetworkingModel, seeker: Seeker, target: int, row: int, view: float, weight: float) -> None:
    """What a meeting or phone call does to the contact (her row ``row``): she has now met
    the seeker, her view moves a share ``weight`` of the way to ``view`` and the news may
    spread (C4), and the tie is kept up (S7). The reference for
    :func:`sim.model.compiled_call.talk_compiled`."""
    model.book.met[row] = True
    model.news(target, seeker, model.book.shift(row, view, weight))
    model.ties.touch(seeker.person, target, model.day)


def _give_names(
    model: NetworkingModel, seeker: Seeker, lead: Lead, row: int, max_names: int, can_force: bool
) -> None:
    """The contact offers names, and each is followed up (S2, S3, S4)."""
    offered = None
    if compiled.AVAILABLE:
        known = seeker.known
        unknown = [c for c in model.ties.neighbors(lead.target).tolist() if c not in known]
        offered = offer_names_compiled(model, seeker, lead, row, max_names, can_force, unknown)
    names, call_ahead = (
        offered if offered is not None else offer_names(model, seeker, lead, row, max_names, can_force)
    )
    for name in names:
        seeker.record.names_gained += 1
        new = _follow_up(model, seeker, lead, name, call_ahead)
        model.log(seeker, "referral", lead.target, name, lead, hop=lead.hop + 1, outcome=new)


def offer_names(
    model: NetworkingModel, seeker: Seeker, lead: Lead, row: int, max_names: int, can_force: bool
) -> tuple[list[int], float]:
    """The names the contact (her row ``row``) offers: up to ``max_names`` with her chance of
    lending a name (eq. 5), and in a meeting (``can_force``) more forced by an NFL seeker up
    to ``names_demanded`` (S2). Returns (the names, her chance of calling ahead for each).
    The reference for :func:`sim.model.compiled_names.offer_names_compiled`."""
    p, rng, day = model.params.contacts, model.rng, model.day
    strategy, target = seeker.strategy, lead.target
    opinion, goodwill = float(model.book.opinion[row]), model.book.goodwill_at(row, day)
    lend = contacts.lend_probability(opinion, goodwill, p.lend_base, p)
    offered = int(rng.binomial(max_names, lend)) if max_names else 0
    shortfall = strategy.names_demanded - offered
    forced = int(rng.binomial(shortfall, strategy.pressure)) if can_force and shortfall > 0 else 0
    asked_for = _introduce_asked(model, seeker, lead, lend)
    names = asked_for + _pick_names(model, seeker, target, offered + forced, exclude=asked_for)
    return names, contacts.lend_probability(opinion, goodwill, p.call_ahead_base, p)


def _introduce_asked(model: NetworkingModel, seeker: Seeker, lead: Lead, lend: float) -> list[int]:
    """Targeted networking (S9): asked for one particular contact, she agrees with the
    probability of lending a name."""
    wanted = lead.ask_for
    if wanted is None or wanted in seeker.known or model.rng.random() >= lend:
        return []
    return [wanted]


def _pick_names(
    model: NetworkingModel, seeker: Seeker, target: int, count: int, exclude: list[int]
) -> list[int]:
    """Contacts of ``target`` not yet known to the seeker, weighted towards seniority
    (``level ** names_seniority_bias``): people pass seekers on to those who might help."""
    if count <= 0:
        return []
    known = seeker.known
    fresh = [c for c in model.ties.neighbors(target).tolist() if c not in known and c not in exclude]
    take = min(count, len(fresh))
    if take <= 0:
        return []
    return model.names.pick(model.rng, fresh, take)


def _follow_up(model: NetworkingModel, seeker: Seeker, lead: Lead, name: int, call_ahead: float) -> str:
    """Who follows up a name (S3, S4): returns "seeker", "called_ahead" or "dropped"."""
    warm = seeker.strategy.follow_up != "seeker" and model.rng.random() < call_ahead
    return _queue_name(seeker, lead, name, warm)


def _queue_name(seeker: Seeker, lead: Lead, name: int, called_ahead: bool) -> str:
    """Queue the lead a name gives, if anyone follows it up; returns who does (as
    :func:`_follow_up`)."""
    mode, hop, referrer = seeker.strategy.follow_up, lead.hop + 1, lead.target
    if called_ahead:
        seeker.add_lead(Lead(name, referrer, hop, warm=True, priority=PRIORITY.warm + 0.5**hop))
        return "called_ahead"
    if mode == "contact":
        return "dropped"  # "you've probably lost the right to use her name with those people"
    seeker.add_lead(Lead(name, referrer, hop, name_used=True, priority=PRIORITY.cold + 0.5**hop))
    return "seeker"


def _maybe_mop_up(model: NetworkingModel, seeker: Seeker, lead: Lead, row: int, pushed: float) -> None:
    """The contact may call the referrer to disclaim the seeker: "two lists" (C3, C8)."""
    called = mop_up_compiled(model, seeker, lead, row, pushed) if compiled.AVAILABLE else None
    if called is None:
        called = mop_up(model, seeker, lead, row, pushed)
    if called:
        _book_mop_up(model, seeker, lead)


def _book_mop_up(model: NetworkingModel, seeker: Seeker, lead: Lead) -> None:
    """After a mop-up call: counted, logged, and the contact trusts the referrer less (C8)."""
    seeker.record.mop_up_calls += 1
    model.log(seeker, "mop_up", lead.target, lead.referrer, lead)
    model.ties.lower_trust(lead.target, lead.referrer, model.params.contacts.referrer_trust_cost)


def mop_up(model: NetworkingModel, seeker: Seeker, lead: Lead, row: int, pushed: float) -> bool:
    """Whether the contact (her row ``row``) calls the referrer (eq. 6); if she does, both
    think less of the seeker, and the news of each may spread (C3, C4). Returns whether she
    called. The reference for :func:`sim.model.compiled_call.mop_up_compiled`."""
    p, s, referrer = model.params.contacts, seeker.index, lead.referrer
    referrer_row = model.book.ensure(referrer, s, day=model.day)
    prob = contacts.mop_up_probability(
        pushed, float(model.people.protectiveness[lead.target]), float(model.book.opinion[referrer_row]), p
    )
    if model.rng.random() >= prob:
        return False
    model.news(referrer, seeker, model.book.lower(referrer_row, p.mop_up_referrer_cost))
    model.news(lead.target, seeker, model.book.lower(row, p.mop_up_target_cost))
    return True
