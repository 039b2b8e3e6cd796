"""Scenario discovery: in which regions of parameter space is one strategy hired sooner?

For every ``gap.A-B`` output of a sensitivity design (``mean_days.A - mean_days.B``), the
design points where A was hired sooner (gap < 0) are told apart from the others by a shallow
decision tree (scikit-learn's ``DecisionTreeClassifier``, depth 2, leaves of at least 5% of
the points). Each leaf where A was faster at most points is a *rule*: a box of parameter
ranges, with its **coverage** (of all points where A was faster, the share inside the box)
and its **density** (of the points inside the box, the share where A was faster).

Why a tree and not PRIM (``ema_workbench.analysis.prim``): a depth-2 tree gives the same kind
of box with at most two conditions, readable as one sentence, and scikit-learn already comes
with the research extra (pyabc needs it); ema_workbench would add statsmodels, patsy,
formulaic and platypus-opt for one function. PRIM peels boxes more finely and lets a user
trade coverage for density; a tree gives one partition, which is enough to say in plain
words where each strategy wins.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.analysis.outputs import OutputName
from sim.research.common import require

__all__ = ["Rule", "describe", "discover", "discover_all", "rules_table"]

MAX_DEPTH = 2
MIN_LEAF_SHARE = 0.05


@dataclass(frozen=True)
class Rule:
    """A box of parameter space where ``faster`` was hired sooner than ``slower`` at most points.

    ``ranges`` maps each parameter the box restricts to ``(low, high)`` (the design bound
    where the box does not restrict that side).
    """

    faster: str
    slower: str
    ranges: dict[str, tuple[float, float]]
    coverage: float
    density: float
    points: int


def _words(path: str) -> str:
    return path.rsplit(".", 1)[-1].replace("_", " ")


def describe(rule: Rule, bounds: dict[str, tuple[float, float]]) -> str:
    """The rule in plain words, e.g. "nfl is faster than polite when mop up propensity < 0.3
    and gossip weight < 0.4 (coverage 60%, density 85% of 40 points)"."""
    conditions = []
    for path, (low, high) in rule.ranges.items():
        lower, upper = low > bounds[path][0], high < bounds[path][1]
        if lower and upper:
            conditions.append(f"{_words(path)} is between {low:.3g} and {high:.3g}")
        elif lower:
            conditions.append(f"{_words(path)} > {low:.3g}")
        elif upper:
            conditions.append(f"{_words(path)} < {high:.3g}")
    where = " and ".join(conditions) if conditions else "anywhere in the design"
    return (
        f"{rule.faster} is faster than {rule.slower} when {where} "
        f"(coverage {rule.coverage:.0%}, density {rule.density:.0%} of {rule.points} points)"
    )


def _leaf_boxes(tree, paths: list[str], bounds: dict[str, tuple[float, float]]):
    """(leaf node, {path: (low, high)}) for every leaf of a fitted sklearn tree."""
    inner = tree.tree_
    stack = [(0, {p: tuple(bounds[p]) for p in paths})]
    while stack:
        node, box = stack.pop()
        left, right = inner.children_left[node], inner.children_right[node]
        if left == right:  # a leaf
            yield node, box
            continue
        path, cut = paths[inner.feature[node]], float(inner.threshold[node])
        low, high = box[path]
        stack.append((right, {**box, path: (max(low, cut), high)}))
        stack.append((left, {**box, path: (low, min(high, cut))}))


def discover(
    params: pd.DataFrame,
    faster: np.ndarray,
    names: tuple[str, str],
    bounds: dict[str, tuple[float, float]],
    seed: int,
) -> list[Rule]:
    """Boxes where ``names[0]`` was faster at most design points, best density first.

    Args:
        params: One row per design point, one column per parameter.
        faster: Per design point, whether ``names[0]`` was hired sooner than ``names[1]``.
        names: (faster strategy, slower strategy) as they should read in the rules.
        bounds: The design's bounds per parameter.
        seed: Seed of the tree (ties between equally good splits).
    """
    faster = np.asarray(faster, bool)
    if not faster.any():
        return []
    tree_module = require("sklearn.tree", "scenario discovery")
    paths = list(params.columns)
    x = params.to_numpy(float)
    leaf = max(2, math.ceil(MIN_LEAF_SHARE * len(x)))
    tree = tree_module.DecisionTreeClassifier(max_depth=MAX_DEPTH, min_samples_leaf=leaf, random_state=seed)
    tree.fit(x, faster)
    rules = []
    for _, box in _leaf_boxes(tree, paths, bounds):
        inside = np.ones(len(x), bool)
        for j, path in enumerate(paths):
            low, high = box[path]
            inside &= (x[:, j] > low if low > bounds[path][0] else True) & (x[:, j] <= high)
        density = float(faster[inside].mean()) if inside.any() else 0.0
        if density > 0.5:
            restricted = {p: r for p, r in box.items() if r != tuple(bounds[p])}
            rules.append(
                Rule(
                    *names, restricted, float(faster[inside].sum() / faster.sum()), density, int(inside.sum())
                )
            )
    return sorted(rules, key=lambda r: (-r.density, -r.coverage))


def discover_all(
    params: pd.DataFrame, outputs: pd.DataFrame, gaps: list[OutputName], problem: dict, seed: int
) -> pd.DataFrame:
    """Rules for every gap output (``gap.A-B``): where A was faster (gap < 0) and, the other
    way round, where B was (gap > 0). One row per rule (:func:`rules_table`)."""
    bounds = {p: tuple(b) for p, b in zip(problem["names"], problem["bounds"], strict=True)}
    found: dict[str, list[Rule]] = {}
    for gap in gaps:
        values = outputs[gap.text].to_numpy(float)
        pair = (gap.strategy, gap.versus)
        found[gap.text] = discover(params, values < 0, pair, bounds, seed) + discover(
            params, values > 0, pair[::-1], bounds, seed
        )
    return rules_table(found, bounds)


def rules_table(found: dict[str, list[Rule]], bounds: dict[str, tuple[float, float]]) -> pd.DataFrame:
    """One row per rule: ``output``, ``faster``, ``slower``, ``rule`` (its sentence),
    ``coverage``, ``density``, ``points``, then ``PATH.low`` / ``PATH.high`` for every
    parameter (the design's bounds where the rule does not restrict it)."""
    rows = []
    for output, rules in found.items():
        for rule in rules:
            row = {"output": output, "faster": rule.faster, "slower": rule.slower, "rule": describe(rule, bounds),
                   "coverage": rule.coverage, "density": rule.density, "points": rule.points}  # fmt: skip
            for path, (low, high) in bounds.items():
                row[f"{path}.low"], row[f"{path}.high"] = rule.ranges.get(path, (low, high))
            rows.append(row)
    columns = ["output", "faster", "slower", "rule", "coverage", "density", "points"]
    columns += [f"{p}.{side}" for p in bounds for side in ("low", "high")]
    return pd.DataFrame(rows, columns=columns)
