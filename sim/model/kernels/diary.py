"""The weekly meetings a person has given (eq. 19), kept in two arrays that Python
(:class:`sim.model.state.world.Diary`) and compiled calls (:mod:`sim.model.kernels.call`)
update with this one function."""

from __future__ import annotations

from sim.model import kernels
from sim.model.equations import week_of

__all__ = ["record_meeting"]


@kernels.jit
def record_meeting(week, given, person, day):
    """``person`` gives one more meeting in ``day``'s week (the count starts afresh each week)."""
    now = week_of(day)
    if week[person] != now:
        week[person], given[person] = now, 0
    given[person] += 1
