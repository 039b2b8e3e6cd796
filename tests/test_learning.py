"""Seekers who adapt (issue 14, part 5): with ``pressure_learning``, each refusal and each
mop-up call about her makes a seeker push less; the presets keep their pressure."""

from __future__ import annotations

import pytest

import sim
from sim.model.model import NetworkingModel
from tests.worlds import both_ways, small_params


def test_the_presets_keep_their_pressure_and_adaptive_learns():
    assert all(s.pressure_learning == 0 for name, s in sim.PRESETS.items() if name != "adaptive")
    adaptive, nfl = sim.preset("adaptive"), sim.preset("nfl")
    assert adaptive.pressure_learning > 0
    assert adaptive.replace(name="nfl", pressure_learning=0.0) == nfl  # otherwise NFL's rules


def test_each_refusal_and_mop_up_takes_a_share_of_the_pressure():
    model = NetworkingModel(small_params(("adaptive", 1), people=200, horizon=1), seed=1)
    seeker = model.seekers[0]
    seeker.learn_from_call(refused=True, mop_ups=2)
    assert seeker.pressure == pytest.approx(0.9 * 0.9**3)
    fixed = NetworkingModel(small_params(("nfl", 1), people=200, horizon=1), seed=1).seekers[0]
    fixed.learn_from_call(refused=True, mop_ups=2)
    assert fixed.pressure == 0.9


@pytest.fixture(scope="module")
def runs():
    params = small_params(("adaptive", 8), ("nfl", 8), people=600, horizon=120, record_events=False)
    return [NetworkingModel(params, seed=seed).run() for seed in (1, 2, 3)]


def test_adaptive_seekers_end_the_search_pushing_less_and_nfl_ones_do_not(runs):
    for model in runs:
        adaptive = [s.pressure for s in model.seekers if s.strategy.name == "adaptive"]
        nfl = [s.pressure for s in model.seekers if s.strategy.name == "nfl"]
        assert set(nfl) == {0.9}
        assert max(adaptive) < 0.9 and sum(adaptive) / len(adaptive) < 0.5


def test_learning_runs_the_same_compiled_and_in_python(monkeypatch):
    params = small_params(("adaptive", 6), ("polite", 6), people=500, horizon=90, record_events=False)
    fast = both_ways(params, 4, monkeypatch)
    assert fast.seekers["calls"].sum() > 0
