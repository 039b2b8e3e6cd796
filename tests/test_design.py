"""Design points and seeds."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.experiment import load_experiment
from sim.experiment.config import SampleSpec
from sim.experiment.design import design_points, plan_runs, run_seed, sample_points

from .experiments import tiny_experiment

BOUNDS = {
    "contacts.gossip_rate": (0.1, 0.9),
    "graph.mean_degree": (6.0, 14.0),
    "market.opening_rate": (0.001, 0.01),
}


@pytest.mark.parametrize("method", ["lhs", "sobol"])
def test_sampled_points_lie_in_their_bounds_and_are_reproducible(method):
    spec = SampleSpec(method=method, n=16, bounds=BOUNDS, integers=["graph.mean_degree"])
    points = sample_points(spec, base_seed=3)
    assert len(points) == 16
    for point in points:
        for path, (low, high) in BOUNDS.items():
            assert low <= point[path] <= high
        assert isinstance(point["graph.mean_degree"], int)
    assert points == sample_points(spec, base_seed=3)
    assert points != sample_points(spec, base_seed=4)


def test_latin_hypercube_puts_one_point_in_each_stratum():
    spec = SampleSpec(
        method="lhs", n=10, bounds={"contacts.gossip_rate": (0.0, 1.0), "ties.floor": (0.0, 1.0)}
    )
    points = sample_points(spec, base_seed=11)
    for path in spec.bounds:
        strata = sorted(int(p[path] * 10) for p in points)
        assert strata == list(range(10))


def test_grid_points_and_sample_multiply(tmp_path):
    extra = """sweep:
  grid: {contacts.gossip_rate: [0.1, 0.2, 0.3], contacts.accept_fatigue: [0, 1]}
  points: [{market.offer_prob: 0.3}, {market.offer_prob: 0.5}]
  sample: {method: lhs, n: 2, bounds: {ties.floor: [0.1, 0.2]}}
"""
    experiment = load_experiment(tiny_experiment(tmp_path, extra=extra))
    points = design_points(experiment)
    assert len(points) == 3 * 2 * 2 * 2
    assert len({tuple(sorted(p.items())) for p in points}) == len(points)
    runs = plan_runs(experiment)
    assert len(runs) == len(points) * experiment.replications
    assert len({r.seed for r in runs}) == len(runs)


def test_no_sweep_is_one_point(tmp_path):
    assert design_points(load_experiment(tiny_experiment(tmp_path))) == [{}]


@settings(max_examples=50)
@given(seed=st.integers(0, 2**40), point=st.integers(0, 500), rep=st.integers(0, 500))
def test_a_runs_seed_depends_only_on_its_indices(seed, point, rep):
    value = run_seed(seed, point, rep)
    assert value == run_seed(seed, point, rep)
    assert 0 <= value < 2**63
    assert value != run_seed(seed, point, rep + 1)
    assert value != run_seed(seed, point + 1, rep)


def test_seeds_do_not_depend_on_how_many_runs_are_planned(tmp_path):
    few = plan_runs(load_experiment(tiny_experiment(tmp_path, replications=2)))
    many = plan_runs(load_experiment(tiny_experiment(tmp_path, replications=5)))
    assert [r.seed for r in few] == [r.seed for r in many[:2]]
    assert np.all([r.run_id == m.run_id for r, m in zip(few, many, strict=False)])
