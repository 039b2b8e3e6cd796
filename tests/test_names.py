"""Name draws (sim/model/mechanisms/names.py): the per-person weights are numpy's, and a run draws names
from the model's current Generator. The draws themselves are checked against
``Generator.choice`` in ``tests/test_sampling.py``, and the compiled names offered against
the reference in ``tests/test_compiled_call.py``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.model import kernels as compiled
from sim.model.model import NetworkingModel
from sim.model.state.names import NameDraw
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
