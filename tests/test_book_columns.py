"""The opinion book's narrow columns: seeker ids and hops in 16 bits, goodwill found through a
hash index instead of a reference in every row. Narrower columns must never change an
answer: a hop too long for 16 bits is kept at the largest, a book of many seekers widens its
seeker column, and a row's goodwill place is found the same way by compiled code and by
plain Python (both read one index within a run)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.model.kernels.state import (
    HOP_MAX,
    goodwill_index_of,
    goodwill_place,
    goodwill_places,
    put_goodwill_place,
)
from sim.model.state.opinions import OpinionBook


def test_a_hop_too_long_for_16_bits_is_kept_at_the_largest():
    book = OpinionBook(seekers=3, goodwill_half_life=30.0)
    near, far = book.ensure(1, 0, hop=HOP_MAX - 1), book.ensure(2, 0, hop=HOP_MAX + 5)
    assert int(book.hop[near]) == HOP_MAX - 1
    assert int(book.hop[far]) == HOP_MAX  # not wrapped round to a negative hop


@pytest.mark.parametrize(("seekers", "bits"), [(10, 16), (32_768, 16), (32_769, 32), (70_000, 32)])
def test_the_seeker_column_is_as_wide_as_the_number_of_seekers_needs(seekers, bits):
    book = OpinionBook(seekers=seekers, goodwill_half_life=30.0)
    assert book.seeker.dtype.itemsize * 8 == bits
    last = seekers - 1
    r = book.ensure(7, last)
    assert int(book.seeker[r]) == last  # the largest id survives the column
    assert book.row(7, last) == r and book.row(7, last - 1) == -1


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(st.integers(0, 2**31 - 2), unique=True, max_size=120), absent=st.integers(0, 2**31 - 2))
def test_every_row_finds_its_goodwill_place_compiled_and_in_python(rows, absent):
    size = max(4, len(rows))
    row_of_place = np.zeros(size, dtype=np.int32)
    index = goodwill_index_of(row_of_place, 0, 2 * size)
    for place, r in enumerate(rows):
        put_goodwill_place(index, row_of_place, r, place)
    wanted = np.asarray([*rows, absent], dtype=np.int64)
    expected = [*range(len(rows)), rows.index(absent) if absent in rows else -1]
    assert goodwill_places(index, row_of_place, wanted).tolist() == expected
    python = getattr(goodwill_place, "py_func", goodwill_place)
    assert [python(index, row_of_place, int(r)) for r in wanted] == expected
    rebuilt = goodwill_index_of(row_of_place, len(rows), 2 * size)  # as the book does when it grows
    assert goodwill_places(rebuilt, row_of_place, wanted).tolist() == expected
