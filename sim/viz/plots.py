"""The figures: each function takes tables, returns a matplotlib Figure, and says its point in
its title. Axis labels are plain words with units.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sim.analysis import km_curves, median_ci
from sim.viz.style import Context, colours_for, figure, label_for, style

__all__ = [
    "FIGURES",
    "busy_vs_effective",
    "mop_ups_per_seeker",
    "reputation_over_time",
    "save",
    "sweep_heatmap",
    "who_gets_hired_sooner",
]


def who_gets_hired_sooner(seekers: pd.DataFrame, context: Context = "paper") -> Figure:
    """Share still searching by day, one line per strategy, 95% band, median marked."""
    colours = colours_for(seekers["strategy"])
    curves = km_curves(seekers)
    with style(context):
        fig = figure(context)
        ax = fig.add_subplot()
        for rank, (name, curve) in enumerate(curves.groupby("strategy", sort=False)):
            colour = colours[name]
            ax.step(curve["day"], curve["share_searching"], where="post", color=colour, label=label_for(name))
            ax.fill_between(curve["day"], curve["low"], curve["high"], step="post", color=colour, alpha=0.15, linewidth=0)
            median = median_ci(seekers[seekers["strategy"] == name])[0]
            if not np.isnan(median):
                ax.plot([median, median], [0, 0.5], color=colour, linestyle=":", linewidth=1.2)
                ax.annotate(f"{median:.0f} days", (median, 0.5 - 0.07 * (rank + 1)), xytext=(4, 0),
                            textcoords="offset points", color=colour)  # fmt: skip
        ax.axhline(0.5, color="black", linewidth=0.8, alpha=0.4)
        ax.set(title="Who gets hired sooner", xlabel="Days since losing the job", ylabel="Share still searching",
               ylim=(0, 1.02), xlim=(0, float(seekers["days_searched"].max())))  # fmt: skip
        ax.legend(title="Strategy (dotted: median)", loc="upper right")
    return fig


def busy_vs_effective(seekers: pd.DataFrame, context: Context = "paper") -> Figure:
    """Meetings held against days to hire, one point per seeker (the Axel Bludgeon plot).

    Filled points were hired; hollow points were still searching at the horizon.
    """
    colours = colours_for(seekers["strategy"])
    with style(context):
        fig = figure(context)
        ax = fig.add_subplot()
        for name, group in seekers.groupby("strategy", sort=False):
            hired = group["hired"].to_numpy(bool)
            ax.scatter(group["meetings"][hired], group["days_searched"][hired], s=14, color=colours[name], alpha=0.6,
                       label=label_for(name))  # fmt: skip
            ax.scatter(group["meetings"][~hired], group["days_searched"][~hired], s=14, facecolors="none",
                       edgecolors=colours[name], alpha=0.6, label=f"{label_for(name)}: not hired")  # fmt: skip
        ax.set(title="Busy is not the same as effective", xlabel="Meetings held (per seeker)",
               ylabel="Days to hire (not hired: horizon)")  # fmt: skip
        ax.legend(loc="best", fontsize="small")
    return fig


def reputation_over_time(daily: pd.DataFrame, context: Context = "paper") -> Figure:
    """Mean reputation of each strategy's seekers by day (mean over runs, band: middle
    half of the runs)."""
    colours = colours_for(daily["strategy"])
    with style(context):
        fig = figure(context)
        ax = fig.add_subplot()
        for name, group in daily.groupby("strategy", sort=False):
            by_day = group.groupby("day")["mean_reputation"]
            mean, low, high = by_day.mean(), by_day.quantile(0.25), by_day.quantile(0.75)
            ax.plot(mean.index, mean.to_numpy(), color=colours[name], label=label_for(name))
            ax.fill_between(mean.index, low.to_numpy(), high.to_numpy(), color=colours[name], alpha=0.15, linewidth=0)
        ax.axhline(0.5, color="black", linewidth=0.8, alpha=0.4)
        ax.set(title="What people think of the seekers", xlabel="Days since losing the job",
               ylabel="Mean opinion of those who know them (0.5 = neutral)")  # fmt: skip
        ax.legend(title="Strategy", loc="best")
    return fig


def mop_ups_per_seeker(seekers: pd.DataFrame, context: Context = "paper") -> Figure:
    """Mop-up calls per seeker by strategy: the spread (box) and every seeker (dots)."""
    names = list(dict.fromkeys(seekers["strategy"]))
    colours = colours_for(names)
    with style(context):
        fig = figure(context)
        ax = fig.add_subplot()
        values = [seekers.loc[seekers["strategy"] == n, "mop_up_calls"].to_numpy() for n in names]
        box = ax.boxplot(values, positions=range(len(names)), widths=0.5, showfliers=False, patch_artist=True)
        rng = np.random.default_rng(0)  # jitter only; the same picture every time
        for i, (name, v) in enumerate(zip(names, values, strict=True)):
            box["boxes"][i].set(facecolor=colours[name], alpha=0.3)
            ax.scatter(i + rng.uniform(-0.18, 0.18, len(v)), v, s=8, color=colours[name], alpha=0.5)
        ax.set_xticks(range(len(names)), [label_for(n) for n in names])
        ax.set(title="Mop-up calls: contacts phoning the friend whose name was used",
               xlabel="Strategy", ylabel="Mop-up calls per seeker over the search")  # fmt: skip
    return fig


def sweep_heatmap(seekers: pd.DataFrame, x: str, y: str, strategy: str, versus: str, context: Context = "paper") -> Figure:
    """Where aggression pays: median days to hire of ``strategy`` minus ``versus`` over two
    swept parameters (blue: ``strategy`` is hired sooner)."""
    from sim.analysis import rmst

    rows = []
    for (xv, yv), group in seekers.groupby([x, y]):
        a, b = group[group["strategy"] == strategy], group[group["strategy"] == versus]
        rows.append({x: xv, y: yv, "difference": rmst(a) - rmst(b)})
    grid = pd.DataFrame(rows).pivot(index=y, columns=x, values="difference").sort_index(ascending=False)
    limit = float(np.nanmax(np.abs(grid.to_numpy()))) or 1.0
    with style(context):
        fig = figure(context)
        ax = fig.add_subplot()
        image = ax.imshow(grid.to_numpy(), cmap="RdBu_r", vmin=-limit, vmax=limit, aspect="auto")
        ax.set_xticks(range(grid.shape[1]), [f"{v:g}" for v in grid.columns])
        ax.set_yticks(range(grid.shape[0]), [f"{v:g}" for v in grid.index])
        for (i, j), value in np.ndenumerate(grid.to_numpy()):
            ax.text(j, i, f"{value:+.0f}", ha="center", va="center", fontsize="small")
        fig.colorbar(image, ax=ax, label=f"{label_for(strategy)} minus {label_for(versus)}: mean days to hire")
        ax.set(title=f"Where {label_for(strategy)} pays (blue: hired sooner)", xlabel=x, ylabel=y)
    return fig


#: The standard figures of a results folder: file stem -> function of the Results.
FIGURES: dict[str, Callable] = {
    "who_gets_hired_sooner": lambda r, c: who_gets_hired_sooner(r.seekers, c),
    "busy_vs_effective": lambda r, c: busy_vs_effective(r.seekers, c),
    "reputation_over_time": lambda r, c: reputation_over_time(r.daily, c),
    "mop_ups_per_seeker": lambda r, c: mop_ups_per_seeker(r.seekers, c),
}


def save(fig: Figure, folder: Path, stem: str) -> list[Path]:
    """Write ``stem.png`` and ``stem.svg`` into ``folder``; returns the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{stem}.png", folder / f"{stem}.svg"]
    fig.savefig(paths[0], dpi=150)
    fig.savefig(paths[1])
    return paths
