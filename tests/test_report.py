"""The workshop report: its headline matches the statistics, text from files is escaped, and a
real headless browser shows every image loaded with no console errors."""

from __future__ import annotations

import html
import os
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from typer.testing import CliRunner

import sim.results
from sim.analysis import rmst, survival_summary
from sim.cli import app
from sim.viz import plots
from sim.viz.report import headline, render
from sim.viz.style import label_for

from .test_plots import fake_daily, fake_seekers

ROOT = Path(__file__).parent.parent
runner = CliRunner()


class FakeResults:
    def __init__(self, name="demo", description="A test."):
        self.seekers = fake_seekers()
        self.daily = fake_daily()
        self.events = None
        self.config = {"name": name, "description": description, "seed": 1, "horizon_days": 365}
        self.manifest = {"package_version": "0", "python": "3", "git_commit": None}


def test_headline_names_the_fastest_and_slowest_with_their_numbers():
    seekers = fake_seekers()
    summary = survival_summary(seekers).set_index("strategy")
    finding = headline(seekers)
    assert finding.fastest == summary["rmst_days"].idxmin() == "polite" and finding.slowest == "nfl"
    per_run = [
        rmst(g[g.strategy == "nfl"]) - rmst(g[g.strategy == "polite"]) for _, g in seekers.groupby("run_id")
    ]
    assert finding.runs == 6 and finding.runs_ahead == sum(d > 0 for d in per_run)
    assert finding.p_value == pytest.approx(stats.binomtest(finding.runs_ahead, 6).pvalue)
    assert f"{summary.loc['polite', 'median_days']:.0f} days" in finding.sentence
    assert f"{summary.loc['nfl', 'share_hired']:.0%}" in finding.sentence
    assert f"ahead in {finding.runs_ahead} of 6 simulated worlds" in finding.sentence


def test_headline_reads_well_when_medians_are_not_reached_or_there_is_one_strategy():
    late = fake_seekers().assign(hired=False, days_searched=365)
    assert "fewer than half had a job by the end" in headline(late).sentence
    assert "not reached" not in headline(late).sentence
    alone = fake_seekers()
    alone = alone[alone.strategy == "polite"]
    sentence = headline(alone).sentence
    assert sentence.startswith(label_for("polite")) and "slowest" not in sentence and "nan" not in sentence


def test_text_from_the_experiment_file_is_escaped():
    page = render(FakeResults(name="<script>alert(1)</script>", description="Tom & Jerry <b>"))
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Tom &amp; Jerry &lt;b&gt;" in page


def test_the_report_says_when_job_losses_are_spread_over_time():
    cohort, flow = FakeResults(), FakeResults()
    flow.config = {**flow.config, "job_loss_spread_days": 365}
    assert "drawn from the first" not in render(cohort)
    assert "each on a day drawn from the first 365 days" in render(flow)
    # a file that leaves the spread at its default: the runs table says what the runs used
    by_default = FakeResults()
    by_default.runs = pd.DataFrame({"run_id": ["r0", "r1"], "job_loss_spread_days": [365, 365]})
    assert "each on a day drawn from the first 365 days" in render(by_default)


def test_the_report_says_how_long_seekers_were_followed_from_what_the_runs_used():
    from_file = FakeResults()
    assert "professionals for 365 days after losing their jobs" in render(from_file)
    # the runs table, which records defaults too, outranks a file that left the horizon out
    by_default = FakeResults()
    del by_default.config["horizon_days"]
    by_default.runs = pd.DataFrame({"run_id": ["r0", "r1"], "horizon_days": [200, 200]})
    assert "professionals for 200 days after losing their jobs" in render(by_default)
    # neither says: no number is guessed
    unknown = FakeResults()
    del unknown.config["horizon_days"]
    assert "professionals after losing their jobs" in render(unknown)


def test_the_report_embeds_every_figure():
    page = render(FakeResults())
    assert len(re.findall(r'<img alt="[^"]+" src="data:image/png;base64,', page)) == 4
    assert "http" not in page.split("<body>")[1].split("Methods")[0]  # nothing fetched from outside


@pytest.fixture(scope="module")
def flagship(tmp_path_factory) -> Path:
    """The README's flagship command, with fewer replications to keep the suite fast."""
    out = tmp_path_factory.mktemp("flagship") / "aggressive_vs_polite"
    result = runner.invoke(app, ["run", str(ROOT / "experiments/aggressive_vs_polite.yaml"), "--out", str(out),
                                 "--replications", "3", "-q"])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    return out


def test_the_flagship_run_writes_figures_and_a_report_whose_headline_matches(flagship):
    page = (flagship / "report.html").read_text()
    results = sim.results.load(flagship)
    assert results.config["posterior"]  # the flagship's worlds are drawn from the calibration
    finding = headline(results.seekers, calibrated=True)
    shown = re.search(r'<p class="headline" id="headline">(.*?)</p>', page, re.S).group(1)
    assert html.unescape(shown) == finding.sentence
    # each run's drawn parameters are stored, and the runs differ in them
    assert results.runs.groupby("run_id")["market.opening_rate"].first().nunique() > 1
    for stem in ("who_gets_hired_sooner", "busy_vs_effective", "reputation_over_time", "mop_ups_per_seeker"):
        assert (flagship / "plots" / f"{stem}.png").exists() and (flagship / "plots" / f"{stem}.svg").exists()


def _browser():
    """Playwright driving Debian's chromium; in CI both must be there (.ci/run installs them)."""
    executable = shutil.which("chromium")
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing: .ci/run installs Debian's chromium")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    if os.environ.get("CI"):
        from playwright import sync_api
    else:
        sync_api = pytest.importorskip("playwright.sync_api")
    return sync_api, executable


def test_a_headless_browser_shows_every_image_and_no_console_error(flagship, tmp_path):
    playwright, executable = _browser()
    errors: list[str] = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])  # fmt: skip
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto((flagship / "report.html").as_uri())
        page.wait_for_load_state("load")
        images = page.evaluate(
            "Array.from(document.images).map(i => [i.complete, i.naturalWidth, i.naturalHeight])"
        )
        shot = tmp_path / "report.png"
        page.screenshot(path=str(shot), full_page=True)
        browser.close()
    expected = len(plots.figures_for(sim.results.load(flagship)))
    assert (
        expected == 6
    )  # the four standard figures, plus chains and network from the first replication's log
    assert len(images) == expected and all(done and w > 100 and h > 100 for done, w, h in images)
    assert errors == []
    assert shot.stat().st_size > 50_000


def test_plot_and_report_commands(flagship, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(flagship, copy)
    shutil.rmtree(copy / "plots")
    (copy / "report.html").unlink()
    assert runner.invoke(app, ["plot", str(copy), "--context", "talk"]).exit_code == 0
    assert len(list((copy / "plots").glob("*.png"))) == len(plots.figures_for(sim.results.load(copy))) == 6
    assert runner.invoke(app, ["report", str(copy)]).exit_code == 0 and (copy / "report.html").exists()
    bad = runner.invoke(app, ["plot", str(copy), "--context", "poster"])
    assert bad.exit_code == 2 and "--context" in bad.stderr
    empty = runner.invoke(app, ["report", str(tmp_path / "nothing")])
    assert empty.exit_code == 2 and "no such results folder" in empty.stderr


def test_headline_gives_the_median_gap_over_runs_and_the_middle_95_percent():
    seekers = fake_seekers()
    gaps = [
        rmst(g[g.strategy == "nfl"]) - rmst(g[g.strategy == "polite"]) for _, g in seekers.groupby("run_id")
    ]
    finding = headline(seekers)
    assert finding.gap_days == pytest.approx(float(np.median(gaps)))
    assert finding.gap_low == pytest.approx(float(np.percentile(gaps, 2.5)))
    assert finding.gap_high == pytest.approx(float(np.percentile(gaps, 97.5)))
    assert f"median of {np.median(gaps):.0f} days" in finding.sentence
    assert "calibrated worlds" not in finding.sentence
    assert "calibrated worlds" in headline(seekers, calibrated=True).sentence
