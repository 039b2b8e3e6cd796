"""python -m sim: the first comparison prints a summary; bad arguments exit with code 2."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from sim.comparison import km_median, main, summary


def test_km_median_handles_censoring():
    df = pd.DataFrame({"hired": [True, True, False, False], "days_searched": [10, 20, 365, 365]})
    assert km_median(df) == 20  # half hired by day 20
    df = pd.DataFrame({"hired": [True, False, False], "days_searched": [10, 365, 365]})
    assert np.isnan(km_median(df))  # not reached


def test_summary_has_one_row_per_strategy():
    df = pd.DataFrame({
        "strategy": ["a", "a", "b", "b"], "hired": [True, False, True, True], "days_searched": [5, 9, 3, 4],
        "meetings": [1, 2, 3, 4], "phone_help": [0, 0, 1, 1], "mop_up_calls": [0, 1, 0, 0],
    })  # fmt: skip
    out = summary(df)
    assert list(out.index) == ["a", "b"]
    assert out.loc["a", "hired"] == "50%" and out.loc["b", "median days to hire"] == 3


def test_main_runs_a_small_comparison(capsys):
    assert main(["--replications", "1", "--workers", "1", "--seed", "3"]) == 0
    out = capsys.readouterr().out
    for name in ("polite", "nfl", "balanced"):
        assert name in out
    assert "log-rank test" in out


@pytest.mark.parametrize("args", [["--replications", "0"], ["--workers", "x"], ["--seed", "-4"]])
def test_bad_arguments_exit_with_code_2_without_traceback(args):
    result = subprocess.run([sys.executable, "-m", "sim", *args], capture_output=True, text=True)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "usage" in result.stderr
