"""The explorer's data: a stored sweep turned into scenarios a participant can pick.

Each design point of a sweep is one scenario. The swept parameters become controls: columns
that always change together (a sweep's ``points`` moving several parameters at once) make one
control, and a control's values are numbered in order. A scenario is then named by a key, the
control indices joined by ``-`` (``"0-1-0"``), which is all the page has to match on.

Controls over a strategy's own fields (``population.seekers.<strategy>.<field>``) are the
*way of networking*; that strategy is the *chosen* one and every other strategy in the same
world is drawn as a baseline. The rest are the *world*. Everything here is precomputed from
the tables with :mod:`sim.analysis`; the page only filters.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.analysis import km_curves, swept_columns
from sim.analysis.survival import survival_summary
from sim.viz.style import colours_for, label_for

__all__ = ["Control", "Scenarios", "chosen_strategies", "control_title", "scenarios", "value_label"]

#: Plain-word titles of parameters, by dotted path (world) or strategy field (networking).
PATH_TITLES = {
    "population.busyness_mean": "How busy people are",
    "population.protectiveness_mean": "How protective people are of their contacts",
    "contacts.gossip_rate": "How much people talk about seekers",
    "contacts.mop_up_propensity": "How readily contacts make mop-up calls",
    "contacts.accept_fatigue": "How much people tire of requests",
    "graph.people": "People in the world",
    "graph.mean_degree": "Contacts per person",
    "market.opening_rate": "How often jobs open",
    "horizon_days": "Days of search",
    "warmup_days": "Days of networking before losing the job",
    "population.seekers.nfl.count": "How many people around you push the NFL way",
}
FIELD_TITLES = {
    "pressure": "How hard to push for a meeting",
    "names_demanded": "Names to ask for at each meeting",
    "follow_up": "Who calls the names",
    "give_rate": "How often to give something first",
    "introduce_rate": "How often to introduce people to each other",
    "accepts_phone_help": "Take help on the phone instead of a visit",
    "cultivation_per_week": "Keep-in-touch calls a week before losing the job",
    "daily_capacity": "Appointments a day",
}
VALUE_WORDS = {
    "seeker": "I call them myself",
    "contact": "the contact calls ahead",
    "contact_then_seeker": "the contact calls ahead, then I call",
    True: "yes",
    False: "no",
}
DEGREE_WORDS = {2: ("less", "more"), 3: ("less", "middle", "more")}
#: Reputation is drawn once a week (and on the last day): enough for a curve, a seventh of the data.
REPUTATION_EVERY = 7


@dataclass(frozen=True)
class Control:
    """One choice on the page: the swept columns it sets, its title and its value labels.

    ``strategy`` is the chosen strategy for a way-of-networking control, else None (world).
    """

    columns: tuple[str, ...]
    title: str
    labels: tuple[str, ...]
    strategy: str | None


@dataclass(frozen=True)
class Scenarios:
    """Everything the explorer draws, one row per scenario key and strategy (and day).

    Attributes:
        controls: The controls, in page order (way of networking first, then the world).
        default: The key shown first.
        curves: Kaplan-Meier steps: key, strategy, who, role, day, share_searching.
        summary: key, strategy, who, role, seekers, share_hired, median_days, meetings,
            mop_up_calls, reputation_end, sentence (the median in plain words).
        reputation: key, strategy, who, role, day, reputation (mean over runs, weekly).
        colours: Plain-word strategy label -> colour, in legend order.
        horizon: Longest search, in days.
    """

    controls: tuple[Control, ...]
    default: str
    curves: pd.DataFrame
    summary: pd.DataFrame
    reputation: pd.DataFrame
    colours: dict[str, str]
    horizon: int


def _strategy_field(column: str) -> tuple[str, str] | None:
    parts = column.split(".")
    if len(parts) == 4 and parts[:2] == ["population", "seekers"] and parts[3] != "count":
        return parts[2], parts[3]
    return None


def chosen_strategies(seekers: pd.DataFrame) -> set[str]:
    """Strategies whose own fields are swept: the way of networking a participant picks."""
    return {field[0] for field in map(_strategy_field, swept_columns(seekers)) if field}


def control_title(column: str) -> str:
    """Plain-word title of a swept column."""
    if column in PATH_TITLES:
        return PATH_TITLES[column]
    field = _strategy_field(column)
    if field:
        return FIELD_TITLES.get(field[1], field[1].replace("_", " ").capitalize())
    parts = column.split(".")
    if len(parts) == 4 and parts[:2] == ["population", "seekers"]:
        return f"{label_for(parts[2])}: seekers searching at the same time"
    return column


def value_label(value, rank: int, count: int) -> str:
    """A control value in plain words: counts as they are, other numbers with less/more."""
    if isinstance(value, (bool, np.bool_, str)):
        return VALUE_WORDS.get(value if not isinstance(value, np.bool_) else bool(value), str(value))
    number = float(value)
    if isinstance(value, (int, np.integer)):
        return f"{number:g}"
    words = DEGREE_WORDS.get(count)
    return f"{words[rank]} ({number:g})" if words else f"{number:g}"


def _sorted_values(series: pd.Series) -> list:
    values = list(dict.fromkeys(series))
    numeric = all(isinstance(v, (int, float, np.number)) and not isinstance(v, bool) for v in values)
    return sorted(values) if numeric else values


def _controls(points: pd.DataFrame, swept: list[str]) -> tuple[list[Control], pd.Series]:
    """Group columns that change together, number their values, and key every point."""
    groups: dict[tuple[int, ...], list[str]] = {}
    for column in swept:
        groups.setdefault(tuple(pd.factorize(points[column])[0]), []).append(column)
    controls, indices = [], []
    for columns in groups.values():
        lead = points[columns[0]]
        values = _sorted_values(lead)
        index = lead.map({v: i for i, v in enumerate(values)})
        labels = []
        for v in values:
            row = points[lead == v].iloc[0]
            parts = [
                value_label(row[c], _sorted_values(points[c]).index(row[c]), len(values)) for c in columns
            ]
            labels.append("; ".join(parts))
        fields = [_strategy_field(c) for c in columns]
        strategy = fields[0][0] if all(fields) and len({f[0] for f in fields}) == 1 else None
        title = " / ".join(dict.fromkeys(control_title(c) for c in columns))
        controls.append(Control(tuple(columns), title, tuple(labels), strategy))
        indices.append(index.astype(int))
    order = sorted(range(len(controls)), key=lambda i: controls[i].strategy is None)
    controls = [controls[i] for i in order]
    keys = (
        pd.concat([indices[i] for i in order], axis=1).astype(str).agg("-".join, axis=1)
        if controls
        else pd.Series("0", index=points.index)
    )
    return controls, keys


def _label(frame: pd.DataFrame, keys: pd.Series, chosen: set[str]) -> pd.DataFrame:
    """Add the scenario key, the strategy's plain name and its role (chosen or baseline)."""
    frame = frame.assign(key=frame["point_id"].map(keys))
    return frame.assign(
        who=frame["strategy"].map(label_for),
        role=np.where(frame["strategy"].isin(chosen), "your choice", "baseline"),
    )


def _median_sentence(row) -> str:
    if np.isnan(row.median_days):
        return f"{row.who}: fewer than half hired ({row.share_hired:.0%} in all)"
    return f"{row.who}: half hired by day {row.median_days:.0f} ({row.share_hired:.0%} in all)"


def _to_horizon(curves: pd.DataFrame, horizon: int) -> pd.DataFrame:
    """Carry each curve's last share on to the horizon, so a curve with no hire is a line."""
    ends = curves.groupby("strategy", sort=False).tail(1).assign(day=float(horizon))
    return pd.concat([curves, ends], ignore_index=True).sort_values(["strategy", "day"], kind="stable")


def scenarios(seekers: pd.DataFrame, daily: pd.DataFrame) -> Scenarios:
    """Precompute every scenario of a stored experiment for the explorer.

    Args:
        seekers: The seekers table (all runs, all design points).
        daily: The daily table of the same runs.
    """
    swept = swept_columns(seekers)
    points = seekers.drop_duplicates("point_id").set_index("point_id").sort_index()
    controls, keys = _controls(points, swept)
    chosen = {c.strategy for c in controls if c.strategy}
    horizon = int(seekers["days_searched"].max())
    curves = pd.concat(
        [
            _to_horizon(km_curves(group), horizon).assign(point_id=pid)
            for pid, group in seekers.groupby("point_id")
        ],
        ignore_index=True,
    )
    summary = survival_summary(seekers, by=("point_id", "strategy"))
    means = seekers.groupby(["point_id", "strategy"], sort=False)[
        ["meetings", "mop_up_calls", "reputation_end"]
    ]
    summary = summary.merge(means.mean().reset_index(), on=["point_id", "strategy"])
    summary = _label(summary, keys, chosen)
    summary["sentence"] = [_median_sentence(r) for r in summary.itertuples()]
    weekly = daily[(daily["day"] % REPUTATION_EVERY == 0) | (daily["day"] == daily["day"].max())]
    reputation = (
        weekly.groupby(["point_id", "strategy", "day"], sort=False)["mean_reputation"]
        .mean()
        .reset_index(name="reputation")
    )
    labels = {label_for(s): c for s, c in colours_for(seekers["strategy"]).items()}
    return Scenarios(
        controls=tuple(controls),
        default=str(keys.iloc[0]),
        curves=_label(curves, keys, chosen)[["key", "who", "role", "day", "share_searching"]],
        summary=summary.drop(columns=["point_id"]),
        reputation=_label(reputation, keys, chosen)[["key", "who", "role", "day", "reputation"]],
        colours=labels,
        horizon=horizon,
    )
