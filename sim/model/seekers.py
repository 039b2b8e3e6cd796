"""Seekers: the only Mesa agents. Each keeps its leads (names to call) and works them within
its daily capacity (W4, S8)."""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

import mesa

from sim.model.compiled_known import new_known_table
from sim.model.records import SeekerRecord
from sim.model.strategies import Strategy

if TYPE_CHECKING:
    from sim.model.model import NetworkingModel

__all__ = ["PRIORITY", "Lead", "Seeker"]


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


class Seeker(mesa.Agent):
    """A job seeker who networks by ``strategy``.

    Attributes:
        index: 0-based seeker number (the ``seeker_id`` of the tables).
        person: The seeker's node in the graph.
        quality: Impression the seeker makes in a meeting before pressure and giving.
        record: Counters for the output tables.
    """

    def __init__(
        self, model: NetworkingModel, strategy: Strategy, index: int, person: int, quality: float
    ) -> None:
        super().__init__(model)
        self.strategy = strategy
        self.index = index
        self.person = person
        self.quality = quality
        self.record = SeekerRecord()
        self.known: set[int] = {person}
        #: Everyone in ``known``, in the order she came to know them, and the same people
        #: in a hash table compiled code reads, which holds the first ``known_synced``
        #: entries of the log (``known_count`` people; :mod:`sim.model.compiled_known`).
        self.known_log: list[int] = [person]
        self.known_table = new_known_table()
        self.known_count = self.known_synced = 0
        self.considered: set[int] = set()
        self._queue: list[tuple[float, int, Lead]] = []
        self._later: list[tuple[int, int, Lead]] = []
        self._queued = 0  # leads queued so far: ties in priority go to the earlier one

    @property
    def hired(self) -> bool:
        """Whether the seeker has been hired."""
        return self.record.hire is not None

    # --- leads ---------------------------------------------------------------------------
    def add_lead(self, lead: Lead) -> bool:
        """Queue a lead to a person not yet known; False if already known."""
        known = self.known
        if lead.target in known:
            return False
        known.add(lead.target)
        self.known_log.append(lead.target)
        heapq.heappush(self._queue, (-lead.priority, self._next_order(), lead))
        return True

    def add_lead_later(self, lead: Lead, day: int) -> None:
        """Queue a lead (typically a re-contact of someone known) from ``day`` on."""
        heapq.heappush(self._later, (day, self._next_order(), lead))

    def _next_order(self) -> int:
        """A number for each lead queued, in order (a plain counter: it copies and pickles,
        which ``itertools.count`` will not from Python 3.14)."""
        self._queued += 1
        return self._queued - 1

    def _release_due(self, day: int) -> None:
        while self._later and self._later[0][0] <= day:
            _, order, lead = heapq.heappop(self._later)
            heapq.heappush(self._queue, (-lead.priority, order, lead))

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

    def _reach_out(self, model: NetworkingModel) -> None:
        """Call the best leads until the day's appointments are used up (W4: "2 or 3
        Networking appointments per day"); help on the phone and a "no" use only a part
        of an appointment's time (``phone_cost``, ``refusal_cost``)."""
        rng = model.rng
        if rng.random() < self.strategy.reluctance:
            return  # a hesitant day (S8, 003)
        time_left = float(self.strategy.daily_capacity)
        while time_left > 1e-9 and self._queue:
            _, _, lead = heapq.heappop(self._queue)
            outcome = model.approach(self, lead)
            if self.hired:
                return
            time_left -= self._time_used(outcome, model)
            if outcome == "refusal" and rng.random() < self.strategy.reluctance:
                return  # a "no" ends the day for the reluctant; others go to the next name

    @staticmethod
    def _time_used(outcome: str, model: NetworkingModel) -> float:
        if outcome == "meeting":
            return 1.0
        return model.params.phone_cost if outcome == "phone_help" else model.params.refusal_cost

    def cultivate(self) -> None:
        """One warm-up day: keep-in-touch contacts with one's own network (S7)."""
        rate = self.strategy.cultivation_per_week / 7.0
        if rate > 0:
            for _ in range(self.model.rng.poisson(rate)):
                self.model.keep_in_touch(self)
