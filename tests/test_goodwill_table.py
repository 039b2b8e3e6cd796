"""Goodwill lives in a side table of the rows that ever held any (``OpinionBook``): read,
added and spent, it must answer as one amount and one day per row would (eq. 13)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.model.equations import HELD, decayed
from sim.model.state.opinions import OpinionBook
from sim.model.state.world import decay_factor

HALF_LIFE = 30.0

#: (kind, person, amount, days later): kind 0 adds goodwill, 1 spends it, 2 only makes the row.
operations = st.lists(
    st.tuples(st.integers(0, 2), st.integers(0, 400), st.floats(0.0, 3.0), st.integers(0, 20)),
    max_size=400,
)


class DenseGoodwill:
    """The reference: an amount and the day it was set for every row, as the book kept
    them before the side table."""

    def __init__(self) -> None:
        self.amount: dict[int, float] = {}
        self.day: dict[int, float] = {}

    def at(self, r: int, day: float) -> float:
        factor = decay_factor(day - self.day.get(r, 0.0), HALF_LIFE)
        return float(decayed(self.amount.get(r, 0.0), factor))

    def add(self, r: int, amount: float, day: float) -> None:
        self.amount[r], self.day[r] = self.at(r, day) + amount, day

    def spend(self, r: int, amount: float, day: float) -> None:
        if amount > 0.0 and self.amount.get(r, 0.0) != 0.0:
            self.amount[r], self.day[r] = max(0.0, self.at(r, day) - amount), day


@settings(max_examples=60, deadline=None)
@given(ops=operations)
def test_the_side_table_answers_as_dense_columns(ops):
    book, dense, day, given_to = (
        OpinionBook(seekers=1, goodwill_half_life=HALF_LIFE),
        DenseGoodwill(),
        0.0,
        set(),
    )
    for kind, person, amount, later in ops:
        day += later
        r = book.ensure(person, 0)
        if kind == 0:
            book.add_goodwill(r, amount, day)
            dense.add(r, amount, day)
            given_to.add(r)
        elif kind == 1:
            book.spend_goodwill(r, amount, day)
            dense.spend(r, amount, day)
        assert book.goodwill_at(r, day) == dense.at(r, day)
    assert all(book.goodwill_at(r, day) == dense.at(r, day) for r in range(book.size))
    assert int(book.goodwill_count[0]) == len(given_to)  # a place only for rows given goodwill
    rows, amounts = book.goodwill_rows(0, day)
    held = {r: dense.at(r, day) for r in sorted(given_to) if dense.at(r, day) > HELD}
    assert rows.tolist() == list(held) and amounts.tolist() == pytest.approx(list(held.values()), rel=1e-12)


def test_the_side_table_grows_past_its_first_size_and_keeps_every_amount():
    book = OpinionBook(seekers=2, goodwill_half_life=HALF_LIFE)
    count = 3 * OpinionBook.FIRST_GOODWILL
    for person in range(count):
        book.add_goodwill(book.ensure(person, person % 2), 1.0 + person, 0.0)
    assert len(book.goodwill_amount) >= count and int(book.goodwill_count[0]) == count
    assert [book.goodwill_at(book.row(p, p % 2), 0.0) for p in range(count)] == [
        1.0 + p for p in range(count)
    ]
    assert book.stored_goodwill().tolist() == [1.0 + p for p in range(count)]
