"""What a run records: per-seeker counters, the optional event log, daily series.

The column names are a contract (docs/tables.md): analyses and users depend on them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "DAILY_COLUMNS",
    "EVENT_COLUMNS",
    "EVENT_KINDS",
    "EventLog",
    "HireRecord",
    "OwnContacts",
    "SeekerRecord",
]

EVENT_KINDS = (
    "call", "meeting", "phone_help", "refusal", "referral", "lead", "give",
    "introduction", "mop_up", "application", "interview", "offer", "hire",
)  # fmt: skip
EVENT_COLUMNS = (
    "run_id", "day", "kind", "seeker_id", "source", "target", "tie_strength",
    "tie_mutual", "hop", "warm", "outcome", "endorsement",
)  # fmt: skip
DAILY_COLUMNS = ("run_id", "day", "strategy", "share_hired", "mean_reputation", "mean_fatigue")


@dataclass
class HireRecord:
    """How a seeker was hired."""

    day: int
    channel: str
    hops: int | None
    tie_strength: float | None
    tie_mutual: int | None
    opening: int
    #: The informant was one of her own contacts at job loss (Granovetter's "personal
    #: contact": someone known apart from the search); None for the ``other`` channel.
    own_contact: bool | None = None
    #: Intermediaries on Granovetter's (1974) information chain, between the seeker and the
    #: manager along the path the news of the opening took: 0 when the manager told her
    #: herself, 1 when the informant had it from the manager (news of an opening passes one
    #: step in this model); None for the ``other`` channel. The chain of names that brought
    #: the seeker to the informant is not part of it (that is ``hops``).
    info_hops: int | None = None


@dataclass
class SeekerRecord:
    """Counters of one seeker's search (MODEL-BRIEF "Outputs a researcher needs")."""

    calls: int = 0
    meetings: int = 0
    phone_help: int = 0
    refusals: int = 0
    names_gained: int = 0
    mop_up_calls: int = 0
    interviews: int = 0
    offers: int = 0
    applications: int = 0
    network_applications: int = 0
    network_interviews: int = 0
    network_offers: int = 0
    leads: int = 0
    gives: int = 0
    introductions: int = 0
    hire: HireRecord | None = None


@dataclass(frozen=True)
class OwnContacts:
    """A seeker's own contacts as she listed them at job loss, with each tie as it was then:
    the rows of the ego table (:func:`sim.model.tables.ego_frame`). Kept only with the event
    log on, once per seeker, so a run without the log pays nothing for it.

    Attributes:
        seeker_id: The seeker.
        contacts: Her contacts, in the order she listed them.
        strengths: The strength of each tie that day.
        mutual: The contacts she and each of them shared that day.
    """

    seeker_id: int
    contacts: np.ndarray
    strengths: np.ndarray
    mutual: np.ndarray


class EventLog:
    """Append-only event rows; a disabled log costs one attribute check per event."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.rows: list[tuple] = []

    def add(
        self,
        day: int,
        kind: str,
        seeker_id: int,
        source: int | None,
        target: int | None,
        *,
        tie_strength: float | None = None,
        tie_mutual: int | None = None,
        hop: int | None = None,
        warm: bool | None = None,
        outcome: str | None = None,
        endorsement: float | None = None,
    ) -> None:
        """Record one event (see EVENT_COLUMNS)."""
        self.rows.append(
            (day, kind, seeker_id, source, target, tie_strength, tie_mutual, hop, warm, outcome, endorsement)
        )

    def frame(self) -> pd.DataFrame:
        """The log as a DataFrame with the contract's columns (less ``run_id``) and dtypes."""
        df = pd.DataFrame(self.rows, columns=list(EVENT_COLUMNS[1:]))
        return df.astype(
            {
                "day": "int64",
                "kind": "string",
                "seeker_id": "int64",
                "source": "Int64",
                "target": "Int64",
                "tie_strength": "float64",
                "tie_mutual": "Int64",
                "hop": "Int64",
                "warm": "boolean",
                "outcome": "string",
                "endorsement": "float64",
            }
        )


def mean_by_group(values: np.ndarray, groups: np.ndarray, n_groups: int) -> np.ndarray:
    """Mean of ``values`` within each group id (NaN for an empty group)."""
    counts = np.bincount(groups, minlength=n_groups)
    sums = np.bincount(groups, weights=values, minlength=n_groups)
    return np.divide(sums, counts, out=np.full(n_groups, np.nan), where=counts > 0)
