"""Python's own opinion-row lookups, through the compiled hash index when compiled code runs.

Most opinion rows of a large run are made by compiled code (the gossip cascade, calls). The
opinion book's dict indexes them only when Python next looks a row up
(``OpinionBook._catch_up``), and the few lookups Python still makes (introductions,
interviews, a contact vouching to a manager) made it index every row: about 8 million at
10^6 people, 4% of the run's time and about 850 MB of dict. Through the compiled index
(:mod:`sim.model.kernels.state`) the dict is not filled at all while compiled code runs.

The answers are the reference's (:meth:`OpinionBook.ensure`, :meth:`OpinionBook.opinion_of`):
the same row, made the same way when new (neutral, with the hop, appended to the
person's list); ``tests/test_compiled_rows.py`` checks them against the dict. The Python
side is :func:`sim.model.state.compiled_run.ensure_row` and ``opinion_of``.
"""

from __future__ import annotations

from sim.model import kernels
from sim.model.equations import NEUTRAL
from sim.model.kernels.state import find, index_rows, row_for

__all__ = ["ensure_row_compiled", "opinion_of_compiled"]


@kernels.jit
def ensure_row_compiled(s, size, person, seeker, hop):
    """The (person, seeker) row, made neutral at ``hop`` if new, in a book of
    ``size`` rows. Returns (the row, the book's size, whether its columns were replaced)."""
    capacity = len(s.opinion)
    index_rows(s, size)
    row, size = row_for(s, person, seeker, size, hop)
    return row, size, len(s.opinion) != capacity


@kernels.jit
def opinion_of_compiled(s, size, person, seeker):
    """What ``person`` thinks of ``seeker``, neutral if she has never heard of her."""
    index_rows(s, size)
    row = find(s, person * s.n_seekers + seeker)
    return s.opinion[row] if row >= 0 else NEUTRAL
