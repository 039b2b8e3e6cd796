"""People, ties and fatigue: decays, upkeep, introductions, attribute ranges."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.model.params import GraphParams, PopulationParams, TieParams
from sim.model.state.graphs import build_graph
from sim.model.state.world import Fatigue, IntroducedTies, Ties, decay_factor, make_people


@pytest.fixture(scope="module")
def graph():
    return build_graph(GraphParams(people=300, mean_degree=10), 3, np.random.default_rng(11))


def test_people_attributes_are_in_range_and_managers_are_few(graph):
    pop = PopulationParams(hiring_manager_share=0.1)
    people = make_people(graph, pop, np.random.default_rng(1))
    assert people.n == graph.n
    assert np.all((people.busyness >= 0) & (people.busyness <= 1))
    assert np.all((people.protectiveness >= 0) & (people.protectiveness <= 1))
    assert set(np.unique(people.level)) <= set(range(1, pop.seniority_levels + 1))
    assert np.all(people.level[people.is_hiring_manager] >= 2)
    # 300 people at 10%: the binomial standard error is about 0.017.
    assert people.is_hiring_manager.mean() == pytest.approx(0.1, abs=0.06)
    assert np.array_equal(people.industry, graph.communities % pop.industries)


def test_seniority_is_a_pyramid(graph):
    big = build_graph(GraphParams(people=4000, mean_degree=4), 3, np.random.default_rng(2))
    people = make_people(big, PopulationParams(), np.random.default_rng(3))
    counts = np.bincount(people.level)[1:]
    assert np.all(np.diff(counts) < 0)


def seeker_tie(graph):
    """Seeker 0 and her strongest contact (above the unfamiliar floor)."""
    seeker = 0
    nbrs = graph.neighbors(seeker)
    contact = int(nbrs[np.argmax(graph.strength[graph.indptr[0] : graph.indptr[1]])])
    assert graph.strength[graph.slot(seeker, contact)] > TieParams().floor
    return seeker, contact


def test_unmaintained_ties_weaken_towards_the_floor(graph):
    """S7: ties weaken without contact."""
    params = TieParams(decay_half_life=100.0, floor=0.15)
    ties = Ties(graph, params, np.array([0]), start_day=0)
    seeker, contact = seeker_tie(graph)
    start = ties.strength(seeker, contact, 0)
    later = ties.strength(seeker, contact, 100)
    much_later = ties.strength(seeker, contact, 10_000)
    assert later == pytest.approx(params.floor + (start - params.floor) / 2)
    assert much_later == pytest.approx(params.floor, abs=1e-9)
    assert ties.strength(contact, seeker, 100) == later  # both directions alike


def test_a_contact_keeps_the_tie_up_and_strengthens_it(graph):
    params = TieParams(decay_half_life=50.0, touch_boost=0.05)
    ties = Ties(graph, params, np.array([0]), start_day=0)
    seeker, contact = seeker_tie(graph)
    untouched = Ties(graph, params, np.array([0]), start_day=0)
    ties.touch(seeker, contact, 30)
    assert ties.strength(seeker, contact, 30) == pytest.approx(
        min(1.0, untouched.strength(seeker, contact, 30) + 0.05)
    )
    assert ties.strength(seeker, contact, 90) > untouched.strength(seeker, contact, 90)


def test_ties_between_other_people_do_not_decay(graph):
    ties = Ties(graph, TieParams(decay_half_life=1.0), np.array([0]), start_day=0)
    far = next(i for i in range(1, graph.n) if graph.slot(i, 0) < 0)
    other = int(graph.neighbors(far)[0])
    assert other != 0
    assert ties.strength(far, other, 0) == ties.strength(far, other, 1000) > 0


def test_only_ties_that_touch_a_seeker_keep_a_day_one_place_per_tie(graph):
    seekers = np.array([0, 5, 17])
    ties = Ties(graph, TieParams(), seekers, start_day=0)
    owner = np.repeat(np.arange(graph.n), np.diff(graph.indptr))
    touches = np.isin(owner, seekers) | np.isin(graph.indices, seekers)
    places = ties.decay_slot
    assert np.array_equal(places >= 0, touches)
    assert np.array_equal(places, places[ties.reverse_slot])  # a tie's two slots share it
    kept = places[touches & (np.arange(len(places)) < ties.reverse_slot)]
    assert sorted(kept.tolist()) == list(range(len(ties.touched)))  # one place per tie


def test_vectorised_strengths_equal_one_by_one(graph):
    ties = Ties(graph, TieParams(decay_half_life=30.0), np.arange(0, 300, 7), start_day=0)
    ties.touch(0, int(graph.neighbors(0)[1]), 12)
    for person in (0, 7, 8):
        one_by_one = [ties.strength(person, int(j), 40) for j in graph.neighbors(person)]
        assert np.allclose(ties.strengths_from(person, 40), one_by_one, rtol=0, atol=1e-12)


def test_introductions_add_edges(graph):
    """S6: introduce your contacts to each other."""
    ties = Ties(graph, TieParams(introduced_strength=0.4), np.array([0]), start_day=0)
    a = 5
    b = next(j for j in range(graph.n) if j != a and graph.slot(a, j) < 0)
    assert ties.strength(a, b, 0) == 0.0
    assert ties.add_tie(a, b, 0)
    assert b in ties.neighbors(a) and a in ties.neighbors(b)
    assert ties.strength(a, b, 0) == 0.4 and ties.trust_in(b, a) == 0.4
    assert not ties.add_tie(a, b, 0)  # already tied
    assert not ties.add_tie(a, a, 0)


@pytest.mark.parametrize("compiled", [True, False], ids=["list walk", "dict"])
def test_introduced_entries_are_found_by_either_lookup(monkeypatch, compiled):
    """A store made with numba finds entries by walking the owner's list, one made without
    it by a dict; both find each tie's entry from either side, and nothing for strangers."""
    if compiled:
        pytest.importorskip("numba")
    monkeypatch.setattr("sim.model.kernels.AVAILABLE", compiled)
    store = IntroducedTies(50)
    rng = np.random.default_rng(3)
    made: dict[tuple[int, int], int] = {}
    for _ in range(200):
        i, j = rng.choice(50, size=2, replace=False).tolist()
        if (i, j) not in made:
            store.add(i, j, 0.4, 0)
            made[(i, j)], made[(j, i)] = store.size - 2, store.size - 1
    assert (store._entry is None) == compiled
    for i in range(50):
        for j in range(50):
            assert store.entry(i, j) == made.get((i, j), -1)


def test_trust_is_directional_and_bounded(graph):
    ties = Ties(graph, TieParams(), np.array([0]), start_day=0)
    i, j = 3, int(graph.neighbors(3)[0])
    before_ji = ties.trust_in(j, i)
    ties.lower_trust(i, j, 0.3)
    assert ties.trust_in(j, i) == before_ji
    ties.lower_trust(i, j, 5.0)
    assert ties.trust_in(i, j) == 0.0


@given(requests=st.lists(st.integers(0, 60), min_size=1, max_size=30), read_at=st.integers(0, 200))
def test_lazy_fatigue_equals_an_eager_daily_sweep(requests, read_at):
    """C5 bookkeeping: decaying on read gives the same value as decaying every day."""
    half_life = 14.0
    lazy = Fatigue(1, half_life, start_day=0)
    days = sorted(requests)
    for day in days:
        lazy.add_request(0, day)
    eager = 0.0
    end = max(read_at, days[-1])
    for day in range(end + 1):
        if day > 0:
            eager *= float(decay_factor(1, half_life))
        eager += days.count(day)
    assert lazy.level(0, end) == pytest.approx(eager, rel=1e-9)


def test_fatigue_accumulates_and_halves_with_its_half_life():
    fatigue = Fatigue(3, 10.0, start_day=0)
    for _ in range(4):
        fatigue.add_request(1, 5)
    assert fatigue.level(1, 5) == pytest.approx(4.0)
    assert fatigue.level(1, 15) == pytest.approx(2.0)
    assert fatigue.level(0, 15) == 0.0
    assert np.allclose(fatigue.levels(np.array([0, 1]), 15), [0.0, 2.0])


def test_a_models_graph_keeps_no_strengths_once_its_ties_hold_them():
    """The strengths live on only in the ties (152 MB less at a million people); the
    graph's structure is the ties' own."""
    from sim.model.model import NetworkingModel
    from tests.worlds import small_params

    model = NetworkingModel(small_params(), seed=1)
    graph = model.graph
    assert graph.strength.size == 0 and model.ties.graph is graph
    assert model.ties.level.size == model.ties.trust.size == len(graph.indices) > 0
    assert np.all((model.ties.level > 0) & (model.ties.level <= 1))
