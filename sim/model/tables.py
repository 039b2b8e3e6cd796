"""Output tables of one run, as flat records that drop into pandas (docs/tables.md).

``seekers``: one row per seeker; ``runs``: one row per strategy; ``daily``: one row per day
per strategy; ``events``: the optional event log; ``ego``: one row per seeker and own contact
at job loss, with the event log. Every row carries the run id, design point,
replication and seed; ``runs`` also carries every model parameter as a dotted column.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sim.model.model import NetworkingModel
from sim.model.params import ModelParams
from sim.model.records import DAILY_COLUMNS, OwnContacts
from sim.model.state.world import People

__all__ = ["EGO_COLUMNS", "RunTables", "ego_frame", "flatten_params", "tables_of"]

SEEKER_COUNTERS = ("calls", "meetings", "phone_help", "refusals", "names_gained", "mop_up_calls")
EXTRA_COUNTERS = (
    "interviews", "offers", "leads", "gives", "introductions",
    "applications", "network_applications", "network_interviews", "network_offers",
)  # fmt: skip
#: The ego table's own columns (after the run's key) and their dtypes (docs/tables.md).
EGO_COLUMNS = {
    "seeker_id": "int64",
    "contact": "int64",
    "tie_strength": "float64",
    "tie_mutual": "int64",
    "contact_level": "int64",
    "contact_is_manager": "bool",
    "called": "bool",
    "helped": "bool",
    "names_given": "int64",
    "leads_given": "int64",
    "hired_through": "bool",
    "led_to_hire": "bool",
}


@dataclass(frozen=True)
class RunTables:
    """The tables of one run."""

    seekers: pd.DataFrame
    runs: pd.DataFrame
    daily: pd.DataFrame
    events: pd.DataFrame | None
    ego: pd.DataFrame | None = None


@dataclass(frozen=True)
class RunKey:
    """Where a run sits in an experiment."""

    run_id: str
    point_id: int
    replication: int
    seed: int


def flatten_params(params: ModelParams) -> dict[str, Any]:
    """Every parameter as ``{"dotted.path": scalar}``; seeker groups as
    ``population.seekers.<strategy>.count`` and ``...<strategy>.<field>``."""
    flat: dict[str, Any] = {}
    _flatten(params, "", flat)
    return flat


def _flatten(obj: Any, prefix: str, out: dict[str, Any]) -> None:
    for field in dataclasses.fields(obj):
        value = getattr(obj, field.name)
        path = f"{prefix}{field.name}"
        if field.name == "seekers":
            for group in value:
                base = f"{path}.{group.strategy.name}"
                out[f"{base}.count"] = group.count
                _flatten(group.strategy, base + ".", out)
                out.pop(f"{base}.name", None)
        elif dataclasses.is_dataclass(value):
            _flatten(value, path + ".", out)
        elif isinstance(value, tuple):
            out[path] = ",".join(str(v) for v in value)
        else:
            out[path] = value


def tables_of(model: NetworkingModel, key: RunKey, point: Mapping[str, Any] | None = None) -> RunTables:
    """Build the tables of a finished (or partly run) model."""
    point = point or {}
    seekers = _seeker_table(model, key, point)
    events = ego = None
    if model.events.enabled:
        log = model.events.frame()
        ego = _with_key(ego_frame(model.own_at_loss, model.people, log), key, point)
        events = _with_key(log, key, point)
    return RunTables(
        seekers=seekers,
        runs=_run_table(model, key, seekers),
        daily=_with_key(_daily_table(model), key, point),
        events=events,
        ego=ego,
    )


def ego_frame(own: list[OwnContacts], people: People, events: pd.DataFrame) -> pd.DataFrame:
    """One row per seeker and own contact at job loss: the tie as it was then, and what came
    of it, counted from the event log (docs/tables.md, ``ego``).

    Args:
        own: Each seeker's own contacts at job loss (``NetworkingModel.own_at_loss``).
        people: Who everyone is (level, hiring manager).
        events: The run's event log (:meth:`sim.model.records.EventLog.frame`).
    """
    contacts = np.concatenate([o.contacts for o in own]).astype(np.int64) if own else np.zeros(0, np.int64)
    seeker_ids = np.repeat([o.seeker_id for o in own], [o.contacts.size for o in own]).astype(np.int64)
    pairs = pd.MultiIndex.from_arrays([seeker_ids, contacts])
    frame = pd.DataFrame(
        {
            "seeker_id": seeker_ids,
            "contact": contacts,
            "tie_strength": np.concatenate([o.strengths for o in own]) if own else np.zeros(0),
            "tie_mutual": np.concatenate([o.mutual for o in own]) if own else np.zeros(0, np.int64),
            "contact_level": people.level[contacts],
            "contact_is_manager": people.is_hiring_manager[contacts],
            "called": _count(events, pairs, ("call",), "target") > 0,
            "helped": _count(events, pairs, ("meeting", "phone_help"), "target") > 0,
            "names_given": _count(events, pairs, ("referral",), "source"),
            "leads_given": _count(events, pairs, ("lead",), "source"),
            "hired_through": _count(events, pairs, ("hire",), "source", outcome="network") > 0,
            "led_to_hire": pairs.isin(_chain_starts(events, own)),
        }
    )
    return frame.astype(EGO_COLUMNS)


def _chain_starts(events: pd.DataFrame, own: list[OwnContacts]) -> list[tuple[int, int]]:
    """(seeker, own contact) for each network hire that traces back to an own contact: the
    informant herself, or the start of the chain of names that brought the informant to the
    seeker, each person in it named by the one before (the first ``referral`` of her that was
    followed up: the one that put her on the seeker's list)."""
    kind = events["kind"]
    named = events[(kind == "referral") & (events["outcome"] != "dropped").fillna(True)]
    named = named.drop_duplicates(["seeker_id", "target"])
    referrer = dict(zip(zip(named["seeker_id"], named["target"], strict=True), named["source"], strict=True))
    hires = events[
        (kind == "hire") & (events["outcome"] == "network").fillna(False) & events["source"].notna()
    ]
    own_sets = {o.seeker_id: set(o.contacts.tolist()) for o in own}
    starts = []
    for seeker, person in zip(hires["seeker_id"].tolist(), hires["source"].tolist(), strict=True):
        mine, seen = own_sets.get(seeker, set()), set()
        while person is not None and person not in mine and person not in seen:
            seen.add(person)
            person = referrer.get((seeker, person))
        if person in mine:
            starts.append((seeker, person))
    return starts


def _count(
    events: pd.DataFrame,
    pairs: pd.MultiIndex,
    kinds: tuple[str, ...],
    person: str,
    outcome: str | None = None,
) -> np.ndarray:
    """How many events of ``kinds`` (with ``outcome``, if given) each (seeker, person) pair
    of ``pairs`` has, ``person`` being the events' ``source`` or ``target`` column."""
    chosen = events["kind"].isin(kinds).to_numpy()
    if outcome is not None:
        chosen = chosen & (events["outcome"] == outcome).fillna(False).to_numpy(dtype=bool)
    rows = events.loc[chosen & events[person].notna().to_numpy(), ["seeker_id", person]]
    counts = rows.groupby(["seeker_id", person]).size()
    return counts.reindex(pairs, fill_value=0).to_numpy(dtype=np.int64)


def _with_key(df: pd.DataFrame, key: RunKey, point: Mapping[str, Any]) -> pd.DataFrame:
    """Put the run's key columns first and the design point's parameters last."""
    for position, (name, value) in enumerate(_key_columns(key).items()):
        df.insert(position, name, value)
    for name, value in point.items():
        df[name] = _cell(value)
    return df


def _cell(value: Any) -> Any:
    """A design point's value as one table cell: lists and tuples become text."""
    return ",".join(str(v) for v in value) if isinstance(value, (list, tuple)) else value


def _key_columns(key: RunKey) -> dict[str, Any]:
    return {"run_id": key.run_id, "point_id": key.point_id, "replication": key.replication, "seed": key.seed}


def _seeker_table(model: NetworkingModel, key: RunKey, point: Mapping[str, Any]) -> pd.DataFrame:
    horizon = model.params.horizon_days
    reputation = model.book.reputation()
    rows = []
    for s in model.seekers:
        rec, hire = s.record, s.record.hire
        row = {
            **_key_columns(key),
            "strategy": s.strategy.name,
            "seeker_id": s.index,
            "person": s.person,
            "industry": int(model.people.industry[s.person]),
            "level": int(model.people.level[s.person]),
            "quality": s.quality,
            "hired": hire is not None,
            "job_loss_day": int(model.loss_day[s.index]),
            "day_hired": hire.day if hire else None,
            "days_searched": hire.day - int(model.loss_day[s.index]) if hire else horizon,
            **{c: getattr(rec, c) for c in SEEKER_COUNTERS},
            "reputation_end": float(reputation[s.index]),
            "hire_channel": hire.channel if hire else None,
            "hire_hops": hire.hops if hire else None,
            "hire_tie_strength": hire.tie_strength if hire else None,
            "hire_tie_mutual": hire.tie_mutual if hire else None,
            "hire_own_contact": hire.own_contact if hire else None,
            "hire_info_hops": hire.info_hops if hire else None,
            **{c: getattr(rec, c) for c in EXTRA_COUNTERS},
        }
        rows.append(row)
    df = pd.DataFrame(rows)
    for name, value in point.items():
        df[name] = _cell(value)
    return df.astype(
        {
            "day_hired": "Int64",
            "hire_channel": "string",
            "hire_hops": "Int64",
            "hire_tie_strength": "Float64",
            "hire_tie_mutual": "Int64",
            "hire_own_contact": "boolean",
            "hire_info_hops": "Int64",
            "strategy": "string",
        }
    )


def _run_table(model: NetworkingModel, key: RunKey, seekers: pd.DataFrame) -> pd.DataFrame:
    flat = flatten_params(model.params)
    rows = []
    for name in model.strategy_names:
        group = seekers[seekers["strategy"] == name]
        hired = group["hired"].to_numpy(dtype=bool)
        row = {
            **_key_columns(key),
            "strategy": name,
            "seekers": len(group),
            "share_hired": float(hired.mean()) if len(group) else np.nan,
            "median_days_to_hire": _median_days(group["days_searched"].to_numpy(), hired),
            "share_hired_through_network": float((group["hire_channel"] == "network").fillna(False).mean())
            if len(group)
            else np.nan,
            **{f"mean_{c}": float(group[c].mean()) if len(group) else np.nan for c in SEEKER_COUNTERS},
            "mean_reputation_end": float(group["reputation_end"].mean()) if len(group) else np.nan,
            "openings": len(model.market.openings),
            **flat,
        }
        rows.append(row)
    return pd.DataFrame(rows)


def _median_days(days: np.ndarray, hired: np.ndarray) -> float:
    """Kaplan-Meier median time to hire: the first day by which at least half were hired.

    All censoring is at the horizon, so the survival curve before it is the empirical one.
    NaN means "not reached": fewer than half were hired by the horizon.
    """
    n = len(days)
    hired_days = np.sort(days[hired])
    needed = int(np.ceil(0.5 * n))
    if n == 0 or hired_days.size < needed:
        return float("nan")
    return float(hired_days[needed - 1])


def _daily_table(model: NetworkingModel) -> pd.DataFrame:
    df = pd.DataFrame(model.daily_rows, columns=list(DAILY_COLUMNS[1:]))
    return df.astype({"day": "int64", "strategy": "string"})
