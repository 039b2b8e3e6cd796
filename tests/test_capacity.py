"""Contacts with limited time (issue 14, part 6; W2 "meetings they will give per week";
docs/model.md eq. 19): each person gives at most so many meetings a week, fewer the busier."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.model import equations as eq
from sim.model.model import NetworkingModel
from sim.model.state.world import Diary
from tests.worlds import both_ways, small_params


@given(busy=st.floats(0, 1), other=st.floats(0, 1), per_week=st.floats(0.1, 20))
def test_busier_people_give_fewer_meetings_and_everyone_gives_one(busy, other, per_week):
    low, high = sorted((busy, other))
    assert eq.weekly_meeting_limit(high, per_week) <= eq.weekly_meeting_limit(low, per_week)
    assert eq.weekly_meeting_limit(high, per_week) >= 1
    assert eq.weekly_meeting_limit(busy, 0.0) == 0  # no limit


def test_an_average_person_gives_the_meetings_per_week_asked():
    assert eq.weekly_meeting_limit(0.5, 3.0) == 3


def test_the_diary_counts_each_week_afresh():
    diary = Diary(np.array([0.5, 0.5]), 1.0)  # one meeting a week each
    assert diary.has_time(0, 1)
    diary.record(0, 1)
    assert not diary.has_time(0, 7) and diary.has_time(1, 7)  # days 1-7 are week 0
    assert diary.has_time(0, 8)  # a new week
    unlimited = Diary(np.array([0.9]), 0.0)
    for day in range(1, 8):
        unlimited.record(0, day)
    assert unlimited.has_time(0, 7)


@pytest.fixture(scope="module")
def limited_run():
    params = small_params(
        ("polite", 8), ("nfl", 8), people=500, horizon=120, **{"contacts.meetings_per_week": 0.5}
    )
    model = NetworkingModel(params, seed=2).run()
    return model, model.events.frame()


def test_no_one_grants_more_meetings_in_a_week_than_she_gives(limited_run):
    """Meetings granted (not forced by an insisting seeker) stay within each person's limit."""
    model, events = limited_run
    forced = (events.outcome == "forced").fillna(False)
    meetings = events[(events.kind == "meeting") & ~forced]
    assert len(meetings) > 20
    per_week = meetings.assign(week=(meetings.day - 1) // 7).groupby(["target", "week"]).size()
    limits = model.diary.limit[per_week.index.get_level_values("target").to_numpy(dtype=int)]
    assert (per_week.to_numpy() <= limits).all()
    assert (per_week.to_numpy() == limits).any()  # the limit binds somewhere


@pytest.mark.parametrize("record_events", [False, True], ids=["whole calls", "call steps"])
def test_a_limited_world_runs_the_same_compiled_and_in_python(monkeypatch, record_events):
    """Without the event log whole calls run compiled; with it, the compiled opening."""
    params = small_params(
        ("polite", 6), ("nfl", 6), people=500, horizon=90, record_events=record_events,
        **{"contacts.meetings_per_week": 0.5},
    )  # fmt: skip
    fast = both_ways(params, 6, monkeypatch)
    assert fast.seekers["meetings"].sum() > 0
