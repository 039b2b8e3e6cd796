"""Hiring: job talk, leads, interviews, offers and hires (W3, C6; docs/model.md eqs. 8-10).

A hire always comes from an interview with a hiring manager who has a fitting open opening.
The interview and offer chances scale with the manager's view of the seeker: at a neutral view
they are the Fernandez & Weinberg (1997) rates for referred (80% interviewed) and other (26%)
applicants, and an offer follows an interview with prob ``offer_prob``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.model import kernels
from sim.model.codes import Channel
from sim.model.equations import (
    duration_signal,
    favour,
    knows_seeker,
    mention_probability,
    scaled_chance,
    screening_score,
)
from sim.model.kernels.announce import next_mention_kernel
from sim.model.mechanisms.endorsement import vouch
from sim.model.records import HireRecord
from sim.model.state.compiled_run import ensure_row, model_state, opinion_of
from sim.model.state.market import Candidate, Opening

if TYPE_CHECKING:
    from sim.model.run_state import RunState
    from sim.model.seekers import Seeker

__all__ = ["announce", "apply_formally", "interview", "job_talk", "screen_and_offer"]


def job_talk(model: RunState, seeker: Seeker, person: int, hop: int, row: int) -> None:
    """In a meeting or call, ``person`` (met at ``hop``, her row ``row``) talks about jobs she controls or knows.

    A hiring manager with a fitting opening considers the seeker for it. Anyone who knows
    another manager with one mentions it with the mention probability (eq. 8) and calls the
    manager on the seeker's behalf.
    """
    if model.people.is_hiring_manager[person]:
        opening = _fitting_at(model, person, seeker)
        if opening is not None and interview(model, seeker, opening, informant=person, hops=hop):
            return
    for opening in _fitting_near(model, seeker, person):
        if seeker.hired:
            return
        if model.ties.strength(person, opening.manager, model.day) > 0:
            tie = model.ties.strength(person, seeker.person, model.day)
            _tell_about(model, seeker, person, opening, row, tie, asked=True, in_call=True)


def _fitting_at(model: RunState, manager: int, seeker: Seeker) -> Opening | None:
    people = model.people
    return model.market.fitting_at(
        manager, int(people.industry[seeker.person]), int(people.level[seeker.person]), seeker.considered
    )


def _fitting_near(model: RunState, seeker: Seeker, person: int) -> list[Opening]:
    """Open openings at ``person``'s contacts that fit the seeker and for which she has not
    been considered yet, in market order."""
    people, market = model.people, model.market
    contacts = model.ties.neighbors(person)
    with_open = market.has_open[contacts]
    if not with_open.any():  # most contacts know no manager with an open opening
        return []
    managers = contacts[with_open & (contacts != person)]
    options = market.fitting_near(
        managers, int(people.industry[seeker.person]), int(people.level[seeker.person])
    )
    return [o for o in options if o.id not in seeker.considered]


def _vouch_to_manager(model: RunState, seeker: Seeker, informant: int, manager: int, hop: int) -> None:
    """The informant calls the manager: the manager takes in the informant's view (C2)."""
    manager_row = ensure_row(model, manager, seeker.index, hop)
    vouch(model, manager, manager_row, informant, seeker, 1, True)


def interview(
    model: RunState, seeker: Seeker, opening: Opening, *, informant: int | None, hops: int | None
) -> bool:
    """The seeker enters the opening's pool (an ``application`` event); the manager decides
    on an interview, then an offer; an offer is accepted. True if hired.

    ``informant`` is who gave the seeker the lead (None for a formal application, which is
    the ``other`` channel). A seeker is considered for an opening once: a manager who
    turned her down does not reconsider.
    """
    if seeker.hired or not opening.is_open or opening.id in seeker.considered:
        return False
    seeker.considered.add(opening.id)
    opening.consider(seeker.index)
    market, rng = model.params.market, model.rng
    channel = (Channel.OTHER if informant is None else Channel.NETWORK).value
    _count(seeker, "applications", channel)
    model.log(seeker, "application", informant, opening.manager, None, hop=hops, outcome=channel)
    if market.hiring == "pool":  # the manager screens the pool when the window ends
        opening.pool.append((seeker.index, channel, informant, hops))
        return False
    row = ensure_row(model, opening.manager, seeker.index, hops or 0)
    standing = favour(float(model.book.opinion[row]), model.params.contacts.favour_steepness)
    base = market.referral_interview_prob if channel == Channel.NETWORK else market.formal_interview_prob
    if rng.random() >= scaled_chance(base, standing):
        return False
    _count(seeker, "interviews", channel)
    model.book.met[row] = True
    model.log(seeker, "interview", informant, opening.manager, None, hop=hops, outcome=channel)
    if rng.random() >= scaled_chance(market.offer_prob, standing):
        return False
    _count(seeker, "offers", channel)
    model.log(seeker, "offer", informant, opening.manager, None, hop=hops, outcome=str(opening.id))
    _hire(model, seeker, opening, informant, hops, channel)
    return True


def _count(seeker: Seeker, stage: str, channel: str) -> None:
    """One more application, interview or offer for the seeker, and for her network
    counter when it came through the network: the funnel by channel (Fernandez & Weinberg 1997)."""
    record = seeker.record
    setattr(record, stage, getattr(record, stage) + 1)
    if channel == Channel.NETWORK:
        setattr(record, f"network_{stage}", getattr(record, f"network_{stage}") + 1)


def _hire(model, seeker, opening, informant, hops, channel) -> None:
    model.market.fill(opening, model.day, seeker.index, channel)
    strength = mutual = None
    if informant is not None:
        strength = model.ties.strength(seeker.person, informant, model.day)
        mutual = model.ties.mutual_count(seeker.person, informant)
    own = None if informant is None else informant in seeker.own_at_loss
    info_hops = None if informant is None else int(informant != opening.manager)
    seeker.record.hire = HireRecord(model.day, channel, hops, strength, mutual, opening.id, own, info_hops)
    seeker.end_search()
    model.hired[seeker.index] = True
    model.searching[seeker.index] = False
    model.log(seeker, "hire", informant, opening.manager, None, hop=hops, outcome=channel)


def screen_and_offer(model: RunState) -> None:
    """Hiring as a process (``market.hiring: pool``; issue 14), each morning: openings whose
    application window ends today are screened, and offers due today are made."""
    market, day = model.market, model.day
    window = model.params.market.application_window_days
    for opening in [o for o in market.open_openings() if o.opened_day + window <= day]:
        _screen(model, opening)
    for opening in market.offers_due.pop(day, []):
        if opening.is_open:
            _offer(model, opening)


def _screen(model: RunState, opening: Opening) -> None:
    """The window is over: the manager scores every candidate once (eq. 20), outside
    applicants included, interviews the best ``shortlist_size`` and will make an offer
    after ``offer_lag_days``. A seeker hired elsewhere in the meantime has withdrawn her
    application: she is not scored (a hired seeker's standing no longer changes)."""
    p, rng = model.params.market, model.rng
    model.market.stop_accepting(opening)
    opening.pool = [c for c in opening.pool if model.searching[c[0]]]
    outside = int(rng.poisson(p.outside_applicants_per_day * p.application_window_days))
    # an outside applicant's quality and the manager's error, both standard normal in effect
    scores = list(rng.normal(0.0, (1.0 + p.screening_noise**2) ** 0.5, outside))
    who: list[Candidate | None] = [None] * outside
    noise = (
        rng.normal(0.0, p.screening_noise, len(opening.pool))
        if p.screening_noise > 0
        else [0.0] * len(opening.pool)
    )
    for candidate, error in zip(opening.pool, noise, strict=True):
        index, _, informant, hops = candidate
        scores.append(_score(model, model.seekers[index], opening.manager, informant, hops, float(error)))
        who.append(candidate)
    ranked = sorted(range(len(scores)), key=lambda k: -scores[k])  # stable: earlier first on ties
    opening.shortlist = [who[k] for k in ranked[: p.shortlist_size]]
    for candidate in opening.shortlist:
        if candidate is not None:
            _interview_in_pool(model, candidate, opening)
    opening.offer_day = model.day + p.offer_lag_days
    if p.offer_lag_days == 0:
        _offer(model, opening)
    else:
        model.market.offers_due.setdefault(opening.offer_day, []).append(opening)


def _score(
    model: RunState, seeker: Seeker, manager: int, informant: int | None, hops: int | None, error: float
) -> float:
    """Eq. 20 for a candidate in the pool: her quality in units of the spread of seekers'
    quality, the referrer's view of her (none for a formal application; the manager's own
    when she told the seeker of the opening herself, a candidate she refers to herself),
    the manager's own view, the manager's error, and, when ``duration_penalty`` is set,
    what her months of search say to the manager."""
    pop, p = model.params.population, model.params.market
    quality = (
        (seeker.quality - pop.seeker_quality_mean) / pop.seeker_quality_sd
        if pop.seeker_quality_sd > 0
        else 0.0
    )
    row = ensure_row(model, manager, seeker.index, hops or 0)  # may grow the book's columns
    opinion = float(model.book.opinion[row])
    endorsement = 0.0
    if informant == manager:
        endorsement = opinion
    elif informant is not None:
        endorsement = opinion_of(model, informant, seeker.index)
    score = screening_score(quality, endorsement, opinion, error, p.referral_weight, p.opinion_weight)
    if p.duration_penalty > 0:
        searched = model.day - int(model.loss_day[seeker.index])
        score -= duration_signal(searched, p.duration_penalty, p.duration_penalty_months)
    return score


def _interview_in_pool(model: RunState, candidate: Candidate, opening: Opening) -> None:
    index, channel, informant, hops = candidate
    seeker = model.seekers[index]
    _count(seeker, "interviews", channel)
    row = ensure_row(model, opening.manager, seeker.index, hops or 0)  # may grow the columns
    model.book.met[row] = True
    model.log(seeker, "interview", informant, opening.manager, None, hop=hops, outcome=channel)


def _offer(model: RunState, opening: Opening) -> None:
    """The offer goes down the shortlist: a seeker already hired declines and the next is
    asked; an outside candidate, or no one left, fills the opening from outside."""
    for candidate in opening.shortlist:
        if candidate is None:
            break
        index, channel, informant, hops = candidate
        seeker = model.seekers[index]
        _count(seeker, "offers", channel)
        if not model.searching[index]:  # hired elsewhere, or her search is over
            model.log(seeker, "offer", informant, opening.manager, None, hop=hops, outcome="declined")
            continue
        model.log(seeker, "offer", informant, opening.manager, None, hop=hops, outcome=str(opening.id))
        _hire(model, seeker, opening, informant, hops, channel)
        return
    model.market.fill(opening, model.day, None, "outside")


def announce(model: RunState, opening: Opening) -> None:
    """A new opening: the manager and her contacts tell seekers they know personally (C6, eq. 8).

    Goodwill owed raises the chance; this is how give-first networking is repaid unasked.
    The (person, seeker) pairs are visited in random order, so that no seeker is favoured
    by when she was first heard of.
    """
    manager, book = opening.manager, model.book
    rows = book.rows_of_many(np.concatenate(([manager], model.ties.neighbors(manager))))
    order = model.rng.permutation(rows)
    hearing = order[_could_hear(model, opening, order)]
    if kernels.AVAILABLE and _announce_compiled(model, opening, hearing):
        return
    for row in hearing.tolist():
        if not opening.is_open:
            return
        person, seeker = int(book.person[row]), model.seekers[int(book.seeker[row])]
        if not model.searching[seeker.index] or opening.id in seeker.considered:
            continue
        tie = model.ties.strength(person, seeker.person, model.day)
        if not knows_seeker(bool(book.met[row]), tie):
            continue  # only those who know her personally tell her unasked
        # A manager who has talked with the seeker remembers being asked (eq. 8).
        asked = person == manager and bool(book.met[row])
        _tell_about(model, seeker, person, opening, row, tie, asked=asked, in_call=False)


def _announce_compiled(model: RunState, opening: Opening, hearing: np.ndarray) -> bool:
    """:func:`announce`'s loop with the draws compiled (:mod:`sim.model.kernels.announce`);
    False, having done nothing, when compiled code cannot give the reference answer. The
    hired and those already considered for the opening are skipped from the start (in a run
    no one is considered for an opening before it is announced)."""
    run = model_state(model)
    if run is None:
        return False
    book, told, start = model.book, ~model.searching, 0
    told[list(opening.considered_by)] = True
    while run is not None:
        p = model.params.contacts
        k = next_mention_kernel(
            run.handle, hearing, start, opening.manager, told, model.seeker_persons,
            float(p.mention_base), float(p.mention_when_asked), float(model.day),
        )  # fmt: skip
        if k >= len(hearing):
            return True
        row = int(hearing[k])
        seeker = model.seekers[int(book.seeker[row])]
        _pass_on(model, seeker, int(book.person[row]), opening, row, in_call=False)
        told[seeker.index] = True  # now hired or considered, or the opening is filled
        if not opening.is_open:
            return True
        start = k + 1
        run = model_state(model)
    raise RuntimeError("the compiled state went away in the middle of an announcement")


def _could_hear(model: RunState, opening: Opening, rows: np.ndarray) -> np.ndarray:
    """Which of these (person, seeker) rows pair someone with a seeker other than herself
    whom the opening fits: what does not change while an opening is announced, checked for
    all rows at once (the rest, hired or already considered, is checked row by row)."""
    seeker_person = model.seeker_persons[model.book.seeker[rows]]
    fits = model.market.fits(opening, model.people.industry[seeker_person], model.people.level[seeker_person])
    return (seeker_person != model.book.person[rows]) & fits


def _tell_about(
    model: RunState,
    seeker: Seeker,
    person: int,
    opening: Opening,
    row: int,
    tie: float,
    *,
    asked: bool,
    in_call: bool,
) -> None:
    """``person`` (tied to the seeker with strength ``tie`` today) may tell the seeker of
    ``opening``: during a call (``in_call``), or unasked when the opening appears. ``asked``
    picks the higher mention base of eq. 8."""
    day, p = model.day, model.params.contacts
    prob = mention_probability(
        float(model.book.opinion[row]),
        tie,
        model.book.goodwill_at(row, day),
        p.mention_when_asked if asked else p.mention_base,
        p.lending,
    )
    if model.rng.random() >= prob:
        return
    _pass_on(model, seeker, person, opening, row, in_call)


def _pass_on(model: RunState, seeker: Seeker, person: int, opening: Opening, row: int, in_call: bool) -> None:
    """``person`` (her row ``row``) tells the seeker of ``opening``: a lead; the manager
    interviews her, having heard from ``person`` if she is not the manager herself."""
    hop = int(model.book.hop[row])
    seeker.record.leads += 1
    model.book.spend_goodwill(row, model.params.contacts.favour_spend, model.day)
    if person == opening.manager:
        model.log(
            seeker,
            "lead",
            person,
            person,
            None,
            hop=hop,
            warm=True,
            outcome="asked" if in_call else "unasked",
        )
        interview(model, seeker, opening, informant=person, hops=hop)
        return
    model.log(
        seeker,
        "lead",
        person,
        opening.manager,
        None,
        hop=hop + 1,
        warm=True,
        outcome="asked" if in_call else "unasked",
    )
    _vouch_to_manager(model, seeker, person, opening.manager, hop + 1)
    interview(model, seeker, opening, informant=person, hops=hop + 1)


def apply_formally(model: RunState, seeker: Seeker) -> None:
    """With prob ``formal_application_rate`` a day, apply to a fitting open opening directly
    (job boards, recruiters: the ``other`` channel, Granovetter 1974)."""
    if model.rng.random() >= model.params.market.formal_application_rate:
        return
    people = model.people
    opening = model.market.pick_fitting(
        int(people.industry[seeker.person]), int(people.level[seeker.person]), seeker.considered, model.rng
    )
    if opening is not None:
        interview(model, seeker, opening, informant=None, hops=None)
