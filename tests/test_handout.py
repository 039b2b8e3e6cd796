"""Paper for the room: the handout is one A4 page whose lessons carry the results' numbers,
and ``sim report --context talk`` writes a 16:9 slide set."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

import sim.results
from sim.analysis import km_median
from sim.cli import app
from sim.viz import plots
from sim.viz.handout import fixed_seekers, lessons
from sim.viz.report import headline
from sim.viz.style import label_for

from .test_plots import fake_seekers

runner = CliRunner()


def test_the_handout_is_one_a4_page_with_the_headline_and_three_lessons(grid):
    pdf = PdfReader(grid / "handout.pdf")
    assert len(pdf.pages) == 1
    box = pdf.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    text = " ".join(pdf.pages[0].extract_text().split())
    seekers = fixed_seekers(sim.results.load(grid).seekers)
    assert set(seekers["strategy"]) == {"polite", "nfl"}  # the swept "yours" is left out
    assert "Three lessons" in text and "1." in text and "3." in text
    assert " ".join(headline(seekers).sentence.split()[:4]) in text


def test_the_lessons_carry_the_numbers_of_the_results():
    seekers = fake_seekers().assign(point_id=0)
    busy, trail, opinion = lessons(seekers)
    nfl, polite = seekers[seekers.strategy == "nfl"], seekers[seekers.strategy == "polite"]
    assert busy.startswith("Busy is not the same as effective")  # nfl: more meetings, slower
    assert f"held {nfl.meetings.mean():.0f} meetings each" in busy
    assert f"{nfl.meetings.mean() / polite.meetings.mean():.1f} times as many" in busy
    assert f"half had a job after {km_median(nfl):.0f} days" in busy
    assert f"each {label_for('nfl')} seeker set off {nfl.mop_up_calls.mean():.1f} mop-up calls" in trail
    assert "rated them 0.50" in opinion


def test_the_handout_leaves_out_the_chosen_way_and_strategies_missing_from_some_worlds():
    seekers = pd.concat([fake_seekers().assign(point_id=p, **{"population.seekers.yours.pressure": v})
                         for p, v in ((0, 0.1), (1, 0.9))], ignore_index=True)  # fmt: skip
    seekers.loc[seekers.strategy == "polite", "strategy"] = ["yours", "polite"] * (
        (seekers.strategy == "polite").sum() // 2
    )
    seekers.loc[(seekers.point_id == 1) & (seekers.strategy == "nfl"), "strategy"] = "others"
    assert set(fixed_seekers(seekers)["strategy"]) == {"polite"}


def test_sim_report_in_the_talk_context_writes_a_16_9_slide_set(grid, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(grid, copy)
    assert runner.invoke(app, ["report", str(copy), "--context", "talk"]).exit_code == 0
    slides = PdfReader(copy / "slides.pdf")
    figures = len(plots.figures_for(sim.results.load(copy)))
    assert len(slides.pages) == 2 + figures  # title, lessons, one per figure
    for page in slides.pages:
        assert float(page.mediabox.width) / float(page.mediabox.height) == pytest.approx(16 / 9, rel=0.01)
    assert "Three lessons" in slides.pages[1].extract_text()
