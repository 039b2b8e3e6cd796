"""Ties that change (issue 14, part 3): a meeting makes a tie or keeps one up; insisting and
mop-up calls wear ties; decay stays as it is."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from sim.model.codes import CallOutcome
from sim.model.mechanisms.approach import _after_call
from sim.model.mechanisms.mop_up import book_mop_up
from sim.model.model import NetworkingModel
from sim.model.state.leads import Lead
from tests.worlds import both_ways, small_params

CHANGING = {"ties.met_strength": 0.4, "ties.push_wear": 0.2, "ties.mop_up_wear": 0.3}


@pytest.fixture(scope="module")
def world():
    return NetworkingModel(
        small_params(("polite", 4), ("nfl", 4), people=300, horizon=20, **CHANGING), seed=3
    )


def test_wear_lowers_a_tie_both_ways_and_never_below_zero(world):
    model = copy.deepcopy(world)
    seeker = model.seekers[0]
    contact = int(model.ties.neighbors(seeker.person)[0])
    before = model.ties.strength(seeker.person, contact, model.day)
    model.ties.wear(seeker.person, contact, 0.1, model.day)
    assert model.ties.strength(seeker.person, contact, model.day) == pytest.approx(max(0.0, before - 0.1))
    assert model.ties.strength(contact, seeker.person, model.day) == model.ties.strength(
        seeker.person, contact, model.day
    )
    model.ties.wear(contact, seeker.person, 5.0, model.day)
    assert model.ties.strength(seeker.person, contact, model.day) == 0.0
    stranger = next(
        p for p in range(model.graph.n) if not model.ties.tied(seeker.person, p) and p != seeker.person
    )
    model.ties.wear(seeker.person, stranger, 0.1, model.day)  # nothing to wear
    assert not model.ties.tied(seeker.person, stranger)


def test_a_meeting_with_a_stranger_makes_a_tie_and_insisting_wears_one(world):
    model = copy.deepcopy(world)
    seeker = model.seekers[0]
    stranger = next(
        p for p in range(model.graph.n) if not model.ties.tied(seeker.person, p) and p != seeker.person
    )
    _after_call(model, seeker, stranger, CallOutcome.PHONE_HELP, False, seeker.record.mop_up_calls)
    assert not model.ties.tied(seeker.person, stranger)  # a phone call makes no tie
    _after_call(model, seeker, stranger, CallOutcome.MEETING, False, seeker.record.mop_up_calls)
    assert model.ties.strength(seeker.person, stranger, model.day) == pytest.approx(0.4)
    assert seeker.person in model.ties.neighbors(stranger).tolist()
    _after_call(model, seeker, stranger, CallOutcome.REFUSAL, True, seeker.record.mop_up_calls)
    assert model.ties.strength(stranger, seeker.person, model.day) == pytest.approx(0.2)
    assert model.ties.introduced.strength[
        model.ties.introduced.entry(stranger, seeker.person)
    ] == pytest.approx(0.2)


def test_a_mop_up_call_wears_the_seekers_tie_to_the_referrer(world):
    model = copy.deepcopy(world)
    seeker = model.seekers[0]
    referrer = int(model.ties.neighbors(seeker.person)[0])
    target = int(model.ties.neighbors(referrer)[0])
    before = model.ties.strength(seeker.person, referrer, model.day)
    book_mop_up(model, seeker, Lead(target, referrer, hop=1, name_used=True))
    assert model.ties.strength(seeker.person, referrer, model.day) == pytest.approx(max(0.0, before - 0.3))
    assert seeker.record.mop_up_calls == 1


def test_a_new_tie_decays_towards_the_floor_unless_kept_up(world):
    """A tie made during the run decays like a seeker's tie (eq. 11): after one half-life it
    has lost half its strength above the floor; a touch settles the decay and adds the boost,
    both ways; a tie at or below the floor stays where it is."""
    model = copy.deepcopy(world)
    ties, p, day = model.ties, model.ties.params, model.day
    seeker = model.seekers[0]
    a = seeker.person
    b = next(q for q in range(model.graph.n) if not ties.tied(a, q) and q != a)
    assert ties.add_tie(a, b, day, 0.6)
    later = day + p.decay_half_life
    expected = p.floor + (0.6 - p.floor) / 2
    assert ties.strength(a, b, later) == pytest.approx(expected)
    assert ties.strength(b, a, later) == ties.strength(a, b, later)
    assert ties.circle(a, later)[1][-1] == pytest.approx(expected)  # the vectorised read agrees
    ties.touch(b, a, later)
    assert ties.strength(a, b, later) == pytest.approx(expected + p.touch_boost)
    assert ties.strength(b, a, later + p.decay_half_life) == pytest.approx(
        p.floor + (expected + p.touch_boost - p.floor) / 2
    )
    ties.wear(a, b, 5.0, later)  # worn to nothing: below the floor it no longer decays
    assert ties.strength(a, b, later + 400) == 0.0


def test_seekers_come_out_of_a_search_tied_to_people_they_met():
    model = NetworkingModel(small_params(("nfl", 6), people=400, horizon=60, **CHANGING), seed=1).run()
    met_ties = sum(len(model.ties.introduced.entries_of(s.person)) for s in model.seekers)
    assert met_ties >= 10


@pytest.mark.parametrize("record_events", [False, True], ids=["whole calls", "call steps"])
def test_changing_ties_run_the_same_compiled_and_in_python(monkeypatch, record_events):
    params = small_params(
        ("polite", 6), ("nfl", 6), people=500, horizon=90, record_events=record_events, **CHANGING
    )
    fast = both_ways(params, 8, monkeypatch)
    assert np.asarray(fast.seekers["mop_up_calls"]).sum() > 0
