"""Seconds against size, log-log: python benchmarks/scaling.py [--vary people|seekers]

Runs ``benchmarks/scale.py`` in a fresh process for each size (so that each peak RSS is its
own) and prints its JSON object, one per size. ``--vary people`` (the default) goes from
10^3 to ``--max-people`` people with seekers a fixed share (``--share``, 1%) of them;
``--vary seekers`` keeps ``--people`` fixed and varies the seekers. Ends with one JSON object
holding the fitted log-log slope of seconds against the varied size, and writes the plot
(PNG and SVG) to ``--plot`` (default docs/img/scaling_<vary>). ``--replot FILE`` redraws the
plot from the JSON lines a previous run printed, without measuring again.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent


def measure(people: int, seekers: int, days: int) -> dict:
    """One scale.py run in a fresh interpreter."""
    command = [
        sys.executable,
        str(HERE / "scale.py"),
        "--people",
        str(people),
        "--seekers",
        str(seekers),
        "--days",
        str(days),
    ]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def slope(x: list[float], y: list[float]) -> float:
    """Least-squares slope of log y against log x."""
    return float(np.polyfit(np.log10(x), np.log10(y), 1)[0])


def plot(rows: list[dict], vary: str, fitted: float, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    x = np.array([r[vary] for r in rows], dtype=float)
    y = np.array([r["seconds"] for r in rows])
    fig, ax = plt.subplots(figsize=(6, 4.2))
    ax.loglog(x, y, "o-", label=f"measured (slope {fitted:.2f})")
    ax.loglog(x, y[0] * x / x[0], "--", color="grey", label="linear (slope 1)")
    if vary == "people" and x.max() >= 1e6:
        ax.plot([1e6], [60], "x", color="#D55E00", markersize=10, mew=2, label="target: 10^6 people in 60 s")
    ax.set_xlabel(vary)
    ax.set_ylabel("seconds (whole run, graph included)")
    fixed = f"{rows[0]['days']} days, " + (
        f"seekers = {rows[0]['seekers'] / rows[0]['people']:.0%} of people"
        if vary == "people"
        else f"{rows[0]['people']:,} people"
    )
    ax.set_title(f"Run time against {vary} ({fixed})", fontsize=10)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in (".png", ".svg"):
        fig.savefig(path.with_suffix(suffix), dpi=120, bbox_inches="tight")
    plt.close(fig)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vary", choices=("people", "seekers"), default="people")
    parser.add_argument("--max-people", type=int, default=1_000_000)
    parser.add_argument("--share", type=float, default=0.01)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--plot", type=Path)
    parser.add_argument(
        "--replot", type=Path, help="JSON lines from an earlier run: plot them, measure nothing"
    )
    args = parser.parse_args()

    if args.replot:
        rows = [json.loads(line) for line in args.replot.read_text().splitlines() if '"seconds"' in line]
    else:
        rows = []
        for people, seekers in plan(args):
            rows.append(measure(people, seekers, args.days))
            print(json.dumps(rows[-1]), flush=True)
    fitted = slope([r[args.vary] for r in rows], [r["seconds"] for r in rows])
    path = args.plot or HERE.parent / "docs" / "img" / f"scaling_{args.vary}"
    plot(rows, args.vary, fitted, path)
    print(json.dumps({"vary": args.vary, "slope": round(fitted, 3), "plot": str(path.with_suffix(".png"))}))


def plan(args: argparse.Namespace) -> list[tuple[int, int]]:
    """(people, seekers) of each measurement."""
    if args.vary == "people":
        sizes = [
            n for n in (1_000, 3_000, 10_000, 30_000, 100_000, 300_000, 1_000_000) if n <= args.max_people
        ]
        return [(n, max(2, round(n * args.share))) for n in sizes]
    return [(args.people, s) for s in (10, 30, 100, 300, 1_000, 3_000) if s < args.people / 10]


if __name__ == "__main__":
    main()
