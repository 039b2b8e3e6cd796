"""Who hears of a new opening (eq. 8), the draws compiled.

The reference is the loop of :func:`sim.model.mechanisms.hiring.announce`: the (person, seeker) rows of
the manager and her contacts, in random order, each with one draw against the mention
probability (eq. 8) unless the seeker is hired or already considered for the opening. At a
million people an opening has thousands of such rows and few mentions, and the Python loop
cost 2 to 3 µs a row.

Here compiled code runs the draws up to the next mention and returns where it stopped;
Python passes the mention on (a lead, a call to the manager, an interview: what may end in a
hire) and asks for the next. A seeker who has been told once is hired or considered after
it, or the opening is filled, so she is skipped from then on, as the reference skips her.
The answer is the reference's, bit for bit: the same probability, in the same operations,
from the same arrays, with the draws from the run's Generator in the same order
(``tests/test_compiled_announce.py``).
"""

from __future__ import annotations

from sim.model import kernels
from sim.model.equations import knows_seeker, mention_probability
from sim.model.kernels.call import tie_strength
from sim.model.kernels.state import goodwill_now

__all__ = ["next_mention_kernel"]


@kernels.jit
def next_mention_kernel(s, rows, start, manager, told, seeker_persons, base_unasked, base_asked, day):
    """Draw for ``rows[start:]`` in order, skipping seekers marked in ``told`` and people who
    do not know their seeker personally (``knows_seeker``), until one
    person tells her seeker of the opening managed by ``manager``: returns that row's place
    in ``rows`` (its draw taken), or ``len(rows)`` if no one does."""
    for i in range(start, len(rows)):
        r = rows[i]
        k = s.seeker[r]
        if told[k]:
            continue
        person = s.person[r]
        tie = tie_strength(s, person, seeker_persons[k], day)
        if not knows_seeker(s.met[r], tie):
            continue
        base = base_asked if person == manager and s.met[r] else base_unasked  # eq. 8: asked, or not
        prob = mention_probability(s.opinion[r], tie, goodwill_now(s, r, day), base, s.lending)
        if s.rng.random() < prob:
            return i
    return len(rows)
