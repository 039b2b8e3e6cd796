"""Names and follow-up: the names a contact offers or is pushed to give, and who calls each
(S2, S3, S4, S9, C8; docs/model.md eq. 5 and 16).

A contact lends names with the chance of eq. 5; an NFL seeker forces more out of a meeting,
up to the names she demands ("Never depart with less than 3 new names", S2); a targeted
seeker asks for one particular person (S9). Names are drawn among the contact's contacts the
seeker does not know yet, weighted towards seniority (``level ** names_seniority_bias``),
because people pass seekers on to those who might help. Each name is then followed up by the
contact calling ahead, with her chance of eq. 5 (S4), or by the seeker using the contact's
name (S3), or dropped, as the seeker's ``follow_up`` says.

The draws run compiled when they can (:func:`sim.model.kernels.names.offer_names_body`);
:func:`offer_names` is the reference.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.model import kernels
from sim.model.codes import FollowUp
from sim.model.equations import lend_probability
from sim.model.kernels.names import offer_names_body
from sim.model.kernels.sampling import BINOMIAL_MAX_TRIALS
from sim.model.state.compiled_run import model_state
from sim.model.state.leads import PRIORITY, Lead

if TYPE_CHECKING:
    from sim.model.run_state import RunState
    from sim.model.seekers import Seeker

__all__ = ["give_names", "offer_names", "queue_name"]


def give_names(
    model: RunState, seeker: Seeker, lead: Lead, row: int, max_names: int, can_force: bool
) -> None:
    """The contact (her row ``row``) offers names, and each is followed up (S2, S3, S4)."""
    offered = None
    if kernels.AVAILABLE:
        unknown = seeker.known.unknown_among(model.ties.neighbors(lead.target))
        offered = _offer_names_compiled(model, seeker, lead, row, max_names, can_force, unknown)
    names, call_ahead = (
        offered if offered is not None else offer_names(model, seeker, lead, row, max_names, can_force)
    )
    for name in names:
        seeker.record.names_gained += 1
        warm = seeker.strategy.follow_up_mode != FollowUp.SEEKER and model.rng.random() < call_ahead
        new = queue_name(seeker, lead, name, warm)
        model.log(seeker, "referral", lead.target, name, lead, hop=lead.hop + 1, outcome=new)


def offer_names(
    model: RunState, seeker: Seeker, lead: Lead, row: int, max_names: int, can_force: bool
) -> tuple[list[int], float]:
    """The names the contact (her row ``row``) offers: up to ``max_names`` with her chance of
    lending a name (eq. 5), and in a meeting (``can_force``) more forced by an NFL seeker up
    to ``names_demanded`` (S2). Returns (the names, her chance of calling ahead for each).
    The reference for :func:`sim.model.kernels.names.offer_names_body`."""
    p, rng, day = model.params.contacts, model.rng, model.day
    strategy, target = seeker.strategy, lead.target
    opinion, goodwill = float(model.book.opinion[row]), model.book.goodwill_at(row, day)
    lend = lend_probability(opinion, goodwill, p.lend_base, p.lending)
    offered = int(rng.binomial(max_names, lend)) if max_names else 0
    shortfall = strategy.names_demanded - offered
    forced = int(rng.binomial(shortfall, seeker.pressure)) if can_force and shortfall > 0 else 0
    asked_for = _introduce_asked(model, seeker, lead, lend)
    names = asked_for + _pick_names(model, seeker, target, offered + forced, exclude=asked_for)
    return names, lend_probability(opinion, goodwill, p.call_ahead_base, p.lending)


def queue_name(seeker: Seeker, lead: Lead, name: int, called_ahead: bool) -> str:
    """Queue the lead a name gives, if anyone follows it up; returns who does:
    ``"called_ahead"``, ``"seeker"`` or ``"dropped"``."""
    hop, referrer = lead.hop + 1, lead.target
    if called_ahead:
        seeker.add_lead(Lead(name, referrer, hop, warm=True, priority=PRIORITY.warm + 0.5**hop))
        return "called_ahead"
    if seeker.strategy.follow_up_mode == FollowUp.CONTACT:
        return "dropped"  # "you've probably lost the right to use her name with those people"
    seeker.add_lead(Lead(name, referrer, hop, name_used=True, priority=PRIORITY.cold + 0.5**hop))
    return "seeker"


def _introduce_asked(model: RunState, seeker: Seeker, lead: Lead, lend: float) -> list[int]:
    """Targeted networking (S9): asked for one particular contact, she agrees with the
    probability of lending a name."""
    wanted = lead.ask_for
    if wanted is None or wanted in seeker.known or model.rng.random() >= lend:
        return []
    return [wanted]


def _pick_names(model: RunState, seeker: Seeker, target: int, count: int, exclude: list[int]) -> list[int]:
    """Contacts of ``target`` not yet known to the seeker, weighted towards seniority."""
    if count <= 0:
        return []
    fresh = [c for c in seeker.known.unknown_among(model.ties.neighbors(target)) if c not in exclude]
    take = min(count, len(fresh))
    if take <= 0:
        return []
    return model.names.pick(model.rng, fresh, take)


def _offer_names_compiled(
    model: RunState, seeker: Seeker, lead: Lead, row: int, max_names: int, can_force: bool, unknown: list[int]
) -> tuple[list[int], float] | None:
    """:func:`offer_names`, compiled, given ``unknown``: the contact's contacts the seeker
    does not know, in circle order; or None, having drawn nothing, when compiled code cannot
    give the reference answer."""
    demanded = seeker.strategy.names_demanded
    if max(max_names, demanded) > BINOMIAL_MAX_TRIALS:
        return None
    run = model_state(model)
    if run is None:
        return None
    wanted = lead.ask_for
    ask = wanted if wanted is not None and wanted not in seeker.known else -1
    names, call_ahead, drawn = offer_names_body(
        run.handle, row, max_names, demanded, can_force, float(seeker.pressure), ask,
        np.asarray(unknown, dtype=np.int64), float(model.day),
    )  # fmt: skip
    if not drawn:
        raise ValueError("Fewer non-zero entries in p than size")  # numpy's check and message
    return names.tolist(), call_ahead
