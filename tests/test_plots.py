"""Figures show what they claim: one line per strategy with the right labels, axis labels
set, one point per seeker; files are written as PNG and SVG; talk mode is 16:9."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PathCollection

from sim.viz import plots
from sim.viz.style import colours_for, label_for


def fake_seekers(n_runs=6, per=10, seed=1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for r in range(n_runs):
        for strategy, scale, meetings in (("polite", 120, 30), ("nfl", 220, 300)):
            for k in range(per):
                day = int(rng.exponential(scale)) + 1
                rows.append({"run_id": f"r{r}", "strategy": strategy, "seeker_id": k, "hired": day <= 365,
                             "days_searched": min(day, 365), "meetings": int(rng.poisson(meetings)),
                             "mop_up_calls": int(rng.poisson(150 if strategy == "nfl" else 0)),
                             "phone_help": 0, "reputation_end": 0.5})  # fmt: skip
    return pd.DataFrame(rows)


def fake_daily(n_runs=3, days=50) -> pd.DataFrame:
    rows = [{"run_id": f"r{r}", "day": d, "strategy": s, "mean_reputation": 0.5 + (0.1 if s == "polite" else -0.1) * d / days}
            for r in range(n_runs) for d in range(1, days + 1) for s in ("polite", "nfl")]  # fmt: skip
    return pd.DataFrame(rows)


def test_survival_figure_has_one_labelled_line_per_strategy():
    fig = plots.who_gets_hired_sooner(fake_seekers())
    ax = fig.axes[0]
    labels = [line.get_label() for line in ax.get_lines() if not line.get_label().startswith("_")]
    assert labels == [label_for("polite"), label_for("nfl")]
    assert ax.get_xlabel() == "Days since losing the job" and ax.get_ylabel() == "Share still searching"
    assert ax.get_title() == "Who gets hired sooner"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == labels
    medians = [t.get_text() for t in ax.texts]
    assert len(medians) == 2 and all(m.endswith(" days") for m in medians)


def test_the_same_strategy_has_the_same_colour_in_every_figure():
    seekers = fake_seekers()
    colours = colours_for(["polite", "nfl"])
    survival = plots.who_gets_hired_sooner(seekers).axes[0]
    scatter = plots.busy_vs_effective(seekers).axes[0]
    line_colour = {line.get_label(): line.get_color() for line in survival.get_lines()}
    assert line_colour[label_for("nfl")] == colours["nfl"]
    nfl_points = next(c for c in scatter.collections if c.get_label() == label_for("nfl"))
    assert tuple(np.round(nfl_points.get_facecolor()[0][:3], 3)) == tuple(np.round(_rgb(colours["nfl"]), 3))
    assert colours_for(["nfl", "polite"]) == {"nfl": colours["nfl"], "polite": colours["polite"]}


def _rgb(hex_colour: str) -> tuple[float, float, float]:
    return tuple(int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))


def test_busy_versus_effective_has_one_point_per_seeker():
    seekers = fake_seekers()
    ax = plots.busy_vs_effective(seekers).axes[0]
    points = sum(len(c.get_offsets()) for c in ax.collections if isinstance(c, PathCollection))
    assert points == len(seekers)
    assert ax.get_xlabel().startswith("Meetings") and ax.get_ylabel().startswith("Days to hire")


def test_reputation_and_mop_up_figures_are_labelled():
    rep = plots.reputation_over_time(fake_daily()).axes[0]
    assert [line.get_label() for line in rep.get_lines() if not line.get_label().startswith("_")] == [
        label_for("polite"),
        label_for("nfl"),
    ]
    assert "opinion" in rep.get_ylabel()
    seekers = fake_seekers()
    mop = plots.mop_ups_per_seeker(seekers).axes[0]
    assert [t.get_text() for t in mop.get_xticklabels()] == [label_for("polite"), label_for("nfl")]
    dots = sum(len(c.get_offsets()) for c in mop.collections if isinstance(c, PathCollection))
    assert dots == len(seekers) and mop.get_ylabel().startswith("Mop-up calls")


def test_sweep_heatmap_shows_one_cell_per_point():
    frames = []
    for a in (0.0, 0.5, 1.0):
        for b in (0.0, 0.5):
            frames.append(
                fake_seekers(2, 5, seed=int(a * 10 + b * 100)).assign(**{"contacts.x": a, "contacts.y": b})
            )
    ax = plots.sweep_heatmap(pd.concat(frames), "contacts.x", "contacts.y", "nfl", "polite").axes[0]
    assert ax.images[0].get_array().shape == (2, 3)
    assert len(ax.texts) == 6 and ax.get_xlabel() == "contacts.x"


def test_save_writes_png_and_svg_and_talk_mode_is_wide(tmp_path):
    paths = plots.save(plots.who_gets_hired_sooner(fake_seekers(), "talk"), tmp_path, "survival")
    assert [p.suffix for p in paths] == [".png", ".svg"] and all(p.stat().st_size > 1000 for p in paths)
    assert paths[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and b"<svg" in paths[1].read_bytes()[:500]
    talk = plots.who_gets_hired_sooner(fake_seekers(), "talk")
    width, height = talk.get_size_inches()
    assert width / height == pytest.approx(16 / 9, rel=0.01)
    paper_font = plots.who_gets_hired_sooner(fake_seekers(), "paper").axes[0].title.get_fontsize()
    assert talk.axes[0].title.get_fontsize() > 1.5 * paper_font


def test_unknown_context_is_an_error():
    with pytest.raises(ValueError, match="context"):
        plots.who_gets_hired_sooner(fake_seekers(), "poster")


def test_referral_chain_figure_has_two_panels_with_one_line_per_strategy():
    rows = []
    for strategy in ("polite", "nfl"):
        for hop in range(4):
            for k in range(30):
                rows.append({"run_id": "r", "seeker_id": 0 if strategy == "polite" else 1, "kind": "call", "hop": hop,
                             "outcome": "meeting" if k < 30 - 6 * hop else "refusal", "endorsement": 0.5 ** hop if hop else 0.0})  # fmt: skip
    events = pd.DataFrame(rows)
    people = pd.DataFrame({"run_id": ["r", "r"], "seeker_id": [0, 1], "strategy": ["polite", "nfl"]})
    fig = plots.referral_chains(events, people)
    left, right = fig.axes[:2]
    assert len(left.get_lines()) == 2 and len(right.get_lines()) == 2
    assert list(right.get_lines()[0].get_ydata()) == pytest.approx([1.0, 0.8, 0.6, 0.4])
    assert left.get_xlabel().startswith("Hops") and "meeting" in right.get_ylabel()


def test_sweeps_get_a_heatmap_on_a_grid_and_lines_otherwise():
    class R:
        events = None
        daily = fake_daily()

    grid = pd.concat([fake_seekers(2, 4, seed=i).assign(point_id=i, **{"contacts.a": a, "contacts.b": b})
                      for i, (a, b) in enumerate([(0, 0), (0, 1), (1, 0), (1, 1)])])  # fmt: skip
    R.seekers = grid
    assert "where_it_pays" in plots.figures_for(R)
    line = pd.concat(
        [fake_seekers(2, 4, seed=i).assign(point_id=i, **{"contacts.a": float(i)}) for i in range(3)]
    )
    R.seekers = line
    figures = plots.figures_for(R)
    assert "sweep" in figures and "where_it_pays" not in figures
    ax = figures["sweep"](R, "paper").axes[0]
    assert len(ax.get_lines()) == 2 and len(ax.get_xticklabels()) == 3


def test_one_seekers_network_shows_everyone_her_search_touched():
    import sim

    from .worlds import small_params

    tables = sim.simulate(small_params(("nfl", 4), ("polite", 4), horizon=60), seed=2)
    fig = plots.seeker_network(tables.events, tables.seekers, max_people=500)
    ax = fig.axes[0]
    _run_id, seeker_id = plots._pick_seeker(tables.events, tables.seekers)
    mine = tables.events[(tables.events.seeker_id == seeker_id) & (tables.events.day >= 1)]
    touched = set(mine.loc[mine.kind.isin(["call", "referral"]), "target"].dropna().astype(int))
    plotted = sum(len(c.get_offsets()) for c in ax.collections if isinstance(c, PathCollection))
    assert plotted >= len(touched) + 1  # every person called or named, plus the seeker
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    mop_ups = int((mine.kind == "mop_up").sum())
    assert any(t.startswith("the seeker") for t in legend)
    assert mop_ups > 0  # the figure picks the seeker with the most mop-up calls
    assert any(t.startswith("made a mop-up call") for t in legend)
