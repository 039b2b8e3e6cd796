"""Compiled passes over the opinion book give what the reference gives (issue 5): the tally
numpy's ``bincount`` sums and counts, bit for bit; the rows of many people what
:meth:`OpinionBook.rows_of` gives person by person."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("numba")

from sim.model.kernels.book import rows_by_person, rows_of_people_indexed, sums_and_counts
from sim.model.state.opinions import OpinionBook


@given(st.integers(1, 50), st.integers(0, 3000), st.integers(0, 2**32 - 1))
@settings(max_examples=200, deadline=None)
def test_sums_and_counts_are_bincounts(bins, rows, seed):
    rng = np.random.default_rng(seed)
    seeker = rng.integers(0, bins, rows)
    opinion = rng.random(rows) * 10.0 ** rng.uniform(
        -6, 2, rows
    )  # magnitudes that round differently by order
    sums, counts = sums_and_counts(seeker, opinion, bins)
    assert np.array_equal(sums, np.bincount(seeker, weights=opinion, minlength=bins))
    assert np.array_equal(counts, np.bincount(seeker, minlength=bins))
    assert sums.shape == counts.shape == (bins,)
    skip = rng.random(bins) < 0.5
    sums, counts = sums_and_counts(seeker, opinion, bins, skip)
    kept = ~skip[seeker]
    assert np.array_equal(sums, np.bincount(seeker[kept], weights=opinion[kept], minlength=bins))
    assert np.array_equal(counts, np.bincount(seeker[kept], minlength=bins))


def test_the_daily_tally_that_keeps_hired_seekers_totals_is_the_full_tally(monkeypatch):
    """Every day of a run in which many seekers are hired, the reputation the model records
    (settled seekers' totals kept, their rows skipped, blocks of only their rows no longer
    read) is the mean over all rows that ``bincount`` gives: a hired seeker's rows do not
    change."""
    from sim.model.model import NetworkingModel
    from tests.worlds import BUSY_MARKET, small_params

    compared = []
    original = OpinionBook.reputation

    def checked(book, settled=None):
        fast = original(book, settled)
        s, opinion = book.seeker[: book.size], book.opinion[: book.size]
        counts = np.bincount(s, minlength=book.seekers)
        full = np.divide(
            np.bincount(s, weights=opinion, minlength=book.seekers),
            counts,
            out=np.full(book.seekers, 0.5),
            where=counts > 0,
        )
        assert np.array_equal(fast, full)
        compared.append((int(book._kept.sum()), int(book._done_blocks.sum())))
        return fast

    monkeypatch.setattr(OpinionBook, "reputation", checked)
    monkeypatch.setattr(OpinionBook, "TALLY_BLOCK", 16)  # small blocks, so that some are done
    params = small_params(
        ("polite", 10), ("nfl", 10), people=600, horizon=150, record_events=False,
        **BUSY_MARKET,  # many hired within the run
    )  # fmt: skip
    NetworkingModel(params, seed=3).run()
    kept, done = compared[-1]
    assert (
        len(compared) == 150 and kept >= 5 and done >= 5
    )  # hired seekers' totals kept, and blocks of their rows skipped


@given(
    st.lists(st.tuples(st.integers(0, 30), st.integers(0, 4)), max_size=300),
    st.lists(st.integers(-2, 40), max_size=40),
    st.integers(0, 300),
)
@settings(max_examples=200, deadline=None)
def test_rows_of_many_people_are_their_rows_in_turn(pairs, people, snapshot_at):
    """Rows made in any order (so each person's list interleaves with others'), read for any
    people, repeated or unknown, including ids beyond the book's per-person lists, from a
    snapshot of the rows by person taken after any number of them (the rest made since)."""
    book = OpinionBook(seekers=5, goodwill_half_life=30.0, capacity=2, people=8)
    start = rows = None
    for k, (person, seeker) in enumerate(pairs):
        if k == snapshot_at:
            start, rows = rows_by_person(book.person, book.size, len(book.first_row))
        book.ensure(person, seeker)
    if start is None:
        start, rows = rows_by_person(book.person, book.size, len(book.first_row))
    expected = [r for person in people for r in book.rows_of(person)]
    found = rows_of_people_indexed(
        start, rows, book.first_row, book.next_row, np.asarray(people, dtype=np.int64)
    )
    assert found.tolist() == expected
    assert book.rows_of_many(np.asarray(people, dtype=np.int64)).tolist() == expected
