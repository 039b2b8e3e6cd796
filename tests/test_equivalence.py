"""The fast paths give the results of the straightforward ones (issue 5).

Each optimisation is checked against a reference written the obvious way: the tie-lookup
cache against a binary search of the CSR row, the indexed market against a scan of every
open opening, the counting CSR builder and mirror against sorting, lazy decays against an
eager sweep every day. The model-level tests swap the references in and require the same
event log, row for row.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import sim
import sim.model.model as model_module
from sim.model.mechanisms import hiring
from sim.model.params import GraphParams, MarketParams, PopulationParams, TieParams
from sim.model.state.graphs import build_graph, csr_from_edges
from sim.model.state.market import ID_MASK, Market
from sim.model.state.opinions import OpinionBook
from sim.model.state.world import Ties, decay_factor, make_people
from tests.worlds import BRISK_HIRING, small_params


# --- references ---------------------------------------------------------------------------
class ScanningMarket(Market):
    """The market answering every query by scanning all open openings (the pre-index code)."""

    def fitting_open(self, industry, level):
        return [o for o in self.open_openings() if self.fits(o, industry, level)]

    def fitting_near(self, managers, industry, level):
        near = set(managers)
        return [o for o in self.open_openings() if o.manager in near and self.fits(o, industry, level)]

    def pick_fitting(self, industry, level, skip, rng):
        options = [o for o in self.fitting_open(industry, level) if o.id not in skip]
        return options[int(rng.integers(len(options)))] if options else None


def reference_csr(n, u, v, w):
    """Sort-based CSR: keep the strongest of duplicate edges, let scipy order the rows."""
    u, v, w = (np.asarray(a) for a in (u, v, w))
    keep = u != v
    u, v, w = u[keep], v[keep], w[keep].astype(float)
    lo, hi = np.minimum(u, v), np.maximum(u, v)
    order = np.lexsort((-w, lo * n + hi))
    lo, hi, w = lo[order], hi[order], w[order]
    first = np.ones(len(lo), dtype=bool)
    first[1:] = (lo[1:] != lo[:-1]) | (hi[1:] != hi[:-1])
    lo, hi, w = lo[first], hi[first], w[first]
    mat = sp.csr_matrix(
        (np.concatenate([w, w]), (np.concatenate([lo, hi]), np.concatenate([hi, lo]))), shape=(n, n)
    )
    mat.sort_indices()
    return mat.indptr, mat.indices, mat.data


def run_tables(params, seed):
    tables = sim.simulate(params, seed=seed)
    return tables.seekers, tables.events, tables.daily


def assert_same_tables(a, b):
    for x, y in zip(a, b, strict=True):
        pd.testing.assert_frame_equal(x, y, check_exact=True)


# --- graph building -----------------------------------------------------------------------
edges = st.lists(
    st.tuples(st.integers(0, 30), st.integers(0, 30), st.sampled_from([0.15, 0.4, 0.65, 0.9])),
    min_size=1,
    max_size=120,
)


@given(edges)
@settings(max_examples=60, deadline=None)
def test_counting_csr_equals_the_sorting_reference(edge_list):
    u, v, w = (np.array(c) for c in zip(*edge_list, strict=True))
    fast, slow = csr_from_edges(31, u, v, w), reference_csr(31, u, v, w)
    for a, b in zip(fast, slow, strict=True):
        assert np.array_equal(a, b)


def test_csr_builder_rejects_ids_out_of_range_and_missing_strengths():
    with pytest.raises(ValueError, match=r"\[0, 3\)"):
        csr_from_edges(3, np.array([0]), np.array([5]), np.array([0.4]))
    with pytest.raises(ValueError, match="NaN"):
        csr_from_edges(3, np.array([0, 0]), np.array([1, 1]), np.array([0.4, np.nan]))


@pytest.mark.parametrize("kind", ["watts_strogatz", "sbm", "barabasi_albert"])
def test_mirror_equals_the_lexsort_reference(kind):
    graph = build_graph(GraphParams(kind=kind, people=500, mean_degree=8), 4, np.random.default_rng(3))
    rows = np.repeat(np.arange(graph.n), graph.degree())
    reference = np.empty(len(rows), dtype=np.int64)
    reference[np.lexsort((rows, graph.indices))] = np.arange(len(rows))
    assert np.array_equal(graph.mirror(), reference)


# --- tie lookups --------------------------------------------------------------------------
@pytest.mark.parametrize("fast", [True, False], ids=["compiled", "python"])
@pytest.mark.parametrize("cache_rows", [100_000, 3])
def test_cached_tie_lookup_equals_binary_search(monkeypatch, cache_rows, fast):
    """With numba, lookups are compiled binary searches and nothing is cached; without it,
    from the cache, which starts afresh past its rows."""
    if fast:
        pytest.importorskip("numba")
    monkeypatch.setattr("sim.model.kernels.AVAILABLE", fast)
    monkeypatch.setattr("sim.model.state.world._SLOT_CACHE_ROWS", cache_rows)
    graph = build_graph(GraphParams(people=300, mean_degree=10), 3, np.random.default_rng(5))
    ties = Ties(graph, TieParams(), np.array([0, 1]), start_day=0)
    rng = np.random.default_rng(6)
    pairs = [(int(i), int(j)) for i, j in rng.integers(0, graph.n, size=(3000, 2))]
    pairs += [(i, int(j)) for i in range(0, graph.n, 7) for j in graph.neighbors(i)]
    assert [ties.slot(i, j) for i, j in pairs] == [graph.slot(i, j) for i, j in pairs]
    assert len(ties._slots) <= (0 if fast else cache_rows)


# --- the market ---------------------------------------------------------------------------
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_indexed_market_answers_as_a_full_scan(seed):
    graph = build_graph(GraphParams(people=2000, mean_degree=10), 4, np.random.default_rng(seed))
    people = make_people(graph, PopulationParams(hiring_manager_share=0.1), np.random.default_rng(seed))
    params = MarketParams(opening_rate=0.02, other_fill_rate=0.1, level_tolerance=1)
    fast, slow = Market(people, params), ScanningMarket(people, params)
    rng_fast, rng_slow, probe = (
        np.random.default_rng(seed),
        np.random.default_rng(seed),
        np.random.default_rng(99),
    )
    levels = range(0, int(people.level.max()) + 3)  # 0 and above the top: no seeker has them

    def check(day):
        assert [o.id for o in fast.open_openings()] == [o.id for o in slow.open_openings()]
        assert np.flatnonzero(fast.has_open).tolist() == sorted(fast.open_by_manager)
        assert fast._accepting == {o.id for o in fast.openings if o.accepting}
        for industry in range(4):
            for level in levels:
                indexed = [fast.openings[key & ID_MASK] for key in fast._fitting_keys(industry, level)]
                assert [o.id for o in indexed] == [o.id for o in slow.fitting_open(industry, level)]
                managers = probe.choice(slow.managers, size=40)
                assert [o.id for o in fast.fitting_near(managers, industry, level)] == [
                    o.id for o in slow.fitting_near(managers, industry, level)
                ]
                skip = {o.id for o in slow.open_openings() if probe.random() < 0.3} | {10**6}
                skip |= {o.id for o in slow.openings if not o.is_open and probe.random() < 0.5}
                draw = int(probe.integers(2**32))
                a = fast.pick_fitting(industry, level, skip, np.random.default_rng(draw))
                b = slow.pick_fitting(industry, level, skip, np.random.default_rng(draw))
                assert (a and a.id) == (b and b.id)

    for day in range(40):  # both markets in lockstep: arrivals, closings, a few fills
        for market, rng in ((fast, rng_fast), (slow, rng_slow)):
            market.arrivals(day, rng)
            market.close_by_other_channels(day, rng)
            for opening in market.open_openings()[: int(rng.integers(0, 3))]:
                market.fill(opening, day, 0, "network")
        check(day)
    assert len(fast.openings) == len(slow.openings) > 50


def test_job_talk_finds_the_openings_the_old_rule_found_including_introduced_ties():
    """Old rule: every fitting open opening not yet considered, kept when the contact has a
    tie of positive strength to its manager. New: only the contact's own ties are looked at."""
    busy = {"market.opening_rate": 0.05, "population.hiring_manager_share": 0.1, **BRISK_HIRING}
    model = sim.NetworkingModel(
        small_params(("balanced", 6), ("nfl", 4), people=500, horizon=200, **busy), seed=3
    )
    for _ in range(40):
        model.step()
    market, ties, rng = model.market, model.ties, np.random.default_rng(4)
    managers = sorted(market.open_by_manager)
    for person in rng.choice(
        model.graph.n, size=60, replace=False
    ).tolist():  # ties to managers with openings
        ties.add_tie(person, int(rng.choice(managers)), model.day)
    checked = 0
    for seeker in model.seekers:
        industry, level = int(model.people.industry[seeker.person]), int(model.people.level[seeker.person])
        fitting = [
            o
            for o in market.open_openings()
            if o.accepting and market.fits(o, industry, level) and o.id not in seeker.considered
        ]  # an opening whose pool is screened takes no more applications
        for person in range(model.graph.n):
            old = [
                o.id
                for o in fitting
                if o.manager != person and ties.strength(person, o.manager, model.day) > 0
            ]
            near = hiring._fitting_near(model, seeker, person)
            # job_talk tells of those whose manager she is still tied to (a tie can be worn to 0)
            assert [o.id for o in near if ties.strength(person, o.manager, model.day) > 0] == old
            checked += bool(old)
    assert checked > 50 and ties.introduced.size > 0  # many (seeker, contact) pairs with openings


# --- lazy decays --------------------------------------------------------------------------
def test_lazy_tie_decay_equals_an_eager_daily_sweep():
    graph = build_graph(GraphParams(people=200, mean_degree=8), 2, np.random.default_rng(7))
    params = TieParams()
    seeker = 0
    ties = Ties(graph, params, np.array([seeker]), start_day=0)
    contacts = graph.neighbors(seeker).tolist()
    eager = {c: float(graph.strength[graph.slot(seeker, c)]) for c in contacts}
    daily = float(decay_factor(1.0, params.decay_half_life))
    rng = np.random.default_rng(8)
    for day in range(1, 200):
        for c in contacts:  # the eager reference: every tie decays every day
            eager[c] = (
                params.floor + (eager[c] - params.floor) * daily if eager[c] > params.floor else eager[c]
            )
        if rng.random() < 0.1:
            c = int(rng.choice(contacts))
            ties.touch(seeker, c, day)
            eager[c] = min(1.0, eager[c] + params.touch_boost)
        for c in contacts:
            assert ties.strength(seeker, c, day) == pytest.approx(eager[c], abs=1e-9)
            assert ties.strength(c, seeker, day) == pytest.approx(eager[c], abs=1e-9)


def test_lazy_goodwill_equals_an_eager_daily_sweep():
    book = OpinionBook(1, goodwill_half_life=30.0)
    row = book.ensure(5, 0)
    eager, daily = 0.0, float(decay_factor(1.0, 30.0))
    rng = np.random.default_rng(9)
    for day in range(1, 300):
        eager *= daily
        if rng.random() < 0.05:
            book.add_goodwill(row, 1.0, day)
            eager += 1.0
        assert book.goodwill_at(row, day) == pytest.approx(eager, abs=1e-9)


# --- the whole model ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("groups", "overrides"),
    [
        ((("polite", 6), ("nfl", 6), ("targeted", 4)), {}),
        ((("balanced", 8), ("nfl", 8)), {"graph.kind": "sbm", "market.opening_rate": 0.01}),
    ],
)
def test_model_with_reference_market_and_lookups_logs_the_same_events(monkeypatch, groups, overrides):
    """The same seed gives the same event log, row for row, with the fast paths swapped out."""
    params = small_params(*groups, people=600, horizon=90, **overrides)
    fast = run_tables(params, seed=4)
    monkeypatch.setattr(model_module, "Market", ScanningMarket)
    monkeypatch.setattr(Ties, "slot", lambda self, i, j: self.graph.slot(i, j))
    slow = run_tables(params, seed=4)
    assert len(fast[1]) > 500  # a busy log, so that the comparison means something
    assert_same_tables(fast, slow)


@given(
    st.lists(st.floats(0, 2000, allow_nan=False), min_size=1, max_size=50),
    st.sampled_from([3.5, 14.0, 30.0, 365.0]),
)
def test_memoised_scalar_decay_equals_the_numpy_computation(elapsed, half_life):
    vectorised = decay_factor(np.array(elapsed), half_life)
    assert [decay_factor(e, half_life) for e in elapsed] == vectorised.tolist()
    assert [decay_factor(e, half_life) for e in elapsed] == vectorised.tolist()  # from the memo


def test_decay_memo_is_bounded(monkeypatch):
    monkeypatch.setattr("sim.model.state.world._DECAY_CACHE_SIZE", 10)
    for day in range(100):
        decay_factor(float(day), 7.0)
    from sim.model.state.world import _DECAY_CACHE

    assert len(_DECAY_CACHE) <= 10
