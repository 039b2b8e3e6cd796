"""Hiring as a process (issue 14, part 1; ``market.hiring: pool``): openings gather a pool of
candidates for a window, the manager screens them once on one score (eq. 20), interviews a
shortlist and makes an offer after a lag; a seeker already hired declines and the opening
goes to the next."""

from __future__ import annotations

import pandas as pd
import pytest

import sim
from sim.model import equations as eq
from sim.model.mechanisms import hiring
from sim.model.model import NetworkingModel
from sim.model.records import HireRecord
from sim.model.seekers import Seeker
from tests.worlds import both_ways, small_params

POOL = {"market.hiring": "pool", "market.opening_rate": 0.01, "market.application_window_days": 14,
        "market.offer_lag_days": 5, "market.outside_applicants_per_day": 0.3}  # fmt: skip


@pytest.fixture(scope="module")
def run():
    params = small_params(("polite", 10), ("nfl", 10), people=600, horizon=150, **POOL)
    return NetworkingModel(params, seed=3).run()


def new_opening(model):
    """The first opening to arrive (openings arrive as a Poisson process)."""
    while True:
        arrived = model.market.arrivals(model.day, model.rng)
        if arrived:
            return arrived[0]


def test_the_score_rises_with_quality_referral_and_the_managers_view():
    base = eq.screening_score(0.0, 0.5, 0.5, 0.0, 1.0, 2.0)
    assert eq.screening_score(1.0, 0.5, 0.5, 0.0, 1.0, 2.0) > base
    assert eq.screening_score(0.0, 0.9, 0.5, 0.0, 1.0, 2.0) > base
    assert eq.screening_score(0.0, 0.5, 0.8, 0.0, 1.0, 2.0) > base
    assert eq.screening_score(0.0, 0.5, 0.5, 0.0, 1.0, 2.0) == pytest.approx(0.5)


def test_no_one_is_hired_before_the_window_and_the_lag_are_over(run):
    p = run.params.market
    hires = [s.record.hire for s in run.seekers if s.hired]
    assert len(hires) >= 3
    for hire in hires:
        opening = run.market.openings[hire.opening]
        assert hire.day == opening.opened_day + p.application_window_days + p.offer_lag_days
        assert opening.filled_by is not None and opening.channel == hire.channel


def test_each_pool_is_screened_once_and_only_its_shortlist_interviewed(run):
    events = run.events.frame()
    interviews = int((events.kind == "interview").sum())
    screened = [o for o in run.market.openings if not o.accepting]
    assert screened and all(len(o.shortlist) <= run.params.market.shortlist_size for o in screened)
    shortlisted = sum(1 for o in screened for s in o.shortlist if s is not None)
    assert interviews == shortlisted
    assert {"network", "other"} <= set(events.loc[events.kind == "application", "outcome"].dropna())


def test_openings_let_go_of_candidates_once_no_one_can_join_them(run):
    closed = [o for o in run.market.openings if not o.is_open]
    stopped = [o for o in run.market.openings if not o.accepting]
    assert closed and any(o.considered_count for o in closed)  # else the checks check nothing
    assert all(o.pool == [] for o in closed)  # the pool is screened before it closes
    assert all(o.considered_by == set() for o in stopped)
    assert sum(o.considered_count for o in stopped) > 0  # the number is kept


def test_a_declined_offer_passes_the_opening_to_the_next_candidate(run):
    model = NetworkingModel(small_params(("polite", 3), people=400, horizon=5, **POOL), seed=1)
    first, second = model.seekers[0], model.seekers[1]
    first.record.hire = HireRecord(1, "other", None, None, None, -1)  # she took another job,
    model.hired[0], model.searching[0] = True, False  # which takes her out of the search
    opening = new_opening(model)
    opening.pool = [(0, "network", None, 0), (1, "other", None, None)]
    opening.shortlist = list(opening.pool)
    model.market.stop_accepting(opening)
    hiring._offer(model, opening)
    assert second.hired and second.record.hire.opening == opening.id and opening.filled_by == 1
    assert first.record.offers == 1 and second.record.offers == 1


def test_an_outside_candidate_on_top_fills_the_opening_from_outside():
    model = NetworkingModel(small_params(("polite", 2), people=400, horizon=5, **POOL), seed=2)
    opening = new_opening(model)
    opening.pool = [(0, "other", None, None)]
    opening.shortlist = [None, *opening.pool]
    model.market.stop_accepting(opening)
    hiring._offer(model, opening)
    assert opening.channel == "outside" and not model.seekers[0].hired


@pytest.mark.parametrize("record_events", [False, True], ids=["whole calls", "call steps"])
def test_the_pool_runs_the_same_compiled_and_in_python(monkeypatch, record_events):
    params = small_params(
        ("polite", 6), ("nfl", 6), people=500, horizon=120, record_events=record_events, **POOL
    )
    fast = both_ways(params, 5, monkeypatch)
    assert fast.seekers["interviews"].sum() > 0


def test_instant_hiring_runs_the_same_compiled_and_in_python(monkeypatch):
    params = small_params(("polite", 6), ("nfl", 6), people=500, horizon=120, **{"market.hiring": "instant"})
    fast = both_ways(params, 5, monkeypatch)
    assert fast.seekers["hired"].sum() > 0


def test_the_duration_signal_grows_by_month_then_stops():
    month = eq.DAYS_PER_MONTH
    assert eq.duration_signal(0.0, 0.3, 8.0) == 0.0
    assert eq.duration_signal(2 * month, 0.3, 8.0) == pytest.approx(0.6)
    assert (
        eq.duration_signal(8 * month, 0.3, 8.0)
        == eq.duration_signal(20 * month, 0.3, 8.0)
        == pytest.approx(2.4)
    )
    assert eq.duration_signal(5 * month, 0.0, 8.0) == 0.0


@pytest.mark.parametrize("penalty", [0.0, 1.5])
def test_a_long_search_costs_a_candidate_her_place_only_with_a_duration_penalty(penalty):
    """Two candidates in one pool, the long searcher slightly better: without the penalty she
    is shortlisted; with it (Kroft et al. 2013), the fresh one is."""
    overrides = {**POOL, "market.outside_applicants_per_day": 0.0, "market.screening_noise": 0.0,
                 "market.shortlist_size": 1, "market.duration_penalty": penalty}  # fmt: skip
    model = NetworkingModel(small_params(("polite", 2), people=400, horizon=300, **overrides), seed=4)
    old, fresh = model.seekers
    old.quality, fresh.quality = 0.70, 0.66
    model.loss_day[:] = [0, 200]
    model.searching[:] = True
    model.day = 240  # eight months into the one's search, forty days into the other's
    opening = new_opening(model)
    for seeker in (old, fresh):  # the manager knows neither: both start from a neutral view
        row = hiring.ensure_row(model, opening.manager, seeker.index, 0)  # may grow the columns
        model.book.opinion[row] = eq.NEUTRAL
    opening.pool = [(0, "other", None, None), (1, "other", None, None)]
    hiring._screen(model, opening)
    assert opening.shortlist == [opening.pool[0] if penalty == 0 else opening.pool[1]]
    gap = hiring._score(model, old, opening.manager, None, None, 0.0) - hiring._score(
        model, fresh, opening.manager, None, None, 0.0
    )
    quality_gap = (old.quality - fresh.quality) / model.params.population.seeker_quality_sd
    month = eq.DAYS_PER_MONTH
    assert gap == pytest.approx(quality_gap - penalty * (min(240 / month, 8.0) - 40 / month))


def fill_book(model, seeker_index):
    """Add pairs until the opinion book's columns are full, so that the next new pair grows
    them (the columns are then new arrays)."""
    book, person = model.book, 0
    while book.size < len(book.opinion):
        book.ensure(person, seeker_index)
        person += 1


@pytest.mark.parametrize("compiled", [True, False])
def test_scoring_and_interviewing_a_new_pair_on_a_full_book_reads_the_grown_columns(monkeypatch, compiled):
    """The manager's row is made while the candidate is scored and interviewed; when that
    grows the book, the score and the ``met`` mark go to the new columns (a stale column
    raised IndexError)."""
    if not compiled:
        monkeypatch.setattr("sim.model.kernels.AVAILABLE", False)
    model = NetworkingModel(small_params(("polite", 3), people=400, horizon=5, **POOL), seed=4)
    seeker, opening = model.seekers[0], new_opening(model)
    manager = opening.manager
    assert model.book.row(manager, seeker.index) < 0
    fill_book(model, seeker_index=2)
    capacity = len(model.book.opinion)
    hiring._score(model, seeker, manager, None, 0, 0.0)
    assert len(model.book.opinion) > capacity
    fill_book(model, seeker_index=2)
    other = model.seekers[1]
    assert model.book.row(opening.manager, other.index) < 0
    hiring._interview_in_pool(model, (other.index, "other", None, None), opening)
    assert model.book.met[model.book.row(opening.manager, other.index)]


def test_a_manager_who_told_the_seeker_herself_scores_her_as_a_referrer_would():
    """A candidate who heard of the opening from the hiring manager is screened with the
    manager's own view in the referral term (she refers the seeker to herself); before, the
    term was 0, so a candidate the manager knew scored below a stranger's referral."""
    overrides = {**POOL, "market.referral_weight": 2.0, "market.opinion_weight": 1.0}
    model = NetworkingModel(small_params(("polite", 1), people=400, horizon=30, **overrides), seed=4)
    seeker, opening = model.seekers[0], new_opening(model)
    manager = opening.manager
    row = hiring.ensure_row(model, manager, seeker.index, 0)  # may grow the columns: row first
    model.book.opinion[row] = 0.7
    formal = hiring._score(model, seeker, manager, None, None, 0.0)
    told_by_manager = hiring._score(model, seeker, manager, manager, 0, 0.0)
    assert told_by_manager - formal == pytest.approx(2.0 * 0.7)


@pytest.mark.parametrize("told_by", ["manager", "contact", "nobody"])
def test_the_hire_records_granovetters_information_chain(told_by):
    """``info_hops``: 0 when the manager told the seeker herself, 1 when someone else told
    her (who had it from the manager), None for a formal application; whatever chain of
    names (``hops``) brought her to the informant."""
    model = NetworkingModel(small_params(("polite", 1), people=400, horizon=30, **POOL), seed=4)
    seeker, opening = model.seekers[0], new_opening(model)
    informant = {"manager": opening.manager, "contact": (opening.manager + 1) % 400, "nobody": None}[told_by]
    channel = "other" if informant is None else "network"
    hiring._hire(model, seeker, opening, informant, None if informant is None else 3, channel)
    assert seeker.record.hire.info_hops == {"manager": 0, "contact": 1, "nobody": None}[told_by]
    assert seeker.record.hire.hops == (None if informant is None else 3)


@pytest.mark.parametrize("hiring", ["pool", "instant"])
def test_a_hired_seeker_lets_go_of_her_search_and_nothing_missed_it(monkeypatch, hiring):
    """``Seeker.end_search`` frees what only the search reads; the run's tables are the same
    as when she keeps it all, so nothing read it after the hire."""
    params = small_params(
        ("polite", 6),
        ("nfl", 6),
        people=500,
        horizon=120,
        record_events=True,
        **{**POOL, "market.hiring": hiring},
    )
    freed = sim.simulate(params, seed=5)
    model = NetworkingModel(params, seed=5).run()
    hired = [s for s in model.seekers if s.hired]
    assert hired and all(len(s.leads) == 0 and len(s.known) == 0 and not s.considered for s in hired)
    monkeypatch.setattr(Seeker, "end_search", lambda self: None)
    kept = sim.simulate(params, seed=5)
    for name in ("seekers", "daily", "events"):
        pd.testing.assert_frame_equal(getattr(freed, name), getattr(kept, name), check_exact=True)
