"""Python's row lookups through the compiled index answer as the opinion book's dict does.

:meth:`OpinionBook.ensure` and :meth:`OpinionBook.opinion_of` are the references for
:func:`sim.model.state.compiled_run.ensure_row` and :func:`~sim.model.state.compiled_run.opinion_of`.
Each check runs the same lookups on two copies of a busy world, one per path, with rows made
in between by compiled gossip and by Python, and requires the same answers and the same book.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

from sim.model import kernels as compiled
from sim.model.mechanisms.gossip import spread
from sim.model.state import compiled_run as compiled_state
from sim.model.state.compiled_run import ensure_row, opinion_of
from sim.model.state.opinions import OpinionBook
from tests.worlds import busy_world, small_params

pytest.importorskip("numba")


@pytest.fixture(scope="module")
def busy():
    return busy_world()


def lookups(model, seed: int, count: int) -> list[tuple[str, int, int, int]]:
    """Known pairs and new ones, each asked for as a row or an opinion, with news spread
    now and then (compiled rows the dict has not indexed) and Python-made rows mixed in."""
    rng = np.random.default_rng(seed)
    book, seekers = model.book, len(model.seekers)
    steps = []
    for _ in range(count):
        if rng.random() < 0.5 and book.size:
            r = int(rng.integers(book.size))
            person, seeker = int(book.person[r]), int(book.seeker[r])
        else:
            person, seeker = int(rng.integers(model.graph.n)), int(rng.integers(seekers))
        kind = rng.choice(["row", "opinion", "news", "python_row"], p=[0.4, 0.3, 0.2, 0.1])
        steps.append((str(kind), person, seeker, int(rng.integers(0, 4))))
    return steps


def run_lookups(model, steps, fast: bool, monkeypatch) -> list:
    monkeypatch.setattr(compiled, "AVAILABLE", fast)
    answers = []
    for kind, person, seeker, hop in steps:
        if kind == "row":
            answers.append(
                ensure_row(model, person, seeker, hop) if fast else model.book.ensure(person, seeker, hop=hop)
            )
        elif kind == "opinion":
            answers.append(
                opinion_of(model, person, seeker) if fast else model.book.opinion_of(person, seeker)
            )
        elif kind == "python_row":  # a row Python makes, which the compiled index must pick up
            answers.append(model.book.ensure(person, seeker, hop=hop))
        else:  # compiled gossip makes rows when it runs; the reference makes them in Python
            spread(model.book, model.ties, model.rng, model.params.contacts, teller=person, seeker=seeker,
                   change=-0.3, day=model.day, seeker_person=model.seekers[seeker].person)  # fmt: skip
    return answers


@pytest.mark.parametrize("seed", [1, 2])
def test_rows_and_opinions_through_the_compiled_index_are_the_dicts(busy, monkeypatch, seed):
    world = copy.deepcopy(busy)
    world.book.opinion[0] = 0.77  # the first row is a row like any other
    steps = [("opinion", int(world.book.person[0]), int(world.book.seeker[0]), 0), *lookups(world, seed, 600)]
    reference, fast = copy.deepcopy(world), copy.deepcopy(world)
    expected = run_lookups(reference, steps, False, monkeypatch)
    answers = run_lookups(fast, steps, True, monkeypatch)
    assert answers == expected and answers[0] == 0.77
    assert fast.book.size > world.book.size + 50  # new rows made both ways
    assert any(isinstance(a, float) and a != 0.5 for a in answers)
    for name in OpinionBook.COLUMNS:
        assert np.array_equal(
            getattr(fast.book, name)[: fast.book.size], getattr(reference.book, name)[: reference.book.size]
        )
    assert fast.book.index() == reference.book.index()  # the dict catches up when asked
    assert fast.rng.random() == reference.rng.random()


def test_a_book_without_room_grows_when_python_asks_for_a_new_row(busy, monkeypatch):
    monkeypatch.setattr(compiled_state, "SPARE_ROWS", 0)
    monkeypatch.setattr(compiled, "AVAILABLE", True)
    tight = copy.deepcopy(busy)
    for name in OpinionBook.COLUMNS:
        setattr(tight.book, name, getattr(tight.book, name)[: tight.book.size].copy())
    tight.book.compiled = None
    size, seeker = tight.book.size, 3
    new = [person for person in range(tight.graph.n) if tight.book.row(person, seeker) < 0][:20]
    rows = [ensure_row(tight, person, seeker, 2) for person in new]
    assert rows == list(range(size, size + 20)) and tight.book.size == size + 20
    assert len(tight.book.opinion) > size  # the compiled call grew the columns, and the book took them
    assert tight.book.person[rows].tolist() == new and set(tight.book.hop[rows].tolist()) == {2}
    assert [
        tight.book.ensure(person, seeker) for person in new
    ] == rows  # the dict catches up to the same rows


def test_while_compiled_code_runs_the_dict_is_not_filled(monkeypatch):
    """The point of the module: a run indexes no row in the dict (it saves the dict's memory)."""
    from sim.model.model import NetworkingModel

    monkeypatch.setattr(compiled, "AVAILABLE", True)
    model = NetworkingModel(
        small_params(("polite", 6), ("nfl", 6), people=400, horizon=30, record_events=False), seed=2
    )
    indexed_at_start = len(model.book._row)
    model.run()
    assert model.book.size > indexed_at_start + 100
    assert len(model.book._row) == indexed_at_start
