"""Leads: the people a seeker may call, and the order she calls them in (S3, S4, S9, C6, C7)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

__all__ = ["PRIORITY", "Lead"]


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
