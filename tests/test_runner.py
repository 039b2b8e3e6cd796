"""Running and storing experiments: identical tables whatever the executor; resume; load."""

from __future__ import annotations

import json
import sys
import threading
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import sim.results
from sim.cli import app
from sim.experiment import RunOptions, execute, load_experiment
from sim.experiment.config import ConfigError
from sim.experiment.design import run_seed
from sim.experiment.runner import process_context
from sim.results import ResultsError

from .experiments import tiny_experiment

runner = CliRunner()


def sorted_tables(results) -> dict[str, pd.DataFrame]:
    keys = {"seekers": ["run_id", "seeker_id"], "runs": ["run_id", "strategy"], "daily": ["run_id", "day", "strategy"],
            "events": ["run_id", "day", "kind", "seeker_id"], "ego": ["run_id", "seeker_id", "contact"]}  # fmt: skip
    out = {}
    for name, key in keys.items():
        frame = getattr(results, name)
        if frame is not None:
            out[name] = frame.sort_values(key, kind="stable").reset_index(drop=True)
    return out


def assert_same_results(a, b):
    ta, tb = sorted_tables(a), sorted_tables(b)
    assert ta.keys() == tb.keys()
    for name in ta:
        pd.testing.assert_frame_equal(ta[name], tb[name], check_exact=True)


@pytest.fixture(scope="module")
def experiment_file(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("exp")
    return tiny_experiment(
        folder,
        replications=2,
        extra="outputs: {events: true}\nsweep: {grid: {contacts.gossip_rate: [0.2, 0.6]}}\n",
    )


@pytest.fixture(scope="module")
def one_worker(experiment_file, tmp_path_factory):
    out = tmp_path_factory.mktemp("w1") / "res"
    execute(load_experiment(experiment_file), RunOptions(out=out, workers=1))
    return sim.results.load(out)


def test_results_load_back_with_every_table(one_worker):
    r = one_worker
    assert r.complete and r.manifest["runs_done"] == 4 == r.manifest["runs_planned"]
    assert r.seekers["run_id"].nunique() == 4 and set(r.seekers["strategy"]) == {"polite", "nfl"}
    assert set(r.seekers["contacts.gossip_rate"]) == {0.2, 0.6}  # the design point's parameters
    assert r.events is not None and len(r.events) > 0
    assert r.config["name"] == "tiny"
    assert r.manifest["seeding"]["seed"] == 5  # the file's; each run's seed is in its rows
    for run in r.runs.drop_duplicates("run_id").itertuples():
        assert set(r.seekers.loc[r.seekers.run_id == run.run_id, "seed"]) == {
            run_seed(5, run.point_id, run.replication)
        }


def test_a_run_can_be_repeated_alone_from_its_recorded_seed(one_worker, experiment_file):
    row = one_worker.runs.iloc[0]
    experiment = load_experiment(experiment_file)
    params = experiment.params_at({"contacts.gossip_rate": row["contacts.gossip_rate"]})
    alone = sim.simulate(params, seed=int(row["seed"]), run_id=row["run_id"], point_id=int(row["point_id"]),
                         replication=int(row["replication"]), point={"contacts.gossip_rate": row["contacts.gossip_rate"]})  # fmt: skip
    stored = one_worker.seekers[one_worker.seekers.run_id == row["run_id"]].reset_index(drop=True)
    pd.testing.assert_frame_equal(alone.seekers, stored)


@pytest.mark.parametrize("other_thread", [False, True], ids=["alone", "with-a-thread"])
def test_two_workers_give_identical_tables(one_worker, experiment_file, tmp_path, other_thread):
    """Workers are forked from this process only while it runs one thread (on Linux), and
    come from a fork server otherwise; the tables are the same either way."""
    stop = threading.Event()
    if other_thread:
        threading.Thread(target=stop.wait, daemon=True).start()
    try:
        forks = sys.platform == "linux" and threading.active_count() == 1
        assert (process_context().get_start_method() == "fork") == forks
        assert not (other_thread and forks)
        execute(load_experiment(experiment_file), RunOptions(out=tmp_path / "res", workers=2))
    finally:
        stop.set()
    assert_same_results(one_worker, sim.results.load(tmp_path / "res"))


def test_dask_local_cluster_gives_identical_tables(one_worker, experiment_file, tmp_path):
    pytest.importorskip("distributed")
    execute(load_experiment(experiment_file), RunOptions(out=tmp_path / "res", workers=2, backend="dask"))
    assert_same_results(one_worker, sim.results.load(tmp_path / "res"))


def _worker_settings():
    import dask

    from sim.experiment.runner import _QUIET_WORKERS

    return all(dask.config.get(key) == value for key, value in _QUIET_WORKERS.items())


def test_local_dask_workers_run_without_the_profiler_even_after_a_restart():
    """The 10 ms stack sampler slows long runs (docs/performance.md); a restarted worker
    must not bring it back."""
    pytest.importorskip("distributed")
    from sim.experiment.runner import _dask_executor

    with _dask_executor(None, 1) as executor:
        client = executor._client
        assert set(client.run(_worker_settings).values()) == {True}
        client.restart()
        assert set(client.run(_worker_settings).values()) == {True}


def test_resume_skips_finished_runs_and_refuses_a_changed_config(experiment_file, tmp_path):
    out = tmp_path / "res"
    experiment = load_experiment(experiment_file)
    execute(experiment, RunOptions(out=out, workers=1))
    outcome = execute(experiment, RunOptions(out=out, workers=1, resume=True))
    assert outcome.skipped == 4 and outcome.done == 0
    changed = load_experiment(experiment_file, ["contacts.gossip_weight=0.1"])
    with pytest.raises(ConfigError, match="different configuration"):
        execute(changed, RunOptions(out=out, workers=1, resume=True))
    with pytest.raises(ConfigError, match="already holds results"):
        execute(experiment, RunOptions(out=out, workers=1))


def test_cli_run_writes_results_and_prints_a_summary(experiment_file, tmp_path):
    out = tmp_path / "cli"
    result = runner.invoke(
        app, ["run", str(experiment_file), "--out", str(out), "--workers", "1", "--replications", "1"]
    )
    assert result.exit_code == 0, result.stderr
    assert "median days" in result.stdout and "polite" in result.stdout and "nfl" in result.stdout
    assert json.loads((out / "manifest.json").read_text())["status"] == "complete"
    assert sim.results.load(out).config["replications"] == 1
    info = runner.invoke(app, ["info", str(out)])
    assert info.exit_code == 0 and "runs stored: 2 of 2" in info.stdout


def test_set_overrides_reach_the_model(experiment_file, tmp_path):
    out = tmp_path / "noshame"
    result = runner.invoke(app, ["run", str(experiment_file), "--out", str(out), "--workers", "1", "-q",
                                 "--set", "contacts.mop_up_propensity=0", "--set", "population.seekers.nfl.pressure=0.5"])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    r = sim.results.load(out)
    assert (r.seekers["mop_up_calls"] == 0).all()
    assert set(r.runs["contacts.mop_up_propensity"]) == {0} and set(
        r.runs["population.seekers.nfl.pressure"]
    ) == {0.5}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--backend", "spark"], "Invalid value for '--backend'"),
        (["--scheduler", "tcp://127.0.0.1:1"], "--scheduler needs --backend dask"),
        (["--resume", "--overwrite"], "exclude each other"),
        (["--out", "/proc/version/results"], "--out"),
    ],
)
def test_bad_run_options_exit_2(experiment_file, args, message):
    result = runner.invoke(app, ["run", str(experiment_file), "-q", *args])
    assert result.exit_code == 2 and message in result.stderr and "Traceback" not in result.stderr


def test_loading_a_folder_that_is_not_results_is_a_clear_error(tmp_path):
    with pytest.raises(ResultsError, match="no such results folder"):
        sim.results.load(tmp_path / "missing")
    with pytest.raises(ResultsError, match="not an experiment's results folder"):
        sim.results.load(tmp_path)
    result = runner.invoke(app, ["info", str(tmp_path)])
    assert result.exit_code == 2 and "not an experiment" in result.stderr


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.startswith("networking-sim ")


def test_events_first_keeps_the_log_of_replication_zero_only_and_changes_no_result(
    experiment_file, one_worker, tmp_path
):
    out = tmp_path / "first"
    execute(load_experiment(experiment_file, ["outputs.events=first"]), RunOptions(out=out, workers=1))
    r = sim.results.load(out)
    assert set(r.events["replication"]) == {0} and set(r.events["point_id"]) == {0, 1}
    pd.testing.assert_frame_equal(sorted_tables(r)["seekers"], sorted_tables(one_worker)["seekers"])
    ref = one_worker.events[one_worker.events.replication == 0].sort_values(
        ["run_id", "day", "kind", "seeker_id"], kind="stable"
    )
    pd.testing.assert_frame_equal(sorted_tables(r)["events"], ref.reset_index(drop=True))


def test_one_worker_stores_each_run_before_the_next_starts(experiment_file, tmp_path):
    stored_when_reported = []

    def on_run(spec, error):
        stored_when_reported.append(
            len([p for p in (tmp_path / "res" / "runs").iterdir() if not p.name.startswith(".")])
        )

    execute(load_experiment(experiment_file), RunOptions(out=tmp_path / "res", workers=1), on_run=on_run)
    assert stored_when_reported == [1, 2, 3, 4]


def test_a_folder_not_written_by_sim_is_never_adopted_or_removed(experiment_file, tmp_path):
    stale = tmp_path / "stale"
    (stale / "runs" / "p0000-r0000").mkdir(parents=True)
    with pytest.raises(ConfigError, match="runs/ folder but no experiment"):
        execute(load_experiment(experiment_file), RunOptions(out=stale, workers=1))
    mine = tmp_path / "mine"
    (mine / "plots").mkdir(parents=True)
    (mine / "config.yaml").write_text("my own file\n")
    (mine / "plots" / "figure1.png").write_bytes(b"png")
    with pytest.raises(ConfigError, match="does not look like a folder written by sim run"):
        execute(load_experiment(experiment_file), RunOptions(out=mine, workers=1, overwrite=True))
    assert (mine / "plots" / "figure1.png").exists() and (mine / "config.yaml").read_text() == "my own file\n"


def test_resume_refuses_results_of_another_model_version(experiment_file, tmp_path):
    out = tmp_path / "res"
    experiment = load_experiment(experiment_file, ["replications=1"])
    execute(experiment, RunOptions(out=out, workers=1))
    manifest = json.loads((out / "manifest.json").read_text())
    manifest["package_version"] = "0.0.1-old"
    (out / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ConfigError, match=r"package version 0\.0\.1-old"):
        execute(experiment, RunOptions(out=out, workers=1, resume=True))


@pytest.mark.parametrize(
    ("sets", "message"),
    [
        (["contacts.gossip_rate=a[/b]"], "field 'contacts.gossip_rate'"),
        (["graph.tier_shares=5"], "field 'graph.tier_shares'"),
        (["population.seekers.nfl.count=0", "population.seekers.polite.count=0"], "there are no seekers"),
        (["graph.kind=edge_list", "graph.path=/nonexistent/edges.csv"], "no such edge-list file"),
    ],
)
def test_more_bad_input_exits_2_without_traceback(experiment_file, sets, message):
    args = ["validate", str(experiment_file)]
    for item in sets:
        args += ["--set", item]
    result = runner.invoke(app, args)
    assert result.exit_code == 2 and message in result.stderr and "Traceback" not in result.stderr


def test_strategy_names_must_be_plain(tmp_path):
    for name in ("$x^$", "a[/b]", "v1.2", "<b>x</b>"):
        path = tiny_experiment(tmp_path, extra=f"strategies:\n  '{name}': {{preset: polite}}\n")
        path.write_text(path.read_text().replace("{polite: 3, nfl: 3}", f"{{polite: 3, '{name}': 2}}"))
        result = runner.invoke(app, ["validate", str(path)])
        assert result.exit_code == 2 and "strategy name" in result.stderr, name


def test_sweeps_over_text_and_list_values_run_and_draw(tmp_path):
    extra = "sweep:\n  grid: {graph.kind: [watts_strogatz, sbm]}\n  points: [{graph.tier_shares: [0.25, 0.25, 0.25, 0.25]}]\n"
    path = tiny_experiment(tmp_path, replications=1, extra=extra)
    result = runner.invoke(app, ["run", str(path), "--out", str(tmp_path / "res"), "--workers", "1", "-q"])
    assert result.exit_code == 0, result.stderr
    r = sim.results.load(tmp_path / "res")
    assert set(r.seekers["graph.kind"]) == {"watts_strogatz", "sbm"} and set(
        r.seekers["graph.tier_shares"]
    ) == {"0.25,0.25,0.25,0.25"}
    assert (tmp_path / "res" / "report.html").exists()


def test_encoded_parts_read_back_as_the_tables_and_unknown_parts_are_refused(tmp_path):
    """Workers encode a run's tables as Parquet; the store writes the bytes as they are."""
    import io

    from sim.experiment.store import encode_run
    from tests.worlds import small_params

    tables = sim.simulate(small_params(people=200, horizon=20), seed=3)
    parts = encode_run(tables)
    assert set(parts) == {"seekers", "runs", "daily", "events", "ego"}
    for name, data in parts.items():
        pd.testing.assert_frame_equal(
            pd.read_parquet(io.BytesIO(data)), getattr(tables, name), check_exact=True
        )
    without_events = encode_run(
        sim.simulate(small_params(people=200, horizon=20, record_events=False), seed=3)
    )
    assert "events" not in without_events and "ego" not in without_events

    from sim.experiment.config import resolved_tree
    from sim.experiment.store import ResultStore

    tree = resolved_tree(load_experiment(tiny_experiment(tmp_path)))
    store = ResultStore.open(tmp_path / "store", tree, resume=False, overwrite=False, planned=1, seeding={})
    store.write_run("r-0", parts)
    pd.testing.assert_frame_equal(
        pd.read_parquet(tmp_path / "store" / "runs" / "r-0" / "daily.parquet"), tables.daily, check_exact=True
    )
    with pytest.raises(ValueError, match="unknown tables"):
        store.write_run("r-extra", {"seekers": parts["seekers"], "bogus": b""})
    assert not (tmp_path / "store" / "runs" / "r-extra").exists()


def test_runs_in_flight_stay_within_the_window_and_the_design_is_walked_lazily():
    from concurrent.futures import Executor, Future

    from sim.experiment.design import RunSpec
    from sim.experiment.runner import _completed

    class Instant(Executor):
        submitted = 0

        def submit(self, fn, /, *args, **kwargs):
            self.submitted += 1
            future: Future = Future()
            future.set_result(args[1].run_id)
            return future

    executor = Instant()
    walked = []
    specs = (walked.append(i) or RunSpec(f"r{i}", i, 0, i) for i in range(10**9))  # never listed
    seen = set()
    for spec, future in _completed(executor, specs, lambda spec: None, window=8):
        assert future.result() == spec.run_id and spec.run_id not in seen
        seen.add(spec.run_id)
        assert executor.submitted - len(seen) < 2 * 8  # queued or running, and finished unstored
        if len(seen) == 100:
            break
    assert len(walked) == executor.submitted <= 100 + 2 * 8


@pytest.mark.parametrize("command", ["plot", "report"])
def test_an_unknown_context_is_refused_with_the_choices(tmp_path, command):
    result = runner.invoke(app, [command, str(tmp_path), "--context", "poster"])
    assert result.exit_code == 2 and "Invalid value for '--context'" in result.stderr
    assert "paper" in result.stderr and "talk" in result.stderr and "Traceback" not in result.stderr


def test_a_worker_running_many_simulations_keeps_none_of_their_models(monkeypatch):
    """Mesa 3 keeps every model in a class-level registry of agent ids; a worker of a sweep or
    a calibration grew by 25 MB a run until a model let Mesa forget it once run."""
    import gc
    import importlib
    import weakref

    one_call = importlib.import_module("sim.model.simulate")  # the module, not the function
    from tests.worlds import small_params

    built = []
    tables_of = one_call.tables_of

    def watched(model, *args):
        built.append(weakref.ref(model))
        return tables_of(model, *args)

    monkeypatch.setattr(one_call, "tables_of", watched)
    for seed in range(3):
        sim.simulate(small_params(people=200, horizon=5, record_events=False), seed=seed)
    gc.collect()
    assert len(built) == 3 and all(ref() is None for ref in built)
