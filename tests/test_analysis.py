"""Statistics against answers computed by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sim.analysis import (
    effect_table,
    hazard_by_period,
    km_curve,
    km_median,
    logrank,
    logrank_pairs,
    median_ci,
    paired_difference,
    rmst,
    stock_spells,
    survival_summary,
)


def seekers(hired_days, censored_days, strategy="a", run="r0"):
    rows = [{"hired": True, "days_searched": d} for d in hired_days] + [
        {"hired": False, "days_searched": d} for d in censored_days
    ]
    return pd.DataFrame(rows).assign(strategy=strategy, run_id=run)


# Eight seekers: hired on days 3, 5, 5, 8, 10; still searching when last seen on 6, 12, 12.
SAMPLE = seekers([3, 5, 5, 8, 10], [6, 12, 12])


def test_kaplan_meier_matches_the_hand_computation():
    curve = km_curve(SAMPLE).set_index("day")["share_searching"]
    # S(3) = 7/8; S(5) = 7/8 * 5/7; day 6 censored; S(8) = 0.625 * 3/4; S(10) = 0.46875 * 2/3.
    assert curve[0] == 1.0
    assert curve[3] == pytest.approx(7 / 8)
    assert curve[5] == pytest.approx(0.625)
    assert curve[6] == pytest.approx(0.625)
    assert curve[8] == pytest.approx(0.46875)
    assert curve[10] == pytest.approx(0.3125)
    band = km_curve(SAMPLE)
    assert (band["low"] <= band["share_searching"] + 1e-12).all() and (
        band["high"] >= band["share_searching"] - 1e-12
    ).all()
    assert band["at_risk"].tolist() == [8, 8, 7, 5, 4, 3, 2]


def test_median_and_restricted_mean_match_the_hand_computation():
    assert km_median(SAMPLE) == 8  # first day the curve is at or below one half
    # Area under the step curve to day 12: 3*1 + 2*7/8 + 1*0.625 + 2*0.625 + 2*0.46875 + 2*0.3125
    assert rmst(SAMPLE, 12) == pytest.approx(3 + 1.75 + 0.625 + 1.25 + 0.9375 + 0.625)
    median, low, high = median_ci(SAMPLE)
    assert median == 8 and low <= median and np.isnan(high)  # the upper band never reaches one half


def test_a_median_beyond_the_horizon_is_not_reached():
    late = seekers([40], [365, 365, 365])
    assert np.isnan(km_median(late))
    assert np.isnan(median_ci(late)[0])
    summary = survival_summary(late)
    assert np.isnan(summary.loc[0, "median_days"]) and summary.loc[0, "share_hired"] == 0.25
    assert rmst(late, 365) == pytest.approx(40 + 0.75 * 325)


def test_everyone_hired_gives_the_plain_median_and_mean():
    everyone = seekers([10, 20, 30, 40], [])
    assert km_median(everyone) == 20
    assert rmst(everyone, 100) == pytest.approx(25.0)


def test_hazard_by_period_matches_the_hand_computation():
    # SAMPLE in periods of 4 days: (0, 4]: 8 at risk, 1 hire (day 3); (4, 8]: 7 at risk (the
    # one censored on day 6 included), hires on 5, 5, 8; (8, 12]: 3 at risk, a hire on day 10.
    table = hazard_by_period(SAMPLE, width=4, by=None)
    assert table["start"].tolist() == [0, 4, 8]
    assert table["at_risk"].tolist() == [8, 7, 3]
    assert table["hires"].tolist() == [1, 3, 1]
    assert table["hazard"].tolist() == pytest.approx([1 / 8, 3 / 7, 1 / 3])


def test_hazard_by_period_keeps_runs_apart():
    # Run r0 hires on day 2 of two seekers; run r1 hires no one until day 5: pooling would mix them.
    both = pd.concat([seekers([2], [6], run="r0"), seekers([5, 6], [], run="r1")])
    table = hazard_by_period(both, width=3).set_index(["run_id", "start"])
    assert table.loc[("r0", 0), "hazard"] == 0.5 and table.loc[("r0", 3), "hazard"] == 0.0
    assert table.loc[("r1", 0), "hazard"] == 0.0 and table.loc[("r1", 3), "hazard"] == 1.0
    with pytest.raises(ValueError, match="width"):
        hazard_by_period(both, width=0)


def test_stock_of_a_cohort_hired_on_one_day_is_uniform_up_to_that_day():
    # Everyone searches days 1..100 and is hired at the end of day 100: a steady stock of such
    # cohorts holds every elapsed search from 0 to 100 equally often (mean = median = 50).
    mean, median = stock_spells(seekers([100] * 10, []), horizon=365)
    assert (mean, median) == pytest.approx((50.0, 50.0))


def test_stock_of_cohorts_with_a_constant_hazard_has_the_exponential_shape():
    # Geometric spells with a daily hazard of 1%, censored at a horizon of 200 days, so that a
    # third of the stock lies in the extrapolated tail: the stock is exponential again, mean
    # 1/h and median ln 2 / h (up to the half day of the discrete grid), ratio 1/ln 2.
    days = np.random.default_rng(7).geometric(0.01, 100_000).astype(float)
    cohort = seekers(days[days <= 200], np.full(int((days > 200).sum()), 200.0))
    mean, median = stock_spells(cohort, horizon=200)
    assert mean == pytest.approx(100, rel=0.03)
    assert median == pytest.approx(100 * np.log(2), rel=0.03)
    assert mean / median == pytest.approx(1 / np.log(2), rel=0.02)


def test_stock_with_a_horizon_shorter_than_the_tail_window():
    # A 50-day horizon: the tail's hazard is read over the days there are, not over days
    # before job loss (which would make it look slower and the stock far longer).
    days = np.random.default_rng(5).geometric(0.01, 100_000).astype(float)
    cohort = seekers(days[days <= 50], np.full(int((days > 50).sum()), 50.0))
    mean, median = stock_spells(cohort, horizon=50)
    assert mean == pytest.approx(100, rel=0.05) and median == pytest.approx(100 * np.log(2), rel=0.05)


def test_stock_needs_hires_and_a_bounded_tail():
    assert np.isnan(stock_spells(seekers([], [365, 365]), horizon=365)[0])  # no hire at all
    # hires early, none in the last 91 days while some still search: the tail is unbounded
    assert np.isnan(stock_spells(seekers([10, 20], [365]), horizon=365)[0])


def test_a_hazard_that_falls_with_the_search_skews_the_stock():
    # Half the cohort leaves at 3% a day, half at 0.3%: those still searching are ever more the
    # slow ones, so the chance of a hire falls with the search and the stock's mean exceeds
    # its median by more than a constant hazard gives (1/ln 2 = 1.44). Exact value: the
    # stock's density is proportional to 0.5 exp(-0.03 u) + 0.5 exp(-0.003 u).
    rng = np.random.default_rng(11)
    days = np.concatenate([rng.geometric(0.03, 50_000), rng.geometric(0.003, 50_000)]).astype(float)
    cohort = seekers(days[days <= 365], np.full(int((days > 365).sum()), 365.0))
    mean, median = stock_spells(cohort, horizon=365)
    exact_mean = (0.5 / 0.03**2 + 0.5 / 0.003**2) / (0.5 / 0.03 + 0.5 / 0.003)
    assert mean == pytest.approx(exact_mean, rel=0.05)  # 306 days
    # the median m solves 16.7 (1 - exp(-0.03 m)) + 166.7 (1 - exp(-0.003 m)) = 91.7: m = 200
    assert median == pytest.approx(200, rel=0.05)
    assert mean / median > 1.5


def test_log_rank_matches_the_hand_computation():
    # A hired on days 1 and 2, B on days 3 and 4. At day 1: 4 at risk, E_A = 1/2, V = 1/4;
    # at day 2: 3 at risk, E_A = 1/3, V = 2/9. O_A - E_A = 7/6, chi2 = (7/6)^2 / (17/36) = 49/17.
    a, b = seekers([1, 2], [], "A"), seekers([3, 4], [], "B")
    expected = stats.chi2.sf(49 / 17, df=1)
    assert logrank(a, b) == pytest.approx(expected, rel=1e-9)
    assert logrank(a, b, "greater") == pytest.approx(expected / 2, rel=1e-9)  # A hired sooner
    same = logrank(a, seekers([1, 2], [], "C"))
    assert same == pytest.approx(1.0)
    pairs = logrank_pairs(pd.concat([a, b]))
    assert pairs.loc[0, "p_value"] == pytest.approx(expected, rel=1e-9)


def test_paired_effects_resample_runs_not_seekers():
    rows = []
    for r in range(12):
        for s, base in (("polite", 10.0), ("nfl", 100.0)):
            for k in range(3):
                rows.append(
                    {
                        "run_id": f"r{r}",
                        "strategy": s,
                        "meetings": base + r + k,
                        "mop_up_calls": 0.0,
                        "reputation_end": 0.5,
                    }
                )
    df = pd.DataFrame(rows)
    effect = paired_difference(df, "meetings", "nfl", "polite")
    assert effect["runs"] == 12 and effect["difference"] == pytest.approx(90.0)
    assert effect["low"] == effect["high"] == pytest.approx(90.0)  # the same difference in every run
    df.loc[df.strategy == "nfl", "meetings"] += np.random.default_rng(1).normal(
        0, 5, (df.strategy == "nfl").sum()
    )
    noisy = paired_difference(df, "meetings", "nfl", "polite")
    assert noisy["low"] < noisy["difference"] < noisy["high"]
    assert noisy["high"] - noisy["low"] < 20
    table = effect_table(df, reference="polite")
    assert (
        set(table["metric"]) == {"meetings", "mop_up_calls", "reputation_end"}
        and (table["first"] == "nfl").all()
    )


def test_sweep_summaries_name_the_winner_at_each_point():
    frames = []
    for point, (polite_days, nfl_days) in enumerate([(50, 200), (200, 50)]):
        for run in range(4):
            frames.append(
                seekers([polite_days + k for k in range(6)], [], "polite", f"p{point}r{run}").assign(
                    point_id=point, **{"contacts.x": float(point)}
                )
            )
            frames.append(
                seekers([nfl_days + k for k in range(6)], [], "nfl", f"p{point}r{run}").assign(
                    point_id=point, **{"contacts.x": float(point)}
                )
            )
    df = pd.concat(frames, ignore_index=True)
    from sim.analysis import point_summary, swept_columns, winners

    assert swept_columns(df) == ["contacts.x"]
    summary = point_summary(df)
    assert len(summary) == 4 and set(summary.columns) >= {
        "contacts.x",
        "median_days",
        "median_low",
        "median_high",
        "rmst_days",
    }
    w = winners(df).set_index("point_id")
    assert w.loc[0, "winner"] == "polite" and w.loc[1, "winner"] == "nfl"
    assert w.loc[0, "days_ahead"] == pytest.approx(150) and w.loc[0, "p_value"] < 0.001


def test_by_hop_counts_calls_and_acceptance():
    from sim.analysis import by_hop

    events = pd.DataFrame({
        "run_id": ["r"] * 6, "seeker_id": [0] * 6, "kind": ["call"] * 5 + ["meeting"],
        "hop": [0, 0, 1, 1, 1, 1], "outcome": ["meeting", "refusal", "meeting", "refusal", "refusal", None],
        "endorsement": [0.0, 0.0, 0.3, 0.3, 0.3, None],
    })  # fmt: skip
    people = pd.DataFrame({"run_id": ["r"], "seeker_id": [0], "strategy": ["polite"]})
    table = by_hop(events, people, min_calls=1).set_index("hop")
    assert table.loc[0, "calls"] == 2 and table.loc[0, "acceptance"] == 0.5
    assert table.loc[1, "calls"] == 3 and table.loc[1, "acceptance"] == pytest.approx(1 / 3)
    assert table.loc[1, "endorsement"] == pytest.approx(0.3)


def test_bands_close_on_the_curve_where_everyone_is_hired():
    everyone = seekers([10, 20, 30, 40], [])
    assert median_ci(everyone) == (20, 10, 40)
    curve = km_curve(everyone)
    assert curve["low"].iloc[-1] == curve["high"].iloc[-1] == 0.0


def test_restricted_mean_stops_at_the_horizon():
    df = seekers([50, 150], [365])
    # S = 1 until day 50, then 2/3: area to day 100 = 50 + 50 * 2/3.
    assert rmst(df, 100) == pytest.approx(50 + 50 * 2 / 3)


def test_an_interval_needs_at_least_three_runs():
    rows = [{"run_id": f"r{r}", "strategy": s, "meetings": float(r + (5 if s == "b" else 0)), "mop_up_calls": 0.0,
             "reputation_end": 0.5} for r in range(2) for s in ("a", "b")]  # fmt: skip
    effect = paired_difference(pd.DataFrame(rows), "meetings", "b", "a")
    assert effect["difference"] == 5 and np.isnan(effect["low"]) and np.isnan(effect["high"])
