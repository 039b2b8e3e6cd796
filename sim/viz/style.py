"""One look for every figure: colour-blind-safe colours that stay with a strategy, plain
labels, and a paper or talk context.

Colours are the Okabe-Ito palette (distinguishable with the common colour-vision
deficiencies). A preset strategy always has the same colour; other strategies take the
remaining colours in order of appearance.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import matplotlib as mpl
from matplotlib.figure import Figure

from sim.viz.contexts import Context

__all__ = ["CONTEXTS", "Context", "colours_for", "figure", "label_for", "style"]

OKABE_ITO = {
    "blue": "#0072B2", "vermillion": "#D55E00", "green": "#009E73", "purple": "#CC79A7",
    "grey": "#7F7F7F", "orange": "#E69F00", "sky": "#56B4E9", "yellow": "#F0E442",
}  # fmt: skip
FIXED = {"polite": "blue", "nfl": "vermillion", "balanced": "green", "targeted": "purple", "passive": "grey",
         "yours": "orange"}  # fmt: skip
SPARE = ("orange", "sky", "yellow", "blue", "vermillion", "green", "purple", "grey")
LABELS = {
    "polite": "Polite (give first)", "nfl": "NFL (aggressive)", "balanced": "Balanced (many light contacts)",
    "targeted": "Targeted", "passive": "Passive (waits)", "yours": "Your way",
}  # fmt: skip


@dataclass(frozen=True)
class _Look:
    size: tuple[float, float]
    font: float


CONTEXTS: dict[str, _Look] = {"paper": _Look((7.0, 4.5), 10.0), "talk": _Look((13.33, 7.5), 20.0)}


def label_for(strategy: str) -> str:
    """Plain-words name of a strategy for legends."""
    return LABELS.get(strategy, strategy.replace("_", " ").capitalize())


def colours_for(strategies: Iterable[str]) -> dict[str, str]:
    """A colour per strategy: fixed for presets, the spare colours in order for others."""
    names = list(dict.fromkeys(strategies))
    taken = {FIXED[n] for n in names if n in FIXED}
    spare = iter([c for c in SPARE if c not in taken] + list(SPARE))
    return {n: OKABE_ITO[FIXED[n]] if n in FIXED else OKABE_ITO[next(spare)] for n in names}


def _rc(context: Context) -> dict:
    look = CONTEXTS[context]
    return {
        "font.size": look.font, "axes.titlesize": look.font * 1.3, "axes.labelsize": look.font * 1.05,
        "xtick.labelsize": look.font * 0.9, "ytick.labelsize": look.font * 0.9, "legend.fontsize": look.font * 0.85,
        "axes.spines.top": False, "axes.spines.right": False, "axes.grid": True, "grid.alpha": 0.3,
        "lines.linewidth": 2.5 if context == "talk" else 1.8, "svg.fonttype": "none", "figure.dpi": 100,
    }  # fmt: skip


@contextmanager
def style(context: Context = "paper") -> Iterator[None]:
    """Apply the look for the figures drawn inside (restores matplotlib's settings after)."""
    if context not in CONTEXTS:
        raise ValueError(f"context must be one of {sorted(CONTEXTS)}, got {context!r}")
    with mpl.rc_context(_rc(context)):
        yield


def figure(context: Context = "paper") -> Figure:
    """A new figure of the context's size (16:9 for talks); draw inside ``style(context)``."""
    return Figure(figsize=CONTEXTS[context].size, layout="constrained")
