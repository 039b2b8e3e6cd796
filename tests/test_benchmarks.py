"""The benchmark scripts keep their output contract (docs/performance.md quotes them).

Tiny sizes only: these check what the scripts print and that their figures agree with each
other, never how fast anything is.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from sim.analysis.outputs import BASES
from tests.experiments import tiny_experiment

BENCHMARKS = Path(__file__).parent.parent / "benchmarks"


def run_script(name: str, *args: str) -> list[dict]:
    out = subprocess.run(
        [sys.executable, str(BENCHMARKS / name), *args],
        check=True,
        capture_output=True,
        text=True,
        timeout=240,
    )
    return [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]


def quotient_range(top: float, bottom: float, half_unit: float) -> tuple[float, float]:
    """The values ``top / bottom`` can take when both were printed rounded to within
    ``half_unit``: exact bounds, not a first-order estimate, since a run of a tenth of a
    second printed to 2 decimals is already 5% off."""
    return (top - half_unit) / (bottom + half_unit), (top + half_unit) / (bottom - half_unit)


def within(value: float, bounds: tuple[float, float], printed_half_unit: float) -> bool:
    """Whether ``value``, itself printed rounded to within ``printed_half_unit``, lies in
    ``bounds``."""
    low, high = bounds
    return low - printed_half_unit <= value <= high + printed_half_unit


def test_quotient_range_holds_every_pair_of_roundings_and_is_tight():
    for top, bottom in ((2.7, 0.1), (0.73, 0.41), (26.0, 13.0)):
        low, high = quotient_range(round(top, 2), round(bottom, 2), 0.005)
        assert low <= top / bottom <= high
    low, high = quotient_range(2.7, 0.1, 0.005)
    assert low == pytest.approx(2.695 / 0.105) and high == pytest.approx(2.705 / 0.095)


def test_scale_reports_the_documented_fields_consistently():
    (row,) = run_script("scale.py", "--people", "400", "--seekers", "6", "--days", "30")
    assert {
        "people",
        "seekers",
        "days",
        "seconds",
        "graph_seconds",
        "peak_rss_mb",
        "events",
        "events_per_s",
        "person_days_per_s",
    } <= set(row)
    assert (row["people"], row["seekers"], row["days"]) == (400, 6, 30)
    assert 0 < row["graph_seconds"] < row["seconds"]
    assert row["events"] > 0 and row["peak_rss_mb"] > 0
    # seconds are printed to 3 decimals, the rates computed from the unrounded seconds and
    # printed to whole numbers
    assert within(row["events_per_s"], quotient_range(row["events"], row["seconds"], 0.0005), 0.5)
    assert within(row["person_days_per_s"], quotient_range(400 * 30, row["seconds"], 0.0005), 0.5)


def test_vs_mesa_ratio_is_the_ratio_of_the_two_rates():
    (row,) = run_script("vs_mesa.py", "--people", "500", "--days", "3", "--seekers", "4")
    assert (row["people"], row["seekers"], row["days"]) == (500, 4, 3)
    # ratio is printed to 2 decimals, the rates to whole person-days per second
    rates = quotient_range(row["model_person_days_per_s"], row["mesa_person_days_per_s"], 0.5)
    assert within(row["ratio"], rates, 0.005)


def test_sweep_times_three_executions_that_store_identical_tables(tmp_path):
    path = tiny_experiment(tmp_path, replications=2, horizon=20, people=200)
    (row,) = run_script("sweep.py", str(path))
    assert row["runs"] == 2 and row["identical"] is True
    # Seconds are printed to 2 decimals and ratios, from the unrounded seconds, to 3.
    for ratio, top, bottom in (
        ("speedup_2_workers", "seconds_1_worker", "seconds_2_workers"),
        ("dask_vs_pool", "seconds_dask", "seconds_2_workers"),
    ):
        assert within(row[ratio], quotient_range(row[top], row[bottom], 0.005), 0.0005)


def test_scaling_replot_fits_the_recorded_slope(tmp_path):
    rows = [
        {"people": n, "seekers": n // 100, "days": 10, "seconds": 0.002 * n**0.9}
        for n in (1_000, 10_000, 100_000)
    ]
    recorded = tmp_path / "rows.jsonl"
    recorded.write_text("".join(json.dumps(r) + "\n" for r in rows))
    *_, summary = run_script("scaling.py", "--replot", str(recorded), "--plot", str(tmp_path / "plot"))
    assert summary["slope"] == pytest.approx(0.9, abs=1e-3)
    assert (tmp_path / "plot.png").stat().st_size > 0 and (tmp_path / "plot.svg").exists()


def test_sensitivity_benchmark_times_a_whole_sobol_design():
    pytest.importorskip("SALib")
    (row,) = run_script(
        "sensitivity.py", "--n", "2", "--people", "120", "--seekers", "4", "--days", "20", "--workers", "1"
    )
    assert row["runs"] == 2 * (2 * 4 + 2)  # Saltelli over four parameters
    # four parameters x the default outputs of two strategies: every base, two mean days, one gap
    assert row["indices"] == 4 * (len(BASES) + 2 + 1)
    parts = row["seconds_plan"] + row["seconds_runs"] + row["seconds_analysis"]
    assert row["seconds_total"] == pytest.approx(parts, abs=0.05)
    assert row["runs_per_second"] == pytest.approx(row["runs"] / row["seconds_runs"], rel=0.01)


def test_world_size_keeps_the_density_of_seekers_and_counts_who_has_heard():
    import csv
    import io

    out = subprocess.run(
        [sys.executable, str(BENCHMARKS / "world_size.py"), "--runs", "1", "--sizes", "400", "800"],
        check=True, capture_output=True, text=True, timeout=240,
    ).stdout  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(int(r["people"]), int(r["seekers"])) for r in rows] == [(400, 9), (800, 18)]  # 45 per 2,000
    assert all(0 < float(r["heard_nfl"]) <= 1 and 0 < float(r["heard_polite"]) <= 1 for r in rows)


def test_world_size_hearing_is_the_share_holding_a_view():
    import importlib.util

    from sim.model.model import NetworkingModel

    spec = importlib.util.spec_from_file_location("world_size", BENCHMARKS / "world_size.py")
    world_size = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(world_size)
    model = NetworkingModel(world_size.world(600), seed=3)
    # at job loss, before any step, exactly her own contacts hold a view of each seeker
    nfl = [s.person for s in model.seekers if s.strategy.name == "nfl"]
    expected = np.mean([len(model.ties.neighbors(p)) for p in nfl]) / 600
    assert world_size.heard_share(model, "nfl") == pytest.approx(expected)


def test_social_costs_pairs_each_seed_with_and_without_the_costs():
    import importlib.util

    from tests.worlds import small_params

    spec = importlib.util.spec_from_file_location("social_costs", BENCHMARKS / "social_costs.py")
    social_costs = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(social_costs)
    base = small_params(("polite", 4), ("nfl", 4), people=300, horizon=60, record_events=False)
    per_run, seekers = social_costs.paired_runs(base, runs=3, seed=7)
    with_costs, without = (per_run[per_run.world == w].set_index("run") for w in ("with", "without"))
    assert with_costs.seed.tolist() == without.seed.tolist() and with_costs.seed.is_unique
    assert (without.mop_ups == 0).all() and with_costs.mop_ups.sum() > 0  # the costs are off, and only there
    result = social_costs.summary(per_run, seekers)
    gaps = {
        w: g["mean_days.nfl"] - g["mean_days.polite"] for w, g in (("with", with_costs), ("without", without))
    }
    assert result["gap_shrank"] == int((gaps["without"] < gaps["with"]).sum()) and result["runs"] == 3
    assert result["nfl_ahead"] == {w: int((g < 0).sum()) for w, g in gaps.items()}


def public_figures():
    """benchmarks/public_figures.py as a module."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("public_figures", BENCHMARKS / "public_figures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_public_figures_counts_each_chain_per_world_and_spreads_over_worlds():
    """model.md §1.1's chains: Granovetter's information chain (told by the manager herself)
    and the chain of names, as shares of each world's network hires; formal hires and the
    unhired left out; the spread is the median and middle 95% over worlds."""
    import pandas as pd

    figures = public_figures()
    seekers = pd.DataFrame(
        {
            "run_id": ["a", "a", "a", "a", "b", "b"],
            "hired": [True, True, True, False, True, True],
            "hire_channel": ["network", "network", "other", None, "network", "network"],
            "hire_info_hops": pd.array([0, 1, None, None, 1, 1], dtype="Int64"),
            "hire_hops": pd.array([2, 1, None, None, 3, 0], dtype="Int64"),
        }
    )  # fmt: skip
    direct, names = figures.chain_shares(seekers).values()
    assert direct.to_dict() == {"a": 0.5, "b": 0.0}
    assert names.to_dict() == {"a": 0.5, "b": 0.5}
    assert figures.spread(pd.Series([0.0, 0.5, 1.0]), percent=True).startswith(
        "50% [2.5%, 97.5%] over 3 worlds"
    )
    assert figures.spread(pd.Series([np.nan])).startswith("n/a")
    old = figures.chain_shares(seekers.drop(columns="hire_info_hops"))
    assert next(iter(old.values())).isna().all()  # a table stored before the column: undefined


def test_public_figures_hazards_and_strategy_medians_keep_slow_worlds():
    """The life table scales a short last period to 60 days and counts only worlds with
    searches on both sides of day 120; a world where fewer than half were hired counts at
    the horizon, not dropped."""
    import pandas as pd

    figures = public_figures()
    # world a: hires on days 30 and 150, one censored at 200; world b: both hired by day 50
    seekers = pd.DataFrame(
        {
            "run_id": ["a", "a", "a", "b", "b"], "strategy": "polite",
            "hired": [True, True, False, True, True], "days_searched": [30, 150, 200, 20, 50],
        }
    )  # fmt: skip
    text = figures.hazards(seekers)
    assert "days 181-200: 0.00" in text and "in 1 of 1 worlds" not in text  # a: 1/3 early, 1/2 late
    assert text.endswith("lower in days 121-240 than in days 1-120 in 0 of 1 worlds")
    slow = pd.DataFrame(
        {"run_id": ["a", "a", "a", "b", "b"], "point_id": 0, "replication": [0, 0, 0, 1, 1], "strategy": "nfl",
         "hired": [True, False, False, False, False], "days_searched": [10, 365, 365, 365, 365]}
    )  # fmt: skip
    (_, line), *_ = figures.strategy_lines(slow, horizon=365)
    assert line == "not reached by day 365; 20%; 365 [365, 365] over 2 worlds"  # neither reached half
