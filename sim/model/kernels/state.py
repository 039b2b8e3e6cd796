"""The compiled state of a run: what compiled code reads and writes, on the compiled side.

Compiled kernels (the gossip cascade, :mod:`sim.model.kernels.gossip`; a call,
:mod:`sim.model.kernels.call` and :mod:`sim.model.kernels.whole_call`) work on the run's own
arrays: the graph and tie arrays, the opinion book's columns, people's traits and contact
fatigue. They are held, with the run's ``numpy.random.Generator`` and the coefficients of the
equations, in one numba ``StructRef`` per run, so that a compiled call passes a handful of
numbers: passing the Generator and thirty arrays on every call cost more (about 20 µs) than
most of the work done. :class:`sim.model.state.compiled_run.CompiledRun` builds it from the
run's Python objects, field by field and by name (:func:`new_state`).

Bit-for-bit agreement with the Python and numpy reference rests on three rules:

- random numbers come from the run's own Generator, in the same order;
- decays read tables of ``exp2(-days / half-life)`` computed by numpy for whole days, so no
  compiled ``exp2`` can differ in the last bit (days are whole numbers in a run; on any
  other day, or once a tie was touched on one, the reference runs);
- every other float is computed by the same function (:mod:`sim.model.equations`), so the
  same IEEE operations in the same order.

The opinion book's dict cannot be read from compiled code, so the compiled side keeps its own
open-addressing hash table of (person, seeker) -> row in numpy arrays. It lags the dict: rows
made in Python since the last compiled call are added to it when the next one starts
(:func:`index_rows`); rows compiled code makes (and links into the per-person lists) are
added to the dict when the dict is next read (``OpinionBook._catch_up``).
"""

from __future__ import annotations

import numpy as np

from sim.model import kernels
from sim.model.equations import NEUTRAL, decayed, decayed_level, shifted_opinion

if kernels.INSTALLED:
    from numba import types
    from numba.experimental import structref
    from numba.extending import typeof_impl

__all__ = [
    "BOOK_COLUMNS",
    "FIELDS",
    "GOODWILL_COLUMNS",
    "HOP_INT",
    "HOP_MAX",
    "INTRODUCED_COLUMNS",
    "add_goodwill",
    "book_columns",
    "decayed_introduced",
    "decayed_strength",
    "find",
    "free_slot",
    "goodwill_index_of",
    "goodwill_now",
    "goodwill_place",
    "goodwill_places",
    "home_slot",
    "index_rows",
    "new_row_index",
    "new_state",
    "put_goodwill_place",
    "row_for",
    "seeker_int",
    "set_book",
    "set_decay_tables",
    "set_goodwill",
    "set_introduced",
    "set_person_lists",
    "shift",
]

_EMPTY = -1
_FIBONACCI = 0x9E3779B97F4A7C15  # 2**64 / golden ratio: spreads consecutive keys apart

#: The opinion book's per-row columns (``OpinionBook.COLUMNS``), grown together.
BOOK_COLUMNS = ("person", "seeker", "opinion", "hop", "met", "next_row")
#: The book's hop column: 16 bits, 2 bytes a row less than 32 (120 MB at a million people).
#: A hop counts the people between a seeker and a listener, so it stays far below the
#: largest value (a chain of names grows by one a call); a longer one is kept at the largest.
HOP_INT = np.int16
HOP_MAX = int(np.iinfo(HOP_INT).max)


def seeker_int(seekers: int) -> type[np.signedinteger]:
    """The narrowest type of the book's seeker column that holds ``seekers`` ids: 16 bits up
    to 32,768 seekers (ids below 2**15; 2 bytes a row less than 32), else 32."""
    return np.int16 if seekers <= int(np.iinfo(np.int16).max) + 1 else np.int32


#: The goodwill side table (``OpinionBook.goodwill_amount`` and so on), prefixed ``goodwill_``:
#: each place's amount, day set and row, the number of places used, and the hash index that
#: finds a row's place (:func:`goodwill_place`).
GOODWILL_COLUMNS = ("amount", "since", "row", "count", "index")
#: The columns of the introduced ties (``IntroducedTies``), prefixed ``ex_`` in the state.
INTRODUCED_COLUMNS = ("head", "next", "other", "strength", "touched", "trust", "mirror")

#: Every field of the compiled state, by name. ``CompiledRun`` fills them by name.
FIELDS = (
    # the run's Generator; the graph (CSR) and its ties (eq. 11); the decay table of ties
    "rng", "indptr", "indices", "level", "decay_slot", "touched", "trust", "mirror", "floor", "decay",
    *(f"ex_{name}" for name in INTRODUCED_COLUMNS),
    # the opinion book, its per-person lists and the compiled hash index of its rows
    *BOOK_COLUMNS, "first_row", "last_row", "n_seekers", "index", "index_tag", "synced",
    # goodwill, kept apart for the rows that ever held any (eq. 13)
    *(f"goodwill_{name}" for name in GOODWILL_COLUMNS),
    # gossip (eq. 7)
    "rate_good", "rate_bad", "weight", "threshold", "depth",
    # people and their fatigue (eq. 12); goodwill's decay table (eq. 13)
    "industry", "busyness", "protectiveness", "fatigue", "fatigue_since", "fatigue_decay", "goodwill_decay",
    # the meetings each person will give a week, and has given (eq. 19)
    "meeting_limit", "meeting_week", "meetings_given",
    # the coefficients of eqs. 1-6 and a call's other constants
    "acceptance", "liking", "lending", "gift_misfit", "endorsement_transfer", "cold_call_factor", "phone_offer", "push_success",
    "mop_up", "touch_boost",
    # the weight of each person as a name (seniority), the market's managers and open openings
    "name_weight", "is_manager", "has_open",
    # where a whole call leaves the names it drew and the call-ahead flags (kernels/whole_call.py)
    "picked",
)  # fmt: skip


def new_state(**fields: object) -> object:
    """The compiled state from its fields, each given by name (all of :data:`FIELDS`)."""
    missing = set(FIELDS) ^ set(fields)
    if missing:
        raise TypeError(f"compiled state fields missing or unknown: {sorted(missing)}")
    return _new_state(*(fields[name] for name in FIELDS))


# --- compiled code --------------------------------------------------------------------------
if kernels.INSTALLED:

    @structref.register
    class _StateType(types.StructRef):
        def preprocess_fields(self, fields):
            return tuple((name, types.unliteral(typ)) for name, typ in fields)

    class _State(structref.StructRefProxy):
        """Everything compiled code reads and writes, held on the compiled side."""

    structref.define_proxy(_State, _StateType, list(FIELDS))

    @typeof_impl.register(_State)
    def _typeof_state(val, c):
        """The state's numba type, read straight off the proxy. numba's generic ``typeof``
        first tries the buffer protocol and fails with an exception before it reads
        ``_numba_type_``: about 2 µs on every compiled call that is passed the state,
        which is most of what such a call costs from Python."""
        return val._type


@kernels.jit
def _new_state(*fields):
    """A :class:`_State` from its fields in the order of :data:`FIELDS` (compiled, and so
    cached on disk, unlike the proxy's own constructor)."""
    return _State(*fields)


@kernels.jit
def set_book(s, person, seeker, opinion, hop, met, next_row):
    s.person, s.seeker, s.opinion = person, seeker, opinion
    s.hop, s.met, s.next_row = hop, met, next_row


@kernels.jit
def book_columns(s):
    return s.person, s.seeker, s.opinion, s.hop, s.met, s.next_row


@kernels.jit
def set_goodwill(s, amount, since, row, count, index):
    s.goodwill_amount, s.goodwill_since, s.goodwill_row = amount, since, row
    s.goodwill_count, s.goodwill_index = count, index


@kernels.jit
def set_person_lists(s, first_row, last_row):
    s.first_row, s.last_row = first_row, last_row


@kernels.jit
def set_introduced(s, head, next_, other, strength, touched, trust, mirror):
    s.ex_head, s.ex_next, s.ex_other, s.ex_strength = head, next_, other, strength
    s.ex_touched, s.ex_trust, s.ex_mirror = touched, trust, mirror


@kernels.jit
def set_decay_tables(s, decay, fatigue_decay, goodwill_decay):
    s.decay, s.fatigue_decay, s.goodwill_decay = decay, fatigue_decay, goodwill_decay


def new_row_index(slots: int) -> tuple[np.ndarray, np.ndarray]:
    """An empty index of the opinion book's rows with ``slots`` slots (any number below
    2**32): each slot's row number (32 bits, ``_EMPTY`` for none) and, in a second array,
    an 8-bit tag of the row's (person, seeker) key. The key itself is not kept: it is in the
    book's own columns, read only for a slot whose tag matches (one in 256 of the others).
    Five bytes a slot, against eight for a row and a 31-bit tag in one 64-bit word and
    sixteen for a (key, row) pair: at a million people the index holds 97 million slots."""
    return np.full(slots, _EMPTY, dtype=np.int32), np.zeros(slots, dtype=np.uint8)


#: A run's row index is kept at most this full (in tenths), and grows by half when it would
#: be fuller. Linear probing then takes about two probes to find a row and six to learn
#: that a pair has none, mostly in one cache line; a table kept at most half full, doubling,
#: held two to four slots a row (1.1 GB at 27 million rows, a million people).
_MAX_LOAD_TENTHS = 7
#: The tag's bits: the low 8 of a key's hash (the home slot is taken from the top 32).
_TAG_MASK = (1 << 8) - 1


@kernels.jit
def home_slot(key, slots):
    """The home slot of ``key`` among ``slots``: the top 32 bits of its Fibonacci hash,
    scaled to the number of slots by a multiply and a shift (Lemire's reduction), so that a
    table can have any size, not only a power of two."""
    hashed = (np.uint64(key) * np.uint64(_FIBONACCI)) >> np.uint64(32)
    return np.int64((hashed * np.uint64(slots)) >> np.uint64(32))


@kernels.jit
def _tag(key):
    """8 bits of ``key``'s hash that the home slot does not use (its low bits): keys that
    share a run of slots rarely share a tag, so the book's columns are read about once a
    lookup, for the row that is found."""
    return np.uint8((np.uint64(key) * np.uint64(_FIBONACCI)) & np.uint64(_TAG_MASK))


@kernels.jit
def find(s, key):
    """The row of ``key`` (``person * n_seekers + seeker``) in the book, or -1."""
    index, tags = s.index, s.index_tag
    slots = len(index)
    h, tag = home_slot(key, slots), _tag(key)
    while index[h] != _EMPTY:
        if tags[h] == tag:
            r = index[h]
            if s.person[r] * s.n_seekers + s.seeker[r] == key:
                return r
        h += 1
        if h == slots:
            h = 0
    return -1


@kernels.jit
def free_slot(table, key):
    """The first free slot (``_EMPTY``, -1) from ``key``'s home slot on, by linear probing;
    there must be one."""
    return _free_from(table, home_slot(key, len(table)))


@kernels.jit
def _free_from(table, h):
    """The first free slot of ``table`` from slot ``h`` on, wrapping round."""
    slots = len(table)
    while table[h] != _EMPTY:
        h += 1
        if h == slots:
            h = 0
    return h


@kernels.jit
def _put(index, tags, key, row):
    """Index ``row`` under ``key``, which is not in the index."""
    h = free_slot(index, key)
    index[h], tags[h] = row, _tag(key)


@kernels.jit
def _too_full(rows, slots):
    return 10 * rows > _MAX_LOAD_TENTHS * slots


@kernels.jit
def index_rows(s, stop):
    """Put rows synced..stop-1 in the table, first growing it (by half, until ``stop`` rows
    fit within the load limit) when they would not fit."""
    slots, start = len(s.index), s.synced
    while _too_full(stop, slots):
        slots += max(1, slots // 2)
    if slots != len(s.index):
        # the old index goes before the new one is made: it is rebuilt from the book's
        # columns, and holding both would add the old one's size to the run's peak
        s.index, s.index_tag = np.empty(0, dtype=np.int32), np.empty(0, dtype=np.uint8)
        s.index, s.index_tag = np.full(slots, _EMPTY, dtype=np.int32), np.zeros(slots, dtype=np.uint8)
        start = 0
    index, tags, person, seeker = s.index, s.index_tag, s.person, s.seeker
    for r in range(start, stop):
        _put(index, tags, person[r] * s.n_seekers + seeker[r], r)
    s.synced = stop


@kernels.jit
def _doubled(column):
    grown = np.zeros(2 * len(column), dtype=column.dtype)
    grown[: len(column)] = column
    return grown


@kernels.jit
def _grow_book(s):
    s.person, s.seeker, s.opinion = _doubled(s.person), _doubled(s.seeker), _doubled(s.opinion)
    s.hop, s.met, s.next_row = _doubled(s.hop), _doubled(s.met), _doubled(s.next_row)


@kernels.jit
def row_for(s, listener, seeker, size, new_hop):
    """The listener's row (made, neutral, if new) and the book's size after it."""
    key = listener * s.n_seekers + seeker
    r = find(s, key)
    if r >= 0:
        return r, size
    if size == len(s.opinion):
        _grow_book(s)
    r = size
    s.person[r], s.seeker[r], s.opinion[r], s.hop[r] = listener, seeker, NEUTRAL, min(new_hop, HOP_MAX)
    s.met[r], s.next_row[r] = False, -1
    last = s.last_row[listener]
    if last < 0:
        s.first_row[listener] = r
    else:
        s.next_row[last] = r
    s.last_row[listener] = r
    if _too_full(r + 1, len(s.index)):
        index_rows(s, r + 1)
    else:
        _put(s.index, s.index_tag, key, r)
        s.synced = r + 1
    return r, r + 1


@kernels.jit
def decayed_strength(s, k, day):
    """The strength of CSR tie ``k`` on ``day`` (``Ties._strength_at``): decayed towards the
    floor from its last touch if the tie touches a seeker and is above the floor."""
    level, j = s.level[k], s.decay_slot[k]
    if j < 0 or level - s.floor <= 0:
        return level
    return decayed_level(level, s.floor, s.decay[np.int64(day - s.touched[j])])


@kernels.jit
def decayed_introduced(s, e, day):
    """The strength of introduced-tie entry ``e`` on ``day`` (``Ties._introduced_strength_at``):
    every tie made during the run decays towards the floor from when it was last set."""
    level = s.ex_strength[e]
    if level - s.floor <= 0:
        return level
    return decayed_level(level, s.floor, s.decay[np.int64(day - s.ex_touched[e])])


def goodwill_index_of(rows: np.ndarray, count: int, slots: int) -> np.ndarray:
    """The hash index of the goodwill side table's first ``count`` places (``rows`` holds
    each place's row), with ``slots`` slots: each slot holds a place, or ``_EMPTY``.

    Few rows ever hold goodwill (half a million of 60 million at a million people), so a
    row finds its place through this index, kept at most half full, rather than through a
    reference in every row of the book (4 bytes a row, 240 MB at that size)."""
    index = np.full(slots, _EMPTY, dtype=np.int32)
    kernels.running(_index_places)(index, rows, count)
    return index


@kernels.jit
def _index_places(index, rows, count):
    for k in range(count):
        index[_free_goodwill_slot(index, rows[k])] = k


#: Knuth's multiplicative constant: a row number (below 2**31) times it stays below 2**63, so
#: compiled code and plain Python (the pure path) compute the same home slot without overflow.
_KNUTH = 2654435761


@kernels.jit
def _goodwill_home(r, slots):
    return (np.int64(r) * _KNUTH) % slots


@kernels.jit
def _free_goodwill_slot(index, r):
    return _free_from(index, _goodwill_home(r, len(index)))


@kernels.jit
def goodwill_place(index, rows, r):
    """The place of row ``r`` in the goodwill side table, or -1 if it has none (linear
    probing from the row's home slot; ``rows`` holds each place's row)."""
    slots = len(index)
    h = _goodwill_home(r, slots)
    while index[h] != _EMPTY:
        k = index[h]
        if rows[k] == r:
            return k
        h += 1
        if h == slots:
            h = 0
    return -1


@kernels.jit
def goodwill_places(index, rows, wanted):
    """:func:`goodwill_place` of each row in ``wanted``."""
    places = np.empty(len(wanted), dtype=np.int64)
    for i in range(len(wanted)):
        places[i] = goodwill_place(index, rows, wanted[i])
    return places


@kernels.jit
def put_goodwill_place(index, rows, r, k):
    """Give row ``r``, which has none, place ``k`` (the index must have a free slot)."""
    rows[k] = r
    index[_free_goodwill_slot(index, r)] = k


@kernels.jit
def goodwill_now(s, r, day):
    """Goodwill in row ``r`` on ``day`` (``OpinionBook.goodwill_at``)."""
    k = goodwill_place(s.goodwill_index, s.goodwill_row, r)
    if k < 0:
        return 0.0
    return decayed(s.goodwill_amount[k], s.goodwill_decay[np.int64(day - s.goodwill_since[k])])


@kernels.jit
def add_goodwill(s, r, amount, day):
    """``OpinionBook.add_goodwill`` without the owing rows (Python adds them): returns
    whether row ``r`` held none before. The side table must have a free place (Python
    makes room before each compiled call)."""
    k = goodwill_place(s.goodwill_index, s.goodwill_row, r)
    first = k < 0 or s.goodwill_amount[k] == 0.0
    owed = goodwill_now(s, r, day) + amount
    if k < 0:
        k = s.goodwill_count[0]
        s.goodwill_count[0] = k + 1
        put_goodwill_place(s.goodwill_index, s.goodwill_row, r, k)
    s.goodwill_amount[k], s.goodwill_since[k] = owed, day
    return first


@kernels.jit
def shift(s, r, toward, weight):
    """Move the opinion in row ``r`` a share ``weight`` of the way to ``toward``
    (``OpinionBook.shift``); returns the change."""
    old = s.opinion[r]
    s.opinion[r] = shifted_opinion(old, toward, weight)
    return s.opinion[r] - old
