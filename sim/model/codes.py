"""The model's codes, each defined once: a call's outcome, who follows up a name, where a
compiled call stopped, and the channel of a hire.

The integer codes are ``IntEnum`` members, which compiled kernels read as plain integers
(numba compiles ``IntEnum`` members as constants), and Python reads by name; ``label`` is the
word the tables and the event log use.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum

__all__ = ["CallOutcome", "CallStage", "Channel", "FollowUp"]


class _Labelled(IntEnum):
    @property
    def label(self) -> str:
        """The member's name in lower case, as tables, logs and experiment files spell it."""
        return self.name.lower()

    @classmethod
    def of(cls, label: str) -> _Labelled:
        """The member spelled ``label``."""
        return cls[label.upper()]

    @classmethod
    def labels(cls) -> tuple[str, ...]:
        """Every member's label, in code order."""
        return tuple(member.label for member in cls)


class CallOutcome(_Labelled):
    """How a contact answers a call (eq. 15): a meeting, help on the phone, or no."""

    MEETING = 0
    PHONE_HELP = 1
    REFUSAL = 2


class FollowUp(_Labelled):
    """Who calls the names a contact gives (S3, S4): the seeker herself, using the contact's
    name; the contact, calling ahead (names she does not call ahead for are dropped); or the
    contact first and the seeker for the rest."""

    SEEKER = 0
    CONTACT = 1
    CONTACT_THEN_SEEKER = 2


class CallStage(_Labelled):
    """Where a compiled call stopped (:mod:`sim.model.kernels.whole_call`): done, mop-up
    included; before job talk, which Python makes; or before an introduction it drew."""

    DONE = 0
    JOB_TALK = 1
    INTRODUCE = 2


class Channel(StrEnum):
    """How a seeker heard of the job she got (W3): through her network, or other channels."""

    NETWORK = "network"
    OTHER = "other"
