"""Model parameters as frozen, validated dataclasses.

Every constant of the model is a named field here with a default and a one-line reason; the
full derivation (equation, source passage or outside study) is in ``docs/model.md``. Parameters
are grouped by submodel so that a dotted path (``contacts.gossip_rate``) names each one, which
is how experiment files and sweeps address them.
"""

from __future__ import annotations

import dataclasses
import difflib
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

from sim.model.checks import (
    check_at_least,
    check_choice,
    check_count,
    check_probability,
    check_range,
)
from sim.model.equations import Acceptance, Lending, Liking, MopUp, coefficients
from sim.model.strategies import PRESETS, Strategy

__all__ = [
    "GRAPH_KINDS",
    "TIE_STRENGTHS",
    "ContactParams",
    "GraphParams",
    "MarketParams",
    "ModelParams",
    "PopulationParams",
    "SeekerGroup",
    "TieParams",
    "with_overrides",
]

GRAPH_KINDS = ("watts_strogatz", "barabasi_albert", "holme_kim", "sbm", "toivonen", "edge_list")
GraphKind = Literal["watts_strogatz", "barabasi_albert", "holme_kim", "sbm", "toivonen", "edge_list"]
TIE_STRENGTHS = ("drawn", "overlap")


@dataclass(frozen=True)
class GraphParams:
    """The social graph (W1).

    Attributes:
        kind: Generator: small world, scale-free, scale-free with clustering, industry blocks,
            a growing network of friends of friends (Toivonen et al. 2006), or an edge list.
        people: Number of people (ignored for ``edge_list``).
        mean_degree: Mean number of ties per person.
        rewire_prob: Watts-Strogatz rewiring probability (share of long-range ties).
        triangle_prob: Holme-Kim probability of closing a triangle after each attachment.
        within_industry_share: Share of ties inside one's industry (stochastic block model),
            or of initial contacts (Toivonen).
        secondary_contacts: Toivonen: mean number of an initial contact's contacts a newcomer
            also ties to (uniform on 0..2x); with ``mean_degree`` it sets how many initial
            contacts she has.
        tie_strength: How ties get their strength: ``drawn`` independently from
            ``tier_shares``, or by ``overlap``: the more mutual contacts, the stronger
            (Onnela et al. 2007), with ``tier_shares`` still the share of each tier.
        overlap_noise: Spread of the noise added to a tie's overlap rank (a share of all
            ties) before tiers are assigned by ``overlap``: 0 ranks by overlap alone.
        path: Edge list file (``edge_list`` only): ``u v [strength or tier]`` per line.
        tier_shares: Share of ties in each tier unfamiliar/familiar/intimate/meaningful (004).
    """

    kind: GraphKind = "toivonen"
    people: int = 2000
    mean_degree: int = 20
    rewire_prob: float = 0.1
    triangle_prob: float = 0.5
    within_industry_share: float = 0.8
    secondary_contacts: float = 1.5
    tie_strength: Literal["drawn", "overlap"] = "overlap"
    overlap_noise: float = 0.25
    path: str | None = None
    tier_shares: tuple[float, float, float, float] = (0.3, 0.4, 0.2, 0.1)

    def __post_init__(self) -> None:
        check_choice(self, "kind", GRAPH_KINDS)
        check_count(self, "people", 2)
        check_count(self, "mean_degree", 1)
        for name in ("rewire_prob", "triangle_prob", "within_industry_share"):
            check_probability(self, name)
        check_choice(self, "tie_strength", TIE_STRENGTHS)
        check_range(self, "secondary_contacts", 0.0, 20.0)
        check_range(self, "overlap_noise", 0.0, 10.0)
        if self.kind == "edge_list" and not self.path:
            raise ValueError("GraphParams.path is required when kind is 'edge_list'")
        if self.kind != "edge_list" and self.mean_degree >= self.people:
            raise ValueError(
                f"GraphParams.mean_degree must be below people ({self.people}), got {self.mean_degree}"
            )
        shares = self.tier_shares
        numbers = isinstance(shares, (list, tuple)) and all(
            isinstance(s, (int, float)) and not isinstance(s, bool) for s in shares
        )
        if not numbers or len(shares) != 4 or any(s < 0 for s in shares) or abs(sum(shares) - 1.0) > 1e-9:
            raise ValueError(
                f"GraphParams.tier_shares must be 4 non-negative shares summing to 1, got {shares!r}"
            )
        object.__setattr__(self, "tier_shares", tuple(float(s) for s in shares))


@dataclass(frozen=True)
class SeekerGroup:
    """``count`` seekers who all follow ``strategy``."""

    strategy: Strategy
    count: int

    def __post_init__(self) -> None:
        check_count(self, "count", 0)


def _default_groups() -> tuple[SeekerGroup, ...]:
    return (SeekerGroup(PRESETS["polite"], 20), SeekerGroup(PRESETS["nfl"], 20))


@dataclass(frozen=True)
class PopulationParams:
    """Who lives in the graph (W2) and who is looking for a job.

    Attributes:
        industries: Number of industries (003: pharma, CPG, tech ...).
        seniority_levels: Levels from individual contributor (1) to chief executive.
        hiring_manager_share: Share of people (level >= 2) who can hire (W3: "only a few").
        busyness_mean: Mean busyness in [0, 1] (000 "How busy are you?").
        protectiveness_mean: Mean protectiveness of one's contacts in [0, 1] (C3).
        trait_concentration: Concentration of the Beta laws of busyness and protectiveness
            (higher: people differ less).
        busyness_seniority_slope: Extra busyness from the bottom to the top level.
        level_by_degree: How far seniority follows the number of contacts, in [0, 1]: 0
            draws levels regardless of contacts; 1 gives the most senior levels to the best
            connected (managers' networks are larger, Carroll & Teo 1996).
        seeker_quality_mean: Mean impression a seeker makes in a meeting, in [0, 1].
        seeker_quality_sd: Spread of that impression between seekers.
        seekers: Groups of seekers, each a strategy and a count.
    """

    industries: int = 4
    seniority_levels: int = 5
    hiring_manager_share: float = 0.05
    busyness_mean: float = 0.5
    protectiveness_mean: float = 0.4
    trait_concentration: float = 6.0
    busyness_seniority_slope: float = 0.2
    level_by_degree: float = 0.5
    seeker_quality_mean: float = 0.65
    seeker_quality_sd: float = 0.08
    seekers: tuple[SeekerGroup, ...] = field(default_factory=_default_groups)

    def __post_init__(self) -> None:
        check_count(self, "industries", 1)
        check_count(self, "seniority_levels", 2)
        for name in ("hiring_manager_share", "busyness_mean", "protectiveness_mean"):
            check_probability(self, name)
        check_range(self, "busyness_mean", 0.01, 0.99)
        check_range(self, "protectiveness_mean", 0.01, 0.99)
        check_range(self, "trait_concentration", 0.1, 1000.0)
        check_range(self, "busyness_seniority_slope", 0.0, 1.0)
        check_probability(self, "level_by_degree")
        check_probability(self, "seeker_quality_mean")
        check_range(self, "seeker_quality_sd", 0.0, 0.5)
        object.__setattr__(self, "seekers", tuple(self.seekers))
        names = [g.strategy.name for g in self.seekers]
        if len(set(names)) != len(names):
            raise ValueError(f"PopulationParams.seekers: strategy names must be unique, got {names}")

    @property
    def seeker_count(self) -> int:
        """Total number of seekers over all groups."""
        return sum(g.count for g in self.seekers)


@dataclass(frozen=True)
class ContactParams:
    """How contacts respond (C1-C8) and how opinions move (C4, S5).

    Meeting acceptance is logistic in the ``accept_*`` coefficients (docs/model.md, eq. 3).
    """

    favour_steepness: float = 5.66
    accept_base: float = -2.2
    accept_tie: float = 2.0
    accept_endorsement: float = 2.5
    accept_opinion: float = 3.0
    accept_pressure: float = 2.35
    accept_same_industry: float = 0.7
    accept_goodwill: float = 0.8
    accept_busyness: float = 1.5
    accept_fatigue: float = 0.4
    tie_liking: float = 0.3
    phone_offer_prob: float = 0.6
    push_success: float = 0.5
    meetings_per_week: float = 2.0
    meeting_weight: float = 0.5
    phone_weight: float = 0.25
    give_liking: float = 0.15
    pressure_liking_cost: float = 0.25
    forced_liking_cost: float = 0.15
    names_max: int = 3
    names_phone_max: int = 1
    names_seniority_bias: float = 1.0
    lend_base: float = 0.5
    call_ahead_base: float = 0.6
    endorsement_hop_decay: float = 0.6
    cold_call_factor: float = 0.5
    endorsement_transfer: float = 0.5
    mop_up_propensity: float = 0.839
    forced_push_extra: float = 0.5
    mop_up_referrer_cost: float = 0.3
    mop_up_target_cost: float = 0.15
    referrer_trust_cost: float = 0.1
    gossip_rate: float = 0.3
    bad_news_factor: float = 2.0
    gossip_weight: float = 0.622
    gossip_threshold: float = 0.05
    gossip_depth: int = 2
    fatigue_half_life: float = 14.0
    goodwill_half_life: float = 180.0
    mention_base: float = 0.27
    mention_when_asked: float = 0.6
    goodwill_weight: float = 0.3
    mention_stranger_weight: float = 0.5
    gift_misfit: float = 0.5
    favour_spend: float = 0.5
    introduction_success: float = 0.5
    unsolicited_intro_rate: float = 0.01
    recontact_after_days: int = 60

    def __post_init__(self) -> None:
        for name in (
            "tie_liking", "phone_offer_prob", "push_success", "meeting_weight", "phone_weight",
            "give_liking", "pressure_liking_cost", "forced_liking_cost", "lend_base",
            "call_ahead_base", "endorsement_hop_decay", "cold_call_factor",
            "endorsement_transfer", "forced_push_extra", "mop_up_referrer_cost",
            "mop_up_target_cost", "referrer_trust_cost", "gossip_rate", "gossip_weight",
            "gossip_threshold", "mention_base", "mention_when_asked", "goodwill_weight",
            "mention_stranger_weight", "gift_misfit", "introduction_success",
        ):  # fmt: skip
            check_probability(self, name)
        check_at_least(self, "favour_spend", 0.0)
        for name in (
            "accept_tie", "accept_endorsement", "accept_opinion", "accept_pressure",
            "accept_same_industry", "accept_goodwill", "accept_busyness", "accept_fatigue",
            "mop_up_propensity", "bad_news_factor", "unsolicited_intro_rate", "names_seniority_bias",
        ):  # fmt: skip
            check_at_least(self, name, 0.0)
        check_range(self, "accept_base", -20.0, 20.0)
        check_range(self, "meetings_per_week", 0.0, 100.0)
        check_range(self, "favour_steepness", 0.0, 50.0)
        check_count(self, "names_max", 0)
        check_count(self, "names_phone_max", 0)
        check_count(self, "gossip_depth", 0)
        check_count(self, "recontact_after_days", 1)
        check_at_least(self, "fatigue_half_life", 0.01)
        check_at_least(self, "goodwill_half_life", 0.01)

    # The coefficients the equations take (sim/model/equations.py), built once per run by
    # field name: Python and compiled code read the same named values.
    @cached_property
    def acceptance(self) -> Acceptance:
        """The ``accept_*`` coefficients of the meeting probability (eq. 3)."""
        return coefficients(Acceptance, self)

    @cached_property
    def liking(self) -> Liking:
        """What a conversation does to a contact's view (eq. 4)."""
        return coefficients(Liking, self)

    @cached_property
    def mop_up(self) -> MopUp:
        """How pushed a contact feels, and what a mop-up call does (eq. 6)."""
        return coefficients(MopUp, self)

    @cached_property
    def lending(self) -> Lending:
        """How favour and goodwill turn into names, call-aheads and mentions (eqs. 1, 5, 8)."""
        return coefficients(Lending, self)


@dataclass(frozen=True)
class TieParams:
    """How ties are made, kept up and worn down (S6, S7, C3).

    Attributes:
        decay_half_life: Days for an untouched tie to lose half its strength above the floor.
        floor: Strength an untouched tie decays towards (the unfamiliar tier).
        touch_boost: Strength added by a contact that keeps the tie up (capped at 1).
        introduced_strength: Strength of a tie made by an introduction (the familiar tier).
        met_strength: Strength of the tie a meeting makes between a seeker and a contact she
            was not tied to (0: meetings make no ties).
        push_wear: Strength a seeker's tie to a contact loses when she insists (S1).
        mop_up_wear: Strength a seeker's tie to a referrer loses when the referrer gets a
            mop-up call about her (C3: "you could easily lose the respect and sponsorship of
            the 'name' you're using").
    """

    decay_half_life: float = 180.0
    floor: float = 0.15
    touch_boost: float = 0.05
    introduced_strength: float = 0.4
    met_strength: float = 0.4
    push_wear: float = 0.05
    mop_up_wear: float = 0.2

    def __post_init__(self) -> None:
        check_at_least(self, "decay_half_life", 0.01)
        for name in (
            "floor",
            "touch_boost",
            "introduced_strength",
            "met_strength",
            "push_wear",
            "mop_up_wear",
        ):
            check_probability(self, name)


@dataclass(frozen=True)
class MarketParams:
    """Openings, other channels, interviews and offers (W3).

    Attributes:
        opening_rate: Openings per hiring manager per day.
        other_fill_rate: Daily chance an open opening is filled through other channels.
        level_tolerance: Largest seniority gap between a seeker and an opening that fits.
        opening_level_gap: Levels between a hiring manager and the job she hires for.
        formal_application_rate: Daily chance a seeker applies to a fitting opening directly.
        formal_interview_prob: Interview chance of a formal applicant of neutral standing
            (Fernandez & Weinberg 1997: 26%).
        referral_interview_prob: Interview chance of a referred candidate of neutral
            standing (Fernandez & Weinberg 1997: 80%).
        offer_prob: Offer chance after an interview at neutral standing (F&W: 38/80, 12/26).
        hiring: ``instant``: a lead turns into an interview, an offer and a hire at once, each
            scaled by the manager's favour; ``pool``: each opening gathers candidates for
            ``application_window_days``, then the manager screens them on one score, interviews
            a shortlist and makes an offer after ``offer_lag_days`` (issue 14).
        application_window_days: Days an opening takes applications (``pool``); with
            ``offer_lag_days``, 42 days to fill an opening (SHRM 2016) and 28 days from an
            average application to the offer (Glassdoor, about 23 days).
        outside_applicants_per_day: Applicants from outside the model joining a pool per day.
        shortlist_size: Candidates the manager interviews (``pool``).
        offer_lag_days: Days from the end of the window to the offer.
        referral_weight: Weight of the referrer's view of the candidate in the screening score.
        opinion_weight: Weight of the manager's own view (minus neutral) in the score.
        screening_noise: Spread of the manager's error in the score (quality is in units of
            the spread of applicants' quality).
        duration_penalty: Score a candidate loses per month she has been searching (eq. 20;
            employers who read a long spell as a bad sign, Kroft, Lange & Notowidigdo 2013);
            0, the default, leaves elapsed search out of screening.
        duration_penalty_months: Months after which the penalty stops growing (Kroft et
            al.: most of the fall in callbacks comes within the first eight months).
    """

    opening_rate: float = 0.0233
    other_fill_rate: float = 1.0 / 40.0
    level_tolerance: int = 1
    opening_level_gap: int = 1
    formal_application_rate: float = 0.536
    formal_interview_prob: float = 0.26
    referral_interview_prob: float = 0.8
    offer_prob: float = 0.45
    hiring: Literal["instant", "pool"] = "pool"
    application_window_days: int = 28
    outside_applicants_per_day: float = 1.05
    shortlist_size: int = 2
    offer_lag_days: int = 14
    referral_weight: float = 1.32
    opinion_weight: float = 2.0
    screening_noise: float = 1.0
    duration_penalty: float = 0.0
    duration_penalty_months: float = 8.0

    def __post_init__(self) -> None:
        for name in (
            "opening_rate", "other_fill_rate", "formal_application_rate",
            "formal_interview_prob", "referral_interview_prob", "offer_prob",
        ):  # fmt: skip
            check_probability(self, name)
        check_count(self, "level_tolerance", 0)
        check_count(self, "opening_level_gap", 0)
        check_choice(self, "hiring", ("instant", "pool"))
        check_count(self, "application_window_days", 1)
        check_count(self, "shortlist_size", 1)
        check_count(self, "offer_lag_days", 0)
        for name in (
            "outside_applicants_per_day", "referral_weight", "opinion_weight", "screening_noise",
            "duration_penalty", "duration_penalty_months",
        ):  # fmt: skip
            check_range(self, name, 0.0, 100.0)


@dataclass(frozen=True)
class ModelParams:
    """Everything one run needs besides its seed.

    Attributes:
        graph, population, contacts, ties, market: The submodels' parameters.
        horizon_days: Days of search after job loss; unhired seekers are censored here.
        job_loss_spread_days: Job losses spread over days 0..this (each seeker's day drawn
            uniformly): 0 lays every seeker off on day 0 (a closed cohort); more makes a
            flow, so that a pool mixes short and long searches. Each seeker still searches
            ``horizon_days`` from her own job loss; the run lasts this plus ``horizon_days``.
        warmup_days: Days before job loss in which the world runs and seekers may cultivate
            their network (S7); not counted in time to hire.
        phone_cost: Share of an appointment's time used by help taken on the phone; a
            seeker's day holds ``daily_capacity`` appointments (W4).
        refusal_cost: Share of an appointment's time used by a call that ends in a "no".
        gift_cost: Share of an appointment's time a gift takes (finding the article, the
            idea, the contact to pass on; S5, issue 14).
        introduction_cost: Share of an appointment's time an introduction takes (S6).
        workdays_per_week: Days of each week (counted from day 1) on which seekers reach
            out; openings, leads and hires happen on any day.
        record_events: Keep the optional event log (one row per call, meeting, ...).
    """

    graph: GraphParams = field(default_factory=GraphParams)
    population: PopulationParams = field(default_factory=PopulationParams)
    contacts: ContactParams = field(default_factory=ContactParams)
    ties: TieParams = field(default_factory=TieParams)
    market: MarketParams = field(default_factory=MarketParams)
    horizon_days: int = 365
    job_loss_spread_days: int = 365
    warmup_days: int = 0
    phone_cost: float = 0.6
    refusal_cost: float = 0.2
    gift_cost: float = 0.25
    introduction_cost: float = 0.5
    workdays_per_week: int = 5
    record_events: bool = False

    @cached_property
    def calls_leave_traces(self) -> bool:
        """Whether a call changes anything at its end (issue 14's learning and tie changes):
        read once per call, so that runs without them skip that step."""
        learns = any(group.strategy.pressure_learning > 0 for group in self.population.seekers)
        return learns or self.ties.push_wear > 0 or self.ties.met_strength > 0

    @property
    def run_days(self) -> int:
        """Search days the run simulates: the last job loss plus a whole search."""
        return self.job_loss_spread_days + self.horizon_days

    def __post_init__(self) -> None:
        check_count(self, "horizon_days", 1)
        check_count(self, "job_loss_spread_days", 0)
        check_count(self, "warmup_days", 0)
        check_range(self, "phone_cost", 0.01, 1.0)
        check_range(self, "refusal_cost", 0.01, 1.0)
        check_range(self, "gift_cost", 0.0, 1.0)
        check_range(self, "introduction_cost", 0.0, 1.0)
        check_range(self, "workdays_per_week", 1, 7)
        if not isinstance(self.workdays_per_week, int):
            raise ValueError(
                f"ModelParams.workdays_per_week must be a whole number in [1, 7], got {self.workdays_per_week!r}"
            )
        if not isinstance(self.record_events, bool):
            raise ValueError(f"ModelParams.record_events must be true or false, got {self.record_events!r}")

    def without_social_costs(self) -> ModelParams:
        """The ablation world: no mop-up calls, no gossip, no contact fatigue.

        This is the world in which the volume strategy should be able to win (MODEL-BRIEF,
        "when aggression pays").
        """
        return with_overrides(
            self,
            {"contacts.mop_up_propensity": 0.0, "contacts.gossip_rate": 0.0, "contacts.accept_fatigue": 0.0},
        )


def with_overrides(params: Any, changes: dict[str, Any]) -> Any:
    """Return ``params`` with dotted-path fields replaced, e.g. ``{"market.offer_prob": 0.5}``.

    Seeker groups are addressed by strategy name, as in :func:`sim.model.tables.flatten_params`:
    ``population.seekers.nfl.pressure`` or ``population.seekers.nfl.count``. Changes to the
    same object are applied together (so ``graph.people`` and ``graph.mean_degree`` can move
    in step), and each object validates its new values.

    Raises:
        KeyError: if a path does not name a field (the message suggests the closest name or
            lists the valid ones), or sets both a section and a field inside it.
        ValueError: if a value is out of range; the message starts with the dotted path.
    """
    tree: dict[str, Any] = {}
    for path, value in changes.items():
        node = tree
        *parents, leaf = path.split(".")
        for part in parents:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise KeyError(f"unknown parameter {path!r}: a value is set above it")
        if isinstance(node.get(leaf), dict):
            raise KeyError(f"unknown parameter {path!r}: both the section and fields inside it are set")
        node[leaf] = value
    return _apply(params, tree, "")


def _apply(obj: Any, tree: dict[str, Any], prefix: str) -> Any:
    if isinstance(obj, tuple):
        return _apply_to_groups(obj, tree, prefix)
    names = [f.name for f in dataclasses.fields(obj)]
    updates = {}
    for key, sub in tree.items():
        if key not in names:
            raise KeyError(f"unknown parameter {prefix + key!r}: {_suggest(key, names)}")
        current = getattr(obj, key)
        nested = dataclasses.is_dataclass(current) or (isinstance(current, tuple) and key == "seekers")
        if isinstance(sub, dict) and nested:
            updates[key] = _apply(current, sub, f"{prefix}{key}.")
        elif nested and _same_kind(sub, current):
            updates[key] = sub  # a whole section (a GraphParams, a tuple of SeekerGroups)
        elif nested:
            raise KeyError(f"unknown parameter {prefix + key!r}: set its fields, e.g. {prefix + key}.<field>")
        elif isinstance(sub, dict):
            raise KeyError(
                f"unknown parameter {prefix + key + '.' + str(next(iter(sub), ''))!r}: {key!r} has no sub-fields"
            )
        else:
            updates[key] = sub
    try:
        return dataclasses.replace(obj, **updates)
    except ValueError as exc:
        raise ValueError(str(exc).replace(f"{type(obj).__name__}.", prefix)) from None


def _same_kind(value: Any, current: Any) -> bool:
    if isinstance(current, tuple):
        return isinstance(value, tuple) and all(isinstance(g, SeekerGroup) for g in value)
    return type(value) is type(current)


def _suggest(key: str, names: list[str]) -> str:
    close = difflib.get_close_matches(key, names, n=1)
    return f"did you mean {close[0]!r}?" if close else f"expected one of {names}"


def _apply_to_groups(groups: tuple[SeekerGroup, ...], tree: dict[str, Any], prefix: str) -> tuple:
    by_name = {g.strategy.name: g for g in groups}
    new_groups = dict(by_name)
    for name, sub in tree.items():
        if name not in by_name or not isinstance(sub, dict):
            raise KeyError(
                f"unknown parameter {prefix + name!r}: expected {prefix}<strategy>.<field>, "
                f"with <strategy> one of {sorted(by_name)}"
            )
        fields = dict(sub)
        count = fields.pop("count", by_name[name].count)
        strategy = (
            _apply(by_name[name].strategy, fields, f"{prefix}{name}.") if fields else by_name[name].strategy
        )
        try:
            new_groups[name] = SeekerGroup(strategy, count)
        except ValueError as exc:
            raise ValueError(str(exc).replace("SeekerGroup.", f"{prefix}{name}.")) from None
    return tuple(new_groups[g.strategy.name] for g in groups)
