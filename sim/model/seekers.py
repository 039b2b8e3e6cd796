"""Seekers: the only Mesa agents. Each keeps its leads (names to call) and works them within
its daily capacity (W4, S8)."""

from __future__ import annotations

import heapq
from typing import Protocol

import mesa
import numpy as np

from sim.model.codes import CallOutcome
from sim.model.params import ModelParams
from sim.model.records import SeekerRecord
from sim.model.state.known import KnownPeople, known_people
from sim.model.state.leads import PRIORITY, Lead, LeadStore
from sim.model.strategies import Strategy

__all__ = ["PRIORITY", "Lead", "Seeker", "Services"]


class Services(Protocol):
    """What a seeker asks of her run each day: the mechanisms it wires (a Protocol, so that
    seekers need not import the model that makes them)."""

    params: ModelParams
    rng: np.random.Generator
    day: int

    @property
    def is_workday(self) -> bool: ...

    def approach(self, seeker: Seeker, lead: Lead) -> CallOutcome: ...

    def receive_unasked(self, seeker: Seeker) -> None: ...

    def apply_formally(self, seeker: Seeker) -> None: ...

    def keep_in_touch(self, seeker: Seeker) -> None: ...


class Seeker(mesa.Agent):
    """A job seeker who networks by ``strategy``.

    Attributes:
        index: 0-based seeker number (the ``seeker_id`` of the tables).
        person: The seeker's node in the graph.
        quality: Impression the seeker makes in a meeting before pressure and giving.
        record: Counters for the output tables.
    """

    def __init__(self, model: Services, strategy: Strategy, index: int, person: int, quality: float) -> None:
        super().__init__(model)
        self.strategy = strategy
        self.index = index
        self.person = person
        self.quality = quality
        #: How hard she pushes now: the strategy's pressure, lowered by what she learns
        #: (``Strategy.pressure_learning``; S1, C3).
        self.pressure = strategy.pressure
        #: Time given today to gifts and introductions, in appointments (``gift_cost``,
        #: ``introduction_cost``): giving costs time (issue 14).
        self.effort = 0.0
        self.record = SeekerRecord()
        #: Herself and everyone she has had a lead to (:mod:`sim.model.state.known`).
        self.known: KnownPeople = known_people((person,))
        self.considered: set[int] = set()
        #: Her own contacts at job loss (set when the search starts): a hire through one of
        #: them is a hire through a personal contact in Granovetter's sense.
        self.own_at_loss: frozenset[int] = frozenset()
        #: Every lead she has queued, by number (the order queued: ties in priority go to
        #: the earlier one). The queues hold (-priority, number) and (day, number).
        self.leads = LeadStore()
        self._queue: list[tuple[float, int]] = []
        self._later: list[tuple[int, int]] = []

    @property
    def hired(self) -> bool:
        """Whether the seeker has been hired."""
        return self.record.hire is not None

    # --- leads ---------------------------------------------------------------------------
    def add_lead(self, lead: Lead) -> bool:
        """Queue a lead to a person not yet known; False if already known."""
        if not self.known.add(lead.target):
            return False
        heapq.heappush(self._queue, (-lead.priority, self.leads.add(lead)))
        return True

    def learn_from_call(self, refused: bool, mop_ups: int) -> None:
        """After a call: each refusal and each mop-up call about her makes her push less, by
        the share ``pressure_learning`` of her pressure (issue 14; 0 keeps it fixed)."""
        rate = self.strategy.pressure_learning
        if rate > 0:
            for _ in range(int(refused) + mop_ups):
                self.pressure *= 1.0 - rate

    def end_search(self) -> None:
        """Hired: let go of what only the search reads (the people she knows, her leads and
        queues, the openings she was considered for). Nothing reads them once she is hired,
        and in a large run most seekers are hired part way through it."""
        self.known = known_people()
        self.considered = set()
        self.leads, self._queue, self._later = LeadStore(), [], []

    def add_lead_later(self, lead: Lead, day: int) -> None:
        """Queue a lead (typically a re-contact of someone known) from ``day`` on."""
        heapq.heappush(self._later, (day, self.leads.add(lead)))

    def _release_due(self, day: int) -> None:
        while self._later and self._later[0][0] <= day:
            _, number = heapq.heappop(self._later)
            heapq.heappush(self._queue, (-self.leads.priority(number), number))

    # --- the day -------------------------------------------------------------------------
    def step(self) -> None:
        """One search day: leads that come unasked, a formal application, then outreach."""
        model = self.model
        if self.hired:
            return
        model.receive_unasked(self)
        model.apply_formally(self)
        if self.hired:
            return
        self._release_due(model.day)
        if model.is_workday:
            self._reach_out(model)

    def _reach_out(self, model: Services) -> None:
        """Call the best leads until the day's appointments are used up (W4: "2 or 3
        Networking appointments per day"); help on the phone and a "no" use only a part
        of an appointment's time (``phone_cost``, ``refusal_cost``)."""
        rng = model.rng
        if rng.random() < self.strategy.reluctance:
            return  # a hesitant day (S8, 003)
        time_left = float(self.strategy.daily_capacity)
        while time_left > 1e-9 and self._queue:
            lead = self.leads.get(heapq.heappop(self._queue)[1])
            self.effort = 0.0
            outcome = model.approach(self, lead)
            if self.hired:
                return
            time_left -= self._time_used(outcome, model) + self.effort
            if outcome == CallOutcome.REFUSAL and rng.random() < self.strategy.reluctance:
                return  # a "no" ends the day for the reluctant; others go to the next name

    @staticmethod
    def _time_used(outcome: CallOutcome, model: Services) -> float:
        """The share of an appointment's time a call took (eq. 18)."""
        if outcome == CallOutcome.MEETING:
            return 1.0
        return model.params.phone_cost if outcome == CallOutcome.PHONE_HELP else model.params.refusal_cost

    def cultivate(self) -> None:
        """One warm-up day: keep-in-touch contacts with one's own network (S7)."""
        rate = self.strategy.cultivation_per_week / 7.0
        if rate > 0:
            for _ in range(self.model.rng.poisson(rate)):
                self.model.keep_in_touch(self)
