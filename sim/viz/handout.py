"""Paper for the room: a one-page handout for participants and a 16:9 slide set.

``handout.pdf`` is one A4 page: the finding in plain words, the survival figure and three
lessons, each with its numbers from the results. ``slides.pdf`` has a title slide, a lessons
slide and one slide per figure, in the talk context (16:9, large type). Both are drawn with
matplotlib's PDF backend. In a sweep, the strategies whose own fields are swept (the
explorer's "your way") are left out of the handout: pooled over every choice they mean
nothing; the fixed strategies are pooled over the worlds of the sweep, and the page says so.
"""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

import matplotlib.image as mpimg
import pandas as pd
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from sim.analysis import swept_columns
from sim.analysis.survival import km_median
from sim.viz import plots
from sim.viz.report import drawn_from_posterior, headline
from sim.viz.scenarios import chosen_strategies
from sim.viz.style import Context, figure, label_for, style

__all__ = ["fixed_seekers", "lessons", "write_handout", "write_handouts", "write_slides"]

A4 = (8.27, 11.69)


def fixed_seekers(seekers: pd.DataFrame) -> pd.DataFrame:
    """The seekers of strategies that are the same, and present, at every design point
    (pooling a strategy that exists in some worlds only would compare different worlds)."""
    points = seekers.groupby("strategy")["point_id"].nunique()
    everywhere = set(points[points == seekers["point_id"].nunique()].index)
    kept = seekers[seekers["strategy"].isin(everywhere - chosen_strategies(seekers))]
    return kept if len(kept) else seekers


def _per_strategy(seekers: pd.DataFrame) -> pd.DataFrame:
    table = seekers.groupby("strategy", sort=False)[["meetings", "mop_up_calls", "reputation_end"]].mean()
    table["median_days"] = [km_median(g) for _, g in seekers.groupby("strategy", sort=False)]
    table["label"] = [label_for(str(s)) for s in table.index]
    return table


def _days(value: float) -> str:
    return (
        "fewer than half had a job by the end" if pd.isna(value) else f"half had a job after {value:.0f} days"
    )


def _busy_lesson(t: pd.DataFrame) -> str:
    busy, calm = t.loc[t["meetings"].idxmax()], t.loc[t["meetings"].idxmin()]
    if busy.name == calm.name:
        return f"Meetings: {busy.label} seekers held {busy.meetings:.0f} meetings each; {_days(busy.median_days)}."
    ratio = busy.meetings / calm.meetings if calm.meetings else float("inf")
    times = f"{ratio:.1f} times as many as" if ratio != float("inf") else "against none for"
    later = pd.isna(busy.median_days) or (
        not pd.isna(calm.median_days) and busy.median_days >= calm.median_days
    )
    verdict = "Busy is not the same as effective" if later else "Here more meetings did pay"
    return (f"{verdict}: {busy.label} seekers held {busy.meetings:.0f} meetings each, {times} {calm.label} "
            f"seekers ({calm.meetings:.0f}); {busy.label}: {_days(busy.median_days)}, {calm.label}: "
            f"{_days(calm.median_days)}.")  # fmt: skip


def _mop_up_lesson(t: pd.DataFrame) -> str:
    most, least = t.loc[t["mop_up_calls"].idxmax()], t.loc[t["mop_up_calls"].idxmin()]
    what = "a contact phoning the friend whose name was used, to disclaim the seeker"
    if most.name == least.name:
        return f"Mop-up calls ({what}): {most.mop_up_calls:.1f} per {most.label} seeker."
    return (f"Pushing leaves a trail: each {most.label} seeker set off {most.mop_up_calls:.1f} mop-up calls on "
            f"average ({what}); each {least.label} seeker {least.mop_up_calls:.1f}.")  # fmt: skip


def _reputation_lesson(t: pd.DataFrame) -> str:
    best, worst = t.loc[t["reputation_end"].idxmax()], t.loc[t["reputation_end"].idxmin()]
    if best.name == worst.name:
        return f"Reputation: people who knew {best.label} seekers rated them {best.reputation_end:.2f} (0.5 is neutral)."
    return (f"Reputation travels: by the end, people who knew {best.label} seekers rated them "
            f"{best.reputation_end:.2f} on average, {worst.label} seekers {worst.reputation_end:.2f} "
            "(0.5 is neutral; below it, people would rather not help).")  # fmt: skip


def lessons(seekers: pd.DataFrame) -> list[str]:
    """Three lessons in plain words, each with its numbers: meetings against time to hire,
    mop-up calls, and reputation at the end (means per seeker; medians are Kaplan-Meier)."""
    table = _per_strategy(seekers)
    return [_busy_lesson(table), _mop_up_lesson(table), _reputation_lesson(table)]


def _survival_image(seekers: pd.DataFrame):
    buffer = io.BytesIO()
    plots.who_gets_hired_sooner(seekers, "paper").savefig(buffer, format="png", dpi=200)
    buffer.seek(0)
    return mpimg.imread(buffer, format="png")


def _wrapped(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width))


def _note(results, seekers: pd.DataFrame) -> str:
    runs = seekers["run_id"].nunique()
    note = (f"Simulated job seekers, not real ones: {len(seekers)} seekers in {runs} simulated worlds of "
            f"{results.config.get('name', 'an experiment')}.")  # fmt: skip
    if swept_columns(seekers):
        note += " Pooled over every world of the sweep."
    return note


def handout_figure(results) -> Figure:
    """The handout as one A4 matplotlib figure."""
    seekers = fixed_seekers(results.seekers)
    fig = Figure(figsize=A4)
    text = {"parse_math": False, "transform": fig.transFigure}
    fig.text(0.07, 0.955, "Who gets hired sooner?", fontsize=22, weight="bold", va="top", **text)
    fig.text(
        0.07,
        0.915,
        _wrapped(headline(seekers, drawn_from_posterior(results.config)).sentence, 78),
        fontsize=12.5,
        va="top",
        linespacing=1.4,
        **text,
    )
    ax = fig.add_axes((0.05, 0.40, 0.90, 0.40))
    ax.imshow(_survival_image(seekers))
    ax.set_axis_off()
    fig.text(0.07, 0.385, "Three lessons", fontsize=16, weight="bold", va="top", **text)
    y = 0.35
    for number, lesson in enumerate(lessons(seekers), start=1):
        block = _wrapped(lesson, 82)
        fig.text(0.07, y, f"{number}.", fontsize=12, weight="bold", va="top", **text)
        fig.text(0.11, y, block, fontsize=12, va="top", linespacing=1.35, **text)
        y -= 0.03 + 0.019 * block.count("\n")
    fig.text(
        0.07, 0.03, _wrapped(_note(results, seekers), 110), fontsize=8.5, color="#555555", va="bottom", **text
    )
    return fig


def write_handout(results, path: Path) -> Path:
    """Write the one-page handout (A4 PDF), replacing it atomically."""
    tmp = path.with_name(f".{path.name}.tmp")
    handout_figure(results).savefig(tmp, format="pdf")
    tmp.replace(path)
    return path


def _text_slide(title: str, lines: list[str], context: Context) -> Figure:
    with style(context):
        fig = figure(context)
        fig.set_layout_engine(None)
        kw = {"parse_math": False, "va": "top", "transform": fig.transFigure}
        fig.text(0.06, 0.9, title, fontsize=34, weight="bold", **kw)
        y = 0.74
        for line in lines:
            block = _wrapped(line, 70)
            fig.text(0.06, y, block, fontsize=22, linespacing=1.35, **kw)
            y -= 0.09 + 0.06 * block.count("\n")
    return fig


def write_slides(results, path: Path, context: Context = "talk") -> Path:
    """Write the slide set: title and headline, lessons, then one slide per figure."""
    seekers = fixed_seekers(results.seekers)
    name = str(results.config.get("name", "experiment"))
    tmp = path.with_name(f".{path.name}.tmp")
    with PdfPages(tmp) as pdf:
        pdf.savefig(
            _text_slide(
                f"Who gets hired sooner? ({name})",
                [headline(seekers, drawn_from_posterior(results.config)).sentence],
                context,
            )
        )
        pdf.savefig(_text_slide("Three lessons", lessons(seekers), context))
        for make in plots.figures_for(results).values():
            pdf.savefig(make(results, context))
    tmp.replace(path)
    return path


def write_handouts(results, folder: Path, context: Context = "paper") -> list[Path]:
    """``handout.pdf`` always; ``slides.pdf`` too in the talk context."""
    paths = [write_handout(results, folder / "handout.pdf")]
    if context == "talk":
        paths.append(write_slides(results, folder / "slides.pdf", context))
    return paths
