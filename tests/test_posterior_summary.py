"""The numbers a calibration hands over as defaults: weighted quantiles of its posterior."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.research.posterior import INTERVAL, posterior_summary, weighted_quantiles

values = st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=40)
levels = st.lists(st.floats(0, 1), min_size=1, max_size=5)


@given(values, levels)
def test_equal_weights_give_numpys_inverted_cdf_quantiles(xs, qs):
    expected = np.quantile(xs, qs, method="inverted_cdf")
    assert weighted_quantiles(xs, [1.0] * len(xs), qs).tolist() == expected.tolist()


@given(values, st.data())
def test_scaled_weights_and_weightless_particles_change_nothing(xs, data):
    weights = data.draw(st.lists(st.floats(0.01, 100), min_size=len(xs), max_size=len(xs)))
    scale = data.draw(st.sampled_from([0.5, 3.0, 1024.0]))
    ghosts = data.draw(st.lists(st.floats(-1e6, 1e6, allow_nan=False), max_size=5))
    plain = weighted_quantiles(xs, weights, INTERVAL)
    scaled = weighted_quantiles(xs + ghosts, [w * scale for w in weights] + [0.0] * len(ghosts), INTERVAL)
    assert scaled.tolist() == plain.tolist()


def test_a_particle_holding_most_of_the_weight_is_the_median_but_not_both_ends():
    xs, weights = [1.0, 2.0, 3.0, 4.0, 5.0], [0.02, 0.02, 0.92, 0.02, 0.02]
    assert weighted_quantiles(xs, weights, INTERVAL).tolist() == [2.0, 3.0, 4.0]


def test_the_summary_has_one_row_per_parameter_and_the_median_inside_its_interval():
    posterior = pd.DataFrame({"a.x": [3.0, 1.0, 2.0], "a.y": [10.0, 30.0, 20.0], "weight": [1.0, 1.0, 2.0]})
    summary = posterior_summary(posterior)
    assert summary["parameter"].tolist() == ["a.x", "a.y"]
    assert summary[["low", "median", "high"]].values.tolist() == [[1.0, 2.0, 3.0], [10.0, 20.0, 30.0]]


@pytest.mark.parametrize(
    ("xs", "weights"), [([], []), ([1.0, 2.0], [1.0]), ([1.0], [-1.0]), ([1.0, 2.0], [0.0, 0.0])]
)
def test_bad_weights_are_refused(xs, weights):
    with pytest.raises(ValueError):
        weighted_quantiles(xs, weights, [0.5])
