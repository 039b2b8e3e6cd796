"""The gossip cascade compiled with numba, when numba is installed (issue 5, ``[fast]`` extra).

Gossip is the largest single cost of a busy run (docs/performance.md): every telling reads
a teller's circle, draws who hears, finds or makes each listener's opinion row and moves
it. In numpy that is a dozen small array calls and a dict probe per listener, for circles of
about twenty people. Compiled, the whole cascade is one call.

The results are the same, bit for bit, as :func:`sim.model.gossip.spread` in numpy, which
stays the reference and the path taken without numba:

- random numbers come from the run's own ``numpy.random.Generator``, held by the compiled
  code, which draws the same uniform stream in the same order (one draw per contact of each
  teller, tellers in the same breadth-first order);
- tie decay reads a table of ``exp2(-days / half-life)`` computed by numpy for whole days,
  so no compiled ``exp2`` can differ in the last bit (days are whole numbers in a run;
  a telling on any other day, or once a tie was touched on one, takes the numpy path);
- every other float is the same IEEE operation in the same order as the numpy code.

The opinion book's dict cannot be read from compiled code, so the compiled side keeps its own
open-addressing hash table of (person, seeker) -> row in numpy arrays. It lags the dict: rows
made in Python since the last cascade are added to it when the next one starts, and rows the
cascade makes are added to the dict (and the per-person lists) when it returns.

Everything the cascade reads lives in one numba ``StructRef`` per run (:class:`_Cascade`),
so that a call passes a handful of numbers: passing the Generator and thirty arrays on every
call cost more (about 20 µs) than the cascade itself.
"""

from __future__ import annotations

import numpy as np

from sim.model import compiled
from sim.model.params import ContactParams
from sim.model.reputation import NEUTRAL, OpinionBook
from sim.model.world import Ties, _exp2_decay

if compiled.INSTALLED:
    from numba import types
    from numba.experimental import structref

__all__ = ["spread_compiled"]

_EMPTY = -1
_FIBONACCI = 0x9E3779B97F4A7C15  # 2**64 / golden ratio: spreads consecutive keys apart
_FIRST_TABLE = 1 << 16
#: Free rows the book is given (by numpy, in Python) before each cascade. Columns grown by
#: numpy are zero-filled lazily by the operating system, so their unused half costs no
#: memory; grown in compiled code they would be written, and resident, at once. The cascade
#: still grows the columns itself if a single telling ever needs more.
_SPARE_ROWS = 1 << 16
_BOOK = OpinionBook.COLUMNS
_INTRODUCED = ("head", "next", "other", "strength", "trust", "mirror")
_FIELDS = (
    ("rng", "indptr", "indices", "level", "decays", "touched", "trust", "mirror", "floor", "decay")
    + tuple(f"ex_{name}" for name in _INTRODUCED)
    + _BOOK
    + ("first_row", "last_row", "n_seekers", "keys", "rows", "synced", "rate_good", "rate_bad", "weight", "threshold", "depth")
)


def spread_compiled(
    book: OpinionBook,
    ties: Ties,
    rng: np.random.Generator,
    p: ContactParams,
    *,
    teller: int,
    seeker: int,
    change: float,
    day: float,
    seeker_person: int,
) -> int | None:
    """The cascade of :func:`sim.model.gossip.spread`, compiled; returns listeners reached,
    or None (having done nothing) when it cannot give the numpy answer bit for bit."""
    if not compiled.AVAILABLE or day != int(day) or not ties.whole_days:
        return None
    teller_row = book.row(teller, seeker)
    if teller_row < 0:
        return None
    if len(book.opinion) - book.size < _SPARE_ROWS:
        book.reserve_rows(book.size + _SPARE_ROWS)
    state = _state_for(book, ties, rng, p, int(day))
    old_size = book.size
    reached, size, grew = _cascade(
        state.handle, old_size, teller, teller_row, seeker, float(change), float(day), seeker_person
    )
    if grew:
        state.adopt_columns(book)
    book.size = size
    book.adopt_rows(old_size, size)
    return reached


class _Run:
    """The compiled state of one run, and the Python objects it was built from.

    Python replaces an array when it grows one (the opinion book, the introduced ties) or
    when the decay table must reach further; :meth:`refresh` hands the new arrays over.
    """

    def __init__(self, book: OpinionBook, ties: Ties, rng: np.random.Generator, p: ContactParams) -> None:
        self.ties, self.rng, self.params = ties, rng, p
        self.decay = np.zeros(0)
        graph, intro = ties.graph, ties.introduced
        book.reserve_people(graph.n)
        self.handle = _new_cascade(
            rng, graph.indptr, graph.indices, ties.level, ties.decays, ties.touched, ties.trust, ties.reverse_slot,
            float(ties.params.floor), self.decay,
            *(getattr(intro, name) for name in _INTRODUCED),
            *(getattr(book, name) for name in _BOOK), book.first_row, book.last_row,
            book.seekers, np.full(_FIRST_TABLE, _EMPTY, dtype=np.int64), np.zeros(_FIRST_TABLE, dtype=np.int64), 0,
            float(p.gossip_rate), float(p.gossip_rate * p.bad_news_factor), float(p.gossip_weight),
            float(p.gossip_threshold), int(p.gossip_depth),
        )  # fmt: skip
        self._book_opinion, self._intro_next, self._first_row = book.opinion, intro.next, book.first_row

    def matches(self, ties: Ties, rng: np.random.Generator, p: ContactParams) -> bool:
        """Whether this state was built for these objects."""
        return self.ties is ties and self.rng is rng and self.params is p

    def refresh(self, book: OpinionBook, elapsed_days: int) -> None:
        """Hand over arrays Python has replaced since the last call."""
        if book.opinion is not self._book_opinion:
            _set_book(self.handle, *(getattr(book, name) for name in _BOOK))
            self._book_opinion = book.opinion
        if book.first_row is not self._first_row:
            _set_person_lists(self.handle, book.first_row, book.last_row)
            self._first_row = book.first_row
        intro = self.ties.introduced
        if intro.next is not self._intro_next:
            _set_introduced(self.handle, *(getattr(intro, name) for name in _INTRODUCED))
            self._intro_next = intro.next
        if elapsed_days >= len(self.decay):
            size = max(512, 2 * (elapsed_days + 1))
            self.decay = _exp2_decay(np.arange(size, dtype=np.float64), self.ties.params.decay_half_life)
            _set_decay(self.handle, self.decay)

    def adopt_columns(self, book: OpinionBook) -> None:
        """The cascade grew the book's columns: the book takes the new arrays."""
        for name, column in zip(_BOOK, _book_columns(self.handle), strict=True):
            setattr(book, name, column)
        self._book_opinion = book.opinion


def _state_for(book: OpinionBook, ties: Ties, rng: np.random.Generator, p: ContactParams, day: int) -> _Run:
    """The book's compiled state, built on first use and kept on the book (``compiled``)."""
    run = book.compiled
    if run is None or not run.matches(ties, rng, p):
        run = book.compiled = _Run(book, ties, rng, p)
    run.refresh(book, int(day - ties.start_day))
    return run


# --- compiled code --------------------------------------------------------------------------
if compiled.INSTALLED:

    @structref.register
    class _CascadeType(types.StructRef):
        def preprocess_fields(self, fields):
            return tuple((name, types.unliteral(typ)) for name, typ in fields)

    class _Cascade(structref.StructRefProxy):
        """Everything the cascade reads and writes, held on the compiled side."""

    structref.define_proxy(_Cascade, _CascadeType, list(_FIELDS))


@compiled.jit
def _new_cascade(*fields):
    """A :class:`_Cascade` from its fields in the order of ``_FIELDS`` (compiled, and so
    cached on disk, unlike the proxy's own constructor)."""
    return _Cascade(*fields)


@compiled.jit
def _set_book(s, person, seeker, opinion, goodwill, goodwill_day, hop, met, next_row):
    s.person, s.seeker, s.opinion, s.goodwill = person, seeker, opinion, goodwill
    s.goodwill_day, s.hop, s.met, s.next_row = goodwill_day, hop, met, next_row


@compiled.jit
def _book_columns(s):
    return s.person, s.seeker, s.opinion, s.goodwill, s.goodwill_day, s.hop, s.met, s.next_row


@compiled.jit
def _set_person_lists(s, first_row, last_row):
    s.first_row, s.last_row = first_row, last_row


@compiled.jit
def _set_introduced(s, head, next_, other, strength, trust, mirror):
    s.ex_head, s.ex_next, s.ex_other, s.ex_strength, s.ex_trust, s.ex_mirror = head, next_, other, strength, trust, mirror


@compiled.jit
def _set_decay(s, decay):
    s.decay = decay


@compiled.jit
def _slot_of(keys, key):
    mask = len(keys) - 1
    return np.int64(((np.uint64(key) * np.uint64(_FIBONACCI)) >> np.uint64(29)) & np.uint64(mask))


@compiled.jit
def _find(keys, rows, key):
    mask = len(keys) - 1
    h = _slot_of(keys, key)
    while keys[h] != _EMPTY:
        if keys[h] == key:
            return rows[h]
        h = (h + 1) & mask
    return -1


@compiled.jit
def _put(keys, rows, key, row):
    mask = len(keys) - 1
    h = _slot_of(keys, key)
    while keys[h] != _EMPTY:
        h = (h + 1) & mask
    keys[h] = key
    rows[h] = row


@compiled.jit
def _index_rows(s, stop):
    """Put rows synced..stop-1 in the table, first doubling it while it would be over half full."""
    capacity, start = len(s.keys), s.synced
    while 2 * stop > capacity:
        capacity *= 2
    if capacity != len(s.keys):
        s.keys = np.full(capacity, _EMPTY, dtype=np.int64)
        s.rows = np.zeros(capacity, dtype=np.int64)
        start = 0
    keys, rows, person, seeker = s.keys, s.rows, s.person, s.seeker
    for r in range(start, stop):
        _put(keys, rows, person[r] * s.n_seekers + seeker[r], r)
    s.synced = stop


@compiled.jit
def _doubled(column):
    grown = np.zeros(2 * len(column), dtype=column.dtype)
    grown[: len(column)] = column
    return grown


@compiled.jit
def _grow_book(s):
    s.person, s.seeker, s.opinion = _doubled(s.person), _doubled(s.seeker), _doubled(s.opinion)
    s.goodwill, s.goodwill_day = _doubled(s.goodwill), _doubled(s.goodwill_day)
    s.hop, s.met, s.next_row = _doubled(s.hop), _doubled(s.met), _doubled(s.next_row)


@compiled.jit
def _row_for(s, listener, seeker, size, new_hop, day):
    """The listener's row (made, neutral, if new) and the book's size after it."""
    key = listener * s.n_seekers + seeker
    r = _find(s.keys, s.rows, key)
    if r >= 0:
        return r, size
    if size == len(s.opinion):
        _grow_book(s)
    r = size
    s.person[r], s.seeker[r], s.opinion[r], s.hop[r] = listener, seeker, NEUTRAL, new_hop
    s.goodwill[r], s.goodwill_day[r], s.met[r], s.next_row[r] = 0.0, day, False, -1
    last = s.last_row[listener]
    if last < 0:
        s.first_row[listener] = r
    else:
        s.next_row[last] = r
    s.last_row[listener] = r
    if 2 * (r + 1) > len(s.keys):
        _index_rows(s, r + 1)
    else:
        _put(s.keys, s.rows, key, r)
        s.synced = r + 1
    return r, r + 1


@compiled.jit
def _cascade(s, size, teller, teller_row, seeker, change, day, seeker_person):
    """Breadth-first telling, as :func:`sim.model.gossip.spread`, in a book of ``size``
    rows; returns (listeners reached, the book's new size, whether its columns were
    replaced)."""
    capacity = len(s.opinion)
    _index_rows(s, size)
    tellers, teller_rows, deltas = [np.int64(teller)], [np.int64(teller_row)], [np.float64(change)]
    reached = 0
    for _ in range(s.depth):
        next_tellers, next_rows, next_deltas = tellers[:0], teller_rows[:0], deltas[:0]
        for f in range(len(tellers)):
            t, t_row = tellers[f], teller_rows[f]
            rate = s.rate_bad if deltas[f] < 0 else s.rate_good
            view, new_hop = s.opinion[t_row], s.hop[t_row] + 1
            k, end, e = s.indptr[t], s.indptr[t + 1], s.ex_head[t]
            while k < end or e != -1:
                if k < end:
                    listener, trust_back, strength = s.indices[k], s.trust[s.mirror[k]], s.level[k]
                    if s.decays[k] and strength > s.floor:
                        strength = s.floor + (strength - s.floor) * s.decay[np.int64(day - s.touched[k])]
                    k += 1
                else:
                    listener, trust_back, strength = s.ex_other[e], s.ex_trust[s.ex_mirror[e]], s.ex_strength[e]
                    e = s.ex_next[e]
                if not (s.rng.random() < min(1.0, rate * strength)) or listener == seeker_person:
                    continue
                r, size = _row_for(s, listener, seeker, size, new_hop, day)
                before = s.opinion[r]
                after = min(max(before + s.weight * trust_back * (view - before), 0.0), 1.0)
                s.opinion[r] = after
                reached += 1
                if abs(after - before) >= s.threshold:
                    next_tellers.append(listener)
                    next_rows.append(r)
                    next_deltas.append(after - before)
        tellers, teller_rows, deltas = next_tellers, next_rows, next_deltas
        if len(tellers) == 0:
            break
    return reached, size, len(s.opinion) != capacity
