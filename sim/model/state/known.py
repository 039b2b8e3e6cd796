"""The people a seeker knows: herself and everyone she has had a lead to. They decide which
names a contact can still give her (S2, S6) and which leads are new.

Two keepers answer the same questions alike: :class:`KnownTable`, the compiled hash table of
:mod:`sim.model.kernels.known` that compiled calls read directly, when kernels run; and
:class:`KnownSet`, a Python set, when they do not. A run keeps one of them per seeker, never
both (a million-people run spent about 160 MB on sets that only repeated the tables).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol

import numpy as np

from sim.model import kernels
from sim.model.kernels.known import KNOWN_INT, add_known, is_known, new_known_table, unknown_of

__all__ = ["KnownPeople", "KnownSet", "KnownTable", "known_people"]

#: The largest id a table holds: ids are kept in 32 bits (``kernels.known.KNOWN_INT``).
_LARGEST_ID = int(np.iinfo(KNOWN_INT).max)


class KnownPeople(Protocol):
    """What a seeker asks of the people she knows."""

    def __contains__(self, person: object) -> bool: ...

    def __iter__(self) -> Iterator[int]: ...

    def __len__(self) -> int: ...

    def add(self, person: int) -> bool:
        """Add ``person``; returns whether she was new."""
        ...

    def unknown_among(self, people: np.ndarray) -> list[int]:
        """Those of ``people`` not known, in their order."""
        ...


class _Keeper:
    """What both keepers share: two are equal when they hold the same people, whichever
    keeps them (a run made with kernels and one made without compare alike)."""

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        return set(self) == set(other) if isinstance(other, _Keeper) else NotImplemented

    __hash__ = None  # type: ignore[assignment]  # equal keepers change as people are added


class KnownSet(_Keeper):
    """Known people in a Python set (the pure path)."""

    __slots__ = ("_people",)

    def __init__(self, people: Iterable[int] = ()) -> None:
        self._people = set(people)

    def __contains__(self, person: object) -> bool:
        return person in self._people

    def __iter__(self) -> Iterator[int]:
        return iter(self._people)

    def __len__(self) -> int:
        return len(self._people)

    def add(self, person: int) -> bool:
        before = len(self._people)
        self._people.add(person)
        return len(self._people) > before

    def unknown_among(self, people: np.ndarray) -> list[int]:
        known = self._people
        return [c for c in people.tolist() if c not in known]


class KnownTable(_Keeper):
    """Known people in the seeker's compiled hash table (``table``, ``count`` people), which
    compiled calls read as it is."""

    __slots__ = ("count", "table")

    def __init__(self, people: Iterable[int] = ()) -> None:
        self.table, self.count = new_known_table(), 0
        for person in people:
            self.add(person)

    def __contains__(self, person: object) -> bool:
        return isinstance(person, int | np.integer) and person >= 0 and is_known(self.table, person)

    def __iter__(self) -> Iterator[int]:
        return iter(self.table[self.table >= 0].tolist())

    def __len__(self) -> int:
        return self.count

    def add(self, person: int) -> bool:
        if not 0 <= person <= _LARGEST_ID:
            raise ValueError(
                f"a person id must be in 0..{_LARGEST_ID}, got {person}"
            )  # -1 marks an empty slot
        before = self.count
        self.table, self.count = add_known(self.table, before, person)
        return self.count > before

    def unknown_among(self, people: np.ndarray) -> list[int]:
        return unknown_of(self.table, people).tolist()


def known_people(people: Iterable[int] = ()) -> KnownSet | KnownTable:
    """A keeper of known people for this process: the compiled table when kernels run."""
    return KnownTable(people) if kernels.AVAILABLE else KnownSet(people)
