"""The figures: each function takes tables, returns a matplotlib Figure, and says its point in
its title. Axis labels are plain words with units.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sim.analysis import by_hop, km_curves, median_ci, point_summary, swept_columns
from sim.viz.style import Context, colours_for, figure, label_for, style

__all__ = [
    "busy_vs_effective",
    "figures_for",
    "mop_ups_per_seeker",
    "referral_chains",
    "reputation_over_time",
    "save",
    "seeker_network",
    "sweep_heatmap",
    "sweep_lines",
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
            ax.fill_between(
                curve["day"], curve["low"], curve["high"], step="post", color=colour, alpha=0.15, linewidth=0
            )
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
            ax.fill_between(
                mean.index, low.to_numpy(), high.to_numpy(), color=colours[name], alpha=0.15, linewidth=0
            )
        ax.axhline(0.5, color="black", linewidth=0.8, alpha=0.4)
        ax.set(title="What people think of the seekers", xlabel="Days since the first job loss",
               ylabel="Mean opinion of those who know them (0.5 = neutral)")  # fmt: skip
        ax.legend(title="Strategy", loc="best")
    return fig


def mop_ups_per_seeker(seekers: pd.DataFrame, context: Context = "paper") -> Figure:
    """Mop-up calls per seeker by strategy: the spread (box) and every seeker (dots), drawn
    with seaborn on the figure's own axes."""
    import seaborn as sns

    names = list(dict.fromkeys(seekers["strategy"]))
    colours = colours_for(names)
    data = seekers.assign(label=seekers["strategy"].map(label_for))
    order = [label_for(n) for n in names]
    palette = {label_for(n): colours[n] for n in names}
    with style(context):
        fig = figure(context)
        ax = fig.add_subplot()
        with warnings.catch_warnings():  # seaborn 0.13 still passes matplotlib's deprecated vert=
            warnings.simplefilter("ignore", DeprecationWarning)
            sns.boxplot(data=data, x="label", y="mop_up_calls", hue="label", order=order, palette=palette,
                        showfliers=False, boxprops={"alpha": 0.35}, legend=False, ax=ax)  # fmt: skip
        sns.stripplot(data=data, x="label", y="mop_up_calls", hue="label", order=order, palette=palette, size=3,
                      alpha=0.5, jitter=0.18, legend=False, ax=ax)  # fmt: skip
        ax.set(title="Mop-up calls: contacts phoning the friend whose name was used",
               xlabel="Strategy", ylabel="Mop-up calls per seeker over the search")  # fmt: skip
    return fig


def sweep_heatmap(
    seekers: pd.DataFrame, x: str, y: str, strategy: str, versus: str, context: Context = "paper"
) -> Figure:
    """Where a strategy pays: restricted mean days to hire of ``strategy`` minus ``versus``
    over two swept parameters, other swept parameters pooled (blue: ``strategy`` sooner)."""
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
        ax.grid(False)
        ax.set_xticks(range(grid.shape[1]), [_value(v) for v in grid.columns])
        ax.set_yticks(range(grid.shape[0]), [_value(v) for v in grid.index])
        for (i, j), value in np.ndenumerate(grid.to_numpy()):
            ink = "white" if abs(value) > 0.6 * limit else "black"
            ax.text(j, i, f"{value:+.0f} days", ha="center", va="center", color=ink)
        fig.colorbar(
            image, ax=ax, label=f"mean days to hire, {strategy} minus {versus} (blue: {strategy} sooner)"
        )
        ax.set(title=f"Where {label_for(strategy)} pays", xlabel=x, ylabel=y)
    return fig


def referral_chains(events: pd.DataFrame, seekers: pd.DataFrame, context: Context = "paper") -> Figure:
    """Endorsement carried and meeting acceptance by hop along referral chains (C2)."""
    table = by_hop(events, seekers)
    colours = colours_for(seekers["strategy"])
    with style(context):
        fig = figure(context)
        left, right = fig.subplots(1, 2)
        for name, rows in table.groupby("strategy", sort=False):
            chained = rows[rows["hop"] >= 1]
            left.plot(
                chained["hop"], chained["endorsement"], marker="o", color=colours[name], label=label_for(name)
            )
            right.plot(
                rows["hop"], rows["acceptance"], marker="o", color=colours[name], label=label_for(name)
            )
        left.set(
            title="The recommendation fades",
            xlabel="Hops from own contacts",
            ylabel="Endorsement carried (0 to 1)",
        )
        right.set(title="...and fewer say yes", xlabel="Hops (0 = own contact)", ylabel="Share of calls that became a meeting",
                  ylim=(0, 1))  # fmt: skip
        right.legend(loc="best", fontsize="small")
    return fig


ROLES = {  # role of a person in one seeker's search -> (colour, label); later roles win
    "named": ("#EEEEEE", "named, not reached"),
    "called": ("#999999", "called, said no"),
    "helped": ("#009E73", "met or helped on the phone"),
    "lead": ("#0072B2", "passed on a job lead"),
    "mop_up": ("#D55E00", "made a mop-up call"),
    "disowned": ("#CC79A7", "got a mop-up call (name was used)"),
}


def _pick_seeker(events: pd.DataFrame, seekers: pd.DataFrame) -> tuple[str, int]:
    """The seeker with the most mop-up calls in the first run (else the first seeker)."""
    run_id = sorted(seekers["run_id"].unique())[0]
    in_run = seekers[seekers["run_id"] == run_id]
    best = in_run.sort_values(["mop_up_calls", "meetings"], ascending=False).iloc[0]
    return run_id, int(best["seeker_id"])


def seeker_network(events: pd.DataFrame, seekers: pd.DataFrame, run_id: str | None = None, seeker_id: int | None = None,
                   max_people: int = 80, context: Context = "paper") -> Figure:  # fmt: skip
    """One seeker's network at the end of a run, from the event log: who helped, who said no,
    who made mop-up calls, and whose name was disowned (the first ``max_people`` reached)."""
    import networkx as nx

    if run_id is None or seeker_id is None:
        run_id, seeker_id = _pick_seeker(events, seekers)
    mine = events[(events["run_id"] == run_id) & (events["seeker_id"] == seeker_id) & (events["day"] >= 1)]
    me = "seeker"
    graph, role = nx.Graph(), {}
    graph.add_node(me)
    order = list(ROLES)  # later roles win: named < called < helped < lead < mop_up < disowned

    def mark(person, new_role: str | None = None) -> bool:
        """Add ``person`` (if there is room) and raise her role to ``new_role``."""
        if (
            person is None
            or person is pd.NA
            or (int(person) not in graph and graph.number_of_nodes() > max_people)
        ):
            return False
        person = int(person)
        graph.add_node(person)
        current = role.get(person, "named")
        role[person] = new_role if new_role and order.index(new_role) > order.index(current) else current
        return True

    for row in mine.itertuples(index=False):
        if row.kind == "call" and mark(row.target, "called"):
            graph.add_edge(me, int(row.target))
            if mark(row.source):
                graph.add_edge(int(row.source), int(row.target))
        elif row.kind in ("meeting", "phone_help"):
            mark(row.target, "helped")
        elif row.kind == "referral" and mark(row.target) and mark(row.source):
            graph.add_edge(int(row.source), int(row.target))
        elif row.kind == "lead" and mark(row.source, "lead"):
            graph.add_edge(me, int(row.source))
        elif row.kind == "mop_up" and mark(row.source, "mop_up") and mark(row.target, "disowned"):
            graph.add_edge(int(row.source), int(row.target))
    positions = nx.spring_layout(graph, seed=1, k=1.2 / max(1, graph.number_of_nodes()) ** 0.5)
    strategy = seekers.loc[
        (seekers["run_id"] == run_id) & (seekers["seeker_id"] == seeker_id), "strategy"
    ].iloc[0]
    with style(context):
        fig = figure(context)
        ax = fig.add_subplot()
        ax.set_axis_off()
        for a, b in graph.edges():
            ax.plot(
                *zip(positions[a], positions[b], strict=True),
                color="#999999",
                linewidth=0.6,
                alpha=0.6,
                zorder=1,
            )
        for key, (colour, label) in ROLES.items():
            people = [p for p, r in role.items() if r == key]
            if people:
                xy = np.array([positions[p] for p in people])
                ax.scatter(
                    xy[:, 0],
                    xy[:, 1],
                    s=40,
                    color=colour,
                    edgecolors="#555555",
                    linewidths=0.4,
                    label=f"{label} ({len(people)})",
                    zorder=2,
                )
        ax.scatter(
            *positions[me],
            s=220,
            color="black",
            marker="*",
            label=f"the seeker: {label_for(strategy)}",
            zorder=3,
        )
        ax.set_title(f"One seeker's search ({run_id}, seeker {seeker_id})")
        ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize="small", frameon=False)
    return fig


def _value(value) -> str:
    """A swept value as tick text: numbers compactly, anything else as it is."""
    return (
        f"{value:g}"
        if isinstance(value, (int, float, np.number)) and not isinstance(value, bool)
        else str(value)
    )


def _short(path: str) -> str:
    return ".".join(path.split(".")[-2:])


def sweep_lines(seekers: pd.DataFrame, context: Context = "paper") -> Figure:
    """Restricted mean days to hire of each strategy at each design point."""
    summary = point_summary(seekers)
    swept = swept_columns(seekers)
    points = summary.drop_duplicates("point_id").sort_values("point_id")
    ticks = [", ".join(f"{_short(c)}={_value(row[c])}" for c in swept) for _, row in points.iterrows()]
    colours = colours_for(seekers["strategy"])
    with style(context):
        fig = figure(context)
        ax = fig.add_subplot()
        for name, rows in summary.groupby("strategy", sort=False):
            rows = rows.sort_values("point_id")
            ax.plot(
                rows["point_id"], rows["rmst_days"], marker="o", color=colours[name], label=label_for(name)
            )
        ax.set_xticks(
            points["point_id"],
            ticks,
            rotation=30 if len(ticks) > 3 else 0,
            ha="right" if len(ticks) > 3 else "center",
        )
        ax.set(title="Time to hire at each setting", xlabel="Design point",
               ylabel="Mean days to hire (counted up to the horizon)")  # fmt: skip
        ax.legend(title="Strategy", loc="best")
    return fig


def _is_grid(seekers: pd.DataFrame, x: str, y: str) -> bool:
    combos = seekers[[x, y]].drop_duplicates()
    return (
        len(combos) == seekers[x].nunique() * seekers[y].nunique()
        and seekers[x].nunique() > 1 < seekers[y].nunique()
    )


def figures_for(results) -> dict[str, Callable]:
    """The figures a results folder supports: file stem -> function(results, context).

    Always the four standard figures; the referral-chain figure when the event log was kept;
    for sweeps, a heatmap over the first two swept parameters when they form a grid (the
    second strategy against the first), else lines over the design points.
    """
    figures: dict[str, Callable] = {
        "who_gets_hired_sooner": lambda r, c: who_gets_hired_sooner(r.seekers, c),
        "busy_vs_effective": lambda r, c: busy_vs_effective(r.seekers, c),
        "reputation_over_time": lambda r, c: reputation_over_time(r.daily, c),
        "mop_ups_per_seeker": lambda r, c: mop_ups_per_seeker(r.seekers, c),
    }
    if results.events is not None and len(results.events):
        figures["referral_chains"] = lambda r, c: referral_chains(r.events, r.seekers, c)
        figures["one_seekers_network"] = lambda r, c: seeker_network(r.events, r.seekers, context=c)
    swept = swept_columns(results.seekers)
    strategies = list(dict.fromkeys(results.seekers["strategy"]))
    if len(swept) >= 2 and len(strategies) >= 2 and _is_grid(results.seekers, swept[0], swept[1]):
        bold = "nfl" if "nfl" in strategies else strategies[1]
        other = next(s for s in strategies if s != bold)
        figures["where_it_pays"] = lambda r, c: sweep_heatmap(r.seekers, swept[0], swept[1], bold, other, c)
    elif swept:
        figures["sweep"] = lambda r, c: sweep_lines(r.seekers, c)
    return figures


def save(fig: Figure, folder: Path, stem: str) -> list[Path]:
    """Write ``stem.png`` and ``stem.svg`` into ``folder``; returns the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{stem}.png", folder / f"{stem}.svg"]
    fig.savefig(paths[0], dpi=150)
    fig.savefig(paths[1])
    return paths
