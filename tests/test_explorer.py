"""The workshop explorer: scenarios come from the sweep's design points, the page is one
offline file whose controls and story slider change what a real browser draws, and text from
files cannot break out of the page."""

from __future__ import annotations

import html
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import sim.results
from sim.analysis import km_median
from sim.cli import app
from sim.experiment import load_experiment
from sim.experiment.design import design_points
from sim.viz.explorer import _spec, render, scenario_charts
from sim.viz.scenarios import scenarios
from sim.viz.story import RANK, story

from .test_plots import fake_daily, fake_seekers
from .test_report import _browser

runner = CliRunner()
ROOT = Path(__file__).parent.parent


def test_sim_run_writes_the_explorer_for_a_scenario_grid_and_one_event_log(grid):
    assert (grid / "explorer.html").exists() and (grid / "report.html").exists()
    results = sim.results.load(grid)
    assert sorted(results.events["run_id"].unique()) == sorted(results.runs["run_id"])[:1]  # events: one


def test_every_design_point_is_a_scenario_with_its_own_numbers(grid):
    results = sim.results.load(grid)
    view = scenarios(results.seekers, results.daily)
    network, world = view.controls
    assert network.strategy == "yours" and network.columns == ("population.seekers.yours.pressure",)
    assert world.strategy is None and world.labels == ("less (0)", "more (0.5)")
    assert sorted(view.summary["key"].unique()) == ["0-0", "0-1", "1-0", "1-1"]
    point = results.seekers[(results.seekers["population.seekers.yours.pressure"] == 0.9)
                            & (results.seekers["contacts.gossip_rate"] == 0.0)]  # fmt: skip
    row = view.summary[(view.summary["key"] == "1-0") & (view.summary["strategy"] == "nfl")].iloc[0]
    nfl = point[point["strategy"] == "nfl"]
    assert row["meetings"] == pytest.approx(nfl["meetings"].mean())
    assert row["median_days"] == pytest.approx(km_median(nfl), nan_ok=True)
    assert set(view.summary.loc[view.summary["strategy"] == "yours", "role"]) == {"your choice"}
    assert set(view.curves.groupby(["key", "who"])["day"].max()) == {view.horizon}


def test_columns_that_move_together_are_one_control():
    seekers = pd.DataFrame({"point_id": [0, 1, 2, 3], "run_id": ["a", "b", "c", "d"], "strategy": "polite",
                            "hired": True, "days_searched": [5, 6, 7, 8], "meetings": 1, "mop_up_calls": 0,
                            "reputation_end": 0.5, "population.seekers.polite.count": [10, 20, 10, 20],
                            "population.seekers.nfl.count": [20, 10, 20, 10], "contacts.gossip_rate": [0.1, 0.1, 0.5, 0.5]})  # fmt: skip
    daily = pd.DataFrame({"point_id": [0, 1, 2, 3], "strategy": "polite", "day": 7, "mean_reputation": 0.5})
    view = scenarios(seekers, daily)
    crowd, talk = view.controls
    assert crowd.columns == ("population.seekers.polite.count", "population.seekers.nfl.count")
    assert crowd.labels == ("10; 20", "20; 10") and talk.labels == ("less (0.1)", "more (0.5)")
    assert list(view.summary.sort_values("median_days")["key"]) == ["0-0", "1-0", "0-1", "1-1"]


def test_the_story_follows_one_seeker_per_strategy_from_the_event_log(grid):
    results = sim.results.load(grid)
    told = story(results.events, results.seekers)
    assert list(told.seekers["strategy"]) == ["polite", "nfl", "yours"]
    events = results.events
    for row in told.seekers.itertuples():
        mine = events[(events["seeker_id"] == row.seeker_id) & (events["day"] >= 1)]
        people = told.people[(told.people["who"] == row.who) & (told.people["role"] != "seeker")]
        assert set(people["person"]) <= set(mine["source"].dropna()) | set(mine["target"].dropna())
        calls = mine[mine["kind"] == "call"]
        first_called = calls.groupby("target")["day"].min()
        called = people[people["role"] == "called"].set_index("person")["day"]
        assert all(called[p] == first_called[p] for p in called.index)  # a role starts on its event's day
        assert people.groupby("person")["rank"].apply(lambda r: r.is_monotonic_increasing).all()
    assert RANK["hired"] > RANK["mop_up"] > RANK["called"]


HOSTILE = "</script><script>window.hacked=1</script><b>x"


@pytest.fixture(scope="module")
def hostile_page(grid) -> str:
    results = sim.results.load(grid)
    seekers = results.seekers.replace({"strategy": {"nfl": HOSTILE}})
    daily = results.daily.replace({"strategy": {"nfl": HOSTILE}})
    told = story(results.events.assign(), seekers)
    return render(scenarios(seekers, daily), told, HOSTILE, f"Tom & Jerry {HOSTILE}")


def test_text_from_files_cannot_leave_its_place(hostile_page):
    page = hostile_page
    assert HOSTILE not in page and "window.hacked" in page
    assert f"<h1>{html.escape(HOSTILE)}</h1>" in page
    assert page.count("</script>") == 2  # the library bundle and the embed calls, nothing else


@pytest.fixture(scope="module")
def browser():
    playwright, executable = _browser()
    with playwright.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=executable, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])  # fmt: skip
        yield launched
        launched.close()


def _open(browser, path: Path):
    """Open a page, recording console errors and warnings and every request but the file."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    problems: list[str] = []
    page.on(
        "console",
        lambda m: problems.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None,
    )
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("request", lambda r: None if r.url == path.as_uri() else problems.append(f"request: {r.url}"))
    page.route(
        "**/*", lambda route: route.continue_() if route.request.url == path.as_uri() else route.abort()
    )  # fmt: skip  (and a request that does leave is never answered)
    page.goto(path.as_uri())
    page.wait_for_selector("#scenarios svg")
    page.wait_for_selector("#story svg")
    return page, problems


def _drawn(page, where: str) -> str:
    return page.inner_html(f"{where} svg")


def test_in_a_browser_every_control_and_the_story_slider_change_the_picture(grid, browser):
    page, problems = _open(browser, grid / "explorer.html")
    groups = page.eval_on_selector_all("#networking input[type=radio], #world input[type=radio]",
                                       "els => els.map(e => e.name)")  # fmt: skip
    assert len(set(groups)) == 2  # a way of networking and a world
    for name in dict.fromkeys(groups):
        before = _drawn(page, "#scenarios")
        page.locator(f'input[name="{name}"]').nth(1).check()
        page.wait_for_function("b => document.querySelector('#scenarios svg').innerHTML !== b", arg=before)
    before = _drawn(page, "#story")
    page.eval_on_selector("#story-day input[type=range]",
                          "e => { e.value = 1; e.dispatchEvent(new Event('input', {bubbles: true})); }")  # fmt: skip
    page.wait_for_function("b => document.querySelector('#story svg').innerHTML !== b", arg=before)
    assert "Day 1:" in page.inner_text("#story")
    early = page.locator("#story svg path.mark-symbol, #story svg .mark-symbol path").count()
    page.eval_on_selector("#story-day input[type=range]",
                          "e => { e.value = e.max; e.dispatchEvent(new Event('input', {bubbles: true})); }")  # fmt: skip
    page.wait_for_function("() => !document.querySelector('#story').innerText.includes('Day 1:')")
    late = page.locator("#story svg path.mark-symbol, #story svg .mark-symbol path").count()
    assert late > early  # more people appear as the days pass
    before = _drawn(page, "#story")
    page.locator("#story-who input[type=radio]").nth(1).check()
    page.wait_for_function("b => document.querySelector('#story svg').innerHTML !== b", arg=before)
    page.close()
    assert problems == []


def test_in_a_browser_hostile_text_shows_as_text(hostile_page, browser, tmp_path):
    path = tmp_path / "hostile.html"
    path.write_text(hostile_page, encoding="utf-8")
    page, problems = _open(browser, path)
    assert page.inner_text("h1") == HOSTILE
    assert page.evaluate("window.hacked") is None
    assert HOSTILE in page.inner_text("#scenarios")  # the strategy name, drawn as text
    page.close()
    assert problems == []


def test_sim_explore_writes_the_page_and_refuses_a_missing_folder(grid, tmp_path):
    target = tmp_path / "page.html"
    result = runner.invoke(app, ["explore", str(grid), "--out", str(target)])
    assert result.exit_code == 0 and target.read_text().startswith("<!DOCTYPE html>")
    missing = runner.invoke(app, ["explore", str(tmp_path / "nothing")])
    assert missing.exit_code == 2 and "no such results folder" in missing.stderr


def test_a_large_grid_keeps_every_row_inline():
    rng = np.random.default_rng(3)
    rows = 64 * 2 * 45
    seekers = pd.DataFrame({"point_id": np.repeat(np.arange(64), 90), "run_id": "r", "hired": True,
                            "strategy": np.tile(np.repeat(["polite", "nfl"], 45), 64),
                            "days_searched": rng.permutation(rows) % 365 + 1, "meetings": 1, "mop_up_calls": 0,
                            "reputation_end": 0.5})  # fmt: skip
    seekers["contacts.gossip_rate"] = seekers["point_id"] % 8 / 10
    seekers["graph.mean_degree"] = seekers["point_id"] // 8 + 10
    daily = pd.DataFrame({"point_id": 0, "strategy": "polite", "day": [7, 14], "mean_reputation": 0.5})
    view = scenarios(seekers, daily)
    assert len(view.curves) > 5000  # Altair's default limit
    spec = _spec(scenario_charts(view))
    assert spec.count('"share_searching"') >= len(view.curves)


def test_the_workshop_grid_stays_within_its_budget_and_offers_every_choice():
    """Measured: 256 runs of 1,500 people take about 10 CPU-minutes (docs/workshop.md); a
    bigger grid would break the five minutes on two cores."""
    experiment = load_experiment(ROOT / "experiments" / "workshop.yaml")
    points = design_points(experiment)
    assert len(points) * experiment.replications <= 256
    assert experiment.outputs.explorer and experiment.outputs.events == "one"
    swept = {path for point in points for path in point}
    fields = {p.rsplit(".", 1)[1] for p in swept if p.startswith("population.seekers.yours.")}
    assert fields == {"pressure", "names_demanded", "follow_up", "give_rate"}
    assert {"contacts.gossip_rate", "population.busyness_mean", "population.seekers.nfl.count"} <= swept


def test_an_experiment_without_a_sweep_is_one_scenario_with_no_choices():
    seekers = fake_seekers().assign(point_id=0)
    daily = fake_daily().assign(point_id=0)
    view = scenarios(seekers, daily)
    assert view.controls == () and set(view.summary["key"]) == {view.default}
    page = render(view, None, "plain", "")
    assert '<div class="controls">' not in page and "One seeker's story" not in page
    assert '"strokeDash":{"value":[1,0]}' in page  # no "your choice": every line solid
