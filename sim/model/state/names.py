"""The seniority weight of each person as a name a contact gives (S2; docs/model.md §3.3.5)."""

from __future__ import annotations

import numpy as np

from sim.model.sampling import choose_without_replacement

__all__ = ["NameDraw"]


class NameDraw:
    """The name draws of one run.

    Each person's weight is computed once, by numpy, from a table by seniority level: the same
    ``float64 ** bias`` numpy would compute for the drawn people each time. :meth:`pick` is
    the reference draw, in Python (:func:`sim.model.sampling.choose_without_replacement`);
    the compiled call draws with the same weights (``model_state`` hands them over). Both
    take what ``rng.choice(fresh, take, replace=False, p=weight / weight.sum())`` takes. The
    Generator is passed on each draw, not kept: Mesa's ``reset_rng`` gives the model a new one.

    Args:
        level: Seniority level of each person (1 and up).
        bias: ``contacts.names_seniority_bias``.
    """

    def __init__(self, level: np.ndarray, bias: float) -> None:
        table = np.arange(int(level.max(initial=0)) + 1, dtype=np.float64) ** bias
        self.weight = table[level]

    def pick(self, rng: np.random.Generator, fresh: list[int], take: int) -> list[int]:
        """``take`` distinct people of ``fresh``, drawn from ``rng`` (the caller ensures
        ``take <= len(fresh)``)."""
        weight = self.weight[fresh]
        return choose_without_replacement(rng, fresh, (weight / weight.sum()).tolist(), take)
