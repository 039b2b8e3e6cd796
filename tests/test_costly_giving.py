"""Giving that costs (issue 14, part 4): a gift or an introduction takes time from the day; a
gift that does not fit the contact's need is worth less; favours done unasked spend the
goodwill behind them; introductions can fail."""

from __future__ import annotations

import mesa
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import sim
from sim.model import equations as eq
from sim.model.codes import CallOutcome
from sim.model.model import NetworkingModel
from sim.model.seekers import Seeker
from sim.model.state.leads import Lead
from sim.model.state.opinions import OpinionBook
from tests.worlds import both_ways, small_params

COSTLY = {
    "gift_cost": 0.5,
    "introduction_cost": 0.5,
    "contacts.gift_misfit": 0.3,
    "contacts.favour_spend": 0.5,
    "contacts.introduction_success": 0.6,
}


@given(misfit=st.floats(0, 1))
def test_a_gift_that_does_not_fit_is_worth_less(misfit):
    assert eq.gift_value(True, misfit) == eq.GIFT
    assert eq.gift_value(False, misfit) == pytest.approx(eq.GIFT * misfit)


def test_spending_goodwill_lowers_it_and_the_kept_total():
    book = OpinionBook(seekers=1, goodwill_half_life=1e9)
    row = book.ensure(5, 0)
    book.add_goodwill(row, 1.0, 1)
    book.remember_owed(2, [0], np.array([1.0]))
    book.spend_goodwill(row, 0.4, 2)
    assert book.goodwill_at(row, 2) == pytest.approx(0.6)
    assert book.owed_total(0, 2) == pytest.approx(0.6)  # the kept total is not used any more
    book.spend_goodwill(row, 5.0, 2)
    assert book.goodwill_at(row, 2) == 0.0


def calls_in_a_week(overrides: dict, seed: int) -> int:
    """Calls made in the first week, before hires take seekers out of the count."""
    params = small_params(("balanced", 10), people=500, horizon=7, record_events=False, **overrides)
    return int(sim.simulate(params, seed=seed).seekers["calls"].sum())


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_gifts_and_introductions_use_the_days_time(seed):
    free = calls_in_a_week({}, seed)
    costly = calls_in_a_week({"gift_cost": 1.0, "introduction_cost": 1.0}, seed)
    assert costly < free


class OneCallAtATime(mesa.Model):
    """Just enough of a run for a seeker's day: every call is a meeting with a gift."""

    def __init__(self, gift_cost: float) -> None:
        super().__init__(rng=0)
        self.params = sim.ModelParams(gift_cost=gift_cost)
        self.day, self.is_workday, self.calls = 1, True, 0

    def approach(self, seeker, lead):
        self.calls += 1
        seeker.effort += self.params.gift_cost
        return CallOutcome.MEETING


@pytest.mark.parametrize(("gift_cost", "calls"), [(0.0, 3), (0.5, 2), (1.0, 2)])
def test_a_day_holds_fewer_calls_when_each_carries_a_gift(gift_cost, calls):
    run = OneCallAtATime(gift_cost)
    seeker = Seeker(run, sim.preset("balanced", reluctance=0.0), 0, 0, 0.6)  # 3 appointments a day
    for target in range(1, 10):
        seeker.add_lead(Lead(target))
    seeker._reach_out(run)
    assert run.calls == calls


def test_introductions_can_fail_and_fail_as_often_as_asked():
    params = small_params(("polite", 10), people=500, horizon=90, **{"contacts.introduction_success": 0.5})
    events = sim.simulate(params, seed=4).events
    tried = events[events.kind == "introduction"]
    failed = (tried.outcome == "failed").fillna(False)
    assert len(tried) >= 40
    # a binomial share of 0.5 over the attempts, within four standard errors
    assert abs(failed.mean() - 0.5) <= 4 * (0.25 / len(tried)) ** 0.5
    sure = small_params(("polite", 10), people=500, horizon=90, **{"contacts.introduction_success": 1.0})
    never = sim.simulate(sure, seed=4).events
    assert not (never.outcome == "failed").fillna(False).any()


def test_unasked_favours_spend_goodwill():
    params = small_params(("polite", 10), people=500, horizon=120, record_events=False,
                          **{"contacts.favour_spend": 1.0, "contacts.unsolicited_intro_rate": 0.2})  # fmt: skip
    spent = NetworkingModel(params, seed=5).run()
    kept = NetworkingModel(small_params(("polite", 10), people=500, horizon=120, record_events=False,
                                        **{"contacts.favour_spend": 0.0, "contacts.unsolicited_intro_rate": 0.2}),
                           seed=5).run()  # fmt: skip
    assert spent.book.stored_goodwill().sum() < kept.book.stored_goodwill().sum()


@pytest.mark.parametrize("record_events", [False, True], ids=["whole calls", "call steps"])
def test_costly_giving_runs_the_same_compiled_and_in_python(monkeypatch, record_events):
    params = small_params(
        ("polite", 6), ("balanced", 6), people=500, horizon=90, record_events=record_events, **COSTLY
    )
    fast = both_ways(params, 9, monkeypatch)
    assert fast.seekers["gives"].sum() > 0
