"""A call made in one compiled call ends as the step-by-step reference call ends (issue 5).

:func:`sim.model.mechanisms.approach.approach` with numba off is the reference; with numba on (and no
event log) it makes the call through :func:`sim.model.mechanisms.approach._whole_call_compiled`
and carries on in Python from where compiled code stopped. Each check makes the same calls
on two copies of a busy world and requires the same answers and the same world afterwards:
every seeker's counters, leads, people known and openings considered; the opinion book with
its owing lists; ties, trust and introductions; fatigue; the market; and the random stream.
"""

from __future__ import annotations

import collections
import copy

import numpy as np
import pytest

from sim.model import kernels as compiled
from sim.model.mechanisms import approach as approach_module
from sim.model.mechanisms.approach import approach
from sim.model.seekers import Lead
from sim.model.state.known import KnownSet, KnownTable
from tests.worlds import assert_same_world, busy_world, some_leads

pytest.importorskip("numba")


@pytest.fixture(scope="module")
def busy():
    return busy_world()


def make_calls(model, calls, fast: bool, monkeypatch) -> tuple[list[str], collections.Counter]:
    """The calls, made the one way; with ``fast``, also where each compiled call stopped."""
    monkeypatch.setattr(compiled, "AVAILABLE", fast)
    stages: collections.Counter = collections.Counter()
    compiled_call = approach_module._whole_call_compiled

    def counted(m, seeker, lead):
        call = compiled_call(m, seeker, lead)
        stages["hired" if seeker.hired else call.stage.label if call is not None else None] += 1
        assert call is None or not seeker.hired  # the reference makes a hired seeker's calls
        return call

    monkeypatch.setattr(approach_module, "_whole_call_compiled", counted)
    outcomes = [approach(model, model.seekers[s], lead) for s, lead in calls]
    return outcomes, stages


def calls_to_people_introduced_to_managers(model, seed: int) -> list[tuple[int, Lead]]:
    """Calls, several each, to people whose only tie to a manager with an open opening is
    one an introduction made: job talk must find it too."""
    rng = np.random.default_rng(seed)
    near_open = {
        int(c) for m in np.flatnonzero(model.market.has_open).tolist() for c in model.ties.neighbors(m)
    }
    calls = []
    for manager in np.flatnonzero(model.market.has_open).tolist():
        person = int(rng.integers(model.graph.n))
        if (
            person in near_open
            or model.people.is_hiring_manager[person]
            or not model.ties.add_tie(manager, person, model.day)
        ):
            continue
        calls += [(int(rng.integers(len(model.seekers))), Lead(person)) for _ in range(6)]
    assert len(calls) >= 12
    return calls


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_compiled_calls_end_as_the_reference_calls_end(busy, monkeypatch, seed):
    world = copy.deepcopy(busy)
    calls = some_leads(world, 500, seed)  # adds a few introduced ties
    arrivals = np.random.default_rng(seed)
    while (
        len(world.market.open_openings()) < 8
    ):  # more than a quiet market has: job talk with something to say
        world.market.arrivals(world.day, arrivals)
    calls += calls_to_people_introduced_to_managers(world, seed)
    reference, fast = copy.deepcopy(world), copy.deepcopy(world)
    expected, _ = make_calls(reference, calls, False, monkeypatch)
    outcomes, stages = make_calls(fast, calls, True, monkeypatch)
    assert outcomes == expected
    assert stages["done"] > 200 and stages["job_talk"] > 5 and stages["introduce"] > 5 and None not in stages
    assert sum(s.record.mop_up_calls for s in fast.seekers) > sum(
        s.record.mop_up_calls for s in world.seekers
    )
    assert sum(s.record.gives for s in fast.seekers) > sum(s.record.gives for s in world.seekers)
    assert_same_world(reference, fast)


def test_compiled_gifts_into_a_full_goodwill_table_end_as_the_reference(busy, monkeypatch):
    """The goodwill side table trimmed to its last place and given one free place before
    each compiled call: compiled gifts and Python's (introductions) fill it in turn, Python
    grows it again and again, and the compiled state must follow every new array."""
    from sim.model.state import compiled_run

    monkeypatch.setattr(compiled_run, "SPARE_GOODWILL", 1)
    world = copy.deepcopy(busy)
    book, count = world.book, int(world.book.goodwill_count[0])
    book.goodwill_amount, book.goodwill_since = (
        book.goodwill_amount[:count].copy(),
        book.goodwill_since[:count].copy(),
    )
    calls = some_leads(world, 300, 7)
    reference, fast = copy.deepcopy(world), copy.deepcopy(world)
    expected, _ = make_calls(reference, calls, False, monkeypatch)
    outcomes, stages = make_calls(fast, calls, True, monkeypatch)
    assert outcomes == expected and stages["done"] > 100
    assert int(fast.book.goodwill_count[0]) > count + 10  # the table grew
    assert_same_world(reference, fast)


def test_with_the_event_log_on_the_reference_makes_the_call(busy, monkeypatch):
    """The log records what happens between the steps, so the steps run one by one."""
    world = copy.deepcopy(busy)
    world.events.enabled = True
    _, stages = make_calls(world, some_leads(world, 20, 4), True, monkeypatch)
    assert not stages


def test_too_many_names_for_the_compiled_binomial_leave_the_call_to_python(busy, monkeypatch):
    import dataclasses

    world = copy.deepcopy(busy)
    world.params = dataclasses.replace(
        world.params, contacts=dataclasses.replace(world.params.contacts, names_max=40)
    )
    world.book.compiled = None
    reference = copy.deepcopy(world)
    calls = some_leads(world, 60, 5)
    calls_reference = some_leads(reference, 60, 5)
    assert calls == calls_reference
    _, stages = make_calls(world, calls, True, monkeypatch)
    assert None in stages and set(stages) <= {None, "hired"}
    make_calls(reference, calls, False, monkeypatch)
    assert_same_world(reference, world)


def small_table(people) -> KnownTable:
    """The same people in a table that starts with two slots, so that it grows many times."""
    table = KnownTable()
    table.table, table.count = np.full(2, -1, dtype=np.int32), 0
    for person in people:
        table.add(person)
    return table


def test_known_tables_hold_exactly_the_people_the_reference_sets_hold(busy, monkeypatch):
    """After compiled calls, leads Python queues itself, and a copy of the model made part
    way, each seeker's table holds exactly the people the reference's Python set holds,
    also when it has had to grow many times."""
    base = copy.deepcopy(busy)
    calls = some_leads(base, 300, 6)
    world, reference = copy.deepcopy(base), copy.deepcopy(base)
    for fast, slow in zip(world.seekers, reference.seekers, strict=True):
        fast.known, slow.known = small_table(fast.known), KnownSet(slow.known)
    for model, fast in ((world, True), (reference, False)):
        make_calls(model, calls[:150], fast, monkeypatch)
        for seeker in model.seekers[::3]:  # leads Python queues itself, as unasked introductions do
            seeker.add_lead(Lead(int(np.random.default_rng(seeker.index).integers(model.graph.n)), hop=2))
    world = copy.deepcopy(world)
    make_calls(world, calls[150:], True, monkeypatch)
    make_calls(reference, calls[150:], False, monkeypatch)
    rng = np.random.default_rng(0)
    for fast, slow in zip(world.seekers, reference.seekers, strict=True):
        assert isinstance(fast.known, KnownTable) and isinstance(slow.known, KnownSet)
        assert set(fast.known) == set(slow.known) and len(fast.known) == len(slow.known)
        assert len(fast.known.table) >= 2 * len(fast.known)
        strangers = [int(p) for p in rng.integers(world.graph.n, size=200) if int(p) not in slow.known]
        assert not any(person in fast.known for person in strangers)
    assert sum(len(s.known) for s in world.seekers) > sum(len(s.known) for s in busy.seekers) + 100
