"""The compiled goodwill total is what numpy adds up, bit for bit (issue 5)."""

from __future__ import annotations

import copy

import pytest

from sim.model.model import NetworkingModel
from tests.worlds import small_params

pytest.importorskip("numba")

from sim.model.compiled_giving import owed_total_compiled  # noqa: E402


def test_owed_totals_match_numpy_on_every_day_as_goodwill_decays_away():
    """Every seeker's total, from the day after a busy run until long after the goodwill
    has decayed below the threshold that drops it (so that rows drop out one by one)."""
    params = small_params(("balanced", 8), ("polite", 8), people=400, horizon=60, record_events=False)
    model = copy.deepcopy(NetworkingModel(params, seed=2).run())
    owing = [s.index for s in model.seekers if model.book.owing_rows(s.index).size > 1]
    assert len(owing) >= 4
    half_life = model.book.goodwill_half_life
    dropped = 0
    for day in [*range(61, 200), *range(200, int(60 * half_life), 7)]:
        model.day = day
        for seeker in owing:
            rows, owed = model.book.goodwill_rows(seeker, day)
            assert owed_total_compiled(model, seeker) == float(owed.sum())
            dropped += len(model.book.owing_rows(seeker)) - len(rows)
    assert dropped > 0  # some rows fell below the threshold on the way
