"""The default world against the public figures: the numbers of docs/model.md §1.1.

Reads a stored run of the flagship with the event log on, for example

    sim run experiments/aggressive_vs_polite.yaml --set outputs.events=true --out /tmp/flagship
    python benchmarks/public_figures.py /tmp/flagship

and prints each figure as the median over worlds (runs, the independent unit) with the range
of the middle 95% of worlds, or pooled over all worlds where a figure needs more hires than
one world holds (said so on its line). Why a script: §1.1 is the model's check against
published facts, so its numbers must be reproducible from a stored run, not typed by hand.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

import numpy as np
import pandas as pd

from sim.analysis.outputs import parse_output, run_outputs
from sim.analysis.survival import hazard_by_period, km_median
from sim.model import TIER_STRENGTHS
from sim.results import load

UNFAMILIAR, FAMILIAR, INTIMATE, _ = TIER_STRENGTHS
#: Tie strengths that separate the tiers at the hire: the midpoints between the tiers'
#: strengths, as decay and wear move strengths during the search.
STRONG_ABOVE, WEAK_AT_MOST = (FAMILIAR + INTIMATE) / 2, (UNFAMILIAR + FAMILIAR) / 2
#: In the ego table, at job loss and without warm-up, strengths are the tiers' own: strong is
#: intimate or meaningful, weak is unfamiliar (issue 14's check, tests/test_ego.py).
EGO_STRONG_AT_LEAST, EGO_WEAK_AT_MOST = INTIMATE, UNFAMILIAR
#: Periods of the life table, in days.
PERIOD = 60
#: Granovetter's (1974) tie bins are frequencies of contact; these are the ego table's strength
#: bins for Gee, Jones & Burke's (2017) per-tie comparison.
GEE_BINS = (0.0, 0.2, 0.5, 0.75, 1.0)
OUTPUTS = (
    "median_days", "long_share", "stock_mean_over_median", "network_share", "own_contact_share",
    "network_interview_rate", "other_interview_rate", "referred_interview_ratio",
    "network_offer_rate", "other_offer_rate", "referred_offer_ratio",
)  # fmt: skip


def spread(values: pd.Series, percent: bool = False) -> str:
    """Median over worlds and the middle 95% of worlds (NaN worlds left out)."""
    finite = values.dropna().to_numpy(float)
    if finite.size == 0:
        return "n/a (undefined in every world)"
    low, mid, high = np.quantile(finite, [0.025, 0.5, 0.975])
    scale, unit = (100, "%") if percent else (1, "")
    return f"{mid * scale:.3g}{unit} [{low * scale:.3g}{unit}, {high * scale:.3g}{unit}] over {len(finite)} worlds"


def per_world(seekers: pd.DataFrame, rule: Callable[[pd.DataFrame], float]) -> pd.Series:
    """One value per run."""
    return pd.Series({run: rule(group) for run, group in seekers.groupby("run_id", sort=True)}, dtype=float)


def network_hires(seekers: pd.DataFrame) -> pd.DataFrame:
    """The seekers hired through a person."""
    return seekers[seekers["hired"] & (seekers["hire_channel"] == "network")]


def chain_shares(seekers: pd.DataFrame) -> dict[str, pd.Series]:
    """Per world, shares of network hires by the length of two chains.

    Granovetter's (1974) information chain (``hire_info_hops``): 0 when the hiring manager
    told the seeker herself, 1 when the informant had the news from the manager. The chain
    of names and the lead (``hire_hops``): everyone between the seeker and the manager,
    counting those who passed her on by name before she met the informant.
    """
    hires = network_hires(seekers)
    if "hire_info_hops" not in hires:  # stored before the column existed: undefined
        hires = hires.assign(hire_info_hops=np.nan)
    return {
        "told by the manager herself (hire_info_hops 0)": per_world(
            hires,
            lambda g: (
                float((g["hire_info_hops"] == 0).mean()) if g["hire_info_hops"].notna().all() else np.nan
            ),
        ),
        "two or more people between, names included (hire_hops >= 2)": per_world(
            hires, lambda g: float((g["hire_hops"] >= 2).mean())
        ),
    }


def tiers_at_hire(seekers: pd.DataFrame) -> str:
    """Pooled: the tie between the seeker and her informant at the hire, by tier."""
    strength = network_hires(seekers)["hire_tie_strength"].astype(float)
    strong = (strength > STRONG_ABOVE).mean()
    weak = (strength <= WEAK_AT_MOST).mean()
    return (f"strong {strong:.0%}, familiar {1 - strong - weak:.0%}, weak or none {weak:.0%} "
            f"(pooled, {len(strength)} network hires)")  # fmt: skip


def hazards(seekers: pd.DataFrame) -> str:
    """Hires per seeker still searching, per 60 days (a shorter last period scaled to 60):
    the median over worlds by period, and in how many worlds the chance fell from days 1-120
    to days 121-240 (worlds whose searches all ended by day 120 left out)."""
    table = hazard_by_period(seekers, width=PERIOD)
    table = table.assign(per_period=table["hazard"] * PERIOD / (table["end"] - table["start"]))
    periods = table.groupby("start").agg(end=("end", "max"), middle=("per_period", "median"))
    text = ", ".join(
        f"days {start + 1}-{int(row.end)}: {row.middle:.2f}" for start, row in periods.iterrows()
    )
    wide = table.pivot(index="run_id", columns="start", values="hazard").reindex(columns=[0, 60, 120, 180])
    early, late = wide[[0, 60]].mean(axis=1), wide[[120, 180]].mean(axis=1)
    both = early.notna() & late.notna()
    return f"{text}; lower in days 121-240 than in days 1-120 in {int((late < early)[both].sum())} of {int(both.sum())} worlds"


def ego_figures(ego: pd.DataFrame) -> list[tuple[str, str]]:
    """Embeddedness, degrees and Gee et al.'s per-tie comparison, from the ego table."""
    strong = ego[ego["tie_strength"] >= EGO_STRONG_AT_LEAST]["tie_mutual"].mean()
    weak = ego[ego["tie_strength"] <= EGO_WEAK_AT_MOST]["tie_mutual"].mean()
    degree = ego.groupby(["run_id", "seeker_id"]).size()
    bins = pd.cut(ego["tie_strength"], GEE_BINS, include_lowest=True)
    carried = ego.groupby(bins, observed=False)["hired_through"].mean()
    per_tie = ", ".join(f"{b}: {m:.2%}" for b, m in carried.items())
    weak_total = int(ego[ego["tie_strength"] <= 0.5]["hired_through"].sum())
    return [
        ("mutual contacts, strong ties over weak (pooled)", f"{strong / weak:.2f}x"),
        ("coefficient of variation of seekers' degree (pooled)", f"{degree.std(ddof=0) / degree.mean():.2f}"),
        ("own contacts that carried the hire, by strength (pooled)", per_tie),
        (
            "own-contact hires through ties of strength <= 0.5",
            f"{weak_total} of {int(ego['hired_through'].sum())}",
        ),
    ]


def days(median: float, horizon: float) -> str:
    """A Kaplan-Meier median in days, or that it was not reached."""
    return f"not reached by day {horizon:.0f}" if np.isnan(median) else f"{median:.0f} days"


def per_strategy(seekers: pd.DataFrame, base: str, horizon: float) -> pd.DataFrame:
    """One row per run, one column per strategy: the output ``base.STRATEGY``."""
    strategies = list(seekers["strategy"].unique())
    names = [parse_output(f"{base}.{s}", strategies) for s in strategies]
    return run_outputs(seekers, names, horizon)[[n.text for n in names]].set_axis(strategies, axis=1)


def strategy_lines(seekers: pd.DataFrame, horizon: float) -> list[tuple[str, str]]:
    """Kaplan-Meier median over all worlds and share hired, per strategy; and the median over
    worlds of each world's median, capped at the horizon where fewer than half were hired (the
    output ``median_days``), so that slow worlds are not left out."""
    world_medians = per_strategy(seekers, "median_days", horizon)
    lines = []
    for strategy, group in seekers.groupby("strategy", sort=False):
        lines.append((f"{strategy}: KM median over all worlds; share hired; median over worlds",
                      f"{days(km_median(group), horizon)}; {group['hired'].mean():.0%}; {spread(world_medians[strategy])}"))  # fmt: skip
    return lines


def figures(folder: str) -> list[tuple[str, str]]:
    """Every line of the table, as (figure, value)."""
    results = load(folder, tables=("seekers", "ego"))
    seekers = results.seekers
    horizon = float(results.config["horizon_days"])
    strategies = list(seekers["strategy"].unique())
    outputs = run_outputs(seekers, [parse_output(n, strategies) for n in OUTPUTS], horizon)
    lines = [(name, spread(outputs[name], percent=name.endswith(("share", "rate")))) for name in OUTPUTS]
    lines.append(("Kaplan-Meier median over all worlds", days(km_median(seekers), horizon)))
    lines += [(f"network hires {k}", spread(v, percent=True)) for k, v in chain_shares(seekers).items()]
    lines.append(("tie at the hire", tiers_at_hire(seekers)))
    lines.append(("hazard per 60 days", hazards(seekers)))
    meetings = per_strategy(seekers, "meetings", horizon).max(axis=1)
    lines.append(("meetings per seeker, the busiest strategy", spread(meetings)))
    lines += strategy_lines(seekers, horizon)
    if results.ego is not None:
        lines += ego_figures(results.ego)
    return lines


def main() -> None:
    """Print the figures of a stored flagship run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", help="a stored run of the flagship, with outputs.events on")
    for name, value in figures(parser.parse_args().folder):
        print(f"{name:<62} {value}")


if __name__ == "__main__":
    main()
