"""The compiled parts of a call give the Python reference's answers, bit for bit (issue 5).

:func:`sim.model.mechanisms.approach.open_call`, :func:`~sim.model.mechanisms.approach.talk` and
:func:`~sim.model.mechanisms.approach.mop_up` are the references. Each check runs a sequence of calls
with the reference on one copy of a busy world and compiled on another, and requires the
same answers (row, endorsement, outcome, insisted; whether a mop-up call was made), the
same opinion book (every column, the index), the same ties and fatigue, and the same random
stream afterwards.
"""

from __future__ import annotations

import copy
import dataclasses

import numpy as np
import pytest

from sim.model import kernels as compiled
from sim.model.codes import CallOutcome
from sim.model.mechanisms import approach as approach_module
from sim.model.mechanisms import mop_up as mop_up_module
from sim.model.mechanisms import names as names_module
from sim.model.mechanisms.approach import open_call, talk
from sim.model.mechanisms.mop_up import mop_up
from sim.model.mechanisms.names import offer_names
from sim.model.model import NetworkingModel
from sim.model.seekers import Lead
from sim.model.state import compiled_run as compiled_state
from sim.model.state.opinions import OpinionBook
from sim.model.state.world import decay_factor
from tests.worlds import assert_same_goodwill, busy_world, small_params, some_leads

pytest.importorskip("numba")

open_call_compiled = approach_module._open_call_compiled
talk_compiled = approach_module._talk_compiled
mop_up_compiled = mop_up_module._mop_up_compiled
offer_names_compiled = names_module._offer_names_compiled


@compiled.jit
def decay_tables(s):
    """The compiled state's decay tables (a test's window into them)."""
    return s.decay, s.fatigue_decay, s.goodwill_decay


@pytest.fixture(scope="module")
def busy() -> NetworkingModel:
    return busy_world()


def both_ways(
    model: NetworkingModel,
    calls: list[tuple[int, Lead]],
    monkeypatch,
    *,
    mop_ups: bool = False,
    talks: bool = False,
) -> list[tuple[list, NetworkingModel]]:
    """Each call opened by the reference on one copy and compiled on another; with
    ``talks``, a call answered is followed by the talk (an impression and weight that vary
    with the call's index); with ``mop_ups``, a call made through a referrer is followed by
    the mop-up decision, pushed as hard as the call's index says."""
    results = []
    for fast in (False, True):
        copied = copy.deepcopy(model)
        monkeypatch.setattr(compiled, "AVAILABLE", fast)
        answers = []
        for k, (s, lead) in enumerate(calls):
            seeker = copied.seekers[s]
            answers.append((open_call_compiled if fast else open_call)(copied, seeker, lead))
            row, _, outcome, _ = answers[-1]
            if talks and outcome != CallOutcome.REFUSAL:
                view, weight = (k % 7) / 6, 0.2 + (k % 3) / 5
                if fast:
                    assert talk_compiled(copied, seeker, lead.target, row, view, weight)
                else:
                    talk(copied, seeker, lead.target, row, view, weight)
                max_names, can_force = (3 + k % 3, True) if outcome == CallOutcome.MEETING else (k % 2, False)
                if fast:
                    unknown = seeker.known.unknown_among(copied.ties.neighbors(lead.target))
                    answers.append(
                        offer_names_compiled(copied, seeker, lead, row, max_names, can_force, unknown)
                    )
                else:
                    answers.append(offer_names(copied, seeker, lead, row, max_names, can_force))
                for name in answers[-1][0]:  # as following the names up would
                    seeker.known.add(name)
            if mop_ups and lead.referrer is not None:
                answers.append((mop_up_compiled if fast else mop_up)(copied, seeker, lead, row, (k % 10) / 9))
        results.append((answers, copied))
    return results


def assert_same_state(a: NetworkingModel, b: NetworkingModel) -> None:
    assert a.book.size == b.book.size
    for name in OpinionBook.COLUMNS:
        assert np.array_equal(getattr(a.book, name)[: a.book.size], getattr(b.book, name)[: b.book.size]), (
            name
        )
    assert_same_goodwill(a.book, b.book)
    assert a.book.index() == b.book.index()
    assert np.array_equal(a.book.first_row, b.book.first_row) and np.array_equal(
        a.book.last_row, b.book.last_row
    )
    assert np.array_equal(a.fatigue.value, b.fatigue.value) and np.array_equal(
        a.fatigue.since, b.fatigue.since
    )
    assert np.array_equal(a.book.met, b.book.met)
    assert np.array_equal(a.ties.level, b.ties.level) and np.array_equal(a.ties.touched, b.ties.touched)
    assert a.rng.random(4).tolist() == b.rng.random(4).tolist()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_calls_compiled_answer_as_the_reference_does(busy, monkeypatch, seed):
    world = copy.deepcopy(busy)
    calls = some_leads(world, 400, seed)  # adds a few ties
    (reference, a), (fast, b) = both_ways(world, calls, monkeypatch, talks=True)
    assert all(answer is not None for answer in fast)
    assert fast == reference
    outcomes = {answer[2] for answer in reference if len(answer) == 4}
    assert outcomes == set(CallOutcome)
    assert any(answer[1] > 0 for answer in reference if len(answer) == 4)
    offers = [answer[0] for answer in reference if len(answer) == 2]
    assert (
        len(offers) > 100 and any(len(names) > 2 for names in offers) and any(not names for names in offers)
    )
    assert_same_state(a, b)


@pytest.mark.parametrize("seed", [4, 5])
def test_mop_ups_compiled_decide_and_spread_as_the_reference_does(busy, monkeypatch, seed):
    """Calls made with a referrer's name, each followed by the mop-up decision; a mop-up
    lowers two opinions and spreads both pieces of news (numpy's cascade in the reference)."""
    world = copy.deepcopy(busy)
    calls = [(s, lead) for s, lead in some_leads(world, 600, seed) if lead.referrer is not None]
    (reference, a), (fast, b) = both_ways(world, calls, monkeypatch, mop_ups=True, talks=True)
    assert fast == reference
    made = sum(answer is True for answer in reference)
    assert 10 < made < len(calls) - 10  # both branches taken often
    assert b.book.size > world.book.size
    assert_same_state(a, b)


def test_a_book_without_room_grows_inside_the_compiled_call(busy, monkeypatch):
    monkeypatch.setattr(compiled_state, "SPARE_ROWS", 0)
    monkeypatch.setattr(compiled_state, "FIRST_TABLE", 2)
    tight = copy.deepcopy(busy)
    for name in OpinionBook.COLUMNS:
        setattr(tight.book, name, getattr(tight.book, name)[: tight.book.size].copy())
    tight.book.compiled = None
    calls = [
        (s, Lead(t, t + 40, 1, name_used=True)) for s, t in enumerate(range(400, 420))
    ]  # mostly new rows
    (reference, a), (fast, b) = both_ways(tight, calls, monkeypatch, mop_ups=True, talks=True)
    assert fast == reference
    assert b.book.size > tight.book.size
    assert_same_state(a, b)


def test_a_fractional_day_or_tie_sends_the_call_to_python(busy):
    model = copy.deepcopy(busy)
    lead = Lead(int(model.ties.neighbors(model.seekers[0].person)[0]))
    model.day = 45.5
    assert open_call_compiled(model, model.seekers[0], lead) is None
    model.day = 45
    model.ties.touch(model.seekers[0].person, lead.target, 44.5)
    assert open_call_compiled(model, model.seekers[0], lead) is None


@pytest.mark.parametrize("half_lives", [(30.0, 14.0, 90.0), (7.5, 3.0, 365.0)])
def test_decay_tables_hold_the_decay_factors_python_reads(busy, half_lives):
    """Compiled code reads decays from tables; each entry is the double Python computes."""
    ties_half_life, fatigue_half_life, goodwill_half_life = half_lives
    model = copy.deepcopy(busy)
    model.fatigue.half_life, model.book.goodwill_half_life = fatigue_half_life, goodwill_half_life
    model.ties.params = dataclasses.replace(model.ties.params, decay_half_life=ties_half_life)
    run = compiled_state.CompiledRun(
        model.book, model.ties, model.rng, model.params.contacts, compiled_state.CallContext.of(model)
    )
    run.refresh(model.book, 600)
    tables = decay_tables(run.handle)
    for table, half_life in zip(tables, half_lives, strict=True):
        assert len(table) > 600
        assert [decay_factor(float(d), half_life) for d in range(len(table))] == table.tolist()


def test_a_copied_or_pickled_model_runs_on_as_the_original_does():
    """Copies are how these tests compare paths, and how a user would checkpoint a run: a
    copy or a pickle made part way runs on to the same event log as the original, without
    Python's deprecation warning about copying ``itertools`` objects (gone in 3.14)."""
    import pickle
    import warnings

    params = small_params(("polite", 4), ("nfl", 4), people=300, horizon=30)
    original = NetworkingModel(params, seed=8)
    for _ in range(12):
        original.step()
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        copies = [copy.deepcopy(original), pickle.loads(pickle.dumps(original))]
    logs = [m.run().events.frame() for m in (original, *copies)]
    assert len(logs[0]) > 100
    for log in logs[1:]:
        assert log.equals(logs[0])
