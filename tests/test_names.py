"""Name draws (sim/model/names.py): the per-person weights are numpy's, and the draws are the
same compiled or not. The draws themselves are checked against ``Generator.choice`` in
``tests/test_sampling.py``.
"""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.model import compiled
from sim.model.model import NetworkingModel
from sim.model.names import NameDraw
from tests.worlds import small_params

@given(st.floats(0.0, 4.0), st.integers(2, 8), st.integers(0, 2**32 - 1))
@settings(max_examples=100, deadline=None)
def test_name_weights_are_what_numpy_computes_for_the_drawn_people(bias, levels, seed):
    """The per-person weights come from a table by level: the same doubles as numpy's
    ``level.astype(float64) ** bias`` for the people of a draw."""
    rng = np.random.default_rng(seed)
    level = rng.integers(1, levels + 1, 300).astype(np.int16)
    draw = NameDraw(level, bias)
    people = rng.choice(300, 25, replace=False)
    assert np.array_equal(draw.weight[people], level[people].astype(np.float64) ** bias)


def test_name_draw_compiled_and_python_agree(monkeypatch):
    pytest.importorskip("numba")
    level = np.random.default_rng(0).integers(1, 6, 500).astype(np.int16)
    results = []
    for fast in (True, False):
        monkeypatch.setattr(compiled, "AVAILABLE", fast)
        rng = np.random.default_rng(9)
        draw = NameDraw(level, 1.7)
        picks = [draw.pick(rng, list(range(k, k + 20)), 1 + k % 7) for k in range(0, 400, 13)]
        results.append((picks, rng.random()))
    assert results[0] == results[1]


def test_a_name_draw_copies_and_pickles_without_its_compiled_state():
    pytest.importorskip("numba")
    draw, fresh = NameDraw(np.full(50, 2, dtype=np.int16), 1.0), list(range(20))
    draw.pick(np.random.default_rng(2), fresh, 3)
    assert draw._compiled is not None
    for make_copy in (copy.deepcopy, lambda d: pickle.loads(pickle.dumps(d))):
        copied = make_copy(draw)
        assert copied._compiled is None
        assert copied.pick(np.random.default_rng(5), fresh, 3) == draw.pick(np.random.default_rng(5), fresh, 3)


def test_names_are_drawn_from_the_models_generator_after_reset_rng(monkeypatch):
    """Mesa's ``reset_rng`` gives the model a new Generator; names come from it, compiled or
    not (a draw that kept the first Generator made the two paths differ)."""
    params = small_params(("nfl", 6), ("polite", 6), people=400, horizon=40)
    logs = []
    for fast in (False, True):
        monkeypatch.setattr(compiled, "AVAILABLE", fast)
        model = NetworkingModel(params, seed=7)
        for _ in range(10):
            model.step()
        model.reset_rng(123)
        logs.append(model.run().events.frame())
    pd.testing.assert_frame_equal(logs[0], logs[1], check_exact=True)
