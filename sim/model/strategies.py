"""Networking strategies as data.

A strategy is a frozen set of parameters, not a class per behaviour, so that a sweep can move
smoothly between the polite and the aggressive ends (MODEL-BRIEF "Seekers and strategies").
Every field is traceable to a passage in the source texts; see ``docs/model.md``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal

from sim.model.checks import check_at_least, check_choice, check_count, check_probability
from sim.model.codes import FollowUp

__all__ = ["FOLLOW_UP_MODES", "PRESETS", "TARGETING_MODES", "Strategy", "preset"]

#: The follow-up modes by name (:class:`sim.model.codes.FollowUp`, where they are defined).
FOLLOW_UP_MODES = FollowUp.labels()
TARGETING_MODES = ("none", "hiring_managers")

FollowUpName = Literal[FOLLOW_UP_MODES]  # type: ignore[valid-type]
Targeting = Literal["none", "hiring_managers"]


@dataclass(frozen=True)
class Strategy:
    """How one seeker networks.

    Attributes:
        name: Label carried into every output table.
        pressure: 0..1, how hard the seeker pushes for a meeting (S1, C1). Raises acceptance,
            lowers liking, and feeds mop-up calls.
        names_demanded: New names the seeker insists on before leaving a meeting (S2; NFL: 3).
        follow_up: Who calls the names a contact gives (S3, S4): ``"seeker"`` calls them
            using the contact's name (NFL rule 3), ``"contact"`` leaves it to the contact (who
            may call ahead, or not), ``"contact_then_seeker"`` leaves it to the contact and,
            if she does not call, makes one discreet call using her name.
        accepts_phone_help: Whether help offered on the phone is taken instead of a visit (S4).
        give_rate: Probability of giving something of value in a contact (S5).
        introduce_rate: Probability of introducing the contact to one of one's own (S6).
        cultivation_per_week: Keep-in-touch contacts per week before job loss (S7); only
            matters when the model has a warm-up period.
        reluctance: 0..1; chance of not reaching out at all on a day, and of stopping for
            the day after a "no" instead of going to the next name (S8).
        daily_capacity: Appointments a seeker can make and keep per day (W4); calls that
            end without a meeting use a part of one (``phone_cost``, ``refusal_cost``).
        targeting: ``"hiring_managers"`` looks for paths to hiring managers in the seeker's
            industry and asks contacts for those introductions first (S9).
        max_targets: Most hiring managers a targeted seeker plans paths to ("Targeted
            Networking is a lot of work").
        pressure_learning: Share of her pressure a seeker gives up after each refusal and
            each mop-up call about her (0: she never learns; the presets but ``adaptive``).
    """

    name: str = "custom"
    pressure: float = 0.2
    names_demanded: int = 1
    follow_up: FollowUpName = "contact"
    accepts_phone_help: bool = True
    give_rate: float = 0.5
    introduce_rate: float = 0.1
    cultivation_per_week: float = 0.0
    reluctance: float = 0.2
    daily_capacity: int = 2
    targeting: Targeting = "none"
    max_targets: int = 10
    pressure_learning: float = 0.0

    def __post_init__(self) -> None:
        for field in ("pressure", "give_rate", "introduce_rate", "reluctance", "pressure_learning"):
            check_probability(self, field)
        check_count(self, "names_demanded", 0)
        check_count(self, "daily_capacity", 0)
        check_at_least(self, "cultivation_per_week", 0)
        check_choice(self, "follow_up", FOLLOW_UP_MODES)
        if not isinstance(self.accepts_phone_help, bool):
            raise ValueError(
                f"Strategy.accepts_phone_help must be true or false, got {self.accepts_phone_help!r}"
            )
        check_choice(self, "targeting", TARGETING_MODES)
        check_count(self, "max_targets", 0)

    @cached_property
    def follow_up_mode(self) -> FollowUp:
        """``follow_up`` as its code (what the mechanisms and kernels compare)."""
        return FollowUp.of(self.follow_up)

    def replace(self, **changes: Any) -> Strategy:
        """Return a copy with the given fields changed (validated again)."""
        return dataclasses.replace(self, **changes)


PRESETS: dict[str, Strategy] = {
    # Give-first networker: light pressure, takes phone help, lets contacts call ahead,
    # gives in most contacts and introduces people (001, 002; 000 "leave appointment-
    # solicitation in the hands of the person you've just seen").
    "polite": Strategy(
        name="polite",
        pressure=0.1,
        names_demanded=1,
        follow_up="contact",
        accepts_phone_help=True,
        give_rate=0.7,
        introduce_rate=0.3,
        cultivation_per_week=2.0,
        reluctance=0.2,
        daily_capacity=2,
    ),
    # Axel Bludgeon's three NFL rules (000): get into every office, leave with 3 names,
    # never leave follow-up to the contact; never settles for help on the phone.
    "nfl": Strategy(
        name="nfl",
        pressure=0.9,
        names_demanded=3,
        follow_up="seeker",
        accepts_phone_help=False,
        give_rate=0.0,
        introduce_rate=0.0,
        reluctance=0.0,
        daily_capacity=3,
    ),
    # Hesitant seeker who mostly waits to be contacted (003 Jennifer before coaching).
    "passive": Strategy(
        name="passive",
        pressure=0.05,
        names_demanded=0,
        follow_up="contact",
        accepts_phone_help=True,
        give_rate=0.3,
        introduce_rate=0.0,
        reluctance=0.85,
        daily_capacity=1,
    ),
    # The chapter's recommended middle way: many light, polite contacts, records kept (one
    # discreet reminder call), time as an ally (000 "Make lots of polite contacts").
    "balanced": Strategy(
        name="balanced",
        pressure=0.25,
        names_demanded=2,
        follow_up="contact_then_seeker",
        accepts_phone_help=True,
        give_rate=0.6,
        introduce_rate=0.2,
        cultivation_per_week=2.0,
        reluctance=0.1,
        daily_capacity=3,
    ),
    # Targeted networking (000): pick hiring managers to meet, find who can introduce you.
    "targeted": Strategy(
        name="targeted",
        pressure=0.2,
        names_demanded=1,
        follow_up="contact_then_seeker",
        accepts_phone_help=True,
        give_rate=0.6,
        introduce_rate=0.1,
        cultivation_per_week=1.0,
        reluctance=0.1,
        daily_capacity=2,
        targeting="hiring_managers",
    ),
}


# An NFL networker who learns (issue 14): each refusal and each mop-up call about her takes a
# tenth of her pressure; the rest of NFL's rules stay.
PRESETS["adaptive"] = PRESETS["nfl"].replace(name="adaptive", pressure_learning=0.1)


def preset(preset_name: str, /, **overrides: Any) -> Strategy:
    """Return the named preset, optionally with fields overridden one by one.

    Example:
        >>> preset("polite", name="pushy", pressure=0.9).pressure
        0.9

    Raises:
        KeyError: if ``name`` is not a preset (the message lists the presets).
        ValueError: if an override is out of range.
        TypeError: if an override names no field.
    """
    if preset_name not in PRESETS:
        raise KeyError(f"unknown strategy preset {preset_name!r}; presets are {sorted(PRESETS)}")
    base = PRESETS[preset_name]
    return base.replace(**overrides) if overrides else base
