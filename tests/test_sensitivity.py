"""Global sensitivity analysis (sim sensitivity): stored tables, SALib's indices, scenario rules."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from sim.cli import app

from .experiments import BRISK_HIRING, tiny_experiment

runner = CliRunner()
SALib = pytest.importorskip("SALib")

BOUNDS = {"market.opening_rate": (0.002, 0.02), "contacts.mop_up_propensity": (0.0, 1.5)}


def sensitivity_block(method: str, n: int, outputs: str = "") -> str:
    lines = [f"sensitivity:\n  method: {method}\n  n: {n}\n  bounds:\n"]
    lines += [f"    {path}: [{low}, {high}]\n" for path, (low, high) in BOUNDS.items()]
    return "".join(lines) + (f"  outputs: {outputs}\n" if outputs else "")


def run_sensitivity(tmp_path, method: str, n: int, replications: int = 1, outputs: str = ""):
    file = tiny_experiment(tmp_path, replications=replications, horizon=40, people=120,
                           extra=BRISK_HIRING + sensitivity_block(method, n, outputs))  # fmt: skip
    out = tmp_path / "out"
    result = runner.invoke(app, ["sensitivity", str(file), "--out", str(out), "--workers", "1", "--quiet"])
    assert result.exit_code == 0, result.output
    return out / "sensitivity"


@pytest.fixture(scope="module")
def sobol(tmp_path_factory):
    outputs = "[mean_days, meetings, gap.polite-nfl]"
    return run_sensitivity(tmp_path_factory.mktemp("sobol"), "sobol", 4, replications=2, outputs=outputs)


def test_sobol_stores_design_outputs_and_indices_with_their_columns(sobol):
    design = pd.read_parquet(sobol / "design.parquet")
    outputs = pd.read_parquet(sobol / "outputs.parquet")
    indices = pd.read_parquet(sobol / "indices.parquet")
    assert list(design.columns) == ["sample_id", *BOUNDS]
    assert len(design) == 4 * (2 * 2 + 2)  # Saltelli: n (2k + 2)
    for path, (low, high) in BOUNDS.items():
        assert design[path].between(low, high).all()
    assert list(outputs.columns) == ["sample_id", "mean_days", "meetings", "gap.polite-nfl"]
    assert outputs["sample_id"].tolist() == design["sample_id"].tolist()
    assert list(indices.columns) == ["output", "parameter", "S1", "S1_conf", "ST", "ST_conf"]
    assert set(indices["parameter"]) == set(BOUNDS)
    mean_days = outputs["mean_days"]
    assert mean_days.notna().all() and mean_days.between(0, 40).all()  # restricted mean: never NaN


def test_salib_recomputes_s1_and_st_from_the_stored_design_and_outputs(sobol):
    from SALib.analyze import sobol as analyse

    design = pd.read_parquet(sobol / "design.parquet")
    outputs = pd.read_parquet(sobol / "outputs.parquet")
    indices = pd.read_parquet(sobol / "indices.parquet")
    problem = {"num_vars": 2, "names": list(BOUNDS), "bounds": [list(b) for b in BOUNDS.values()]}
    checked = 0
    for name in ("mean_days", "meetings", "gap.polite-nfl"):
        y = outputs.sort_values("sample_id")[name].to_numpy(float)
        found = analyse.analyze(problem, y, calc_second_order=True, seed=1)
        stored = indices[indices["output"] == name].set_index("parameter").loc[list(BOUNDS)]
        np.testing.assert_allclose(stored["S1"], found["S1"], atol=1e-6)
        np.testing.assert_allclose(stored["ST"], found["ST"], atol=1e-6)
        checked += 1
    assert checked == 3
    assert design[list(BOUNDS)].nunique().min() > 4  # a real design, not one point repeated


def test_report_states_replication_noise_and_rules(sobol):
    noise = pd.read_parquet(sobol / "noise.parquet")
    assert (noise["replications"] == 2).all()
    shares = noise["noise_share"].dropna()
    assert len(shares) and shares.between(0, 1).all()
    report = (sobol / "report.html").read_text(encoding="utf-8")
    assert "replication noise" in report and "mean_days:" in report
    rules = pd.read_parquet(sobol / "rules.parquet")
    for rule in rules["rule"]:
        assert rule in html.unescape(report)
    assert (sobol / "plots" / "sobol_indices.png").exists()


def test_morris_stores_mu_star_and_sigma_and_resume_reuses_the_runs(tmp_path):
    folder = run_sensitivity(tmp_path, "morris", 3, outputs="[mean_days, mop_ups.nfl]")
    first = pd.read_parquet(folder / "indices.parquet")
    runs = sorted((tmp_path / "out" / "runs").iterdir())
    stamps = [p.stat().st_mtime_ns for p in runs]
    again = runner.invoke(app, ["sensitivity", str(tmp_path / "tiny.yaml"), "--out", str(tmp_path / "out"),
                                "--workers", "1", "--quiet", "--resume"])  # fmt: skip
    assert again.exit_code == 0, again.output
    assert [
        p.stat().st_mtime_ns for p in sorted((tmp_path / "out" / "runs").iterdir())
    ] == stamps  # none re-run
    pd.testing.assert_frame_equal(pd.read_parquet(folder / "indices.parquet"), first)
    design = pd.read_parquet(folder / "design.parquet")
    indices = pd.read_parquet(folder / "indices.parquet")
    assert len(design) == 3 * (2 + 1)  # trajectories of k + 1 points
    assert list(indices.columns) == ["output", "parameter", "mu_star", "mu_star_conf", "sigma"]
    assert set(indices["output"]) == {"mean_days", "mop_ups.nfl"}
    assert (indices["mu_star"] >= 0).all()
    assert (folder / "plots" / "morris_screening.png").exists()


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        (sensitivity_block("sobol", 4, "[mean_days.nobody]"), "sensitivity.outputs"),
        (sensitivity_block("sobol", 4).replace("market.opening_rate", "market.opening_rat"),
         "sensitivity.bounds.market.opening_rat"),
        (sensitivity_block("sobol", 4).replace("[0.0, 1.5]", "[1.5, 0.0]"), "sensitivity.bounds"),
        (sensitivity_block("sobol", 4) + "sweep: {grid: {contacts.gossip_rate: [0.1]}}\n", "sweep"),
        ("", "sensitivity"),
    ],
)  # fmt: skip
def test_bad_blocks_exit_2_naming_the_field(tmp_path, extra, field):
    file = tiny_experiment(tmp_path, extra=extra)
    result = runner.invoke(app, ["sensitivity", str(file), "--out", str(tmp_path / "out"), "--workers", "1"])
    assert result.exit_code == 2
    assert f"'{field}" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()
