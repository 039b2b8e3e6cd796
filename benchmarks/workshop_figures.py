"""The figures docs/workshop.md quotes: python benchmarks/workshop_figures.py [results/workshop]

Reads a stored run of ``experiments/workshop.yaml`` and prints one JSON object per comparison
that the guide's "Three exercises" quote, so the guide can be brought up to date whenever the
model's defaults change. Each comparison sets one choice (the ``column``) to two values and
pools everything else the exercise does not touch (the other choices and both replications):

- per value: seekers, Kaplan-Meier median days to hire, share hired within the horizon, and
  mean meetings, mop-up calls and end-of-search opinion per seeker (the explorer's bars);
- matched scenarios: pairs of design points that differ only in ``column``, each scenario
  summarised by the mean days searched of the strategy's seekers (capped at the horizon, so
  a restricted mean); how many pairs the second value was sooner / later in, the mean
  difference, and the Wilcoxon signed-rank p-value over pairs (scenarios, not pooled
  seekers, are the independent units).
"""

from __future__ import annotations

import argparse
import json
import math

import pandas as pd
from scipy import stats

import sim.results
from sim.analysis import swept_columns
from sim.analysis.survival import km_median

YOURS = "population.seekers.yours."
#: The exercise-3 "polite settings" of the chosen way: push less, 1 name, the contact calls ahead.
POLITE_SETTINGS = {YOURS + "pressure": 0.1, YOURS + "names_demanded": 1, YOURS + "follow_up": "contact"}
#: (label, strategy, column, first value, second value, fixed settings), in the guide's order.
COMPARISONS = [
    ("push more", "yours", YOURS + "pressure", 0.1, 0.9, {}),
    ("call the names myself", "yours", YOURS + "follow_up", "contact", "seeker", {}),
    *[(f"24 push ({s})", s, "population.seekers.nfl.count", 8, 24, {}) for s in ("polite", "nfl", "yours")],
    *[(f"people talk ({s})", s, "contacts.gossip_rate", 0.1, 0.7, {}) for s in ("polite", "nfl", "yours")],
    ("give often", "yours", YOURS + "give_rate", 0.0, 0.7, {}),
    ("give often, polite settings", "yours", YOURS + "give_rate", 0.0, 0.7, POLITE_SETTINGS),
]


def pooled(group: pd.DataFrame) -> dict:
    """The guide's pooled figures for one group of seekers."""
    return {
        "seekers": len(group),
        "median_days": None if math.isnan(median := km_median(group)) else median,  # not reached
        "share_hired": round(float(group["hired"].mean()), 4),
        "meetings": round(float(group["meetings"].mean()), 2),
        "mop_up_calls": round(float(group["mop_up_calls"].mean()), 2),
        "opinion": round(float(group["reputation_end"].mean()), 3),
    }


def matched(seekers: pd.DataFrame, column: str, first, second) -> dict:
    """Pairs of scenarios that differ only in ``column``: where the second value was sooner."""
    swept = swept_columns(seekers)
    per_point = seekers.groupby("point_id").agg(
        days=("days_searched", "mean"), **{c: (c, "first") for c in swept}
    )
    others = [c for c in swept if c != column]
    wide = per_point.pivot_table(index=others, columns=column, values="days")
    gap = (wide[second] - wide[first]).dropna()
    return {
        "pairs": len(gap),
        "second_sooner": int((gap < 0).sum()),
        "second_later": int((gap > 0).sum()),
        "mean_gap_days": round(float(gap.mean()), 1),
        "wilcoxon_p": round(float(stats.wilcoxon(gap).pvalue), 3) if len(gap) > 1 else None,
    }


def compare(seekers: pd.DataFrame, strategy: str, column: str, values: tuple, fixed: dict) -> dict:
    """One comparison: the pooled figures for each value, and the matched-scenario count."""
    group = seekers[seekers["strategy"] == strategy]
    for name, value in fixed.items():
        group = group[group[name] == value]
    return {
        "values": {str(v): pooled(group[group[column] == v]) for v in values},
        "matched": matched(group, column, *values),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", nargs="?", default="results/workshop", help="a stored workshop run")
    args = parser.parse_args()
    seekers = sim.results.load(args.results, tables=("seekers",)).seekers
    for label, strategy, column, first, second, fixed in COMPARISONS:
        row = {"comparison": label, "strategy": strategy, "column": column, "fixed": fixed}
        print(json.dumps(row | compare(seekers, strategy, column, (first, second), fixed)))


if __name__ == "__main__":
    main()
