"""Job losses spread over time (``job_loss_spread_days``): a flow of seekers, each with her
own search clock (docs/model.md §3.3.17)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import sim
from sim.experiment.config import ConfigError, load_experiment
from sim.model.model import NetworkingModel
from sim.model.tables import RunKey, tables_of

from .worlds import BRISK_HIRING, small_params

SPREAD, HORIZON = 60, 50


@pytest.fixture(scope="module")
def flow() -> NetworkingModel:
    params = small_params(("polite", 8), ("nfl", 8), people=500, horizon=HORIZON, job_loss_spread_days=SPREAD)
    brisk = {
        "market.opening_rate": 0.01,
        "market.outside_applicants_per_day": 0.0,
        **BRISK_HIRING,
    }  # no rivals: 50-day searches see hires
    return NetworkingModel(sim.with_overrides(params, brisk), seed=11).run()


def test_job_losses_spread_over_the_window_and_the_run_covers_the_last_search(flow):
    loss = flow.loss_day
    assert loss.min() >= 0 and loss.max() <= SPREAD
    assert len(np.unique(loss)) > 8  # 16 seekers over 61 days: not one cohort
    assert flow.day == SPREAD + HORIZON + 1  # the run simulated days 1 .. spread + horizon
    assert not flow.searching.any()  # everyone is hired or past her horizon at the end


def test_no_seeker_acts_or_is_told_of_openings_before_her_job_loss_or_after_her_horizon(flow):
    events = flow.events.frame()
    declined = (events.kind == "offer") & (events.outcome == "declined")  # an offer she no longer takes
    own = events[~declined & events.seeker_id.notna()]
    loss = flow.loss_day[own.seeker_id.astype(int).to_numpy()]
    days = own.day.to_numpy()
    assert len(own) > 300  # a busy log, so that the check means something
    assert np.all(days > loss)
    assert np.all(days <= loss + HORIZON)


def test_days_searched_count_from_each_seekers_job_loss(flow):
    table = tables_of(flow, RunKey("r", 0, 0, 11)).seekers
    hired = table[table.hired]
    assert len(hired) >= 3 and (~table.hired).any()
    assert (hired.days_searched == hired.day_hired - hired.job_loss_day).all()
    assert (hired.days_searched <= HORIZON).all() and (hired.days_searched >= 1).all()
    assert (table.loc[~table.hired, "days_searched"] == HORIZON).all()
    assert table.job_loss_day.tolist() == flow.loss_day.tolist()


@pytest.mark.parametrize("quiet", [True, False], ids=["whole_calls", "event_log"])
def test_a_flow_gives_the_same_tables_compiled_and_pure(monkeypatch, quiet):
    pytest.importorskip("numba")
    params = small_params(
        ("balanced", 6),
        ("nfl", 6),
        people=500,
        horizon=60,
        record_events=not quiet,
        job_loss_spread_days=40,
        **{"market.opening_rate": 0.02, **BRISK_HIRING},  # so that someone is hired within 60 days
    )
    runs = []
    for fast in (True, False):
        monkeypatch.setattr("sim.model.kernels.AVAILABLE", fast)
        tables = sim.simulate(params, seed=5)
        runs.append((tables.seekers, tables.daily))
    for a, b in zip(*runs, strict=True):
        pd.testing.assert_frame_equal(a, b, check_exact=True)
    assert runs[0][0].hired.any()


def test_a_cohort_draws_no_job_loss_days():
    """0 (the default) lays everyone off on day 0 and leaves the random stream as it was."""
    params = small_params(people=300, horizon=20)
    model = NetworkingModel(params, seed=3)
    assert not model.loss_day.any() and model.searching.all()
    spread = NetworkingModel(sim.with_overrides(params, {"job_loss_spread_days": 30}), seed=3)
    assert spread.rng.random() != model.rng.random()  # the flow drew its days from the run's stream


@pytest.mark.parametrize("value", ["-1", "2.5", "'soon'"])
def test_a_bad_spread_in_an_experiment_file_is_a_clear_error(tmp_path, value):
    path = tmp_path / "flow.yaml"
    path.write_text(
        f"name: flow\nseed: 1\nreplications: 1\njob_loss_spread_days: {value}\n"
        "population:\n  seekers:\n    polite: 2\n"
    )
    with pytest.raises(ConfigError, match="job_loss_spread_days"):
        load_experiment(path).base_params()
