"""NetworkingModel: the daily schedule that wires the submodels together.

Day by day (docs/model.md, "Process overview and scheduling"):

1. Openings arrive at hiring managers; the managers and their contacts tell seekers they know
   of (C6). Open openings are filled through other channels with a daily hazard (W3).
2. Seekers act in a random order: unasked introductions arrive, a formal application may be
   made, then the seeker works her leads within her daily capacity (W4, S1-S9).
3. The day's means are recorded. Decays (ties, fatigue, goodwill) are lazy: nothing is swept.

Warm-up days before job loss (negative days) run step 1 without seekers, and cultivating
seekers keep in touch with their network (S7).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

import mesa
import numpy as np

from sim.model import kernels
from sim.model.codes import CallOutcome
from sim.model.equations import NEUTRAL
from sim.model.mechanisms import giving, hiring
from sim.model.mechanisms.approach import approach
from sim.model.params import ModelParams
from sim.model.records import EventLog, OwnContacts, mean_by_group
from sim.model.seeds import seed_to_int
from sim.model.seekers import Seeker
from sim.model.state.graphs import build_graph
from sim.model.state.leads import PRIORITY, Lead
from sim.model.state.market import Market
from sim.model.state.names import NameDraw
from sim.model.state.opinions import OpinionBook
from sim.model.state.world import Diary, Fatigue, Ties, make_people

__all__ = ["NetworkingModel", "rare_collections"]

#: Allocations between two young-generation collections while a model runs (Python's
#: default is 700).
RARE_COLLECTION_THRESHOLD = 200_000


@contextmanager
def rare_collections() -> Iterator[None]:
    """Collect cyclic garbage rarely inside the block, then restore the collector's settings.

    With the default thresholds the collector ran every 700 allocations and walked the
    run's growing heaps of leads again and again: 10% of a 100,000-people run, for about a
    thousand objects freed in the whole year (benchmarks in docs/performance.md). The
    collector still runs, so memory held in cycles is still freed.
    """
    old = gc.get_threshold()
    gc.set_threshold(RARE_COLLECTION_THRESHOLD, *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)


class NetworkingModel(mesa.Model):
    """Job seekers networking through a social graph.

    Args:
        params: Model parameters (defaults if None).
        seed: Integer seed or SeedSequence; all randomness comes from ``self.rng``.

    Attributes:
        day: The day the next step simulates; search days are 1..run_days (a seeker who
            lost her job on day L searches on days L+1..L+horizon_days; with every job
            lost on day 0, 1..horizon_days) and warm-up days are negative.
        loss_day: Each seeker's day of job loss (all 0 unless ``job_loss_spread_days``).
        searching: Whether each seeker is searching now: she has lost her job and is
            neither hired nor past her horizon.
        seekers: Seekers in order of ``seeker_id``.
        seeker_persons: The person (graph node) of each seeker, in the same order.
        own_at_loss: Each seeker's own contacts at job loss (only with the event log on).
    """

    def __init__(self, params: ModelParams | None = None, *, seed: int | np.random.SeedSequence = 0) -> None:
        self.seed = seed_to_int(seed)
        super().__init__(rng=self.seed)
        kernels.stamp_cache()
        self.params = params = params or ModelParams()
        self.day = -params.warmup_days if params.warmup_days else 1
        self.graph = build_graph(params.graph, params.population.industries, self.rng)
        self.people = make_people(self.graph, params.population, self.rng)
        persons = self.seeker_persons = self._place_seekers()
        self.ties = Ties(self.graph, params.ties, persons, start_day=self.day)
        self.graph = self.ties.graph = self.graph.without_strengths()  # the ties hold them now
        self.fatigue = Fatigue(self.graph.n, params.contacts.fatigue_half_life, start_day=self.day)
        self.diary = Diary(self.people.busyness, params.contacts.meetings_per_week)
        self.book = OpinionBook(len(persons), params.contacts.goodwill_half_life, people=self.graph.n)
        self.market = Market(self.people, params.market)
        self.events = EventLog(params.record_events)
        self.names = NameDraw(self.people.level, params.contacts.names_seniority_bias)
        self.seekers = self._make_seekers(persons)
        self.loss_day = self._draw_job_losses(len(self.seekers))
        self.searching = np.zeros(len(self.seekers), dtype=bool)
        self.strategy_names = [g.strategy.name for g in params.population.seekers]
        self._group = np.array(
            [self.strategy_names.index(s.strategy.name) for s in self.seekers], dtype=np.int64
        )
        self.daily_rows: list[tuple] = []  # (day, strategy, share_hired, mean_reputation, mean_fatigue)
        #: Whether each seeker has been hired (set with ``Seeker.record.hire``, read daily).
        self.hired = np.zeros(len(self.seekers), dtype=bool)
        self._contact_sets = [self._own_contacts_of_group(g) for g in range(len(self.strategy_names))]
        self.own_at_loss: list[OwnContacts] = []
        if self.day >= 1:
            self._start_search(0)

    # --- set-up --------------------------------------------------------------------------
    def _place_seekers(self) -> np.ndarray:
        total = self.params.population.seeker_count
        candidates = np.flatnonzero(~self.people.is_hiring_manager & (self.graph.degree() > 0))
        if total > candidates.size:
            raise ValueError(
                f"population.seekers: {total} seekers do not fit in {candidates.size} people who are "
                "connected and not hiring managers; use fewer seekers or more people"
            )
        return self.rng.choice(candidates, size=total, replace=False)

    def _make_seekers(self, persons: np.ndarray) -> list[Seeker]:
        pop = self.params.population
        seekers = []
        for group in pop.seekers:
            for _ in range(group.count):
                person = int(persons[len(seekers)])
                quality = float(
                    np.clip(self.rng.normal(pop.seeker_quality_mean, pop.seeker_quality_sd), 0, 1)
                )
                seekers.append(Seeker(self, group.strategy, len(seekers), person, quality))
        for seeker in seekers:
            self._meet_own_contacts(seeker)
        return seekers

    def _draw_job_losses(self, count: int) -> np.ndarray:
        """Each seeker's day of job loss, uniform over 0..``job_loss_spread_days``: a flow of
        job losers instead of one cohort (nothing is drawn for a cohort, so its runs keep
        their random streams)."""
        spread = self.params.job_loss_spread_days
        if spread == 0:
            return np.zeros(count, dtype=np.int64)
        return self.rng.integers(0, spread + 1, size=count)

    def _meet_own_contacts(self, seeker: Seeker) -> None:
        """Direct contacts start with a view of the seeker that grows with the tie (C8)."""
        liking = self.params.contacts.tie_liking
        people, strengths, _ = self.ties.circle(seeker.person, self.day)
        for person, strength in zip(people.tolist(), strengths.tolist(), strict=True):
            self.book.ensure(person, seeker.index, NEUTRAL + liking * strength, hop=0)

    def _start_search(self, loss_day: int) -> None:
        """Job loss: each seeker who lost her job on ``loss_day`` lists her own contacts
        (closest first) and, if targeting, plans paths to hiring managers (S9). With the
        event log on, the list and each tie as it is today are kept for the ego table
        (``own_at_loss``)."""
        for index in np.flatnonzero(self.loss_day == loss_day).tolist():
            seeker = self.seekers[index]
            self.searching[index] = True
            people, strengths, _ = self.ties.circle(seeker.person, self.day)
            own = people.tolist()
            seeker.own_at_loss = frozenset(own)
            if self.events.enabled:
                mutual = np.array([self.ties.mutual_count(seeker.person, c) for c in own], dtype=np.int64)
                self.own_at_loss.append(OwnContacts(seeker.index, people.copy(), strengths.copy(), mutual))
            if seeker.strategy.targeting == "hiring_managers":
                self._plan_targets(seeker, own)
            same = self.people.industry[people] == self.people.industry[seeker.person]
            priority = strengths + PRIORITY.own_industry * same
            for person, value in zip(own, priority.tolist(), strict=True):
                seeker.add_lead(Lead(person, hop=0, priority=value))

    def _plan_targets(self, seeker: Seeker, own: list[int]) -> None:
        """For up to ``max_targets`` hiring managers of her industry two steps away, the seeker
        plans to ask the closest contact who knows each of them for an introduction."""
        people, industry = self.people, self.people.industry[seeker.person]
        own_set, targets = set(own), set()
        for person in sorted(own, key=lambda c: -self.ties.strength(seeker.person, c, self.day)):
            if len(targets) >= seeker.strategy.max_targets:
                return
            for target in self.ties.neighbors(person).tolist():
                if target in own_set or target in targets or target == seeker.person:
                    continue
                if people.is_hiring_manager[target] and people.industry[target] == industry:
                    seeker.add_lead(Lead(person, hop=0, priority=PRIORITY.target, ask_for=target))
                    targets.add(target)
                    break

    # --- the day -------------------------------------------------------------------------
    def step(self) -> None:
        """Simulate one day."""
        searching = self.day >= 1
        if self.day >= 2:
            self._start_search(self.day - 1)
        for opening in self.market.arrivals(self.day, self.rng):
            if searching:
                hiring.announce(self, opening)
        if self.params.market.hiring == "pool":
            hiring.screen_and_offer(self)  # outside applicants compete in each pool
        else:
            self.market.close_by_other_channels(self.day, self.rng)
        if searching and kernels.AVAILABLE:
            self._total_goodwill_owed()
        seekers, active = self.seekers, self.searching.tolist()
        for i in self.rng.permutation(len(seekers)).tolist():
            if not searching:
                seekers[i].cultivate()
            elif active[i]:  # only those searching act; most are hired by the end
                seekers[i].step()
        if searching:
            self._record_day()
            self._end_searches()
        self.day += 1
        if self.day == 0:
            self.day = 1
            self._start_search(0)
        if self.day > self.params.run_days:
            self.running = False

    def _end_searches(self) -> None:
        """Seekers whose ``horizon_days`` of search end today stop (censored)."""
        self.searching[self.loss_day + self.params.horizon_days == self.day] = False

    def run(self) -> NetworkingModel:
        """Step through the last search day (the horizon); returns self.

        Python's cyclic garbage collector runs rarely meanwhile (:func:`rare_collections`):
        a run makes millions of small objects (leads, tuples) and almost no cycles."""
        with rare_collections():
            while self.running:
                self.step()
        self._release_agent_ids()
        return self

    def _release_agent_ids(self) -> None:
        """Let Mesa forget this model once it has run.

        Mesa 3 numbers agents from a class-level ``Agent._ids``, a ``defaultdict`` keyed by
        model, which keeps every model ever built alive: a process that runs many models (a
        sweep's or a calibration's worker, a notebook) grew by about 25 MB a run of the
        2,000-person world until the machine swapped. Every agent is made at construction,
        so the entry is not needed after the run. Nothing happens on a Mesa without that
        registry."""
        ids = getattr(mesa.Agent, "_ids", None)
        if isinstance(ids, dict):
            ids.pop(self, None)

    @property
    def is_workday(self) -> bool:
        """Whether seekers reach out today (the first ``workdays_per_week`` days of each week)."""
        return (self.day - 1) % 7 < self.params.workdays_per_week

    # --- services the submodels call ------------------------------------------------------
    def approach(self, seeker: Seeker, lead: Lead) -> CallOutcome:
        """One call (see :mod:`sim.model.mechanisms.approach`)."""
        return approach(self, seeker, lead)

    def receive_unasked(self, seeker: Seeker) -> None:
        """Unasked introductions from contacts who owe goodwill (C6)."""
        giving.receive_unasked(self, seeker)

    def apply_formally(self, seeker: Seeker) -> None:
        """A possible application through other channels (W3)."""
        hiring.apply_formally(self, seeker)

    def keep_in_touch(self, seeker: Seeker) -> None:
        """One cultivation contact before job loss (S7)."""
        giving.keep_in_touch(self, seeker)

    def log(
        self,
        seeker: Seeker,
        kind: str,
        source: int | None,
        target: int | None,
        lead: Lead | None = None,
        **fields,
    ) -> None:
        """Add an event (if the log is on), filling tie and hop fields from ``lead``."""
        if not self.events.enabled:
            return
        if lead is not None:
            fields.setdefault("hop", lead.hop)
            fields.setdefault("warm", lead.warm)
        if source is not None and target is not None and "tie_strength" not in fields:
            fields["tie_strength"] = self.ties.strength(source, target, self.day)
            fields["tie_mutual"] = self.ties.mutual_count(source, target)
        self.events.add(self.day, kind, seeker.index, source, target, **fields)

    def _total_goodwill_owed(self) -> None:
        """Today's goodwill total of every seeker still searching, in one compiled call
        (:func:`sim.model.mechanisms.giving.owed_totals`), kept by the book for unasked introductions."""
        searching = np.flatnonzero(self.searching).tolist()
        totals = giving.owed_totals(self, searching)
        if totals is not None:
            self.book.remember_owed(self.day, searching, totals)

    # --- records -------------------------------------------------------------------------
    def _record_day(self) -> None:
        groups = len(self.strategy_names)
        hired = mean_by_group(self.hired.astype(float), self._group, groups)
        reputation = mean_by_group(self.book.reputation(settled=self.hired), self._group, groups)
        fatigue = self._fatigue_by_group(groups)
        for g, name in enumerate(self.strategy_names):
            self.daily_rows.append((self.day, name, hired[g], reputation[g], fatigue[g]))

    def _own_contacts_of_group(self, group: int) -> np.ndarray:
        own = [self.graph.neighbors(s.person) for s in self.seekers if self._group[s.index] == group]
        return np.unique(np.concatenate(own)) if own else np.zeros(0, dtype=np.int64)

    def _fatigue_by_group(self, groups: int) -> np.ndarray:
        """Mean fatigue of the seekers' own contacts, per strategy."""
        return np.array(
            [self.fatigue.levels(c, self.day).mean() if c.size else np.nan for c in self._contact_sets]
        )
