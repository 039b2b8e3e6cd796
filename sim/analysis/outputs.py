"""Named scalar outputs of runs, for sensitivity analysis and calibration.

A sensitivity index or a calibration target needs one number per run, under a name a
researcher can write in an experiment file:

- ``share_hired``: share of seekers hired by the horizon;
- ``mean_days``: restricted mean days to hire up to the horizon (the area under the
  Kaplan-Meier curve; a seeker not hired counts the whole horizon), so it is never NaN;
- ``median_days``: Kaplan-Meier median days to hire, *capped at the horizon* when fewer than
  half were hired (so it is defined in every run; a value equal to the horizon means "not
  reached");
- ``network_share``: share of the hires that came through the network (NaN without a hire);
- ``own_contact_share``: share of the hires that came through one of the seeker's own
  contacts at job loss, Granovetter's (1974) "personal contacts": people known apart from
  the search (NaN without a hire, or for tables stored before the ``hire_own_contact``
  column existed);
- ``meetings``, ``mop_ups``: meetings held and mop-up calls triggered, per seeker;
- ``long_share``: share of seekers still searching after 27 weeks (189 days; the CPS's
  long-term unemployed, counted as not hired by then);
- ``stock_mean_over_median``: the mean over the median elapsed search of the stock of seekers
  that a steady flow of such cohorts would keep searching (:func:`~sim.analysis.stock_spells`),
  comparable with a labour-force survey's mean and median spell (CPS: about 2.2); 1.44 for a
  constant chance of a hire, more when the chance falls as the search goes on;
- ``network_interview_rate``, ``other_interview_rate``: interviews per application through
  the network and through other channels (Fernandez & Weinberg 1997's funnel);
- ``network_offer_rate``, ``other_offer_rate``: offers per application, by channel;
- ``referred_interview_ratio``, ``referred_offer_ratio``: the network's rate over the other
  channels' rate, at the interview and at the offer (the referral advantage; NaN when either
  rate is undefined or the other channels' rate is 0).

Each also comes per strategy as ``NAME.STRATEGY`` (e.g. ``mean_days.polite``), and
``gap.A-B`` is ``mean_days.A - mean_days.B`` (negative: A is hired sooner). A run is one
value; design points average their replications, and :func:`replication_noise` says how much
of the spread between design points is left over from replication noise.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from sim.analysis.survival import km_median, rmst, stock_spells

__all__ = [
    "BASES",
    "OutputName",
    "default_outputs",
    "parse_output",
    "point_outputs",
    "replication_noise",
    "run_outputs",
]

#: The per-run quantities that output names are built from.
BASES = (
    "share_hired", "mean_days", "median_days", "network_share", "own_contact_share", "meetings", "mop_ups",
    "long_share", "stock_mean_over_median",
    "network_interview_rate", "other_interview_rate", "network_offer_rate", "other_offer_rate",
    "referred_interview_ratio", "referred_offer_ratio",
)  # fmt: skip
#: Days after which a search counts as long-term (the CPS's 27 weeks).
LONG_SEARCH_DAYS = 27 * 7
RUN_KEYS = ("run_id", "point_id", "replication")


@dataclass(frozen=True)
class OutputName:
    """A parsed output name: ``base`` over one ``strategy`` (None: all seekers), or a gap
    in mean days between ``strategy`` and ``versus``."""

    text: str
    base: str
    strategy: str | None = None
    versus: str | None = None


def parse_output(text: str, strategies: Sequence[str]) -> OutputName:
    """Read an output name against the experiment's strategies.

    Raises:
        ValueError: an unknown base, strategy or gap (the message lists what is valid).
    """
    if text.startswith("gap."):
        pair = text.removeprefix("gap.")
        # strategy names may hold '-': take the one split whose both sides are strategies
        splits = [
            (pair[:i], pair[i + 1 :]) for i, c in enumerate(pair) if c == "-" and pair[:i] in strategies
        ]
        splits = [(a, b) for a, b in splits if b in strategies and a != b]
        if len(splits) != 1:
            raise ValueError(
                f"output {text!r}: expected gap.A-B with two different strategies of this experiment {list(strategies)}"
            )
        return OutputName(text, "gap", *splits[0])
    base, _, strategy = text.partition(".")
    if base not in BASES:
        raise ValueError(f"output {text!r}: unknown; expected one of {list(BASES)}, NAME.STRATEGY or gap.A-B")
    if strategy and strategy not in strategies:
        raise ValueError(f"output {text!r}: no strategy {strategy!r} in this experiment {list(strategies)}")
    return OutputName(text, base, strategy or None)


def default_outputs(strategies: Sequence[str]) -> list[str]:
    """Every base over all seekers, mean days of each strategy, and the gap between the
    first two strategies (when there are two)."""
    names = [*BASES, *(f"mean_days.{s}" for s in strategies)]
    if len(strategies) >= 2:
        names.append(f"gap.{strategies[0]}-{strategies[1]}")
    return names


def _base_value(seekers: pd.DataFrame, base: str, horizon: float) -> float:
    if len(seekers) == 0:
        return math.nan
    if base == "share_hired":
        return float(seekers["hired"].mean())
    if base == "mean_days":
        return rmst(seekers, horizon)
    if base == "median_days":
        median = km_median(seekers)
        return horizon if math.isnan(median) else min(median, horizon)
    if base == "network_share":
        hired = seekers["hired"].to_numpy(bool)
        return (
            float((seekers["hire_channel"].to_numpy()[hired] == "network").mean())
            if hired.any()
            else math.nan
        )
    if base == "own_contact_share":
        return _own_contact_share(seekers)
    if base == "long_share":
        return float(
            (~seekers["hired"].to_numpy(bool) | (seekers["days_searched"] > LONG_SEARCH_DAYS)).mean()
        )
    if base == "stock_mean_over_median":
        mean, median = stock_spells(seekers, horizon)
        return mean / median
    if base.endswith("_rate"):
        return _funnel_rate(seekers, base)
    if base.endswith("_ratio"):
        stage = base.split("_")[1]
        return _ratio(
            _funnel_rate(seekers, f"network_{stage}_rate"), _funnel_rate(seekers, f"other_{stage}_rate")
        )
    column = {"meetings": "meetings", "mop_ups": "mop_up_calls"}[base]
    return float(seekers[column].mean())


def _own_contact_share(seekers: pd.DataFrame) -> float:
    """Hires through an own contact at job loss over all hires (NaN without a hire, or when
    the table predates the ``hire_own_contact`` column)."""
    hired = seekers["hired"].to_numpy(bool)
    if not hired.any() or "hire_own_contact" not in seekers:
        return math.nan
    return float(seekers["hire_own_contact"].fillna(False).to_numpy(bool)[hired].mean())


def _ratio(numerator: float, denominator: float) -> float:
    """``numerator / denominator``, NaN when either is undefined or the denominator is 0."""
    if math.isnan(numerator) or math.isnan(denominator) or denominator == 0:
        return math.nan
    return numerator / denominator


def _funnel_rate(seekers: pd.DataFrame, base: str) -> float:
    """Interviews or offers per application through one channel, over the group's seekers
    (NaN without an application through it)."""
    channel, stage, _ = base.split("_")
    stage = f"{stage}s"
    if channel == "network":
        done, applied = seekers[f"network_{stage}"].sum(), seekers["network_applications"].sum()
    else:
        done = seekers[stage].sum() - seekers[f"network_{stage}"].sum()
        applied = seekers["applications"].sum() - seekers["network_applications"].sum()
    return float(done / applied) if applied > 0 else math.nan


def _run_row(run: pd.DataFrame, names: Sequence[OutputName], horizon: float) -> dict[str, float]:
    by_strategy = dict(tuple(run.groupby("strategy", sort=False)))
    cache: dict[tuple[str, str | None], float] = {}

    def value(base: str, strategy: str | None) -> float:
        if (base, strategy) not in cache:
            group = run if strategy is None else by_strategy.get(strategy, run.iloc[:0])
            cache[base, strategy] = _base_value(group, base, horizon)
        return cache[base, strategy]

    row = {}
    for name in names:
        if name.base == "gap":
            row[name.text] = value("mean_days", name.strategy) - value("mean_days", name.versus)
        else:
            row[name.text] = value(name.base, name.strategy)
    return row


def run_outputs(
    seekers: pd.DataFrame, names: Sequence[OutputName], horizon: float | Mapping[int, float]
) -> pd.DataFrame:
    """One row per run: ``run_id``, ``point_id``, ``replication``, then one column per output.

    Args:
        seekers: The seekers table of any number of runs.
        names: Parsed output names (:func:`parse_output`).
        horizon: The search horizon in days (restricted means and capped medians stop
            here), or one per design point (``{point_id: days}``) when it varies.
    """
    rows = []
    for key, run in seekers.groupby(list(RUN_KEYS), sort=True):
        days = horizon[key[1]] if isinstance(horizon, Mapping) else horizon
        rows.append({**dict(zip(RUN_KEYS, key, strict=True)), **_run_row(run, names, float(days))})
    return pd.DataFrame(rows, columns=[*RUN_KEYS, *(n.text for n in names)])


def point_outputs(per_run: pd.DataFrame) -> pd.DataFrame:
    """The mean of each output over the replications of each design point (NaN values, such
    as a network share without hires, are left out of the mean), indexed by ``point_id``."""
    outputs = [c for c in per_run.columns if c not in RUN_KEYS]
    return per_run.groupby("point_id", sort=True)[outputs].mean()


def replication_noise(per_run: pd.DataFrame) -> pd.DataFrame:
    """How much of the variance between design points is replication noise, per output.

    A design point's value is the mean of ``R`` replications, so it carries noise of variance
    (within-point variance) / R. ``noise_share`` is that over the variance of the point
    means (capped at 1): near 0, the differences between points are the parameters' doing;
    near 1, they are mostly chance. NaN with one replication per point (nothing to measure
    the noise with).

    Returns:
        One row per output: ``output``, ``replications``, ``variance`` (of the point means),
        ``noise_variance`` and ``noise_share``.
    """
    outputs = [c for c in per_run.columns if c not in RUN_KEYS]
    replications = int(per_run.groupby("point_id").size().min()) if len(per_run) else 0
    means = point_outputs(per_run)
    within = per_run.groupby("point_id")[outputs].var(ddof=1).mean() if replications > 1 else None
    rows = []
    for name in outputs:
        variance = float(means[name].var(ddof=1))
        noise = float(within[name]) / replications if within is not None else math.nan
        share = min(noise / variance, 1.0) if variance > 0 else math.nan
        rows.append({"output": name, "replications": replications, "variance": variance,
                     "noise_variance": noise, "noise_share": share})  # fmt: skip
    return pd.DataFrame(rows, columns=["output", "replications", "variance", "noise_variance", "noise_share"])
