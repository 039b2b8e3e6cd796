"""Named outputs of runs (sim.analysis.outputs): names, per-run values, replication noise."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from sim.analysis.outputs import default_outputs, parse_output, replication_noise, run_outputs

STRATEGIES = ["polite", "nfl", "high-pressure"]


def test_names_parse_per_strategy_and_gaps_with_dashes_in_names():
    assert parse_output("mean_days", STRATEGIES).strategy is None
    assert parse_output("mop_ups.nfl", STRATEGIES).strategy == "nfl"
    gap = parse_output("gap.high-pressure-polite", STRATEGIES)
    assert (gap.base, gap.strategy, gap.versus) == ("gap", "high-pressure", "polite")
    for bad in ("mean_day", "mean_days.rude", "gap.polite-polite", "gap.polite-rude"):
        with pytest.raises(ValueError, match="output"):
            parse_output(bad, STRATEGIES)
    assert default_outputs(["polite", "nfl"])[-1] == "gap.polite-nfl"


def seekers(rows):
    frame = pd.DataFrame(rows, columns=["run_id", "point_id", "replication", "strategy", "hired", "days_searched",
                                        "hire_channel", "meetings", "mop_up_calls"])  # fmt: skip
    return frame


def test_run_values_restricted_mean_capped_median_and_gap():
    table = seekers([
        ("a", 0, 0, "polite", True, 10, "network", 4, 0),
        ("a", 0, 0, "polite", False, 100, None, 2, 0),
        ("a", 0, 0, "nfl", False, 100, None, 9, 3),
        ("a", 0, 0, "nfl", False, 100, None, 7, 1),
    ])  # fmt: skip
    names = [parse_output(n, ["polite", "nfl"]) for n in
             ("mean_days.polite", "median_days.nfl", "network_share", "mop_ups.nfl", "gap.polite-nfl")]  # fmt: skip
    row = run_outputs(table, names, horizon=100).iloc[0]
    assert row["mean_days.polite"] == pytest.approx(55)  # (10 + 100) / 2: censored at the horizon
    assert row["median_days.nfl"] == 100  # not reached: capped at the horizon
    assert row["network_share"] == 1.0 and row["mop_ups.nfl"] == 2.0
    assert row["gap.polite-nfl"] == pytest.approx(55 - 100)


def test_replication_noise_is_the_share_of_point_variance_left_by_chance():
    # two points whose true values differ by 10, each replicated twice with noise +-1
    per_run = pd.DataFrame({"run_id": list("abcd"), "point_id": [0, 0, 1, 1], "replication": [0, 1, 0, 1],
                            "x": [-1.0, 1.0, 9.0, 11.0]})  # fmt: skip
    row = replication_noise(per_run).iloc[0]
    assert row["variance"] == pytest.approx(50.0)  # point means 0 and 10
    assert row["noise_variance"] == pytest.approx(1.0)  # within-point variance 2, over 2 replications
    assert row["noise_share"] == pytest.approx(0.02)
    single = replication_noise(per_run[per_run["replication"] == 0]).iloc[0]
    assert single["replications"] == 1 and pd.isna(single["noise_share"])


def test_own_contact_share_counts_hires_through_contacts_known_at_job_loss():
    """Granovetter's "personal contacts": of the hired, those whose informant was an own
    contact at job loss; a network hire through someone met during the search does not
    count, nor does a formal hire, and the unhired are left out."""
    seekers = pd.DataFrame(
        {
            "run_id": "r", "point_id": 0, "replication": 0, "strategy": "polite",
            "hired": [True, True, True, True, False],
            "days_searched": [10, 20, 30, 40, 365],
            "hire_channel": pd.array(["network", "network", "other", "network", None], dtype="string"),
            "hire_own_contact": pd.array([True, False, None, True, None], dtype="boolean"),
        }
    )  # fmt: skip
    names = [parse_output("own_contact_share", ["polite"]), parse_output("network_share", ["polite"])]
    row = run_outputs(seekers, names, 365).iloc[0]
    assert row["own_contact_share"] == 0.5 and row["network_share"] == 0.75
    older = run_outputs(seekers.drop(columns="hire_own_contact"), names[:1], 365).iloc[0]
    assert math.isnan(older["own_contact_share"])  # a table stored before the column existed


def test_stock_mean_over_median_is_one_for_a_cohort_hired_on_one_day():
    # Hired together on day 40: the steady stock is uniform on 0..40, so its mean is its median.
    table = seekers([("a", 0, 0, "polite", True, 40, "other", 0, 0)] * 4)
    row = run_outputs(table, [parse_output("stock_mean_over_median", ["polite"])], horizon=100).iloc[0]
    assert row["stock_mean_over_median"] == pytest.approx(1.0)


def test_funnel_rates_by_channel_and_the_referral_advantage_as_their_ratio():
    """Network rates count the network's applications only; other rates the rest. The
    ratio is the network's rate over the others' (Fernandez & Weinberg's advantage), NaN
    when the others' rate is 0 rather than infinite."""
    funnel = pd.DataFrame(
        {
            "run_id": ["r", "r", "s"], "point_id": 0, "replication": [0, 0, 1], "strategy": "polite",
            "hired": False, "days_searched": 365, "hire_channel": None,
            "applications": [5, 5, 4], "network_applications": [2, 2, 2],
            "interviews": [3, 1, 2], "network_interviews": [2, 1, 2],
            "offers": [1, 1, 2], "network_offers": [1, 0, 1],
        }
    )  # fmt: skip
    names = [parse_output(n, ["polite"]) for n in ("network_interview_rate", "other_interview_rate",
             "network_offer_rate", "other_offer_rate", "referred_interview_ratio", "referred_offer_ratio")]  # fmt: skip
    first, second = (row for _, row in run_outputs(funnel, names, 365).iterrows())
    assert first["network_interview_rate"] == pytest.approx(3 / 4)  # 3 of 4 referred applications
    assert first["other_interview_rate"] == pytest.approx(1 / 6)
    assert first["referred_interview_ratio"] == pytest.approx((3 / 4) / (1 / 6))
    assert first["referred_offer_ratio"] == pytest.approx((1 / 4) / (1 / 6))
    assert second["other_interview_rate"] == 0 and math.isnan(second["referred_interview_ratio"])
    assert second["referred_offer_ratio"] == pytest.approx((1 / 2) / (1 / 2))
    no_referrals = funnel.iloc[[2]].assign(network_applications=0, network_interviews=0, network_offers=0)
    row = run_outputs(no_referrals, names, 365).iloc[0]
    assert math.isnan(row["network_interview_rate"]) and math.isnan(row["referred_interview_ratio"])
