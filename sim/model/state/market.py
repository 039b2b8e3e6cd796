"""Openings at hiring managers: arrival, closing through other channels, fit (W3).

"Only a few of the people you'll meet while Networking will at that moment control a suitable
opportunity...or know of one" (000). Openings arrive at hiring managers as a Poisson process,
and each open one may be filled through other channels (recruiters, job boards) any day, so
waiting has a cost. An opening is filled at most once.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

import numpy as np

from sim.model.params import MarketParams
from sim.model.state.world import People

__all__ = ["Candidate", "Market", "Opening"]

#: Bits of an opening's id in its market key (:meth:`Market._key`); ids stay far below 2**40.
ID_BITS = 40
ID_MASK = (1 << ID_BITS) - 1

#: A candidate in an opening's pool (``market.hiring: pool``): (seeker, channel, informant, hops).
Candidate = tuple[int, str, int | None, int | None]


@dataclass(slots=True)
class Opening:
    """One job at one hiring manager."""

    id: int
    manager: int
    industry: int
    level: int
    opened_day: int
    closed_day: int | None = None
    filled_by: int | None = None
    channel: str | None = None  # "network", "other" (a seeker in the model) or "outside"
    #: Seekers considered for it while it takes applications (each also has its id in
    #: ``Seeker.considered``). Emptied when it stops taking them: nothing reads it after,
    #: and a year at a million people leaves 700,000 openings (145 MB of sets).
    considered_by: set[int] = field(default_factory=set, repr=False, compare=False)
    #: How many seekers were considered for it in all (:meth:`consider`).
    considered_count: int = 0
    #: Hiring as a process (``market.hiring: pool``): the candidates who applied, in order
    #: (let go once it is closed); whether it still takes applications; the shortlist
    #: ranked by score (a candidate of the pool, or None for an outside applicant); the
    #: offer's day.
    pool: list[Candidate] = field(default_factory=list, repr=False, compare=False)
    accepting: bool = True
    shortlist: list[Candidate | None] = field(default_factory=list, repr=False, compare=False)
    offer_day: int | None = None

    @property
    def is_open(self) -> bool:
        """Whether the opening can still be filled."""
        return self.closed_day is None

    def consider(self, seeker: int) -> None:
        """Seeker ``seeker`` is considered for it (once: the caller checks)."""
        self.considered_by.add(seeker)
        self.considered_count += 1


@dataclass
class Market:
    """All openings of a run, and the open ones indexed by manager.

    The open openings have one fixed order, the *market order*: by manager, managers in the
    order they last gained an opening while having none, and by id within a manager. Every
    query answers in that order, so the random draws that follow a query do not depend on
    how the market is indexed. Besides the per-manager lists, each (industry, seeker level)
    keeps a sorted list of the open openings that fit it, so that a query costs a bisection
    rather than a scan of every open opening (there are about 6,000 at a million people).
    """

    people: People
    params: MarketParams
    openings: list[Opening] = field(default_factory=list)
    open_by_manager: dict[int, list[Opening]] = field(default_factory=dict)
    #: Openings screened and waiting for their offer, by the offer's day (``market.hiring: pool``).
    offers_due: dict[int, list[Opening]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.managers = np.flatnonzero(self.people.is_hiring_manager)
        self._levels = range(1, int(self.people.level.max(initial=1)) + 1)
        self._stamp: dict[int, int] = {}  # manager -> place in the market order
        # Stamps given so far: a plain counter, which copies and pickles (itertools.count will
        # not from Python 3.14).
        self._stamps = 0
        self._fitting: dict[tuple[int, int], list[int]] = {}  # (industry, level) -> sorted keys
        # Whether each person manages an open opening: most contacts know no such manager,
        # and one array lookup over their circle says so.
        self.has_open = np.zeros(self.people.n, dtype=bool)
        # Ids of the openings still taking applications. A seeker's ``considered`` set only
        # grows over her search while nearly all of it closes; intersecting it with this set
        # (in C, over the smaller set) leaves the few that can still be skipped.
        self._accepting: set[int] = set()

    def _key(self, opening: Opening) -> int:
        """An opening's place in market order: its manager's stamp, then its id, as one int
        (``stamp << ID_BITS | id``), which sorts as the pair would and compares faster."""
        return self._stamp[opening.manager] << ID_BITS | opening.id

    def _fit_lists(self, opening: Opening) -> list[list[int]]:
        """The sorted lists of every seeker level that ``opening`` fits."""
        tol = self.params.level_tolerance
        levels = (lv for lv in self._levels if abs(opening.level - lv) <= tol)
        return [self._fitting.setdefault((opening.industry, lv), []) for lv in levels]

    def open_openings(self) -> list[Opening]:
        """Every opening open now, in market order."""
        return [o for lst in self.open_by_manager.values() for o in lst]

    def arrivals(self, day: int, rng: np.random.Generator) -> list[Opening]:
        """Today's new openings: Poisson(rate x managers), each at a uniformly drawn manager."""
        if self.managers.size == 0:
            return []
        count = rng.poisson(self.params.opening_rate * self.managers.size)
        new = []
        for manager in rng.choice(self.managers, size=count):
            manager = int(manager)
            level = max(1, int(self.people.level[manager]) - self.params.opening_level_gap)
            opening = Opening(len(self.openings), manager, int(self.people.industry[manager]), level, day)
            self.openings.append(opening)
            if manager not in self.open_by_manager:
                self._stamp[manager] = self._stamps
                self._stamps += 1
                self.has_open[manager] = True
            self.open_by_manager.setdefault(manager, []).append(opening)
            self._accepting.add(opening.id)
            for keys in self._fit_lists(opening):
                bisect.insort(keys, self._key(opening))
            new.append(opening)
        return new

    def close_by_other_channels(self, day: int, rng: np.random.Generator) -> int:
        """Each open opening is filled from outside the model with prob ``other_fill_rate``."""
        current = self.open_openings()
        closed = rng.random(len(current)) < self.params.other_fill_rate
        for opening in (o for o, c in zip(current, closed, strict=True) if c):
            self._close(opening, day, None, "outside")
        return int(closed.sum())

    def fits(
        self, opening: Opening, industry: int | np.ndarray, level: int | np.ndarray
    ) -> bool | np.ndarray:
        """Same industry and seniority within ``level_tolerance``; for arrays of industries
        and levels, one answer each."""
        return (opening.industry == industry) & (abs(opening.level - level) <= self.params.level_tolerance)

    def fitting_at(
        self, manager: int, industry: int, level: int, skip: set[int] = frozenset()
    ) -> Opening | None:
        """The oldest open opening at ``manager`` that fits and is not in ``skip``, if any."""
        for opening in self.open_by_manager.get(manager, ()):
            if opening.id not in skip and self.fits(opening, industry, level):
                return opening
        return None

    def _fitting_keys(self, industry: int, level: int) -> list[int]:
        """The sorted keys of the open openings that fit; a level outside the population's
        levels (no seeker has one) is answered by a scan."""
        if level in self._levels:
            return self._fitting.get((industry, level), [])
        return sorted(self._key(o) for o in self.open_openings() if self.fits(o, industry, level))

    def fitting_near(self, managers: np.ndarray, industry: int, level: int) -> list[Opening]:
        """The open openings at ``managers`` that fit, in market order: what a contact of
        those managers can tell about, found without scanning the whole market."""
        managers = managers[self.has_open[managers]]
        if managers.size == 0:
            return []
        found = [
            o
            for m in set(managers.tolist())
            for o in self.open_by_manager[m]
            if self.fits(o, industry, level)
        ]
        return sorted(found, key=self._key)

    def pick_fitting(
        self, industry: int, level: int, skip: set[int] | frozenset[int], rng: np.random.Generator
    ) -> Opening | None:
        """A uniformly drawn open opening that fits and is not in ``skip`` (one draw of
        ``rng.integers``, none when there is no such opening)."""
        keys = self._fitting_keys(industry, level)
        still_open = skip & self._accepting  # the rest cannot be drawn anyway
        skipped = sorted(pos for pos in (self._position(keys, i) for i in still_open) if pos is not None)
        count = len(keys) - len(skipped)
        if count <= 0:
            return None
        index = int(rng.integers(count))
        for pos in skipped:  # the index-th opening not skipped, in market order
            if pos <= index:
                index += 1
        return self.openings[keys[index] & ID_MASK]

    def _position(self, keys: list[int], opening_id: int) -> int | None:
        """Where opening ``opening_id`` (one still taking applications) sits in ``keys``, None
        if it is not there (it fits another industry or level)."""
        key = self._key(self.openings[opening_id])
        k = bisect.bisect_left(keys, key)
        return k if k < len(keys) and keys[k] == key else None

    def fill(self, opening: Opening, day: int, seeker: int, channel: str) -> None:
        """Close ``opening`` with a hire from the model.

        Raises:
            RuntimeError: if the opening is already closed (it can be filled only once).
        """
        if not opening.is_open:
            raise RuntimeError(f"opening {opening.id} is already closed")
        self._close(opening, day, seeker, channel)

    def stop_accepting(self, opening: Opening) -> None:
        """The opening's application window is over: it leaves the market's lists (no one
        hears of it or applies any more) but stays open until it is filled."""
        self._unlist(opening)
        opening.accepting = False

    def _close(self, opening: Opening, day: int, seeker: int | None, channel: str) -> None:
        if opening.accepting:
            self._unlist(opening)
            opening.accepting = False
        opening.closed_day, opening.filled_by, opening.channel = day, seeker, channel
        opening.pool = []  # screened, or closed before it was: no one reads the pool again

    def _unlist(self, opening: Opening) -> None:
        opening.considered_by = set()  # no one can be considered for it any more
        self._accepting.discard(opening.id)
        key = self._key(opening)
        for keys in self._fit_lists(opening):
            del keys[bisect.bisect_left(keys, key)]
        remaining = [o for o in self.open_by_manager[opening.manager] if o is not opening]
        if remaining:
            self.open_by_manager[opening.manager] = remaining
        else:
            del self.open_by_manager[opening.manager]
            del self._stamp[opening.manager]
            self.has_open[opening.manager] = False
