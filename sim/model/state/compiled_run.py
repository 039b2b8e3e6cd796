"""The compiled state of a run, bound to the run's Python objects (:mod:`sim.model.kernels.state`).

:class:`CompiledRun` builds a run's compiled state from its opinion book, ties, people,
fatigue, name weights and market, field by field and by name, and hands over any array
Python replaces later. :func:`state_for` and :func:`model_state` answer it when compiled code
can give the reference answer bit for bit, and None otherwise (numba absent or switched off,
a day that is not whole, a tie touched on such a day): the one check every fast path makes
before it runs (``kernels.AVAILABLE`` is the one switch).

:func:`ensure_row` and :func:`opinion_of` are Python's own opinion-row lookups, through the
compiled hash index while compiled code runs (:mod:`sim.model.kernels.rows`).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

import numpy as np

from sim.model import kernels
from sim.model.kernels.rows import ensure_row_compiled, opinion_of_compiled
from sim.model.kernels.sampling import BINOMIAL_MAX_TRIALS
from sim.model.kernels.state import (
    BOOK_COLUMNS,
    GOODWILL_COLUMNS,
    INTRODUCED_COLUMNS,
    book_columns,
    new_row_index,
    new_state,
    set_book,
    set_decay_tables,
    set_goodwill,
    set_introduced,
    set_person_lists,
)
from sim.model.params import ContactParams
from sim.model.state.opinions import OpinionBook
from sim.model.state.world import Diary, Fatigue, People, Ties, _exp2_decay

if TYPE_CHECKING:
    from sim.model.run_state import RunState

__all__ = ["CallContext", "CompiledRun", "ensure_row", "model_state", "opinion_of", "state_for"]

#: Slots of a run's first compiled row index (it grows by half as rows are made).
FIRST_TABLE = 1 << 16
#: Free rows the book is given (by numpy, in Python) before each compiled call. Columns
#: grown by numpy are zero-filled lazily by the operating system, so their unused half
#: costs no memory; grown in compiled code they would be written, and resident, at once.
#: Compiled code still grows the columns itself if a single call ever needs more.
SPARE_ROWS = 1 << 16
#: Free places the goodwill side table is given before each compiled call (a whole call
#: adds at most one, for its gift).
SPARE_GOODWILL = 64
#: Room for the names a whole call draws and a call-ahead flag for each: at most
#: ``BINOMIAL_MAX_TRIALS`` drawn (more, and the reference makes the call) and one asked for.
PICKED = 2 * (BINOMIAL_MAX_TRIALS + 1)


@dataclass(frozen=True)
class CallContext:
    """What calls read besides what gossip reads: people's traits, their fatigue and weekly
    meetings, the weight of each person as a name, and which managers have an open opening."""

    people: People
    fatigue: Fatigue
    diary: Diary
    name_weight: np.ndarray
    has_open: np.ndarray

    @classmethod
    def of(cls, model: RunState) -> CallContext:
        """The context of a run's calls."""
        return cls(model.people, model.fatigue, model.diary, model.names.weight, model.market.has_open)

    def same_as(self, other: CallContext) -> bool:
        """Whether both hold the very same objects."""
        return all(getattr(self, f.name) is getattr(other, f.name) for f in fields(self))


def state_for(
    book: OpinionBook,
    ties: Ties,
    rng: np.random.Generator,
    p: ContactParams,
    day: float,
    calls: CallContext | None = None,
) -> CompiledRun | None:
    """The run's compiled state, ready for a compiled call on ``day``; or None when compiled
    code cannot give the reference answer (numba absent or switched off, a day that is not
    whole, a tie touched on such a day). Built on first use and kept on the book
    (``book.compiled``); ``calls`` is needed by calls, not by gossip."""
    if not kernels.AVAILABLE or not ties.whole_days or day != int(day):
        return None
    if len(book.opinion) - book.size < SPARE_ROWS:
        book.reserve_rows(book.size + SPARE_ROWS)
    book.reserve_goodwill(SPARE_GOODWILL)
    run = book.compiled
    if run is None or not run.matches(ties, rng, p, calls):
        run = book.compiled = CompiledRun(book, ties, rng, p, calls)
    if not run.up_to_date(book, day):
        run.refresh(book, int(day - ties.start_day))
        run.day = day
    return run


def model_state(model: RunState) -> CompiledRun | None:
    """:func:`state_for` with everything a call needs, from the model.

    A run makes about a million compiled calls a year at 300,000 people, and most find the
    state as the last call left it: the same model and day, and no array replaced. That is
    checked first, in one expression, before the full :func:`state_for`."""
    book, ties = model.book, model.ties
    run = book.compiled
    if (
        run is not None and run.owner is model and run.rng is model.rng and kernels.AVAILABLE and ties.whole_days
        and len(book.opinion) - book.size >= SPARE_ROWS and book.goodwill_count[0] < len(book.goodwill_amount)
        and run.up_to_date(book, model.day)
    ):  # fmt: skip
        return run
    run = state_for(book, ties, model.rng, model.params.contacts, model.day, CallContext.of(model))
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
        calls: CallContext | None = None,
    ) -> None:
        self.ties, self.rng, self.params, self.calls = ties, rng, p, calls
        #: The model whose objects these are, once :func:`model_state` has checked them.
        self.owner: object | None = None
        self.goodwill_half_life = book.goodwill_half_life
        self.decay = np.zeros(0)
        book.reserve_people(ties.graph.n)
        state_fields = _fields(book, ties, rng, p, self.decay, calls)
        self.handle = new_state(**state_fields)
        #: The array a whole call leaves its names in (the state's ``picked``).
        self.picked: np.ndarray = state_fields["picked"]
        self.book_opinion, self.intro_next, self.first_row = (
            book.opinion,
            ties.introduced.next,
            book.first_row,
        )
        self.goodwill_amount = book.goodwill_amount
        self.day: float | None = None  # the day of the last refresh

    def matches(
        self,
        ties: Ties,
        rng: np.random.Generator,
        p: ContactParams,
        calls: CallContext | None = None,
    ) -> bool:
        """Whether this state was built for these objects (``calls`` only when given)."""
        return (
            self.ties is ties and self.rng is rng and self.params is p
            and (calls is None or (self.calls is not None and self.calls.same_as(calls)))
        )  # fmt: skip

    def up_to_date(self, book: OpinionBook, day: float) -> bool:
        """Whether the state was refreshed on ``day`` and Python has replaced none of the
        arrays it holds since: then nothing needs handing over."""
        return (
            day == self.day and book.opinion is self.book_opinion and book.first_row is self.first_row
            and self.ties.introduced.next is self.intro_next and book.goodwill_amount is self.goodwill_amount
        )  # fmt: skip

    def refresh(self, book: OpinionBook, elapsed_days: int) -> None:
        """Hand over arrays Python has replaced since the last call."""
        if book.opinion is not self.book_opinion:
            set_book(self.handle, *(getattr(book, name) for name in BOOK_COLUMNS))
            self.book_opinion = book.opinion
        if book.goodwill_amount is not self.goodwill_amount:
            set_goodwill(self.handle, *(getattr(book, f"goodwill_{name}") for name in GOODWILL_COLUMNS))
            self.goodwill_amount = book.goodwill_amount
        if book.first_row is not self.first_row:
            set_person_lists(self.handle, book.first_row, book.last_row)
            self.first_row = book.first_row
        intro = self.ties.introduced
        if intro.next is not self.intro_next:
            set_introduced(self.handle, *(getattr(intro, name) for name in INTRODUCED_COLUMNS))
            self.intro_next = intro.next
        if elapsed_days >= len(self.decay):
            self._extend_decay_tables(max(512, 2 * (elapsed_days + 1)))

    def _extend_decay_tables(self, size: int) -> None:
        days = np.arange(size, dtype=np.float64)
        self.decay = _exp2_decay(days, self.ties.params.decay_half_life)
        fatigue_half_life = self.calls.fatigue.half_life if self.calls is not None else 1.0
        set_decay_tables(
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
            for name, column in zip(BOOK_COLUMNS, book_columns(self.handle), strict=True):
                setattr(book, name, column)
            self.book_opinion = book.opinion
        book.size = size


def _fields(
    book: OpinionBook,
    ties: Ties,
    rng: np.random.Generator,
    p: ContactParams,
    decay: np.ndarray,
    calls: CallContext | None,
) -> dict[str, object]:
    """Every field of the compiled state (:data:`sim.model.kernels.state.FIELDS`), by name."""
    no_floats, no_ints, intro = np.zeros(0), np.zeros(0, dtype=np.int64), ties.introduced
    people, fatigue, diary = (
        (calls.people, calls.fatigue, calls.diary) if calls is not None else (None, None, None)
    )
    name_weight, has_open = (calls.name_weight, calls.has_open) if calls is not None else (None, None)
    return {
        "rng": rng, "indptr": ties.graph.indptr, "indices": ties.graph.indices, "level": ties.level,
        "decay_slot": ties.decay_slot, "touched": ties.touched, "trust": ties.trust, "mirror": ties.reverse_slot,
        "floor": float(ties.params.floor), "decay": decay,
        **{f"ex_{name}": getattr(intro, name) for name in INTRODUCED_COLUMNS},
        **{name: getattr(book, name) for name in BOOK_COLUMNS},
        **{f"goodwill_{name}": getattr(book, f"goodwill_{name}") for name in GOODWILL_COLUMNS},
        "first_row": book.first_row, "last_row": book.last_row, "n_seekers": book.seekers,
        **dict(zip(("index", "index_tag"), new_row_index(FIRST_TABLE), strict=True)), "synced": 0,
        "rate_good": float(p.gossip_rate), "rate_bad": float(p.gossip_rate * p.bad_news_factor),
        "weight": float(p.gossip_weight), "threshold": float(p.gossip_threshold), "depth": int(p.gossip_depth),
        "industry": people.industry if people is not None else np.zeros(0, dtype=np.int16),
        "busyness": people.busyness if people is not None else no_floats,
        "protectiveness": people.protectiveness if people is not None else no_floats,
        "fatigue": fatigue.value if fatigue is not None else no_floats,
        "fatigue_since": fatigue.since if fatigue is not None else no_floats,
        "fatigue_decay": no_floats, "goodwill_decay": no_floats,
        # without weekly limits the kernels skip the diary (empty arrays say so)
        "meeting_limit": diary.limit if diary is not None and diary.limited else no_ints,
        "meeting_week": diary.week if diary is not None and diary.limited else no_ints,
        "meetings_given": diary.given if diary is not None and diary.limited else no_ints,
        "acceptance": p.acceptance, "liking": p.liking, "lending": p.lending, "gift_misfit": float(p.gift_misfit),
        "endorsement_transfer": float(p.endorsement_transfer), "cold_call_factor": float(p.cold_call_factor),
        "phone_offer": float(p.phone_offer_prob), "push_success": float(p.push_success),
        "mop_up": p.mop_up,
        "touch_boost": float(ties.params.touch_boost),
        "name_weight": name_weight if name_weight is not None else no_floats,
        "is_manager": people.is_hiring_manager if people is not None else np.zeros(0, dtype=bool),
        "has_open": has_open if has_open is not None else np.zeros(0, dtype=bool),
        "picked": np.zeros(PICKED, dtype=np.int64),
    }  # fmt: skip


def ensure_row(model: RunState, person: int, seeker: int, hop: int = 0) -> int:
    """``model.book.ensure(person, seeker, hop=hop)``: the pair's row, made
    neutral at ``hop`` today if new; through the compiled index while compiled code runs."""
    run = model_state(model) if kernels.AVAILABLE else None
    if run is None:
        return model.book.ensure(person, seeker, hop=hop)
    book = model.book
    row, size, grew = ensure_row_compiled(run.handle, book.size, person, seeker, hop)
    run.settle(book, size, grew)
    return row


def opinion_of(model: RunState, person: int, seeker: int) -> float:
    """``model.book.opinion_of(person, seeker)``: her view of the seeker, neutral if she has
    never heard of her; through the compiled index while compiled code runs."""
    run = model_state(model) if kernels.AVAILABLE else None
    if run is None:
        return model.book.opinion_of(person, seeker)
    return opinion_of_compiled(run.handle, model.book.size, person, seeker)
