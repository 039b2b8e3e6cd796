"""Python's own opinion-row lookups, through the compiled hash index when compiled code runs.

Most opinion rows of a large run are made by compiled code (the gossip cascade, calls). The
opinion book's dict indexes them only when Python next looks a row up
(``OpinionBook._catch_up``), and the few lookups Python still makes (introductions,
interviews, a contact vouching to a manager) made it index every row: about 8 million at
10^6 people, 4% of the run's time and about 850 MB of dict. Through the compiled index
(:mod:`sim.model.compiled_state`) the dict is not filled at all while compiled code runs.

The answers are the reference's (:meth:`OpinionBook.ensure`, :meth:`OpinionBook.opinion_of`):
the same row, made the same way when new (neutral, with the hop and the day, appended to the
person's list); ``tests/test_compiled_rows.py`` checks them against the dict.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.model import compiled
from sim.model.compiled_state import find, index_rows, model_state, row_for
from sim.model.reputation import NEUTRAL

if TYPE_CHECKING:
    from sim.model.model import NetworkingModel

__all__ = ["ensure_row", "opinion_of"]


def ensure_row(model: NetworkingModel, person: int, seeker: int, hop: int = 0) -> int:
    """``model.book.ensure(person, seeker, hop=hop, day=model.day)``: the pair's row, made
    neutral at ``hop`` today if new."""
    run = model_state(model) if compiled.AVAILABLE else None
    if run is None:
        return model.book.ensure(person, seeker, hop=hop, day=model.day)
    book = model.book
    row, size, grew = _ensure_row(run.handle, book.size, person, seeker, hop, float(model.day))
    run.settle(book, size, grew)
    return row


def opinion_of(model: NetworkingModel, person: int, seeker: int) -> float:
    """``model.book.opinion_of(person, seeker)``: her view of the seeker, NEUTRAL if she has
    never heard of her."""
    run = model_state(model) if compiled.AVAILABLE else None
    if run is None:
        return model.book.opinion_of(person, seeker)
    return _opinion_of(run.handle, model.book.size, person, seeker)


@compiled.jit
def _ensure_row(s, size, person, seeker, hop, day):
    """Returns (the row, the book's size, whether its columns were replaced)."""
    capacity = len(s.opinion)
    index_rows(s, size)
    row, size = row_for(s, person, seeker, size, hop, day)
    return row, size, len(s.opinion) != capacity


@compiled.jit
def _opinion_of(s, size, person, seeker):
    index_rows(s, size)
    row = find(s.index, person * s.n_seekers + seeker)
    return s.opinion[row] if row >= 0 else NEUTRAL
