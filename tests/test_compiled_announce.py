"""An opening announced with the draws compiled reaches the same seekers as the reference.

:func:`sim.model.mechanisms.hiring.announce` with numba off is the reference; with numba on, its loop
draws through :func:`sim.model.kernels.announce.next_mention` and Python passes each
mention on. Each check announces the same new openings on two copies of a busy world and
requires the same world afterwards (leads, interviews and hires, considered openings, the
opinion book, the market and the random stream).
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

from sim.model import kernels as compiled
from sim.model.mechanisms import hiring
from tests.worlds import assert_same_world, busy_world

pytest.importorskip("numba")


@pytest.fixture(scope="module")
def busy():
    return busy_world()


def announce_new_openings(model, seed: int, fast: bool, monkeypatch, count: int = 12) -> int:
    """Open ``count`` or more openings and announce each as the day's step does; returns
    how many mentions the seekers heard."""
    monkeypatch.setattr(compiled, "AVAILABLE", fast)
    rng, new = np.random.default_rng(seed), []
    while len(new) < count:
        new += model.market.arrivals(model.day, rng)
    leads_before = sum(s.record.leads for s in model.seekers)
    for opening in new:
        hiring.announce(model, opening)
    return sum(s.record.leads for s in model.seekers) - leads_before


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_announcements_reach_the_seekers_the_reference_reaches(busy, monkeypatch, seed):
    world = copy.deepcopy(busy)
    managers = np.flatnonzero(world.people.is_hiring_manager)
    for manager in managers[::2].tolist():  # managers who have talked with seekers remember being asked
        world.book.met[world.book.rows_of(manager)] = True
    reference, fast = copy.deepcopy(world), copy.deepcopy(world)
    told = announce_new_openings(reference, seed, False, monkeypatch)
    assert announce_new_openings(fast, seed, True, monkeypatch) == told
    assert told > 3
    assert_same_world(reference, fast)


def test_a_hire_in_the_middle_of_an_announcement_stops_it_as_the_reference_does(monkeypatch):
    """Friendlier managers and more openings: seekers are hired while openings are announced
    (with instant hiring, where a lead can end in a hire at once)."""
    world = busy_world(**{"market.hiring": "instant"})
    world.book.opinion[: world.book.size] = np.maximum(world.book.opinion[: world.book.size], 0.9)
    world.book.compiled = None
    reference, fast = copy.deepcopy(world), copy.deepcopy(world)
    announce_new_openings(reference, 7, False, monkeypatch, count=30)
    announce_new_openings(fast, 7, True, monkeypatch, count=30)
    assert fast.hired.sum() > world.hired.sum()
    assert_same_world(reference, fast)


def test_an_opening_announced_again_skips_those_already_considered_for_it(busy, monkeypatch):
    """In a run an opening is announced once, on the day it opens; announced again (as a
    caller of ``announce`` may), seekers already considered for it are not told again."""
    world = copy.deepcopy(busy)
    announce_new_openings(world, 8, False, monkeypatch, count=20)
    again = [o for o in world.market.openings if o.is_open and o.considered_by]
    assert again
    reference, fast = copy.deepcopy(world), copy.deepcopy(world)
    for model, available in ((reference, False), (fast, True)):
        monkeypatch.setattr(compiled, "AVAILABLE", available)
        for opening in [model.market.openings[o.id] for o in again]:
            hiring.announce(model, opening)
    assert_same_world(reference, fast)


@pytest.mark.parametrize("fast", [False, True])
def test_only_people_who_know_the_seeker_tell_her_unasked(monkeypatch, fast):
    """Eq. 8's gate: someone who has only heard of a seeker (no tie, never talked) does not
    tell her of an opening, however well she thinks of her; her own contacts may. Mentions
    are made certain for everyone else, so a stranger who could hear would tell."""
    world = busy_world(**{"contacts.mention_base": 1.0, "contacts.mention_stranger_weight": 1.0})
    book = world.book
    book.opinion[: book.size] = 1.0
    book.compiled = None
    told = []
    monkeypatch.setattr(hiring, "_pass_on", lambda m, seeker, person, opening, row, in_call: told.append(row))
    announce_new_openings(world, 5, fast, monkeypatch, count=30)
    persons, seekers = book.person[told], world.seeker_persons[book.seeker[told]]
    knows = [
        bool(book.met[r]) or world.ties.tied(int(p), int(s))
        for r, p, s in zip(told, persons, seekers, strict=True)
    ]
    assert len(told) > 10 and all(knows)
    strangers = [
        r
        for r in range(book.size)
        if not book.met[r]
        and not world.ties.tied(int(book.person[r]), int(world.seeker_persons[book.seeker[r]]))
    ]
    assert len(strangers) > len(told)  # the world holds many who have only heard of a seeker
