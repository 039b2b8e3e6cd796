"""Name draws (sim/model/names.py): the per-person weights are numpy's, and the draws are the
same compiled or not. The draws themselves are checked against ``Generator.choice`` in
``tests/test_sampling.py``.
"""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.model import compiled
from sim.model.names import NameDraw

@given(st.floats(0.0, 4.0), st.integers(2, 8), st.integers(0, 2**32 - 1))
@settings(max_examples=100, deadline=None)
def test_name_weights_are_what_numpy_computes_for_the_drawn_people(bias, levels, seed):
    """The per-person weights come from a table by level: the same doubles as numpy's
    ``level.astype(float64) ** bias`` for the people of a draw."""
    rng = np.random.default_rng(seed)
    level = rng.integers(1, levels + 1, 300).astype(np.int16)
    draw = NameDraw(rng, level, bias)
    people = rng.choice(300, 25, replace=False)
    assert np.array_equal(draw.weight[people], level[people].astype(np.float64) ** bias)


def test_name_draw_compiled_and_python_agree(monkeypatch):
    pytest.importorskip("numba")
    level = np.random.default_rng(0).integers(1, 6, 500).astype(np.int16)
    results = []
    for fast in (True, False):
        monkeypatch.setattr(compiled, "AVAILABLE", fast)
        rng = np.random.default_rng(9)
        draw = NameDraw(rng, level, 1.7)
        picks = [draw.pick(list(range(k, k + 20)), 1 + k % 7) for k in range(0, 400, 13)]
        results.append((picks, rng.random()))
    assert results[0] == results[1]


def test_a_name_draw_copies_and_pickles_without_its_compiled_state():
    pytest.importorskip("numba")
    rng = np.random.default_rng(2)
    draw = NameDraw(rng, np.full(50, 2, dtype=np.int16), 1.0)
    draw.pick(list(range(20)), 3)
    assert draw._compiled is not None
    for make_copy in (copy.deepcopy, lambda d: pickle.loads(pickle.dumps(d))):
        copied = make_copy(draw)
        assert copied._compiled is None
        assert copied.pick(list(range(20)), 3) == draw.pick(list(range(20)), 3)
