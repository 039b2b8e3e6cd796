"""People and ties as arrays: attributes (W2), tie strength and trust (W1, C8, S6, S7),
contact fatigue (C5).

Decays are lazy: a value is stored with the day it was last set and decayed on read, so a quiet
day touches nothing. Ties made by introductions live in a small overlay beside the CSR arrays.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.model import kernels
from sim.model.equations import decayed, decayed_level, has_time, week_of, weekly_meeting_limit
from sim.model.kernels.diary import record_meeting
from sim.model.kernels.graph import csr_slot, linked_entries, linked_entry_to
from sim.model.params import PopulationParams, TieParams
from sim.model.state.graphs import Graph

__all__ = ["Diary", "Fatigue", "IntroducedTies", "People", "Ties", "decay_factor", "grown", "make_people"]


#: Rows of the tie-lookup cache kept at once without numba (about 2 KB each at mean degree 20,
#: so at most about 200 MB).
_SLOT_CACHE_ROWS = 100_000


#: Scalar decay factors already computed, by (elapsed days, half-life). Elapsed times are
#: whole days in a run, so a few hundred values serve millions of reads.
_DECAY_CACHE: dict[tuple[float, float], float] = {}
_DECAY_CACHE_SIZE = 100_000


def decay_factor(elapsed: float | np.ndarray, half_life: float) -> float | np.ndarray:
    """Share of a quantity left after ``elapsed`` days with the given half-life.

    A scalar answer is memoised: it is the same numpy computation (``np.exp2``, whose last
    bit can differ from ``math.exp2``), done once per distinct elapsed time.
    """
    if not isinstance(elapsed, float | int):
        return _exp2_decay(elapsed, half_life)
    key = (elapsed, half_life)
    factor = _DECAY_CACHE.get(key)
    if factor is None:
        if len(_DECAY_CACHE) >= _DECAY_CACHE_SIZE:
            _DECAY_CACHE.clear()
        factor = _DECAY_CACHE[key] = float(_exp2_decay(elapsed, half_life))
    return factor


def _exp2_decay(elapsed: float | np.ndarray, half_life: float) -> np.ndarray:
    return np.exp2(-np.asarray(elapsed, dtype=np.float64) / half_life)


def grown(column: np.ndarray, size: int, fill: float = 0) -> np.ndarray:
    """``column`` copied into a new array of ``size`` entries, the rest set to ``fill``.

    A zero fill comes from ``np.zeros``, which the operating system fills lazily: the unused
    half of a doubled column costs no memory until it is written.
    """
    new = np.zeros(size, dtype=column.dtype) if fill == 0 else np.full(size, fill, dtype=column.dtype)
    new[: len(column)] = column
    return new


@dataclass(frozen=True)
class People:
    """Attributes of everyone in the graph (W2), one array entry per person."""

    industry: np.ndarray
    level: np.ndarray
    busyness: np.ndarray
    protectiveness: np.ndarray
    is_hiring_manager: np.ndarray

    @property
    def n(self) -> int:
        """Number of people."""
        return len(self.industry)


def _beta(mean: float, concentration: float, size: int, rng: np.random.Generator) -> np.ndarray:
    return rng.beta(mean * concentration, (1 - mean) * concentration, size)


def make_people(graph: Graph, params: PopulationParams, rng: np.random.Generator) -> People:
    """Draw industry, seniority, busyness, protectiveness and hiring managers.

    Industry follows the graph's communities when it has them. Seniority is pyramid-shaped
    (each level half as common as the one below), and follows the number of contacts as far
    as ``level_by_degree`` says; busier people are more senior. Hiring managers are drawn
    among people at level 2 or above.
    """
    n = graph.n
    if graph.communities is not None:
        industry = np.asarray(graph.communities, dtype=np.int16) % params.industries
    else:
        industry = rng.integers(0, params.industries, n).astype(np.int16)
    weights = 0.5 ** np.arange(params.seniority_levels)
    level = (rng.choice(params.seniority_levels, size=n, p=weights / weights.sum()) + 1).astype(np.int16)
    if params.level_by_degree > 0:
        level = _levels_by_degree(level, graph.degree(), params.level_by_degree, rng)
    seniority = (level - 1) / max(1, params.seniority_levels - 1)
    k = params.trait_concentration
    busy = _beta(params.busyness_mean, k, n, rng) + params.busyness_seniority_slope * (
        seniority - seniority.mean()
    )
    busy = np.clip(busy, 0.0, 1.0)
    protect = _beta(params.protectiveness_mean, k, n, rng)
    eligible = level >= 2
    is_hm = eligible & (rng.random(n) < params.hiring_manager_share / max(eligible.mean(), 1e-9))
    return People(industry, level, busy, protect, is_hm)


def _levels_by_degree(
    level: np.ndarray, degree: np.ndarray, weight: float, rng: np.random.Generator
) -> np.ndarray:
    """The same levels (the pyramid keeps its shape), handed out so that the best connected
    tend to be the most senior: by a score that is ``weight`` x the rank of one's degree plus
    the rest x a random rank."""
    n = len(level)
    degree_rank = np.argsort(np.argsort(degree, kind="stable"), kind="stable") / max(1, n - 1)
    score = weight * degree_rank + (1.0 - weight) * rng.random(n)
    out = np.empty_like(level)
    out[np.argsort(score, kind="stable")] = np.sort(level, kind="stable")
    return out


#: The integer type of the introduced ties' person ids and entry numbers.
ENTRY_INT = np.int32


class IntroducedTies:
    """Ties made since the graph was built (introductions, meetings), as per-person linked
    lists in flat arrays: the one store of them, read by Python and by compiled code
    (:mod:`sim.model.kernels.gossip`).

    Entry ``e`` is the tie from its owner to ``other[e]``: ``strength[e]`` its strength as it
    was set on day ``touched[e]`` (the same in both of the tie's entries; it decays from there
    like a seeker's tie, :meth:`Ties.strength`), ``trust[e]`` how far the owner trusts the other,
    ``mirror[e]`` the entry of the same tie seen from the other side. Each person's entries
    are linked from ``head`` through ``next`` in the order the ties were made. Without numba
    a dict keyed by ``owner * n + other`` finds an entry; with it, a compiled walk of the
    owner's list does, as fast from Python, and the dict (about 2.5 million entries and 250
    MB at a million people) is not kept. Which of the two a store uses is fixed when it is
    made, so that a copy run the other way finds the same entries.
    """

    def __init__(self, n: int, capacity: int = 64) -> None:
        self.n = n
        # Person ids and entry numbers in 32 bits (ENTRY_INT): 12 bytes an entry and 8 a
        # person less than 64 bits, 60 MB at a million people.
        self.head = np.full(n, -1, dtype=ENTRY_INT)
        self._tail = np.full(n, -1, dtype=ENTRY_INT)
        self.next = np.full(capacity, -1, dtype=ENTRY_INT)
        self.other = np.zeros(capacity, dtype=ENTRY_INT)
        self.strength = np.zeros(capacity)
        self.touched = np.zeros(capacity)
        self.trust = np.zeros(capacity)
        self.mirror = np.zeros(capacity, dtype=ENTRY_INT)
        self.size = 0
        self._entry: dict[int, int] | None = None if kernels.AVAILABLE else {}

    def entry(self, i: int, j: int) -> int:
        """The entry of the tie from ``i`` to ``j``, or -1 if they have none."""
        if self._entry is None:
            return int(kernels.running(linked_entry_to)(self.head, self.next, self.other, int(i), int(j)))
        return self._entry.get(int(i) * self.n + int(j), -1)

    def entries_of(self, i: int) -> np.ndarray:
        """``i``'s entries, in the order her ties were made (empty if she has none)."""
        if self.head[i] < 0:
            return _NO_ENTRIES
        return kernels.running(linked_entries)(self.head, self.next, int(i))

    def add(self, i: int, j: int, strength: float, day: float) -> None:
        """Record the new tie i-j, made on ``day``, trusted both ways at its strength."""
        e_ij, e_ji = self._append(i, j, strength, day), self._append(j, i, strength, day)
        self.mirror[e_ij], self.mirror[e_ji] = e_ji, e_ij

    def set_strength(self, e: int, value: float, day: float) -> None:
        """The tie of entry ``e`` has strength ``value`` on ``day`` (both of its entries)."""
        for entry in (e, self.mirror[e]):
            self.strength[entry], self.touched[entry] = value, day

    def _append(self, owner: int, other: int, strength: float, day: float) -> int:
        if self.size == len(self.next):
            self._grow()
        e = self.size
        self.size += 1
        self.other[e], self.strength[e], self.trust[e], self.next[e] = other, strength, strength, -1
        self.touched[e] = day
        if self._tail[owner] < 0:
            self.head[owner] = e
        else:
            self.next[self._tail[owner]] = e
        self._tail[owner] = e
        if self._entry is not None:
            self._entry[int(owner) * self.n + int(other)] = e
        return e

    def _grow(self) -> None:
        size = 2 * len(self.next)
        if size > np.iinfo(ENTRY_INT).max:
            raise MemoryError(f"over {np.iinfo(ENTRY_INT).max} entries of introduced ties")
        for name, fill in (
            ("next", -1),
            ("other", 0),
            ("strength", 0.0),
            ("touched", 0.0),
            ("trust", 0.0),
            ("mirror", 0),
        ):
            setattr(self, name, grown(getattr(self, name), size, fill))


_NO_ENTRIES = np.zeros(0, dtype=np.int64)


class Ties:
    """Tie strength and directional trust on top of a :class:`Graph`.

    Strength of ties that touch a seeker decays towards ``floor`` unless kept up (S7); ties
    among other people are taken to be kept up by their own lives and do not change. Ties
    made during the run (introductions, meetings) are new: nothing keeps them up but the
    contacts that touch them, so they all decay the same way (Burt 2000, "Decay functions").
    Trust ``i -> j`` (how far ``i`` trusts ``j``, C8) starts at the tie strength.
    """

    def __init__(self, graph: Graph, params: TieParams, seekers: np.ndarray, start_day: float) -> None:
        self.graph = graph
        self.start_day = float(start_day)
        #: Whether every day a tie was set on is a whole number (it is in a model run); the
        #: compiled gossip cascade reads decay from a table of whole days and needs this.
        self.whole_days = self.start_day.is_integer()
        self.params = params
        self.level = graph.strength.copy()
        self.trust = graph.strength.copy()
        # the slot j -> i of each slot i -> j; in 32 bits where the slots allow (76 MB less
        # at a million people)
        mirror = graph.mirror()
        self.reverse_slot = mirror.astype(np.int32) if len(mirror) < 2**31 else mirror
        is_seeker = np.zeros(graph.n, dtype=bool)
        is_seeker[seekers] = True
        rows = np.repeat(np.arange(graph.n), graph.degree())
        decaying = np.flatnonzero(is_seeker[rows] | is_seeker[graph.indices])
        del rows
        # Only ties that touch a seeker decay (eq. 11), so only they keep the day they were
        # last set: ``touched[decay_slot[k]]`` for CSR slot k (-1: it does not decay), one
        # place per tie shared by its two slots. A day for every slot cost 160 MB at a
        # million people, where a few hundred thousand of 20 million slots decay.
        first = decaying[decaying < self.reverse_slot[decaying]]
        self.decay_slot = np.full(len(graph.indices), -1, dtype=np.int32)
        self.decay_slot[first] = self.decay_slot[self.reverse_slot[first]] = np.arange(len(first))
        self.touched = np.full(len(first), float(start_day))
        #: Ties made since (introductions, meetings): strength and trust of each side.
        self.introduced = IntroducedTies(graph.n)
        self._slots: dict[int, dict[int, int]] = {}

    def slot(self, i: int, j: int) -> int:
        """Index of the CSR slot i -> j, or -1 when they are not tied in the graph.

        Same answer as :meth:`Graph.slot`. With numba, a compiled binary search in ``i``'s
        row (about as fast, from Python, as a dict probe). Without it, from a dict of ``i``'s
        row built the first time the row is read: seekers look up the same rows many times,
        and a dict probe costs a tenth of a ``searchsorted`` call. At most
        ``_SLOT_CACHE_ROWS`` rows are kept, then the cache starts afresh. (The compiled path
        kept the dicts too, up to 200 MB at a million people, for no gain in time.)
        """
        if kernels.AVAILABLE:
            return int(csr_slot(self.graph.indptr, self.graph.indices, i, j))
        row = self._slots.get(i)
        if row is None:
            if len(self._slots) >= _SLOT_CACHE_ROWS:
                self._slots.clear()  # bounds memory on huge graphs; rows are cheap to rebuild
            lo, hi = int(self.graph.indptr[i]), int(self.graph.indptr[i + 1])
            row = self._slots[i] = dict(zip(self.graph.indices[lo:hi].tolist(), range(lo, hi), strict=True))
        return row.get(j, -1)

    # --- reading -------------------------------------------------------------------------
    def neighbors(self, i: int) -> np.ndarray:
        """Neighbours of ``i``, including ties added by introductions."""
        base = self.graph.neighbors(i)
        added = self.introduced.entries_of(i)
        return np.concatenate([base, self.introduced.other[added].astype(base.dtype)]) if len(added) else base

    def strength(self, i: int, j: int, day: float) -> float:
        """Current strength of the tie i-j, 0.0 when they are not tied."""
        k = self.slot(i, j)
        if k < 0:
            e = self.introduced.entry(i, j)
            return self._introduced_strength_at(e, day) if e >= 0 else 0.0
        return self._strength_at(k, day)

    def _strength_at(self, k: int, day: float) -> float:
        j = self.decay_slot[k]
        if j < 0:
            return float(self.level[k])
        return self._decayed(float(self.level[k]), float(self.touched[j]), day)

    def _introduced_strength_at(self, e: int, day: float) -> float:
        """The strength of introduced-tie entry ``e`` on ``day``: every such tie decays."""
        intro = self.introduced
        return self._decayed(float(intro.strength[e]), float(intro.touched[e]), day)

    def _decayed(self, level: float, since: float, day: float) -> float:
        """``level`` set on day ``since``, decayed towards the floor until ``day`` (eq. 11)."""
        floor = self.params.floor
        if level - floor <= 0:
            return level
        return float(
            decayed_level(level, floor, float(decay_factor(day - since, self.params.decay_half_life)))
        )

    def strengths_from(self, i: int, day: float) -> np.ndarray:
        """Current strength of each of ``i``'s CSR ties, vectorised."""
        lo, hi = self.graph.indptr[i], self.graph.indptr[i + 1]
        level, places = self.level[lo:hi], self.decay_slot[lo:hi]
        decays = places >= 0
        now = level.copy()
        if decays.any():
            now[decays] = self._decayed_many(level[decays], self.touched[places[decays]], day)
        return now

    def _decayed_many(self, level: np.ndarray, since: np.ndarray, day: float) -> np.ndarray:
        """:meth:`_decayed`, vectorised."""
        floor = self.params.floor
        now = decayed_level(level, floor, decay_factor(day - since, self.params.decay_half_life))
        return np.where(level > floor, now, level)

    def circle(self, i: int, day: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``i``'s contacts, the current strength of each tie, and how far each contact
        trusts ``i``; vectorised over the CSR ties, introduced ties appended."""
        lo, hi = self.graph.indptr[i], self.graph.indptr[i + 1]
        nbrs, strengths = self.graph.indices[lo:hi], self.strengths_from(i, day)
        trust_back = self.trust[self.reverse_slot[lo:hi]]
        intro = self.introduced
        added = intro.entries_of(i)
        if not len(added):
            return nbrs, strengths, trust_back
        more, more_strength, more_trust = (
            intro.other[added].astype(nbrs.dtype),
            self._decayed_many(intro.strength[added], intro.touched[added], day),
            intro.trust[intro.mirror[added]],
        )
        return (np.concatenate([nbrs, more]), np.concatenate([strengths, more_strength]),
                np.concatenate([trust_back, more_trust]))  # fmt: skip

    def trust_in(self, i: int, j: int) -> float:
        """How far ``i`` trusts ``j``; 0.0 for strangers."""
        k = self.slot(i, j)
        if k >= 0:
            return float(self.trust[k])
        e = self.introduced.entry(i, j)
        return float(self.introduced.trust[e]) if e >= 0 else 0.0

    # --- writing -------------------------------------------------------------------------
    def touch(self, i: int, j: int, day: float) -> None:
        """A contact between ``i`` and ``j`` keeps their tie up: decay is settled up to today
        and the tie gains ``touch_boost`` (S7)."""
        k = self.slot(i, j)
        if k < 0:
            e = self.introduced.entry(i, j)
            if e >= 0:
                self._set_entry(
                    e, min(1.0, self._introduced_strength_at(e, day) + self.params.touch_boost), day
                )
            return
        self._set_slot(k, min(1.0, self._strength_at(k, day) + self.params.touch_boost), day)

    def _set_slot(self, k: int, level: float, day: float) -> None:
        """CSR tie ``k`` (both of its slots) has strength ``level`` on ``day``."""
        self._set_on(day)
        for slot in (k, self.reverse_slot[k]):
            self.level[slot] = level
        if self.decay_slot[k] >= 0:
            self.touched[self.decay_slot[k]] = day

    def _set_entry(self, e: int, level: float, day: float) -> None:
        """Introduced tie ``e`` (both of its entries) has strength ``level`` on ``day``."""
        self._set_on(day)
        self.introduced.set_strength(e, level, day)

    def _set_on(self, day: float) -> None:
        """A strength is set on ``day``: on a fractional day, compiled code (which reads decay
        from a table of whole days) can no longer run this model's ties."""
        if self.whole_days and not float(day).is_integer():
            self.whole_days = False

    def lower_trust(self, i: int, j: int, amount: float) -> None:
        """``i`` trusts ``j`` less by ``amount`` (never below 0)."""
        k = self.slot(i, j)
        if k >= 0:
            self.trust[k] = max(0.0, self.trust[k] - amount)
            return
        e = self.introduced.entry(i, j)
        if e >= 0:
            self.introduced.trust[e] = max(0.0, float(self.introduced.trust[e]) - amount)

    def wear(self, i: int, j: int, amount: float, day: float) -> None:
        """The tie i-j loses ``amount`` of its strength today (not below 0); decay is settled
        up to today first. Nothing happens if they are not tied."""
        k = self.slot(i, j)
        if k >= 0:
            self._set_slot(k, max(0.0, self._strength_at(k, day) - amount), day)
            return
        e = self.introduced.entry(i, j)
        if e >= 0:
            self._set_entry(e, max(0.0, self._introduced_strength_at(e, day) - amount), day)

    def tied(self, i: int, j: int) -> bool:
        """Whether ``i`` and ``j`` are tied (by the graph or since)."""
        return self.slot(i, j) >= 0 or self.introduced.entry(i, j) >= 0

    def add_tie(self, i: int, j: int, day: float, strength: float | None = None) -> bool:
        """Make a new tie i-j on ``day``, of ``introduced_strength`` unless ``strength`` is
        given (S6). False if already tied."""
        if i == j or self.tied(i, j):
            return False
        self._set_on(day)
        s = self.params.introduced_strength if strength is None else strength
        self.introduced.add(i, j, s, day)
        return True

    def mutual_count(self, i: int, j: int) -> int:
        """Contacts shared by ``i`` and ``j``, including introduced ties."""
        return int(np.intersect1d(self.neighbors(i), self.neighbors(j)).size)


class Fatigue:
    """Requests received recently by each person, decaying with a half-life (C5).

    "Calls like yours are frequent": every request from any seeker adds one unit, so
    aggressive seekers tire contacts for everyone.
    """

    def __init__(self, n: int, half_life: float, start_day: float) -> None:
        self.half_life = half_life
        self.value = np.zeros(n)
        self.since = np.full(n, float(start_day))

    def level(self, i: int, day: float) -> float:
        """Current fatigue of person ``i``."""
        return float(decayed(self.value[i], decay_factor(day - self.since[i], self.half_life)))

    def levels(self, people: np.ndarray, day: float) -> np.ndarray:
        """Current fatigue of many people at once."""
        return decayed(self.value[people], decay_factor(day - self.since[people], self.half_life))

    def add_request(self, i: int, day: float) -> None:
        """Person ``i`` receives one more request today."""
        self.value[i] = self.level(i, day) + 1.0
        self.since[i] = day


class Diary:
    """The meetings each person has given this week, against what she will give (W2, eq. 19).

    "If you're the appointment-giver ... How busy are you?" (000): a person gives at most
    ``limit`` meetings a week, fewer the busier she is (``contacts.meetings_per_week``; 0
    everywhere means no limit). The count starts afresh each week, lazily: ``week`` is the week
    each count belongs to.
    """

    def __init__(self, busyness: np.ndarray, per_week: float) -> None:
        #: Whether anyone has a limit (the counts are kept only then).
        self.limited = per_week > 0
        n = len(busyness)
        self.limit = np.zeros(n, dtype=np.int64)
        if self.limited:
            self.limit[:] = [weekly_meeting_limit(b, per_week) for b in busyness.tolist()]
        self.week = np.full(n, np.iinfo(np.int64).min, dtype=np.int64)
        self.given = np.zeros(n, dtype=np.int64)

    def has_time(self, i: int, day: float) -> bool:
        """Whether person ``i`` can give one more meeting in ``day``'s week."""
        if not self.limited:
            return True
        return has_time(int(self.limit[i]), int(self.given[i]), int(self.week[i]), week_of(day))

    def record(self, i: int, day: float) -> None:
        """Person ``i`` gives a meeting on ``day``."""
        if self.limited:
            kernels.running(record_meeting)(self.week, self.given, i, day)
