"""Small worlds for tests: they run in a fraction of a second."""

from __future__ import annotations

from dataclasses import fields
from typing import TYPE_CHECKING

import numpy as np

import sim
from sim.model.params import GraphParams, ModelParams, PopulationParams, SeekerGroup
from sim.model.seekers import Lead
from sim.model.state.opinions import OpinionBook

if TYPE_CHECKING:
    from sim.model.model import NetworkingModel


#: A hiring process of 28 days (window 21, offer lag 7) instead of the default 42, for tiny
#: worlds of a month or two that must see hires: tests of other mechanisms or of the research
#: machinery need hires and outputs that move, not the sourced process (docs/model.md §3.3.15).
BRISK_HIRING = {"market.application_window_days": 21, "market.offer_lag_days": 7}

#: Openings enough, and few enough outside rivals, that a small world of four months sees many
#: of its seekers hired, whatever the calibrated market defaults are.
BUSY_MARKET = {"market.opening_rate": 0.03, "market.outside_applicants_per_day": 0.5}


def small_params(
    *groups: tuple[str, int],
    people: int = 400,
    horizon: int = 120,
    record_events: bool = True,
    **overrides,
) -> ModelParams:
    """A small world with the given (preset, count) seeker groups: one cohort, all laid off
    on day 0, unless ``job_loss_spread_days`` is among the overrides (mechanism tests read
    simpler that way; tests/test_job_loss_flow.py and the invariants cover the flow)."""
    groups = groups or (("polite", 5), ("nfl", 5))
    params = ModelParams(
        graph=GraphParams(people=people, mean_degree=12),
        population=PopulationParams(seekers=tuple(SeekerGroup(sim.preset(n), c) for n, c in groups)),
        horizon_days=horizon,
        job_loss_spread_days=0,
        record_events=record_events,
    )
    return sim.with_overrides(params, overrides) if overrides else params


def busy_world(**overrides):
    """Some weeks into a search: decayed and refreshed ties, introductions, goodwill, fatigue
    (the world the compiled-versus-reference checks run their calls in)."""
    from sim.model.model import NetworkingModel

    params = small_params(
        ("polite", 8), ("nfl", 8), ("targeted", 4), people=500, horizon=45, record_events=False, **overrides
    )
    model = NetworkingModel(params, seed=4).run()
    model.day = 45  # the next day of the same run
    model.searching[:] = ~model.hired  # as if the horizon were later: the unhired search on
    assert model.ties.introduced.size > 0 and model.book.stored_goodwill().any()
    return model


def some_leads(model: NetworkingModel, count: int, seed: int) -> list[tuple[int, Lead]]:
    """Calls of every kind: own contacts, referred names (warm, cold, with the name used),
    referrers the target knows or not, targets already in the book or new, introduced ties
    (a few are added between seekers and strangers), targets far beyond the first hop."""
    rng = np.random.default_rng(seed)
    intro = model.ties.introduced
    introduced = []  # (seeker, person) tied by an introduction, as when a seeker is a contact introduced
    for seeker in model.seekers[:6]:
        stranger = int(rng.integers(model.graph.n))
        if model.ties.add_tie(seeker.person, stranger, model.day):
            introduced.append((seeker.index, stranger))
    assert introduced
    owners = intro.other[intro.mirror[: intro.size]].tolist()
    pairs = list(zip(owners, intro.other[: intro.size].tolist(), strict=True))  # (who trusts, whom)
    for i, j in pairs[::2]:
        model.ties.lower_trust(i, j, 0.05)  # as after a mop-up call
    leads = []
    for _ in range(count):
        s = int(rng.integers(len(model.seekers)))
        person = model.seekers[s].person
        kind = rng.integers(4)
        if kind == 0:
            target = int(rng.choice(model.ties.neighbors(person)))
        elif kind == 1:  # someone the seeker was introduced to
            s, target = introduced[rng.integers(len(introduced))]
        else:
            target = int(rng.integers(model.graph.n))
        neighbours = model.ties.neighbors(target)
        referrer = (
            None
            if rng.random() < 0.3
            else int(rng.choice(neighbours) if rng.random() < 0.8 else rng.integers(model.graph.n))
        )
        if kind == 3:  # referred by someone the target was introduced to
            target, referrer = pairs[rng.integers(len(pairs))]
        hop = 0 if referrer is None else int(rng.integers(0, 4))
        warm = bool(rng.random() < 0.5)
        ask_for = (
            int(rng.choice(model.ties.neighbors(target))) if rng.random() < 0.3 else None
        )  # targeted (S9)
        leads.append((s, Lead(target, referrer, hop, warm=warm, name_used=not warm, ask_for=ask_for)))
    return leads


def assert_same_goodwill(a, b) -> None:
    """Two books hold the same goodwill, row by row: the amount and the day it was set
    (where they sit in the side table may differ)."""
    for book in (a, b):
        assert int(book.goodwill_count[0]) <= len(book.goodwill_amount)
    assert np.array_equal(a.stored_goodwill(), b.stored_goodwill())
    assert np.array_equal(a.goodwill_days(), b.goodwill_days())


def assert_same_world(a, b) -> None:
    """Two copies of a world are in the same state: seekers, book, ties, fatigue, market, random stream."""
    for x, y in zip(a.seekers, b.seekers, strict=True):
        assert x.record == y.record
        assert x._queue == y._queue and x._later == y._later and x.leads == y.leads
        assert x.known == y.known and x.considered == y.considered
    assert np.array_equal(a.hired, b.hired)
    assert a.book.size == b.book.size
    for name in OpinionBook.COLUMNS:
        assert np.array_equal(getattr(a.book, name)[: a.book.size], getattr(b.book, name)[: b.book.size]), (
            name
        )
    assert_same_goodwill(a.book, b.book)
    assert a.book._owing == b.book._owing
    assert np.array_equal(a.book._owed, b.book._owed, equal_nan=True)
    assert np.array_equal(a.ties.level, b.ties.level) and np.array_equal(a.ties.touched, b.ties.touched)
    assert np.array_equal(a.ties.trust, b.ties.trust)
    x, y = a.ties.introduced, b.ties.introduced
    assert x.size == y.size and np.array_equal(x.head, y.head)
    assert all(
        x.entry(i, j) == y.entry(i, j)
        for i, j in zip(x.other[x.mirror[: x.size]], x.other[: x.size], strict=True)
    )
    for name in ("next", "other", "strength", "touched", "trust", "mirror"):
        assert np.array_equal(getattr(x, name)[: x.size], getattr(y, name)[: y.size]), name
    assert np.array_equal(a.fatigue.value, b.fatigue.value) and np.array_equal(
        a.fatigue.since, b.fatigue.since
    )
    assert [every_field(o) for o in a.market.openings] == [every_field(o) for o in b.market.openings]
    assert a.rng.random(4).tolist() == b.rng.random(4).tolist()


def both_ways(params, seed: int, monkeypatch):
    """The run's tables made with compiled code, and again by the Python reference, after
    checking that every table (seekers, daily, events, ego when recorded) is the same, bit for
    bit. Returns the compiled run's tables, for the caller to check they are not trivial."""
    import pandas as pd

    from sim.model import kernels

    fast = sim.simulate(params, seed=seed)
    monkeypatch.setattr(kernels, "AVAILABLE", False)
    reference = sim.simulate(params, seed=seed)
    for name in ("seekers", "daily", "events", "ego"):
        if getattr(fast, name, None) is not None:
            pd.testing.assert_frame_equal(getattr(fast, name), getattr(reference, name), check_exact=True)
    return fast


def every_field(record) -> dict:
    """Every field of a dataclass record, those left out of its ``==`` included (a slotted
    record has no ``vars``)."""
    return {f.name: getattr(record, f.name) for f in fields(record)}
