"""Output tables of one run, as flat records that drop into pandas (docs/tables.md).

``seekers``: one row per seeker; ``runs``: one row per strategy; ``daily``: one row per day
per strategy; ``events``: the optional event log. Every row carries the run id, design point,
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
from sim.model.records import DAILY_COLUMNS

__all__ = ["RunTables", "flatten_params", "tables_of"]

SEEKER_COUNTERS = ("calls", "meetings", "phone_help", "refusals", "names_gained", "mop_up_calls")
EXTRA_COUNTERS = ("interviews", "offers", "leads", "gives", "introductions")


@dataclass(frozen=True)
class RunTables:
    """The tables of one run."""

    seekers: pd.DataFrame
    runs: pd.DataFrame
    daily: pd.DataFrame
    events: pd.DataFrame | None


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
    events = _with_key(model.events.frame(), key, point) if model.events.enabled else None
    return RunTables(
        seekers=seekers,
        runs=_run_table(model, key, seekers),
        daily=_with_key(_daily_table(model), key, point),
        events=events,
    )


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
            "day_hired": hire.day if hire else None,
            "days_searched": hire.day if hire else horizon,
            **{c: getattr(rec, c) for c in SEEKER_COUNTERS},
            "reputation_end": float(reputation[s.index]),
            "hire_channel": hire.channel if hire else None,
            "hire_hops": hire.hops if hire else None,
            "hire_tie_strength": hire.tie_strength if hire else None,
            "hire_tie_mutual": hire.tie_mutual if hire else None,
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
