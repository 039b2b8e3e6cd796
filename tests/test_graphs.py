"""Graph generators and edge-list loading produce valid symmetric CSR graphs."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.model.params import GRAPH_KINDS, GraphParams
from sim.model.state.graphs import (
    TIER_STRENGTHS,
    EdgeListError,
    Graph,
    build_graph,
    csr_from_edges,
    load_edge_list,
    tier_of,
)

SHARES = (0.3, 0.4, 0.2, 0.1)


def assert_valid(g: Graph) -> None:
    """Symmetric, sorted, no self loops, no duplicates, strengths in (0, 1]."""
    rows = np.repeat(np.arange(g.n), g.degree())
    assert not np.any(rows == g.indices)
    for i in range(g.n):
        nb = g.neighbors(i)
        assert np.all(np.diff(nb) > 0)
    mirror = g.mirror()
    assert np.array_equal(g.indices[mirror], rows)
    assert np.array_equal(g.strength[mirror], g.strength)
    assert np.all((g.strength > 0) & (g.strength <= 1))


@pytest.mark.parametrize("kind", [k for k in GRAPH_KINDS if k != "edge_list"])
def test_generators_give_valid_graphs_near_the_requested_degree(kind):
    params = GraphParams(kind=kind, people=600, mean_degree=10)
    g = build_graph(params, industries=3, rng=np.random.default_rng(1))
    assert g.n == 600
    assert_valid(g)
    assert g.degree().mean() == pytest.approx(10, rel=0.12)


def test_watts_strogatz_keeps_most_ties_inside_an_industry_segment():
    g = build_graph(
        GraphParams(kind="watts_strogatz", people=1000, mean_degree=10, rewire_prob=0.1),
        4,
        np.random.default_rng(2),
    )
    rows = np.repeat(np.arange(g.n), g.degree())
    inside = (g.communities[rows] == g.communities[g.indices]).mean()
    assert inside > 0.85


def test_sbm_within_industry_share_matches_parameter():
    g = build_graph(GraphParams(kind="sbm", people=2000, mean_degree=20, within_industry_share=0.7), 4,
                    np.random.default_rng(3))  # fmt: skip
    rows = np.repeat(np.arange(g.n), g.degree())
    inside = (g.communities[rows] == g.communities[g.indices]).mean()
    # 20,000 edges: the binomial standard error of the share is about 0.003.
    assert inside == pytest.approx(0.7, abs=0.02)


def test_tier_shares_are_respected():
    g = build_graph(GraphParams(people=3000, mean_degree=20), 4, np.random.default_rng(4))
    shares = np.bincount(tier_of(g.strength), minlength=4) / len(g.strength)
    # 30,000 edges: standard error below 0.003 for each share.
    assert shares == pytest.approx(SHARES, abs=0.015)
    assert set(np.unique(g.strength)) <= set(TIER_STRENGTHS)


def test_same_seed_same_graph_different_seed_different_graph():
    params = GraphParams(people=300, mean_degree=8)
    a = build_graph(params, 2, np.random.default_rng(7))
    b = build_graph(params, 2, np.random.default_rng(7))
    c = build_graph(params, 2, np.random.default_rng(8))
    assert np.array_equal(a.indices, b.indices) and np.array_equal(a.strength, b.strength)
    assert not (np.array_equal(a.indptr, c.indptr) and np.array_equal(a.indices, c.indices))


@settings(max_examples=40, deadline=None)
@given(
    edges=st.lists(
        st.tuples(st.integers(0, 14), st.integers(0, 14), st.floats(0.01, 1.0)), min_size=1, max_size=60
    )
)
def test_csr_from_edges_is_symmetric_deduplicated_and_keeps_the_strongest(edges):
    u, v, w = (np.array(x) for x in zip(*edges, strict=True))
    indptr, indices, strength = csr_from_edges(15, u, v, w)
    g = Graph(indptr, indices, strength)
    assert_valid(g) if g.indices.size else None
    expected: dict[tuple[int, int], float] = {}
    for a, b, s in edges:
        if a != b:
            key = (min(a, b), max(a, b))
            expected[key] = max(expected.get(key, 0.0), s)
    assert g.edge_count == len(expected)
    for (a, b), s in expected.items():
        assert g.strength[g.slot(a, b)] == s


def test_mutual_count_matches_brute_force():
    g = build_graph(GraphParams(people=200, mean_degree=10), 2, np.random.default_rng(5))
    for i, j in [(0, 1), (3, 4), (10, 150)]:
        brute = len(set(g.neighbors(i).tolist()) & set(g.neighbors(j).tolist()))
        assert g.mutual_count(i, j) == brute


def test_edge_list_with_labels_tiers_and_numbers(tmp_path):
    path = tmp_path / "net.txt"
    path.write_text(
        "# who knows whom\nann bob meaningful\nbob cy 0.4\ncy, dee\nann cy familiar  # a comment\n"
    )
    g = load_edge_list(path, SHARES, np.random.default_rng(0))
    assert g.labels == ("ann", "bob", "cy", "dee")
    assert g.edge_count == 4
    assert g.strength[g.slot(0, 1)] == pytest.approx(0.9)
    assert g.strength[g.slot(1, 2)] == pytest.approx(0.4)
    assert g.strength[g.slot(0, 2)] == pytest.approx(0.4)
    assert g.strength[g.slot(2, 3)] in TIER_STRENGTHS  # drawn from the tier shares


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a b c d\n", "line 1"),
        ("a b\nb c 1.5\n", "line 2"),
        ("a b nonsense\n", "line 1"),
        ("# nothing\n", "no edges"),
    ],
)
def test_bad_edge_lists_are_reported_with_file_and_line(tmp_path, text, message):
    path = tmp_path / "bad.txt"
    path.write_text(text)
    with pytest.raises(EdgeListError, match=message) as info:
        load_edge_list(path, SHARES, np.random.default_rng(0))
    assert str(path) in str(info.value)


def test_missing_edge_list_is_a_clear_error(tmp_path):
    with pytest.raises(EdgeListError, match="cannot read"):
        load_edge_list(tmp_path / "absent.txt", SHARES, np.random.default_rng(0))


@given(st.lists(st.integers(0, 40), max_size=400), st.integers(0, 20))
@settings(max_examples=200, deadline=None)
def test_the_counting_sort_is_numpys_stable_argsort(keys, spare):
    """Graph building sorts node ids by counting (compiled) or with numpy: the same order."""
    from sim.model import kernels as compiled
    from sim.model.state.graphs import stable_order

    keys = np.asarray(keys, dtype=np.int64)
    bins = (int(keys.max()) + 1 if keys.size else 1) + spare
    expected = np.argsort(keys, kind="stable")
    for narrow in (keys, keys.astype(np.int32)):
        assert np.array_equal(stable_order(narrow, bins), expected)
    if compiled.INSTALLED:
        from sim.model.kernels.graph import counting_order

        assert np.array_equal(counting_order(keys, bins), expected)


@settings(max_examples=200, deadline=None)
@given(
    edges=st.lists(
        st.tuples(st.integers(0, 20), st.integers(0, 20), st.sampled_from([0.1, 0.5, 0.5, 1.0, 0.0, -0.0])),
        max_size=120,
    ),
    n=st.integers(21, 30),
)
def test_the_compiled_csr_builder_makes_the_numpy_builders_arrays(edges, n):
    """Duplicates (equal strengths too, and 0.0 against -0.0), self loops, isolated people:
    the same three arrays, byte for byte, with numba on as off."""
    from sim.model import kernels as compiled

    if not compiled.INSTALLED:
        pytest.skip("numba is not installed")
    u, v, w = (
        (np.array(x) for x in zip(*edges, strict=True))
        if edges
        else (np.zeros(0, int), np.zeros(0, int), np.zeros(0))
    )
    before = compiled.AVAILABLE
    try:
        compiled.AVAILABLE = False
        expected = csr_from_edges(n, u, v, w)
        compiled.AVAILABLE = True
        built = csr_from_edges(n, u, v, w)
    finally:
        compiled.AVAILABLE = before
    for ours, theirs in zip(built, expected, strict=True):
        assert ours.dtype == theirs.dtype and ours.tobytes() == theirs.tobytes()  # signed zeros too
