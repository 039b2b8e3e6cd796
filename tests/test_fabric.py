"""A social fabric with structure (issue 14, part 2): the Toivonen et al. (2006) growth model
gives heavy-tailed degrees, dense circles and industries; ties ranked by overlap (Onnela et al.
2007) make strong ties the embedded ones; seniority can follow the number of contacts."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.model import kernels
from sim.model.kernels.fabric import common_neighbours, toivonen_edges
from sim.model.params import GraphParams, PopulationParams
from sim.model.state.graphs import TIER_STRENGTHS, build_graph, csr_from_edges, tiers_by_overlap
from sim.model.state.world import make_people


def toivonen(people=3000, seed=1, **changes):
    params = GraphParams(kind="toivonen", people=people, tie_strength="overlap", **changes)
    return build_graph(params, 4, np.random.default_rng(seed))


def transitivity(graph) -> float:
    """Closed triplets over all triplets (the global clustering coefficient)."""
    shared = common_neighbours(graph.indptr, graph.indices)
    degree = graph.degree()
    return float(shared.sum() / (degree * (degree - 1)).sum())


@pytest.fixture(scope="module")
def fabric():
    return toivonen()


def test_degrees_have_the_mean_asked_for_and_a_heavy_tail(fabric):
    degree = fabric.degree()
    assert degree.mean() == pytest.approx(20, rel=0.15)
    assert degree.std() / degree.mean() >= 0.5  # issue 14: coefficient of variation of at least 0.5
    assert degree.max() >= 4 * degree.mean()  # some people know many others
    assert degree.min() >= 1


def test_circles_are_dense_compared_with_random_ties_of_the_same_degrees(fabric):
    """Each secondary tie closes a triangle: clustering far above a random graph's k/n."""
    assert transitivity(fabric) > 10 * fabric.degree().mean() / fabric.n


def test_most_ties_stay_in_ones_industry_as_asked():
    def within(graph):
        row = np.repeat(np.arange(graph.n), graph.degree())
        return np.mean(graph.communities[row] == graph.communities[graph.indices])

    inside, mixed = (
        within(toivonen(2000, within_industry_share=0.9)),
        within(toivonen(2000, within_industry_share=0.0)),
    )
    assert inside > 0.5 > mixed


def test_strong_ties_have_more_mutual_contacts_than_weak_ones(fabric):
    """Issue 14: strong ties sit inside dense circles; weak ties bridge."""
    shared = common_neighbours(fabric.indptr, fabric.indices)
    weak, strong = shared[fabric.strength == TIER_STRENGTHS[0]], shared[fabric.strength == TIER_STRENGTHS[3]]
    assert strong.mean() >= 1.5 * weak.mean()


@given(shares=st.lists(st.integers(0, 10), min_size=4, max_size=4).filter(lambda s: sum(s) > 0))
@settings(max_examples=20, deadline=None)
def test_tiers_by_overlap_keep_the_shares_and_with_no_noise_follow_overlap(shares):
    graph = toivonen(400, seed=3)
    total = sum(shares)
    shares = tuple(s / total for s in shares)
    strength = tiers_by_overlap(graph.indptr, graph.indices, shares, 0.0, np.random.default_rng(0))
    ties = np.repeat(np.arange(graph.n), graph.degree()) < graph.indices
    counts = [np.sum(strength[ties] == s) for s in TIER_STRENGTHS]
    assert all(abs(c - share * ties.sum()) <= 1 for c, share in zip(counts, shares, strict=True))
    mirror = graph.mirror()
    assert np.array_equal(strength, strength[mirror])  # both sides of a tie agree
    shared = common_neighbours(graph.indptr, graph.indices).astype(float)
    degree = graph.degree()
    row = np.repeat(np.arange(graph.n), degree)
    others = degree[row] + degree[graph.indices] - 2 - shared
    overlap = np.divide(shared, others, out=np.zeros_like(shared), where=others > 0)
    for low, high in itertools.pairwise(TIER_STRENGTHS):
        a, b = overlap[ties & (strength == low)], overlap[ties & (strength == high)]
        if a.size and b.size:
            assert a.max() <= b.min()


def test_drawn_strengths_are_left_as_they_were():
    """``drawn`` draws each tier independently, as before, whatever the generator."""
    params = GraphParams(kind="watts_strogatz", people=500, tie_strength="drawn")
    a = build_graph(params, 4, np.random.default_rng(5))
    u = np.repeat(np.arange(a.n), a.degree())
    ties = u < a.indices
    # drawn tiers do not follow structure: weak and strong ties share about as many contacts
    shared = common_neighbours(a.indptr, a.indices)
    weak, strong = (
        shared[ties & (a.strength == TIER_STRENGTHS[0])],
        shared[ties & (a.strength == TIER_STRENGTHS[3])],
    )
    assert strong.mean() < 1.3 * weak.mean()


@given(seed=st.integers(0, 2**32 - 1), n=st.integers(2, 300), industries=st.integers(1, 5),
       within=st.floats(0, 1), max_initial=st.integers(1, 6), max_secondary=st.integers(0, 4))  # fmt: skip
@settings(max_examples=40, deadline=None)
def test_the_compiled_fabric_is_the_python_one(seed, n, industries, within, max_initial, max_secondary):
    """The kernel and the same code run by Python make the same edges from the same draws."""
    if not kernels.INSTALLED:
        pytest.skip("numba is not installed")
    fast_rng, slow_rng = np.random.default_rng(seed), np.random.default_rng(seed)
    fast = toivonen_edges(n, industries, within, max_initial, max_secondary, fast_rng)
    slow = toivonen_edges.py_func(n, industries, within, max_initial, max_secondary, slow_rng)
    assert all(np.array_equal(a, b) for a, b in zip(fast, slow, strict=True))
    assert fast_rng.random() == slow_rng.random()
    u, v = fast
    assert np.all(u != v) and np.all(u < n) and np.all(v < n)
    pairs = set(zip(np.minimum(u, v).tolist(), np.maximum(u, v).tolist(), strict=True))
    assert len(pairs) == len(u)  # no tie made twice
    indptr, indices, _ = csr_from_edges(n, u, v, np.zeros(len(u)))
    assert np.array_equal(common_neighbours(indptr, indices), common_neighbours.py_func(indptr, indices))


def test_common_neighbours_counts_mutual_contacts(fabric):
    shared = common_neighbours(fabric.indptr, fabric.indices)
    for i in (0, 7, 123, 2999):
        for k in range(fabric.indptr[i], fabric.indptr[i + 1]):
            assert shared[k] == fabric.mutual_count(i, int(fabric.indices[k]))


def test_seniority_can_follow_the_number_of_contacts(fabric):
    rng = np.random.default_rng
    apart = make_people(fabric, PopulationParams(level_by_degree=0.0), rng(4))
    follows = make_people(fabric, PopulationParams(level_by_degree=1.0), rng(4))
    assert np.array_equal(np.sort(apart.level), np.sort(follows.level))  # the same pyramid
    degree = fabric.degree()
    means = [degree[follows.level == level].mean() for level in np.unique(follows.level)]
    assert means == sorted(means) and means[-1] > 2 * means[0]
    correlation = np.corrcoef(degree, apart.level)[0, 1]
    assert abs(correlation) < 0.1  # drawn regardless of contacts


def test_a_zero_weight_draws_levels_exactly_as_before(fabric):
    """A weight of 0 takes no extra draw, so every run made before with it keeps its people."""
    params = PopulationParams(level_by_degree=0.0)
    a, b = (
        make_people(fabric, params, np.random.default_rng(9)),
        make_people(fabric, params, np.random.default_rng(9)),
    )
    assert np.array_equal(a.level, b.level) and np.array_equal(a.busyness, b.busyness)
