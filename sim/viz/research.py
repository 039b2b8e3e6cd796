"""Figures of the research tools, drawn from their stored tables: Morris screening, Sobol'
indices, scenario-discovery boxes, calibration posteriors and predictive checks."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sim.viz.style import OKABE_ITO, Context, style

__all__ = ["discovery_boxes", "morris_screening", "posterior_marginals", "predictive_check", "sobol_bars"]


def _panels(count: int, context: Context) -> tuple[Figure, list]:
    """A figure with ``count`` panels, three to a row."""
    from sim.viz.style import CONTEXTS

    cols = min(count, 3)
    rows = math.ceil(count / cols)
    width, height = CONTEXTS[context].size
    fig = Figure(figsize=(max(width, 3.8 * cols), max(height, height * 0.6 * rows)), layout="constrained")
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    for ax in axes[count:]:
        ax.set_visible(False)
    return fig, list(axes[:count])


def _short(path: str) -> str:
    return path.rsplit(".", 1)[-1].replace("_", " ")


def morris_screening(indices: pd.DataFrame, context: Context = "paper") -> Figure:
    """μ* against σ per parameter, one panel per output: far right matters, high up acts
    through interactions or non-linearly; bars are μ*'s 95% interval."""
    outputs = list(dict.fromkeys(indices["output"]))
    with style(context):
        fig, axes = _panels(len(outputs), context)
        for ax, (name, rows) in zip(axes, indices.groupby("output", sort=False), strict=True):
            ax.errorbar(rows["mu_star"], rows["sigma"], xerr=rows["mu_star_conf"], fmt="o",
                        color=OKABE_ITO["blue"], ecolor=OKABE_ITO["grey"], capsize=3)  # fmt: skip
            for row in rows.itertuples():
                ax.annotate(_short(row.parameter), (row.mu_star, row.sigma), xytext=(4, 4),
                            textcoords="offset points", fontsize="small")  # fmt: skip
            ax.set(title=name, xlabel="μ* (mean absolute effect)", ylabel="σ (spread of effects)")
        fig.suptitle("Which parameters move the outputs (Morris screening)")
    return fig


def sobol_bars(indices: pd.DataFrame, context: Context = "paper") -> Figure:
    """First-order (S1) and total (ST) Sobol' indices per parameter with 95% intervals, one
    panel per output: S1 is the share of variance a parameter explains alone, ST with all
    its interactions."""
    outputs = list(dict.fromkeys(indices["output"]))
    with style(context):
        fig, axes = _panels(len(outputs), context)
        for ax, (name, rows) in zip(axes, indices.groupby("output", sort=False), strict=True):
            y = np.arange(len(rows))
            ax.barh(
                y - 0.2, rows["S1"], 0.4, xerr=rows["S1_conf"], color=OKABE_ITO["blue"], label="S1 (alone)"
            )
            ax.barh(y + 0.2, rows["ST"], 0.4, xerr=rows["ST_conf"], color=OKABE_ITO["orange"],
                    label="ST (with interactions)")  # fmt: skip
            ax.set_yticks(y, [_short(p) for p in rows["parameter"]])
            ax.invert_yaxis()
            ax.set(title=name, xlabel="Share of variance")
        fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncols=2)
        fig.suptitle("Which parameters move the outputs (Sobol' indices, 95% intervals)")
    return fig


def discovery_boxes(
    design: pd.DataFrame,
    gap: pd.Series,
    rules: pd.DataFrame,
    output: str,
    pair: tuple[str, str],
    context: Context = "paper",
) -> Figure:
    """Left: the design points over the two parameters the rules use most, coloured by which
    strategy was faster, with the best rule's box. Right: each rule's ranges against the
    design's bounds (one row per parameter)."""
    params = [c for c in design.columns if c != "sample_id"]
    own = rules[rules["output"] == output]
    restricted = {
        p: ((own[f"{p}.low"] > design[p].min()) | (own[f"{p}.high"] < design[p].max())).sum() for p in params
    }
    x, y = (
        (sorted(params, key=lambda p: -restricted[p]) + params)[:2]
        if len(params) > 1
        else (params[0], params[0])
    )
    first, second = pair
    colour = np.where(gap.to_numpy(float) < 0, OKABE_ITO["vermillion"], OKABE_ITO["blue"])
    with style(context):
        fig = Figure(figsize=(10, 4.5) if context == "paper" else (13.33, 7.5), layout="constrained")
        left, right = fig.subplots(1, 2, width_ratios=(1, 1.3))
        left.scatter(design[x], design[y], c=colour, s=14, alpha=0.8)
        left.set(xlabel=_short(x), ylabel=_short(y), title=f"Red: {first} faster; blue: {second} faster")
        if len(own):
            best = own.iloc[0]
            left.add_patch(_box(best, x, y))
        _rule_ranges(right, own, params, design, first)
        fig.suptitle(f"Where each strategy is hired sooner ({output})")
    return fig


def _box(rule: pd.Series, x: str, y: str):
    from matplotlib.patches import Rectangle

    return Rectangle((rule[f"{x}.low"], rule[f"{y}.low"]), rule[f"{x}.high"] - rule[f"{x}.low"],
                     rule[f"{y}.high"] - rule[f"{y}.low"], fill=False, linewidth=2, linestyle="--",
                     edgecolor="black")  # fmt: skip


def _rule_ranges(ax, rules: pd.DataFrame, params: list[str], design: pd.DataFrame, first: str) -> None:
    """Each rule's range of each parameter it restricts, scaled to the design's bounds (0 to 1)."""
    if rules.empty:
        ax.text(0.5, 0.5, "no region found", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return
    labels, row = [], 0
    for number, (_, rule) in enumerate(rules.iterrows(), start=1):
        colour = OKABE_ITO["vermillion"] if rule["faster"] == first else OKABE_ITO["blue"]
        shown = [
            p for p in params if rule[f"{p}.low"] > design[p].min() or rule[f"{p}.high"] < design[p].max()
        ]
        for p in shown or params[:1]:
            low, high = design[p].min(), design[p].max()
            a, b = (rule[f"{p}.low"] - low) / (high - low), (rule[f"{p}.high"] - low) / (high - low)
            ax.plot([0, 1], [row, row], color="#dddddd", linewidth=6, solid_capstyle="butt")
            ax.plot([max(a, 0), min(b, 1)], [row, row], color=colour, linewidth=6, solid_capstyle="butt")
            labels.append(f"rule {number}: {_short(p)}")
            row += 1
        ax.text(1.02, row - 1, f"{rule['faster']} faster\ncov {rule['coverage']:.0%}, dens {rule['density']:.0%}",
                va="center", fontsize="small", transform=ax.get_yaxis_transform())  # fmt: skip
    ax.set_yticks(range(row), labels)
    ax.invert_yaxis()
    ax.set(xlim=(0, 1), xlabel="Position within the design's range (0 = lower bound, 1 = upper)")
    ax.grid(False)


def posterior_marginals(
    posterior: pd.DataFrame, priors: dict[str, tuple[float, float]], context: Context = "paper"
) -> Figure:
    """The weighted posterior of each parameter over its prior range (the flat prior shown
    as a dashed line)."""
    with style(context):
        fig, axes = _panels(len(priors), context)
        for ax, (path, (low, high)) in zip(axes, priors.items(), strict=True):
            ax.hist(posterior[path], bins=20, range=(low, high), weights=posterior["weight"], density=True,
                    color=OKABE_ITO["blue"], alpha=0.8, label="posterior")  # fmt: skip
            ax.plot(
                [low, high], [1 / (high - low)] * 2, color=OKABE_ITO["grey"], linestyle="--", label="prior"
            )
            ax.set(title=path, xlabel="value", ylabel="density")
        axes[0].legend(loc="best", fontsize="small")
        fig.suptitle("What the targets say about the parameters (ABC-SMC posterior)")
    return fig


def predictive_check(predictive: pd.DataFrame, context: Context = "paper") -> Figure:
    """Per target: the posterior predictive median and 95% interval against the observed value."""
    with style(context):
        fig, axes = _panels(len(predictive), context)
        for ax, row in zip(axes, predictive.itertuples(index=False), strict=True):
            ax.errorbar([0], [row.predicted_median], yerr=[[row.predicted_median - row.low], [row.high - row.predicted_median]],
                        fmt="o", color=OKABE_ITO["blue"], capsize=6, label="simulated (median, 95%)")  # fmt: skip
            ax.plot(
                [0],
                [row.observed],
                marker="D",
                color=OKABE_ITO["vermillion"],
                linestyle="none",
                label="observed",
            )
            ax.set(title=row.target, xticks=[], xlim=(-1, 1))
        axes[0].legend(loc="best", fontsize="small")
        fig.suptitle("Does the calibrated model reproduce the targets? (posterior predictive check)")
    return fig
