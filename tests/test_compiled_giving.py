"""The goodwill owed to each seeker, totalled for a whole day by compiled code, is what numpy
adds up, bit for bit; and a total remembered for the day is not used once goodwill changes
(issue 5)."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from sim.model.model import NetworkingModel
from tests.worlds import small_params

pytest.importorskip("numba")

from sim.model.mechanisms.giving import owed_totals as owed_totals_compiled


@pytest.fixture(scope="module")
def given() -> NetworkingModel:
    """A run in which many seekers have given, some to many contacts."""
    params = small_params(("balanced", 8), ("polite", 8), people=400, horizon=60, record_events=False)
    return NetworkingModel(params, seed=2).run()


def test_owed_totals_match_numpy_on_every_day_as_goodwill_decays_away(given):
    """Every seeker's total, from the day after the run until long after the goodwill has
    decayed below the threshold that drops it (so that rows drop out one by one)."""
    model = copy.deepcopy(given)
    seekers = [s.index for s in model.seekers][::-1]  # any order, seekers owed nothing included
    assert sum(model.book.owing_rows(s).size > 8 for s in seekers) >= 2  # sums past numpy's short runs
    dropped = 0
    for day in [*range(61, 200), *range(200, int(60 * model.book.goodwill_half_life), 7)]:
        model.day = day
        expected = [float(model.book.goodwill_rows(s, day)[1].sum()) for s in seekers]
        assert owed_totals_compiled(model, seekers).tolist() == expected
        dropped += sum(
            len(model.book.owing_rows(s)) - len(model.book.goodwill_rows(s, day)[0]) for s in seekers
        )
    assert dropped > 0  # some rows fell below the threshold on the way


def test_a_remembered_total_is_dropped_when_goodwill_changes(given):
    model = copy.deepcopy(given)
    model.day = 61
    book, seekers = model.book, [s.index for s in model.seekers]
    book.remember_owed(61, seekers, owed_totals_compiled(model, seekers))
    owing = next(s for s in seekers if book.owing_rows(s).size)
    before = book.owed_total(owing, 61)
    assert before == float(book.goodwill_rows(owing, 61)[1].sum()) > 0
    book.add_goodwill(int(book.owing_rows(owing)[0]), 1.0, 61)
    assert book.owed_total(owing, 61) == pytest.approx(before + 1.0)  # not the remembered total
    assert book.owed_total(owing, 61) == float(book.goodwill_rows(owing, 61)[1].sum())
    assert np.isnan(book._owed[owing]) and not np.isnan(book._owed[seekers[seekers.index(owing) - 1]])
    assert book.owed_total(owing, 62) == float(book.goodwill_rows(owing, 62)[1].sum())  # another day
