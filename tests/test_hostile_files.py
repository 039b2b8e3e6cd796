"""Hostile and huge experiment files: refused fast and briefly; large designs counted, not
built; the run cap."""

from __future__ import annotations

import itertools
import json
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sim.cli import app
from sim.experiment import RunOptions, execute, load_experiment
from sim.experiment.design import (
    DEFAULT_MAX_RUNS,
    RunCapError,
    check_run_cap,
    count_points,
    design_points,
    iter_points,
    plan_runs,
    sample_points,
)
from sim.experiment.messages import MAX_QUOTE, quote
from sim.experiment.safeyaml import MAX_DEPTH, MAX_FILE_BYTES, MAX_NODES

from .experiments import tiny_experiment

runner = CliRunner()
HEAD = "name: hostile\nseed: 1\nreplications: 1\npopulation: {seekers: {polite: 1, nfl: 1}}\n"
GRID_1E6 = (
    HEAD
    + "sweep:\n  grid:\n"
    + "".join(
        f"    {path}: [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]\n"
        for path in (
            "contacts.gossip_rate",
            "contacts.gossip_weight",
            "contacts.mention_when_asked",
            "market.offer_prob",
            "market.formal_interview_prob",
            "market.referral_interview_prob",
        )
    )
)


def alias_bomb(levels: int = 8, fan: int = 10) -> str:
    """The issue's file: the required keys, then ``levels`` lists each repeating the one
    before ``fan`` times (10^8 strings once expanded, for 8 levels of 10)."""
    lines = [HEAD.rstrip("\n"), 'l0: &l0 ["lol"]']
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * fan)}]" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


def invoke(*args: str):
    started = time.monotonic()
    result = runner.invoke(app, list(args))
    return result, time.monotonic() - started


def assert_refused(result, seconds: float, *needles: str) -> None:
    text = result.stdout + result.stderr
    assert result.exit_code == 2, text[:2000]
    # A hang guard, not a speed test: an expanded bomb takes minutes. The time itself (about a
    # second) is measured by benchmarks/hostile_files.py, not asserted on a shared machine.
    assert seconds < 30
    assert len(text) < 2000
    assert "Traceback" not in text and isinstance(result.exception, SystemExit | None)
    for needle in needles:
        assert needle in text, (needle, text)


@pytest.mark.parametrize("command", ["validate", "run"])
@pytest.mark.parametrize(("levels", "fan"), [(8, 10), (7, 9)], ids=["8x10", "7x9"])
def test_an_alias_bomb_is_refused_fast_and_briefly(tmp_path, command, levels, fan):
    path = tmp_path / "bomb.yaml"
    path.write_text(alias_bomb(levels, fan))
    result, seconds = (
        invoke(command, str(path), "--out", str(tmp_path / "out"))
        if command == "run"
        else invoke(command, str(path))
    )
    assert_refused(result, seconds, str(path), "aliases are expanded", f"{MAX_NODES:,}")
    assert not (tmp_path / "out").exists()  # nothing run, no folder made


def test_aliases_within_the_limit_still_work(tmp_path):
    path = tiny_experiment(tmp_path, extra="sweep:\n  grid:\n    contacts.gossip_rate: &rates [0.1, 0.2]\n"
                                             "    contacts.gossip_weight: *rates\n")  # fmt: skip
    assert len(design_points(load_experiment(path))) == 4


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("&a [*a]\n", "without end"),
        (HEAD + "contacts: &c {gossip_rate: [*c]}\n", "without end"),
        (
            HEAD + "deep: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n",
            f"more than {MAX_DEPTH} levels",
        ),
        (HEAD + "deep: " + "{a: " * 2000 + "1" + "}" * 2000 + "\n", f"more than {MAX_DEPTH} levels"),
    ],
    ids=["self-alias", "alias-in-itself", "deep-lists", "very-deep-mappings"],
)
def test_recursive_and_deep_documents_are_refused(tmp_path, text, needle):
    path = tmp_path / "odd.yaml"
    path.write_text(text)
    result, seconds = invoke("validate", str(path))
    assert_refused(result, seconds, str(path), needle)


def test_a_huge_file_is_refused_before_it_is_parsed(tmp_path):
    path = tmp_path / "huge.yaml"
    path.write_text(HEAD + "description: " + "x" * MAX_FILE_BYTES + "\n")
    result, seconds = invoke("validate", str(path))
    assert_refused(result, seconds, str(path), f"larger than {MAX_FILE_BYTES:,} bytes")
    just_under = tmp_path / "big.yaml"
    just_under.write_text(tiny_experiment(tmp_path).read_text() + "# " + "x" * (MAX_FILE_BYTES - 1000) + "\n")
    assert invoke("validate", str(just_under))[0].exit_code == 0


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_file_that_never_ends_is_refused():
    result, seconds = invoke("validate", "/dev/zero")
    assert_refused(result, seconds, "larger than")


def test_a_set_value_is_read_within_the_same_limits(tmp_path):
    path = tiny_experiment(tmp_path)
    bomb = "[" + ", ".join(["&a [" + ", ".join(["1"] * 10) + "]"] + ["*a"] * (MAX_NODES // 10)) + "]"
    result, seconds = invoke("validate", str(path), "--set", f"contacts.gossip_rate={bomb}")
    assert_refused(result, seconds, "--set contacts.gossip_rate", "aliases are expanded")


@pytest.mark.parametrize(
    "extra",
    [
        "unknown_key: " + "y" * 100_000 + "\n",  # a long value under an unknown key
        "unknown_key: [" + ", ".join(["'" + "z" * 50 + "'"] * 10_000) + "]\n",  # a long list
        "replications: [" + ", ".join(["1"] * 50_000) + "]\n",  # pydantic's input is the whole list
        "contacts: {gossip_rate: [" + ", ".join(["0.5"] * 50_000) + "]}\n",  # the model quotes the value
        "population: {seekers: {polite: 1, " + "x" * 50_000 + ": 1}}\n",  # a long strategy name
    ],
    ids=["long-string", "long-list", "pydantic-input", "model-value", "long-name"],
)
def test_errors_quote_values_briefly(tmp_path, extra):
    path = tiny_experiment(tmp_path)
    text = path.read_text()
    key = extra.split(":", 1)[0]
    if key in ("replications", "population"):
        text = (
            "\n".join(
                line for line in text.splitlines() if not line.startswith(key) and "seekers:" not in line
            )
            + "\n"
        )
    path.write_text(text + extra)
    result, seconds = invoke("validate", str(path))
    assert_refused(result, seconds, str(path))


def test_only_the_first_problems_are_listed_with_a_count_of_the_rest(tmp_path):
    path = tiny_experiment(tmp_path, extra="".join(f"unknown_{i}: {i}\n" for i in range(20)))
    result, _ = invoke("validate", str(path))
    assert result.exit_code == 2
    assert result.stderr.count("unknown key") == 5 and "and 15 more problem(s)" in result.stderr


def test_a_quote_is_short_and_cheap_whatever_the_value():
    huge = [["x" * 1000] * 1000] * 1000  # 10^9 characters if written out
    started = time.monotonic()
    text = quote(huge)
    # written out, the value would take seconds and gigabytes; quoted, it takes microseconds
    assert len(text) <= MAX_QUOTE and text.startswith("[['xxx") and time.monotonic() - started < 2
    assert quote("short") == "'short'"


# --- designs counted, not built -------------------------------------------------------------
def test_a_million_point_grid_validates_and_states_the_count(tmp_path):
    path = tmp_path / "grid.yaml"
    path.write_text(GRID_1E6)
    result, seconds = invoke("validate", str(path))
    assert result.exit_code == 0, result.stderr
    assert "1,000,000 design point(s) x 1 replication(s) = 1,000,000 runs" in result.stdout
    assert "checked on its own" in result.stdout  # not every combination was built
    assert "sim run will refuse" in result.stdout and f"{DEFAULT_MAX_RUNS:,}" in result.stdout
    assert seconds < 60  # generous: benchmarks/hostile_files.py measures it (about a second)


def test_a_bad_value_in_a_large_grid_is_still_found(tmp_path):
    path = tmp_path / "grid.yaml"
    path.write_text(GRID_1E6.replace("0.9]\n", "1.9]\n", 1))
    result, _ = invoke("validate", str(path))
    assert result.exit_code == 2 and "field 'contacts.gossip_rate'" in result.stderr


def test_points_are_walked_lazily_in_the_order_they_always_had(tmp_path):
    path = tmp_path / "grid.yaml"
    path.write_text(GRID_1E6)
    experiment = load_experiment(path)
    assert count_points(experiment) == 10**6
    first = list(itertools.islice(iter_points(experiment), 12))  # without building the rest
    assert first[0] == dict.fromkeys(experiment.sweep.grid, 0.0)
    assert (
        first[11]["market.referral_interview_prob"] == 0.1
        and first[11]["market.formal_interview_prob"] == 0.1
    )


def test_the_lazy_design_matches_the_product_of_its_parts(tmp_path):
    """The order fixes each point's id and so its runs' seeds: it is the product of the full
    grid, the explicit points and the sample, the last varying fastest, as it always was."""
    extra = """sweep:
  grid: {contacts.gossip_rate: [0.1, 0.2, 0.3], contacts.accept_fatigue: [0, 1]}
  points: [{market.offer_prob: 0.3}, {market.offer_prob: 0.5, ties.floor: 0.2}]
  sample: {method: sobol, n: 4, bounds: {graph.mean_degree: [6, 12]}, integers: [graph.mean_degree]}
"""
    experiment = load_experiment(tiny_experiment(tmp_path, extra=extra))
    sweep = experiment.sweep
    grid = [dict(zip(sweep.grid, combo, strict=True)) for combo in itertools.product(*sweep.grid.values())]
    expected = [
        {**g, **p, **s} for g, p, s in itertools.product(grid, sweep.points, sample_points(sweep.sample, 5))
    ]
    points = design_points(experiment)
    assert points == expected and [list(p) for p in points] == [list(p) for p in expected]
    assert count_points(experiment) == len(points) == 48
    assert [r.point for r in plan_runs(experiment)[:: experiment.replications]] == expected


def test_a_path_in_two_parts_of_the_sweep_is_an_error(tmp_path):
    extra = "sweep:\n  grid: {contacts.gossip_rate: [0.1, 0.2]}\n  points: [{contacts.gossip_rate: 0.3}]\n"
    result, _ = invoke("validate", str(tiny_experiment(tmp_path, extra=extra)))
    assert result.exit_code == 2 and "more than one part of the sweep" in result.stderr


# --- the run cap ------------------------------------------------------------------------------
def test_the_run_cap_refuses_with_the_count_and_the_way_to_raise_it(tmp_path):
    path = tiny_experiment(
        tmp_path, replications=2, extra="sweep: {grid: {contacts.gossip_rate: [0.1, 0.2, 0.3]}}\n"
    )
    out = tmp_path / "res"
    result, seconds = invoke("run", str(path), "--out", str(out), "--max-runs", "5", "-q")
    assert_refused(result, seconds, "3 design point(s) x 2 replication(s) = 6 runs", "cap of 5", "max_runs: 6",
                   "--max-runs 6")  # fmt: skip
    assert not out.exists()
    path.write_text(path.read_text() + "max_runs: 4\n")
    with pytest.raises(RunCapError, match="cap of 4"):
        check_run_cap(load_experiment(path))
    assert check_run_cap(load_experiment(path), max_runs=6) == 6  # the flag wins over the file
    with pytest.raises(RunCapError):
        execute(load_experiment(path), RunOptions(out=out, workers=1))  # the library refuses too
    assert not out.exists()
    validate, _ = invoke("validate", str(path))
    assert (
        validate.exit_code == 0 and "sim run will refuse" in validate.stdout and "= 6 runs" in validate.stdout
    )


def test_raising_the_cap_does_not_stop_a_resume(tmp_path):
    path = tiny_experiment(tmp_path, replications=2, extra="max_runs: 2\n")
    out = tmp_path / "res"
    execute(load_experiment(path), RunOptions(out=out, workers=1))
    path.write_text(path.read_text().replace("max_runs: 2", "max_runs: 50"))
    outcome = execute(load_experiment(path), RunOptions(out=out, workers=1, resume=True))
    assert outcome.skipped == 2 and outcome.done == 0 and outcome.complete


def test_the_manifest_holds_no_entry_per_run(tmp_path):
    from sim.experiment.store import FAILURES_KEPT, ResultStore

    store = ResultStore.open(tmp_path / "res", {"name": "x"}, resume=False, overwrite=False, planned=10**6,
                             seeding={"seed": 3})  # fmt: skip
    for i in range(FAILURES_KEPT + 50):
        store.record_failure(f"p{i:04d}-r0000", "RuntimeError: boom")
    store.finish("failed")
    manifest = json.loads((tmp_path / "res" / "manifest.json").read_text())
    assert manifest["runs_planned"] == 10**6 and manifest["runs_failed"] == FAILURES_KEPT + 50
    assert len(manifest["failures"]) == FAILURES_KEPT and "seeds" not in manifest
    assert len(json.dumps(manifest)) < 20_000


def test_a_refused_file_is_refused_before_the_model_is_imported(tmp_path):
    """The model takes seconds to import; a hostile file should not wait for it."""
    import subprocess
    import sys

    path = tmp_path / "bomb.yaml"
    path.write_text(alias_bomb())
    script = (
        "import sys\nfrom typer.testing import CliRunner\nfrom sim.cli import app\n"
        f"result = CliRunner().invoke(app, ['validate', {str(path)!r}])\n"
        "print(result.exit_code, 'sim.model' in sys.modules, 'pandas' in sys.modules)\n"
    )
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == ["2", "False", "False"], done.stderr
    assert time.monotonic() - started < 30  # a hang guard; about half a second when idle


def test_a_bad_combination_in_a_large_design_stops_the_run_with_exit_2(tmp_path):
    """Above FULL_CHECK_POINTS, values are checked one by one; a combination that is bad only
    together (a mean degree above the number of people) is found when its point runs."""
    rates = ", ".join(f"{i / 3000:.5f}" for i in range(2600))
    extra = f"sweep:\n  grid:\n    graph.people: [30, 300]\n    graph.mean_degree: [40, 10]\n    contacts.gossip_rate: [{rates}]\n"
    path = tiny_experiment(tmp_path, replications=1, extra=extra)
    validate, _ = invoke("validate", str(path))
    assert validate.exit_code == 0 and "10,400 design point(s)" in validate.stdout
    assert "checked on its own" in validate.stdout
    out = tmp_path / "res"
    result, _ = invoke("run", str(path), "--out", str(out), "--workers", "1", "-q", "--no-report")
    assert result.exit_code == 2 and "field 'graph.mean_degree': must be below people (30)" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr) < 2000
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "interrupted" and manifest["runs_done"] == 0


def test_a_results_folder_with_an_alias_bomb_for_a_config_is_refused(tmp_path):
    """Results folders are passed around too; sim info, plot and report read their config."""
    (tmp_path / "runs").mkdir()
    (tmp_path / "manifest.json").write_text('{"status": "complete"}')
    (tmp_path / "config.yaml").write_text(alias_bomb())
    result, seconds = invoke("info", str(tmp_path))
    assert_refused(result, seconds, "unreadable manifest or config", "aliases are expanded")
