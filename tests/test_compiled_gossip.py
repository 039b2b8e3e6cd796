"""The compiled gossip cascade gives the numpy cascade's results, bit for bit (issue 5).

numpy's :func:`sim.model.mechanisms.gossip.spread` is the reference. Each check runs both on copies of
the same state and requires the same opinion book (every column, the index, the per-person
lists), the same random stream afterwards and the same count of listeners; and, at model
level, the same tables row for row.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

from sim.model import kernels as compiled
from sim.model.mechanisms.gossip import spread
from sim.model.model import NetworkingModel
from sim.model.state import compiled_run as compiled_state
from sim.model.state.compiled_run import state_for
from sim.model.state.world import Ties
from tests.test_equivalence import assert_same_tables, run_tables
from tests.worlds import small_params

pytest.importorskip("numba")

COLUMNS = ("person", "seeker", "opinion", "hop", "met", "next_row")


def busy_model(seed: int = 3, days: int = 40) -> NetworkingModel:
    """A small world after some weeks: decayed and refreshed ties, introductions, mop-ups."""
    params = small_params(("polite", 8), ("nfl", 8), people=500, horizon=days, record_events=False)
    return NetworkingModel(params, seed=seed).run()


def both_ways(model: NetworkingModel, teller: int, seeker: int, change: float, rng_seed: int, *, tight: bool):
    """Run one telling with numpy on a copy and compiled on another; return both copies.

    ``tight`` leaves no spare capacity in the book's columns, so that the cascade must grow
    them (and, with a first row table of two slots, the table too)."""
    results = []
    for use_compiled in (False, True):
        book, ties = copy.deepcopy(model.book), copy.deepcopy(model.ties)
        if tight:
            for name in COLUMNS:
                setattr(book, name, getattr(book, name)[: book.size].copy())
        rng = np.random.default_rng(rng_seed)
        compiled.AVAILABLE = use_compiled
        try:
            reached = spread(
                book, ties, rng, model.params.contacts, teller=teller, seeker=seeker, change=change,
                day=model.day, seeker_person=model.seekers[seeker].person,
            )  # fmt: skip
        finally:
            compiled.AVAILABLE = True
        results.append((reached, book, rng.random(4).tolist()))
    return results


def assert_same_books(a, b):
    assert a.size == b.size
    for name in COLUMNS:
        np.testing.assert_array_equal(getattr(a, name)[: a.size], getattr(b, name)[: b.size], err_msg=name)
    assert a.index() == b.index()
    for person in set(a.person[: a.size].tolist()):
        assert a.rows_of(person) == b.rows_of(person)


@pytest.mark.parametrize("tight", [False, True])
def test_one_telling_changes_the_book_and_the_stream_as_numpy_does(monkeypatch, tight):
    if tight:
        monkeypatch.setattr(compiled_state, "FIRST_TABLE", 2)
        monkeypatch.setattr(compiled_state, "SPARE_ROWS", 0)  # growth inside the cascade
    model = busy_model()
    assert model.ties.introduced.size > 0  # introduced ties are part of the circles read
    picks = np.random.default_rng(11)
    rows = picks.choice(model.book.size, size=60, replace=False)
    spread_somewhere = 0
    for k, row in enumerate(rows.tolist()):
        teller, seeker = int(model.book.person[row]), int(model.book.seeker[row])
        change = float(picks.choice([-0.4, -0.1, 0.1, 0.4]))
        (ref_reached, ref_book, ref_next), (reached, book, after) = both_ways(
            model, teller, seeker, change, rng_seed=k, tight=tight
        )
        assert reached == ref_reached
        assert after == ref_next  # the same number of draws were taken from the stream
        assert_same_books(book, ref_book)
        spread_somewhere += reached > 0
    assert spread_somewhere > 20  # most tellings reach someone, so the comparison bites


def test_a_day_that_is_not_whole_takes_the_numpy_path():
    model = busy_model(days=10)
    row = 0
    teller, seeker = int(model.book.person[row]), int(model.book.seeker[row])
    assert teller >= 0 and seeker >= 0
    got = state_for(model.book, model.ties, np.random.default_rng(1), model.params.contacts, model.day + 0.5)
    assert got is None


def test_introduced_tie_arrays_walk_each_circle_in_the_order_ties_were_made():
    """The linked lists compiled code walks hold, for each person, her introduced ties in the
    order they were made, with their strength and how far the other trusts her: checked
    against a plain record of the same additions and trust lowerings."""
    model = busy_model(days=5)
    ties: Ties = model.ties
    rng = np.random.default_rng(2)
    before = {i: list(ties.introduced.entries_of(i)) for i in range(model.graph.n)}
    strength, trust = {}, {}  # (i, j) -> value, for ties added here
    order: dict[int, list[int]] = {}
    people = rng.choice(model.graph.n, size=80, replace=False).tolist()
    for _ in range(300):
        i, j = rng.choice(people, size=2, replace=False).tolist()
        if rng.random() < 0.6:
            if ties.add_tie(i, j, model.day):
                for a, b in ((i, j), (j, i)):
                    strength[(a, b)] = trust[(a, b)] = ties.params.introduced_strength
                    order.setdefault(a, []).append(b)
        else:
            ties.lower_trust(i, j, amount := float(rng.random() * 0.2))
            if (i, j) in trust:
                trust[(i, j)] = max(0.0, trust[(i, j)] - amount)
    intro = ties.introduced
    for i in people:
        walked, e = [], intro.head[i]
        while e != -1:
            walked.append(
                (int(intro.other[e]), float(intro.strength[e]), float(intro.trust[intro.mirror[e]]))
            )
            e = intro.next[e]
        made_before = len(before[i])
        assert [int(intro.other[e]) for e in before[i]] == [w[0] for w in walked[:made_before]]
        expected = [(j, strength[(i, j)], trust[(j, i)]) for j in order.get(i, [])]
        assert walked[made_before:] == expected
        assert list(intro.entries_of(i)) == list(before[i]) + [intro.entry(i, j) for j in order.get(i, [])]


@pytest.mark.parametrize(
    ("groups", "overrides"),
    [
        ((("polite", 6), ("nfl", 6), ("targeted", 4)), {}),
        ((("balanced", 8), ("nfl", 8)), {"graph.kind": "sbm", "contacts.bad_news_factor": 2.5}),
        (
            (("polite", 8), ("nfl", 8)),
            {"graph.kind": "toivonen", "graph.tie_strength": "overlap", "population.level_by_degree": 0.5},
        ),
    ],
)
def test_model_with_compiled_gossip_logs_the_same_events(monkeypatch, groups, overrides):
    params = small_params(*groups, people=600, horizon=90, **overrides)
    fast = run_tables(params, seed=5)
    monkeypatch.setattr(compiled, "AVAILABLE", False)
    reference = run_tables(params, seed=5)
    assert len(fast[1]) > 500
    assert_same_tables(fast, reference)


def test_a_book_with_compiled_state_pickles_and_copies_without_it():
    import pickle

    model = busy_model(days=10)
    assert model.book.compiled is not None  # the run used the compiled cascade
    for copied in (pickle.loads(pickle.dumps(model.book)), copy.deepcopy(model.book)):
        assert copied.compiled is None
        assert_same_books(copied, model.book)


def test_a_tie_touched_on_a_fractional_day_sends_gossip_to_numpy():
    """Decay is read from a table of whole days: once a tie was set on any other day, the
    compiled cascade steps aside, and the numpy cascade gives the answer."""
    model = busy_model(days=10)
    ties = model.ties
    assert ties.whole_days
    person = int(model.seekers[0].person)
    contact = int(model.graph.neighbors(person)[0])
    ties.touch(person, contact, model.day - 0.5)
    assert not ties.whole_days
    row = model.book.row(contact, 0)
    got = state_for(model.book, ties, np.random.default_rng(1), model.params.contacts, model.day)
    assert row >= 0 and got is None


def test_the_book_gets_spare_rows_from_numpy_before_a_cascade():
    """Columns grown by numpy stay lazily zero-filled (no resident memory for the unused
    half); the cascade should rarely have to grow them itself."""
    model = busy_model(days=10)
    book = model.book
    for name in COLUMNS:
        setattr(book, name, getattr(book, name)[: book.size].copy())
    row = 0
    teller, seeker = int(book.person[row]), int(book.seeker[row])
    spread(
        book, model.ties, np.random.default_rng(1), model.params.contacts,
        teller=teller, seeker=seeker, change=0.3, day=model.day, seeker_person=model.seekers[seeker].person,
    )  # fmt: skip
    assert len(book.opinion) >= book.size + compiled_state.SPARE_ROWS - 1000
    assert all(len(getattr(book, name)) == len(book.opinion) for name in COLUMNS)
