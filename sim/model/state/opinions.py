"""What people think of each seeker and what they owe them (C4, C6, C8, S5).

Opinions live in flat numpy columns, one row per (person, seeker) pair that has
ever met or heard of each other (goodwill in a side table of the few rows that ever held any), indexed by a dict (and, while compiled code runs, by the
compiled side's hash table instead: :mod:`sim.model.kernels.rows`). A graph of a million
people costs nothing until seekers reach into it. Opinion is in [0, 1] with 0.5 meaning "no view"; goodwill is a
non-negative debt that decays with a half-life and is read lazily.
"""

from __future__ import annotations

import bisect

import numpy as np

from sim.model import kernels
from sim.model.equations import HELD, NEUTRAL, decayed, lowered_opinion, shifted_opinion
from sim.model.kernels.book import rows_by_person, rows_of_people_indexed, sums_and_counts
from sim.model.kernels.state import (
    BOOK_COLUMNS,
    HOP_INT,
    HOP_MAX,
    goodwill_index_of,
    goodwill_place,
    goodwill_places,
    put_goodwill_place,
    seeker_int,
)
from sim.model.state.world import decay_factor, grown

__all__ = ["HELD", "NEUTRAL", "ROW_INT", "OpinionBook"]

#: The integer type of the book's person ids and row links (seekers and hops are narrower:
#: ``seeker_int``, ``HOP_INT``).
ROW_INT = np.int32
#: Rows and person ids must fit it.
_ROW_INT_MAX = int(np.iinfo(ROW_INT).max)


class OpinionBook:
    """Opinion, goodwill, referral distance (hop) and whether they have talked (met), for each
    person about each seeker."""

    #: Rows per block the daily tally marks as done once all its rows belong to seekers
    #: whose totals are kept (:meth:`reputation`).
    TALLY_BLOCK = 1024

    #: The per-row columns, grown together.
    COLUMNS = BOOK_COLUMNS

    #: Rows made since the last snapshot of the rows by person that never call for a new one
    #: (:meth:`_rows_snapshot`).
    SNAPSHOT_MIN_NEW = 4096

    #: Places in the first goodwill side table (it doubles when full).
    FIRST_GOODWILL = 256

    def __init__(
        self, seekers: int, goodwill_half_life: float, capacity: int = 1024, people: int = 1
    ) -> None:
        self.goodwill_half_life = goodwill_half_life
        self.seekers = seekers
        # (person, seeker) -> row, keyed by the integer person * seekers + seeker: an int key
        # hashes faster than a tuple and costs half the memory (a million-people run holds
        # millions of rows).
        self._row: dict[int, int] = {}
        self.size = 0
        # Rows below this are in the dict. Rows made by compiled code are indexed here only
        # when Python next looks a row up (:meth:`_catch_up`): one batch for many compiled
        # calls instead of a dict update after each.
        self._indexed = 0
        # Person ids and row numbers in 32 bits, seeker ids and hops in 16 (up to 32,768
        # seekers): a million-people run holds about 60 million rows, where 64-bit ids, hops
        # and links would cost 1.2 GB more. Keys and products of ids are formed in 64 bits (:meth:`_catch_up`,
        # the compiled index).
        self.person = np.zeros(capacity, dtype=ROW_INT)
        self.seeker = np.zeros(capacity, dtype=seeker_int(seekers))
        self.opinion = np.zeros(capacity)
        # Goodwill lives in a side table of the rows that ever held any (few: one row in a
        # hundred at a million people), each place found from its row through a hash index
        # (kernels.state.goodwill_place). Two float columns in every row cost 16 bytes a row,
        # and a reference to the place in every row 4 bytes, 240 MB at that size.
        self.goodwill_amount = np.zeros(self.FIRST_GOODWILL)
        self.goodwill_since = np.zeros(self.FIRST_GOODWILL)
        self.goodwill_row = np.zeros(self.FIRST_GOODWILL, dtype=ROW_INT)
        # The side table's size, in an array that compiled code shares and adds to.
        self.goodwill_count = np.zeros(1, dtype=np.int64)
        self.goodwill_index = goodwill_index_of(self.goodwill_row, 0, 2 * self.FIRST_GOODWILL)
        self.hop = np.zeros(capacity, dtype=HOP_INT)
        self.met = np.zeros(capacity, dtype=bool)
        # Each person's rows, in creation order, as a linked list: first_row/last_row per
        # person, next_row per row (-1 ends it). Announcing an opening reads the rows of the
        # manager and her contacts; a list in arrays costs 8 bytes a row, and compiled code
        # can extend it (sim.model.kernels.gossip).
        self.next_row = np.full(capacity, -1, dtype=ROW_INT)
        self.first_row = np.full(max(1, people), -1, dtype=np.int64)
        self.last_row = np.full(max(1, people), -1, dtype=np.int64)
        # Rows that have ever held goodwill, per seeker, ascending (row creation order): the
        # daily unasked-introduction draw reads only these, not everyone who heard of her.
        self._owing: list[list[int]] = [[] for _ in range(seekers)]
        self._owing_arrays: list[np.ndarray | None] = [None] * seekers  # the same, as arrays, made when read
        # Goodwill totals computed ahead for one day (sim.model.kernels.goodwill): the day, and
        # one total per seeker (NaN: not computed, or goodwill changed since).
        self._owed_day: float | None = None
        self._owed = np.zeros(0)
        # Sums and counts of the tally kept for settled seekers (:meth:`reputation`).
        self._kept = np.zeros(seekers, dtype=bool)
        self._kept_sums, self._kept_counts = np.zeros(seekers), np.zeros(seekers, dtype=np.int64)
        self._done_blocks = np.zeros(0, dtype=bool)  # full blocks of TALLY_BLOCK rows, all of kept seekers
        # The rows by person at some earlier size (:meth:`_rows_snapshot`): (size, start, rows).
        self._snapshot: tuple[int, np.ndarray, np.ndarray] | None = None
        #: State of the compiled gossip cascade, when it runs (sim.model.kernels.gossip).
        self.compiled: object | None = None

    def __getstate__(self) -> dict:
        """A copied or pickled book leaves the compiled state behind (it holds this book's
        arrays and cannot be pickled); the copy builds its own on first use."""
        state = self.__dict__.copy()
        state["compiled"] = None
        state["_snapshot"] = None  # a copy rebuilds it when it first needs it
        return state

    # --- rows ----------------------------------------------------------------------------
    def row(self, person: int, seeker: int) -> int:
        """Row of the pair, or -1 if the person has never heard of the seeker."""
        return self.index().get(self._key(person, seeker), -1)

    def index(self) -> dict[int, int]:
        """The row of every pair, keyed by ``person * seekers + seeker``."""
        if self._indexed != self.size:
            self._catch_up()
        return self._row

    def ensure(self, person: int, seeker: int, opinion: float = NEUTRAL, hop: int = 0) -> int:
        """Row of the pair, created with ``opinion`` and ``hop`` if new."""
        key = self._key(person, seeker)
        r = self.index().get(key, -1)
        if r >= 0:
            return r
        if not 0 <= person <= _ROW_INT_MAX:
            raise IndexError(f"person {person} is not a person id (ids start at 0, below 2**31)")
        if self.size == len(self.opinion):
            self._grow()
        r = self.size
        self.size = self._indexed = r + 1
        self._row[key] = r
        self.person[r], self.seeker[r], self.opinion[r] = person, seeker, opinion
        self.hop[r], self.met[r] = min(hop, HOP_MAX), False
        self._link(int(person), r)
        return r

    def _link(self, person: int, r: int) -> None:
        """Append row ``r`` to ``person``'s rows."""
        if person >= len(self.first_row):
            self.reserve_people(person + 1)
        last = self.last_row[person]
        if last < 0:
            self.first_row[person] = r
        else:
            self.next_row[last] = r
        self.next_row[r] = -1
        self.last_row[person] = r

    def reserve_people(self, people: int) -> None:
        """Room in the per-person lists for person ids below ``people``."""
        if people <= len(self.first_row):
            return
        size = max(people, 2 * len(self.first_row))
        self.first_row, self.last_row = grown(self.first_row, size, -1), grown(self.last_row, size, -1)

    def rows_of(self, person: int) -> list[int]:
        """Rows about ``person``'s views of seekers, in creation order."""
        if not 0 <= person < len(self.first_row):
            return []
        rows, r, following = [], int(self.first_row[person]), self.next_row
        while r >= 0:
            rows.append(r)
            r = int(following[r])
        return rows

    def rows_of_many(self, people: np.ndarray) -> np.ndarray:
        """The rows of each of ``people`` in turn (as :meth:`rows_of`, concatenated)."""
        if kernels.AVAILABLE:
            start, rows = self._rows_snapshot()
            return rows_of_people_indexed(start, rows, self.first_row, self.next_row, people)
        return np.asarray([r for person in people.tolist() for r in self.rows_of(person)], dtype=np.int64)

    def _rows_snapshot(self) -> tuple[np.ndarray, np.ndarray]:
        """The rows grouped by person as they stood at the last snapshot, taken afresh once a
        quarter of the rows are newer (rows are only ever appended, so the rows made since
        follow each person's list on from her last row in it). Following the lists alone
        cost a cache miss per row: an announcement reads over a thousand rows at 10^5 people."""
        snapshot = self._snapshot
        if snapshot is None or self.size - snapshot[0] > max(self.SNAPSHOT_MIN_NEW, snapshot[0] // 4):
            self._snapshot = None  # the old one goes before the new one is made
            start, rows = rows_by_person(self.person, self.size, len(self.first_row))
            snapshot = self._snapshot = (self.size, start, rows)
        return snapshot[1], snapshot[2]

    def _catch_up(self) -> None:
        """Index the rows compiled code wrote into the columns (and linked into the
        per-person lists) since the dict was last brought up to date, as :meth:`ensure`
        would have indexed them."""
        start, stop = self._indexed, self.size
        keys = (self.person[start:stop].astype(np.int64) * self.seekers + self.seeker[start:stop]).tolist()
        self._row.update(zip(keys, range(start, stop), strict=True))
        self._indexed = stop

    def _key(self, person: int, seeker: int) -> int:
        """The index key of a pair; a Python int, so that a numpy person id cannot overflow."""
        if not 0 <= seeker < self.seekers:
            raise IndexError(f"seeker {seeker} out of range for a book of {self.seekers} seekers")
        return int(person) * self.seekers + seeker

    def ensure_many(self, persons: np.ndarray, seeker: int, hop: int) -> np.ndarray:
        """Rows of many (person, seeker) pairs, new ones neutral at ``hop``."""
        rows = np.empty(len(persons), dtype=np.int64)
        index, stride = self.index(), self.seekers
        for k, person in enumerate(persons.tolist()):
            r = index.get(person * stride + seeker, -1)
            rows[k] = r if r >= 0 else self.ensure(person, seeker, NEUTRAL, hop=hop)
        return rows

    def reserve_rows(self, rows: int) -> None:
        """Capacity for at least ``rows`` rows (the columns double until they fit)."""
        while len(self.opinion) < rows:
            self._grow()

    def _grow(self) -> None:
        size = 2 * len(self.opinion)
        if size > _ROW_INT_MAX:
            raise MemoryError(f"an opinion book of over {_ROW_INT_MAX} rows")
        for name in self.COLUMNS:
            setattr(self, name, grown(getattr(self, name), size))

    # --- opinion -------------------------------------------------------------------------
    def opinion_of(self, person: int, seeker: int) -> float:
        """What ``person`` thinks of ``seeker`` (NEUTRAL if they have never heard of them)."""
        r = self.row(person, seeker)
        return float(self.opinion[r]) if r >= 0 else NEUTRAL

    def shift(self, r: int, toward: float, weight: float) -> float:
        """Move the opinion in row ``r`` a share ``weight`` of the way to ``toward``.

        Returns the change, so that callers can decide whether it is news worth spreading.
        """
        old = self.opinion[r]
        new = shifted_opinion(old, toward, weight)
        self.opinion[r] = new
        return float(new - old)

    def lower(self, r: int, amount: float) -> float:
        """Lower the opinion in row ``r`` by ``amount`` (not below 0); returns the change."""
        old = self.opinion[r]
        self.opinion[r] = lowered_opinion(old, amount)
        return float(self.opinion[r] - old)

    def reputation(self, settled: np.ndarray | None = None) -> np.ndarray:
        """Mean opinion of each seeker among the people who have heard of them.

        ``settled`` marks seekers whose rows can no longer change (the model passes the
        hired: no one acts on a hired seeker's behalf or talks about her any more). Compiled
        code then tallies each settled seeker once more and keeps her sum and count, leaving
        her rows out of later tallies; most rows belong to hired seekers late in a run."""
        n, s, opinion = self.seekers, self.seeker[: self.size], self.opinion[: self.size]
        if kernels.AVAILABLE:
            sums, counts = self._tally(s, opinion, settled)
        else:
            counts, sums = np.bincount(s, minlength=n), np.bincount(s, weights=opinion, minlength=n)
        return np.divide(sums, counts, out=np.full(n, NEUTRAL), where=counts > 0)

    def _tally(
        self, s: np.ndarray, opinion: np.ndarray, settled: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Sums and counts of opinions per seeker (as ``bincount``), with the kept totals of
        seekers already settled at an earlier tally."""
        kept = self._kept
        blocks = len(s) // self.TALLY_BLOCK
        if len(self._done_blocks) < blocks:
            self._done_blocks = grown(self._done_blocks, max(blocks, 2 * len(self._done_blocks)))
        sums, counts = sums_and_counts(s, opinion, self.seekers, kept, self._done_blocks, self.TALLY_BLOCK)
        sums[kept], counts[kept] = self._kept_sums[kept], self._kept_counts[kept]
        if settled is not None:
            newly = settled & ~kept
            self._kept_sums[newly], self._kept_counts[newly] = sums[newly], counts[newly]
            kept |= newly
        return sums, counts

    # --- goodwill ------------------------------------------------------------------------
    def goodwill_at(self, r: int, day: float) -> float:
        """Goodwill in row ``r`` today (0.0 for r < 0)."""
        k = self._goodwill_place(r) if r >= 0 else -1
        if k < 0:
            return 0.0
        factor = decay_factor(day - self.goodwill_since[k], self.goodwill_half_life)
        return float(decayed(self.goodwill_amount[k], factor))

    def stored_goodwill(self) -> np.ndarray:
        """Each row's goodwill as last set, before decay (0.0 where none): for checks."""
        return self._by_row(self.goodwill_amount, 0.0)

    def goodwill_days(self) -> np.ndarray:
        """The day each row's goodwill was last set (-1.0 where none): for checks."""
        return self._by_row(self.goodwill_since, -1.0)

    def _by_row(self, column: np.ndarray, none: float) -> np.ndarray:
        count = int(self.goodwill_count[0])
        out = np.full(self.size, none)
        out[self.goodwill_row[:count]] = column[:count]
        return out

    def _goodwill_place(self, r: int) -> int:
        """Row ``r``'s place in the goodwill side table, or -1."""
        return int(kernels.running(goodwill_place)(self.goodwill_index, self.goodwill_row, r))

    def add_goodwill(self, r: int, amount: float, day: float) -> None:
        """The person in row ``r`` now owes the seeker ``amount`` more (S5)."""
        k = self._goodwill_place(r)
        self.goodwill_added(r, k < 0 or self.goodwill_amount[k] == 0.0)
        owed = self.goodwill_at(r, day) + amount
        if k < 0:
            k = self._new_goodwill_place(r)
        self.goodwill_amount[k], self.goodwill_since[k] = owed, day

    def spend_goodwill(self, r: int, amount: float, day: float) -> None:
        """The person in row ``r`` does the seeker a favour unasked, and it uses up ``amount``
        of what she owes (never below nothing; issue 14). Nothing changes when ``amount`` is 0."""
        k = self._goodwill_place(r)
        if amount <= 0.0 or k < 0 or self.goodwill_amount[k] == 0.0:
            return
        self.goodwill_amount[k] = max(0.0, self.goodwill_at(r, day) - amount)
        self.goodwill_since[k] = day
        if self._owed_day is not None:
            self._owed[int(self.seeker[r])] = np.nan

    def _new_goodwill_place(self, r: int) -> int:
        """A place in the side table for row ``r``, which had none."""
        self.reserve_goodwill(1)
        k = int(self.goodwill_count[0])
        self.goodwill_count[0] = k + 1
        kernels.running(put_goodwill_place)(self.goodwill_index, self.goodwill_row, r, k)
        return k

    def reserve_goodwill(self, free: int) -> None:
        """At least ``free`` unused places in the goodwill side table (compiled code adds
        places but never grows the table: Python makes room before each compiled call)."""
        needed = int(self.goodwill_count[0]) + free
        size = max(1, len(self.goodwill_amount))
        if needed > len(self.goodwill_amount):
            while size < needed:
                size *= 2
            self.goodwill_amount = grown(self.goodwill_amount, size)
            self.goodwill_since = grown(self.goodwill_since, size)
            self.goodwill_row = grown(self.goodwill_row, size)
            count = int(self.goodwill_count[0])
            self.goodwill_index = goodwill_index_of(self.goodwill_row, count, 2 * size)

    def goodwill_added(self, r: int, first: bool) -> None:
        """What the book keeps besides the amount when row ``r`` gains goodwill (``first``:
        it held none before): the row joins the seeker's owing rows, and her total kept
        for today is stale. :meth:`add_goodwill` calls it; so does Python after a gift
        compiled code made (:mod:`sim.model.kernels.whole_call`)."""
        seeker = int(self.seeker[r])
        if first and not self._owes(r):
            bisect.insort(self._owing[seeker], r)
            self._owing_arrays[seeker] = None
        if self._owed_day is not None:
            self._owed[seeker] = np.nan

    def _owes(self, r: int) -> bool:
        owing = self._owing[int(self.seeker[r])]
        k = bisect.bisect_left(owing, r)
        return k < len(owing) and owing[k] == r

    def remember_owed(self, day: float, seekers: list[int], totals: np.ndarray) -> None:
        """Keep ``totals`` (of ``goodwill_rows(seeker, day)[1].sum()``) for these seekers
        on ``day``; :meth:`owed_total` answers from them until goodwill changes."""
        self._owed = np.full(self.seekers, np.nan)
        self._owed[seekers] = totals
        self._owed_day = day

    def owed_total(self, seeker: int, day: float) -> float:
        """``goodwill_rows(seeker, day)[1].sum()``: the goodwill owed to ``seeker`` today."""
        if day == self._owed_day:
            total = self._owed[seeker]
            if total == total:  # not NaN
                return float(total)
        return float(self.goodwill_rows(seeker, day)[1].sum())

    def owing_rows(self, seeker: int) -> np.ndarray:
        """Rows that have ever held goodwill towards ``seeker``, ascending."""
        rows = self._owing_arrays[seeker]
        if rows is None:
            rows = self._owing_arrays[seeker] = np.asarray(self._owing[seeker], dtype=np.int64)
        return rows

    def goodwill_rows(self, seeker: int, day: float) -> tuple[np.ndarray, np.ndarray]:
        """Rows holding goodwill towards ``seeker`` and today's amounts."""
        rows = self.owing_rows(seeker)
        if rows.size == 0:
            return rows, np.zeros(0)
        # every owing row has a place
        places = kernels.running(goodwill_places)(self.goodwill_index, self.goodwill_row, rows)
        amounts = self.goodwill_amount[places] * decay_factor(
            day - self.goodwill_since[places], self.goodwill_half_life
        )
        held = amounts > HELD
        return rows[held], amounts[held]
