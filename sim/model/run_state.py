"""What the mechanisms see of a run: its state, its Generator and its day (:class:`RunState`).

The mechanisms (:mod:`sim.model.mechanisms`) are functions of a run's state, not methods of
the model. They are typed against this Protocol rather than against
:class:`sim.model.model.NetworkingModel`, which wires them into a day: so no mechanism
imports the model, and the model imports the mechanisms, one way only. ``NetworkingModel``
satisfies it; a test can pass any object that has these attributes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import numpy as np

    from sim.model.params import ModelParams
    from sim.model.records import EventLog
    from sim.model.seekers import Lead, Seeker
    from sim.model.state.market import Market
    from sim.model.state.names import NameDraw
    from sim.model.state.opinions import OpinionBook
    from sim.model.state.world import Diary, Fatigue, People, Ties

__all__ = ["RunState"]


class RunState(Protocol):
    """A run as its mechanisms read and change it.

    Attributes:
        params: The run's parameters.
        rng: The run's only source of randomness.
        day: The day being simulated (whole days in a run).
        people: Everyone's traits (industry, level, busyness, protectiveness, managers).
        ties: Tie strengths and trust, with lazy decay.
        fatigue: Recent requests each person received.
        diary: The meetings each person has given this week.
        book: What each person thinks of, and owes, each seeker.
        market: Openings.
        names: The seniority weights of the names contacts offer.
        events: The event log (enabled or not).
        seekers: The seekers, by index.
        seeker_persons: Each seeker's person (graph node).
        hired: Whether each seeker has been hired.
        searching: Whether each seeker is searching (has lost her job, not hired, within
            her horizon).
        loss_day: Each seeker's day of job loss.
    """

    params: ModelParams
    rng: np.random.Generator
    day: int
    people: People
    ties: Ties
    fatigue: Fatigue
    diary: Diary
    book: OpinionBook
    market: Market
    names: NameDraw
    events: EventLog
    seekers: list[Seeker]
    seeker_persons: np.ndarray
    hired: np.ndarray
    searching: np.ndarray
    loss_day: np.ndarray

    def log(
        self,
        seeker: Seeker,
        kind: str,
        source: int | None,
        target: int | None,
        lead: Lead | None = None,
        **fields: Any,
    ) -> None:
        """Add an event if the log is on (tie and hop fields filled from ``lead``)."""
