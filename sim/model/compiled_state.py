# ruff: noqa: RUF005 - the field list reads best as named groups
"""The compiled state of a run: what compiled code reads and writes, on the compiled side.

Compiled code (the gossip cascade, :mod:`sim.model.compiled_gossip`; the opening of a call,
:mod:`sim.model.compiled_call`) works on the run's own arrays: the graph and tie arrays, the
opinion book's columns, people's traits and contact fatigue. They are held, with the run's
``numpy.random.Generator``, in one numba ``StructRef`` per run (:class:`CompiledRun`), so
that a compiled call passes a handful of numbers: passing the Generator and thirty arrays
on every call cost more (about 20 µs) than most of the work done.

Bit-for-bit agreement with the Python and numpy reference rests on three rules:

- random numbers come from the run's own Generator, in the same order;
- decays read tables of ``exp2(-days / half-life)`` computed by numpy for whole days, so no
  compiled ``exp2`` can differ in the last bit (days are whole numbers in a run; on any
  other day, or once a tie was touched on one, :func:`state_for` answers None and the
  reference runs);
- every other float is the same IEEE operation in the same order as the reference.

The opinion book's dict cannot be read from compiled code, so the compiled side keeps its own
open-addressing hash table of (person, seeker) -> row in numpy arrays. It lags the dict: rows
made in Python since the last compiled call are added to it when the next one starts
(:func:`index_rows`); rows compiled code makes (and links into the per-person lists) are
added to the dict when the dict is next read (``OpinionBook._catch_up``). While compiled code
runs, Python's own lookups go through this table too (:mod:`sim.model.compiled_rows`), so
the dict is read, and filled, only on the reference path.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.model import compiled
from sim.model.params import ContactParams
from sim.model.reputation import NEUTRAL, OpinionBook
from sim.model.world import Fatigue, People, Ties, _exp2_decay

if TYPE_CHECKING:
    from sim.model.model import NetworkingModel

if compiled.INSTALLED:
    from numba import types
    from numba.experimental import structref

__all__ = [
    "ACCEPT",
    "TALK",
    "CompiledRun",
    "decayed_strength",
    "find",
    "goodwill_now",
    "index_rows",
    "model_state",
    "new_index",
    "put",
    "row_for",
    "shift",
    "state_for",
]

_EMPTY = -1
_FIBONACCI = 0x9E3779B97F4A7C15  # 2**64 / golden ratio: spreads consecutive keys apart
_FIRST_TABLE = 1 << 16
#: Free rows the book is given (by numpy, in Python) before each compiled call. Columns
#: grown by numpy are zero-filled lazily by the operating system, so their unused half
#: costs no memory; grown in compiled code they would be written, and resident, at once.
#: Compiled code still grows the columns itself if a single call ever needs more.
_SPARE_ROWS = 1 << 16
_BOOK = OpinionBook.COLUMNS
_INTRODUCED = ("head", "next", "other", "strength", "trust", "mirror")
#: Coefficients of the meeting probability (eq. 3), in the order compiled code reads them.
ACCEPT = (
    "base",
    "tie",
    "endorsement",
    "opinion",
    "pressure",
    "same_industry",
    "goodwill",
    "busyness",
    "fatigue",
)
_FIELDS = (
    ("rng", "indptr", "indices", "level", "decays", "touched", "trust", "mirror", "floor", "decay")
    + tuple(f"ex_{name}" for name in _INTRODUCED)
    + _BOOK
    + (
        "first_row",
        "last_row",
        "n_seekers",
        "index",
        "synced",
        "rate_good",
        "rate_bad",
        "weight",
        "threshold",
        "depth",
    )
    + (
        "industry",
        "busyness",
        "protectiveness",
        "fatigue",
        "fatigue_since",
        "fatigue_decay",
        "goodwill_decay",
    )
    + ("accept", "endorsement_transfer", "cold_call_factor", "phone_offer", "push_success")
    + ("mop_up_propensity", "mop_up_referrer_cost", "mop_up_target_cost", "touch_boost")
    + ("name_weight", "favour_steepness", "goodwill_weight", "lend_base", "call_ahead_base")
    + ("is_manager", "has_open", "talk")
)
#: What a meeting or phone call does (eq. 4, C1), in the order compiled code reads them.
TALK = (
    "give_liking",
    "pressure_liking_cost",
    "forced_liking_cost",
    "meeting_weight",
    "phone_weight",
    "forced_push_extra",
)


def state_for(
    book: OpinionBook,
    ties: Ties,
    rng: np.random.Generator,
    p: ContactParams,
    day: float,
    people: People | None = None,
    fatigue: Fatigue | None = None,
    name_weight: np.ndarray | None = None,
    has_open: np.ndarray | None = None,
) -> CompiledRun | None:
    """The run's compiled state, ready for a compiled call on ``day``; or None when compiled
    code cannot give the reference answer (numba absent or switched off, a day that is not
    whole, a tie touched on such a day). Built on first use and kept on the book
    (``book.compiled``); ``people``, ``fatigue``, the name weights and the market's
    ``has_open`` are needed by calls, not by gossip."""
    if not compiled.AVAILABLE or not ties.whole_days or day != int(day):
        return None
    if len(book.opinion) - book.size < _SPARE_ROWS:
        book.reserve_rows(book.size + _SPARE_ROWS)
    run = book.compiled
    if run is None or not run.matches(ties, rng, p, people, fatigue, name_weight, has_open):
        run = book.compiled = CompiledRun(book, ties, rng, p, people, fatigue, name_weight, has_open)
    if not run.up_to_date(book, day):
        run.refresh(book, int(day - ties.start_day))
        run.day = day
    return run


def model_state(model: NetworkingModel) -> CompiledRun | None:
    """:func:`state_for` with everything a call needs, from the model.

    A run makes about a million compiled calls a year at 300,000 people, and most find the
    state as the last call left it: the same model and day, and no array replaced. That is
    checked first, in one expression, before the full :func:`state_for`."""
    book, ties = model.book, model.ties
    run = book.compiled
    if (
        run is not None and run.owner is model and run.rng is model.rng and compiled.AVAILABLE and ties.whole_days
        and len(book.opinion) - book.size >= _SPARE_ROWS and run.up_to_date(book, model.day)
    ):  # fmt: skip
        return run
    run = state_for(
        book, ties, model.rng, model.params.contacts, model.day, model.people, model.fatigue, model.names.weight,
        model.market.has_open,
    )  # fmt: skip
    if run is not None:
        run.owner = model
    return run


class CompiledRun:
    """The compiled state of one run (``handle``), and the Python objects it was built from.

    Python replaces an array when it grows one (the opinion book, the introduced ties) or
    when the decay tables must reach further; :meth:`refresh` hands the new arrays over.
    """

    def __init__(
        self,
        book: OpinionBook,
        ties: Ties,
        rng: np.random.Generator,
        p: ContactParams,
        people: People | None = None,
        fatigue: Fatigue | None = None,
        name_weight: np.ndarray | None = None,
        has_open: np.ndarray | None = None,
    ) -> None:
        self.ties, self.rng, self.params, self.people, self.fatigue = ties, rng, p, people, fatigue
        self.name_weight, self.has_open = name_weight, has_open
        #: The model whose objects these are, once :func:`model_state` has checked them.
        self.owner: object | None = None
        self.goodwill_half_life = book.goodwill_half_life
        self.decay = np.zeros(0)
        graph, intro = ties.graph, ties.introduced
        book.reserve_people(graph.n)
        no_floats = np.zeros(0)
        self.handle = _new_state(
            rng, graph.indptr, graph.indices, ties.level, ties.decays, ties.touched, ties.trust, ties.reverse_slot,
            float(ties.params.floor), self.decay,
            *(getattr(intro, name) for name in _INTRODUCED),
            *(getattr(book, name) for name in _BOOK), book.first_row, book.last_row,
            book.seekers, new_index(_FIRST_TABLE), 0,
            float(p.gossip_rate), float(p.gossip_rate * p.bad_news_factor), float(p.gossip_weight),
            float(p.gossip_threshold), int(p.gossip_depth),
            people.industry if people is not None else np.zeros(0, dtype=np.int16),
            people.busyness if people is not None else no_floats,
            people.protectiveness if people is not None else no_floats,
            fatigue.value if fatigue is not None else no_floats,
            fatigue.since if fatigue is not None else no_floats,
            no_floats, no_floats, np.array([float(getattr(p, f"accept_{name}")) for name in ACCEPT]),
            float(p.endorsement_transfer), float(p.cold_call_factor), float(p.phone_offer_prob), float(p.push_success),
            float(p.mop_up_propensity), float(p.mop_up_referrer_cost), float(p.mop_up_target_cost),
            float(ties.params.touch_boost),
            name_weight if name_weight is not None else no_floats, float(p.favour_steepness),
            float(p.goodwill_weight), float(p.lend_base), float(p.call_ahead_base),
            people.is_hiring_manager if people is not None else np.zeros(0, dtype=bool),
            has_open if has_open is not None else np.zeros(0, dtype=bool),
            np.array([float(getattr(p, name)) for name in TALK]),
        )  # fmt: skip
        self.book_opinion, self.intro_next, self.first_row = book.opinion, intro.next, book.first_row
        self.day: float | None = None  # the day of the last refresh

    def matches(
        self,
        ties: Ties,
        rng: np.random.Generator,
        p: ContactParams,
        people: People | None,
        fatigue: Fatigue | None,
        name_weight: np.ndarray | None,
        has_open: np.ndarray | None = None,
    ) -> bool:
        """Whether this state was built for these objects (the last four only when given)."""
        return (
            self.ties is ties and self.rng is rng and self.params is p
            and (people is None or self.people is people) and (fatigue is None or self.fatigue is fatigue)
            and (name_weight is None or self.name_weight is name_weight)
            and (has_open is None or self.has_open is has_open)
        )  # fmt: skip

    def up_to_date(self, book: OpinionBook, day: float) -> bool:
        """Whether the state was refreshed on ``day`` and Python has replaced none of the
        arrays it holds since: then nothing needs handing over."""
        return (
            day == self.day and book.opinion is self.book_opinion and book.first_row is self.first_row
            and self.ties.introduced.next is self.intro_next
        )  # fmt: skip

    def refresh(self, book: OpinionBook, elapsed_days: int) -> None:
        """Hand over arrays Python has replaced since the last call."""
        if book.opinion is not self.book_opinion:
            _set_book(self.handle, *(getattr(book, name) for name in _BOOK))
            self.book_opinion = book.opinion
        if book.first_row is not self.first_row:
            _set_person_lists(self.handle, book.first_row, book.last_row)
            self.first_row = book.first_row
        intro = self.ties.introduced
        if intro.next is not self.intro_next:
            _set_introduced(self.handle, *(getattr(intro, name) for name in _INTRODUCED))
            self.intro_next = intro.next
        if elapsed_days >= len(self.decay):
            self._extend_decay_tables(max(512, 2 * (elapsed_days + 1)))

    def _extend_decay_tables(self, size: int) -> None:
        days = np.arange(size, dtype=np.float64)
        self.decay = _exp2_decay(days, self.ties.params.decay_half_life)
        fatigue_half_life = self.fatigue.half_life if self.fatigue is not None else 1.0
        _set_decay_tables(
            self.handle,
            self.decay,
            _exp2_decay(days, fatigue_half_life),
            _exp2_decay(days, self.goodwill_half_life),
        )

    def settle(self, book: OpinionBook, size: int, grew: bool) -> None:
        """After a compiled call that left the book at ``size`` rows (``grew``: it replaced
        the columns): the book takes the new columns and its new size (its dict indexes the
        new rows when Python next looks one up)."""
        if grew:
            for name, column in zip(_BOOK, _book_columns(self.handle), strict=True):
                setattr(book, name, column)
            self.book_opinion = book.opinion
        book.size = size


# --- compiled code --------------------------------------------------------------------------
if compiled.INSTALLED:

    @structref.register
    class _StateType(types.StructRef):
        def preprocess_fields(self, fields):
            return tuple((name, types.unliteral(typ)) for name, typ in fields)

    class _State(structref.StructRefProxy):
        """Everything compiled code reads and writes, held on the compiled side."""

    structref.define_proxy(_State, _StateType, list(_FIELDS))


@compiled.jit
def _new_state(*fields):
    """A :class:`_State` from its fields in the order of ``_FIELDS`` (compiled, and so
    cached on disk, unlike the proxy's own constructor)."""
    return _State(*fields)


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
    s.ex_head, s.ex_next, s.ex_other, s.ex_strength, s.ex_trust, s.ex_mirror = (
        head,
        next_,
        other,
        strength,
        trust,
        mirror,
    )


@compiled.jit
def _set_decay_tables(s, decay, fatigue_decay, goodwill_decay):
    s.decay, s.fatigue_decay, s.goodwill_decay = decay, fatigue_decay, goodwill_decay


@compiled.jit
def _decay_tables(s):
    return s.decay, s.fatigue_decay, s.goodwill_decay


def new_index(slots: int) -> np.ndarray:
    """An empty hash table of ``slots`` slots (a power of two). Slot ``h`` is the pair
    ``index[2h]`` (the key, ``_EMPTY`` if free) and ``index[2h + 1]`` (its value): side by
    side, a lookup in a table of millions of keys misses the cache once, not twice."""
    return np.full(2 * slots, _EMPTY, dtype=np.int64)


@compiled.jit
def _slot_of(index, key):
    mask = len(index) // 2 - 1
    return np.int64(((np.uint64(key) * np.uint64(_FIBONACCI)) >> np.uint64(29)) & np.uint64(mask))


@compiled.jit
def find(index, key):
    """The value kept for ``key`` (non-negative), or -1."""
    mask = len(index) // 2 - 1
    h = _slot_of(index, key)
    while index[2 * h] != _EMPTY:
        if index[2 * h] == key:
            return index[2 * h + 1]
        h = (h + 1) & mask
    return -1


@compiled.jit
def put(index, key, value):
    """Keep ``value`` for ``key``, which is not in the table (there must be a free slot)."""
    mask = len(index) // 2 - 1
    h = _slot_of(index, key)
    while index[2 * h] != _EMPTY:
        h = (h + 1) & mask
    index[2 * h] = key
    index[2 * h + 1] = value


@compiled.jit
def index_rows(s, stop):
    """Put rows synced..stop-1 in the table, first doubling it while it would be over half full."""
    slots, start = len(s.index) // 2, s.synced
    while 2 * stop > slots:
        slots *= 2
    if 2 * slots != len(s.index):
        s.index = np.full(2 * slots, _EMPTY, dtype=np.int64)
        start = 0
    index, person, seeker = s.index, s.person, s.seeker
    for r in range(start, stop):
        put(index, person[r] * s.n_seekers + seeker[r], r)
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
def row_for(s, listener, seeker, size, new_hop, day):
    """The listener's row (made, neutral, if new) and the book's size after it."""
    key = listener * s.n_seekers + seeker
    r = find(s.index, key)
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
    if 2 * (r + 1) > len(s.index) // 2:
        index_rows(s, r + 1)
    else:
        put(s.index, key, r)
        s.synced = r + 1
    return r, r + 1


@compiled.jit
def decayed_strength(s, k, day):
    """The strength of CSR tie ``k`` on ``day`` (``Ties._strength_at``): decayed towards the
    floor from its last touch if the tie touches a seeker and is above the floor."""
    level = s.level[k]
    if not s.decays[k] or level - s.floor <= 0:
        return level
    return s.floor + (level - s.floor) * s.decay[np.int64(day - s.touched[k])]


@compiled.jit
def goodwill_now(s, r, day):
    """Goodwill in row ``r`` on ``day`` (``OpinionBook.goodwill_at``)."""
    return s.goodwill[r] * s.goodwill_decay[np.int64(day - s.goodwill_day[r])]


@compiled.jit
def shift(s, r, toward, weight):
    """Move the opinion in row ``r`` a share ``weight`` of the way to ``toward``
    (``OpinionBook.shift``); returns the change."""
    old = s.opinion[r]
    s.opinion[r] = min(1.0, max(0.0, old + weight * (toward - old)))
    return s.opinion[r] - old
