"""Leads: the people a seeker may call, and the order she calls them in (S3, S4, S9, C6, C7)."""

from __future__ import annotations

from array import array
from dataclasses import dataclass
from typing import NamedTuple

__all__ = ["PRIORITY", "Lead", "LeadStore"]


@dataclass(frozen=True)
class _Priorities:
    """The order in which a seeker works her list: "Emphasize close, rather than distant,
    contacts" (000). Only the order matters, not the numbers."""

    target: float = 3.0  # a planned introduction to a hiring manager (S9)
    unasked: float = 2.0  # an introduction that came unasked (C6)
    warm: float = 1.0  # plus 0.5 ** hop: a name the referrer called ahead for (S4)
    cold: float = 0.0  # plus 0.5 ** hop: a name the seeker calls herself (S3)
    own_industry: float = 0.2  # own contacts: tie strength plus this if in her industry (C7)
    recontact: float = 0.1  # keeping in touch with someone already met


PRIORITY = _Priorities()


class Lead(NamedTuple):
    """A person the seeker may call.

    A named tuple rather than a frozen dataclass: a million-people run makes a few million
    leads, and a frozen dataclass's ``__init__`` (one ``object.__setattr__`` per field) took
    2.5 s of its profile.

    Attributes:
        target: The person to call.
        referrer: Who gave the name (None for the seeker's own contacts and re-contacts).
        hop: Intermediaries between the seeker and ``target`` (0 = knows them directly).
        warm: The referrer called ahead or made the introduction (S4).
        name_used: The seeker calls using the referrer's name (S3), which can trigger a
            mop-up call (C3).
        priority: Higher is called first.
        ask_for: A person to ask ``target`` to introduce (targeted networking, S9).
    """

    target: int
    referrer: int | None = None
    hop: int = 0
    warm: bool = False
    name_used: bool = False
    priority: float = 0.0
    ask_for: int | None = None


_WARM, _NAME_USED = 1, 2  # flag bits
_NONE = -1  # no referrer, no one to ask for (person ids are non-negative)


class LeadStore:
    """A seeker's leads, numbered in the order she queued them, held as columns.

    Her queues hold only (priority or day, number) pairs and the lead is read back here
    when it is called. A million-people run keeps about two million leads queued at once;
    as a ``Lead`` inside a heap entry each cost about 280 bytes of Python objects, here
    about 25 bytes and the 108 of the pair. Reading one back is a few list-like lookups
    (``array.array`` returns plain Python numbers, as the ``Lead`` held them).
    """

    __slots__ = ("_ask_for", "_flags", "_hop", "_priority", "_referrer", "_target")

    def __init__(self) -> None:
        self._target, self._referrer, self._hop = array("i"), array("i"), array("i")
        self._flags, self._priority, self._ask_for = array("b"), array("d"), array("i")

    def __len__(self) -> int:
        return len(self._target)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LeadStore) and self.__getstate__() == other.__getstate__()

    def __getstate__(self) -> tuple[array, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __setstate__(self, state: tuple[array, ...]) -> None:
        for name, column in zip(self.__slots__, state, strict=True):
            setattr(self, name, column)

    def add(self, lead: Lead) -> int:
        """Keep ``lead``; returns its number (0, 1, 2, ... in the order leads are added)."""
        self._target.append(lead.target)
        self._referrer.append(_NONE if lead.referrer is None else lead.referrer)
        self._hop.append(lead.hop)
        self._flags.append((_WARM if lead.warm else 0) | (_NAME_USED if lead.name_used else 0))
        self._priority.append(lead.priority)
        self._ask_for.append(_NONE if lead.ask_for is None else lead.ask_for)
        return len(self._target) - 1

    def priority(self, number: int) -> float:
        """The priority of lead ``number``."""
        return self._priority[number]

    def get(self, number: int) -> Lead:
        """Lead ``number``, as it was added."""
        referrer, flags, ask_for = self._referrer[number], self._flags[number], self._ask_for[number]
        return Lead(
            self._target[number],
            None if referrer == _NONE else referrer,
            self._hop[number],
            bool(flags & _WARM),
            bool(flags & _NAME_USED),
            self._priority[number],
            None if ask_for == _NONE else ask_for,
        )
