"""Experiment files: every shipped one validates; bad ones fail clearly with exit code 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from sim.cli import app
from sim.experiment import load_experiment
from sim.experiment.config import ConfigError, MixSpec, parse_sets
from sim.experiment.design import point_params

from .experiments import tiny_experiment

EXPERIMENTS = sorted((Path(__file__).parent.parent / "experiments").glob("*.yaml"))
runner = CliRunner()


def test_the_shipped_experiments_are_there():
    names = {p.stem for p in EXPERIMENTS}
    assert {
        "aggressive_vs_polite",
        "crowding",
        "when_aggression_pays",
        "cultivate_early",
        "referral_chains",
        "quick",
    } <= names


@pytest.mark.parametrize("path", EXPERIMENTS, ids=lambda p: p.stem)
def test_every_shipped_experiment_validates_with_a_readable_description(path):
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0, result.stderr
    experiment = load_experiment(path)
    assert experiment.name == path.stem
    assert len(experiment.description.split()) >= 25  # something a coach can read out
    assert all(p.population.seeker_count > 0 for p in point_params(experiment))


BAD_FILES = {
    "bad YAML syntax": ("name: x\nseed: [1, 2\n", "not valid YAML at line"),
    "unknown top-level key": ("replicashuns: 3\n", "field 'replicashuns': unknown key"),
    "unknown model key": (
        "contacts: {gossip_rat: 0.1}\n",
        "field 'contacts.gossip_rat': unknown parameter; did you mean 'gossip_rate'",
    ),
    "wrong type": ("horizon_days: soon\n", "field 'horizon_days'"),
    "probability outside [0, 1]": (
        "contacts: {gossip_rate: 1.5}\n",
        "field 'contacts.gossip_rate': must be a number in [0, 1]",
    ),
    "empty sweep": ("sweep: {}\n", "field 'sweep': the sweep is empty"),
    "empty grid": (
        "sweep: {grid: {contacts.gossip_rate: []}}\n",
        "grid values of 'contacts.gossip_rate' are empty",
    ),
    "negative graph size": ("graph: {people: -10}\n", "field 'graph.people': must be a whole number >= 2"),
    "negative seeker count": ("population: {seekers: {polite: -1, nfl: 3}}\n", "population.seekers"),
    "unknown strategy": ("population: {seekers: {sneaky: 2}}\n", "strategy 'sneaky' is not a preset"),
    "sweep over an unknown parameter": ("sweep: {grid: {contacts.nope: [1, 2]}}\n", "field 'contacts.nope'"),
    "sweep value out of range": (
        "sweep: {grid: {contacts.gossip_rate: [0.5, 2]}}\n",
        "field 'contacts.gossip_rate'",
    ),
    "inverted sample bounds": (
        "sweep: {sample: {method: lhs, n: 4, bounds: {contacts.gossip_rate: [0.9, 0.1]}}}\n",
        "low < high",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES), ids=str)
def test_bad_files_exit_2_naming_file_and_field_without_traceback(tmp_path, case):
    text, expected = BAD_FILES[case]
    if case == "bad YAML syntax":
        path = tmp_path / "broken.yaml"
        path.write_text(text)
    else:
        # Later keys win in YAML mappings, so appending a key replaces the tiny file's value.
        path = tiny_experiment(tmp_path, extra=text)
        path.write_text(_dedupe(path.read_text()))
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    assert str(path) in result.stderr and expected in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert len(result.stderr.strip().splitlines()) <= 6  # one paragraph, not a dump


def _dedupe(text: str) -> str:
    """Drop earlier top-level lines whose key is set again further down."""
    lines = text.splitlines()
    keys = [line.split(":", 1)[0] if line and not line[0].isspace() else None for line in lines]
    out, skipping = [], False
    for i, line in enumerate(lines):
        key = keys[i]
        if key is not None:
            skipping = key in keys[i + 1 :]
        if not skipping:
            out.append(line)
    return "\n".join(out) + "\n"


def test_a_missing_file_exits_2(tmp_path):
    result = runner.invoke(app, ["validate", str(tmp_path / "nowhere.yaml")])
    assert result.exit_code == 2 and "no such file" in result.stderr


def test_a_file_that_is_not_a_mapping_exits_2(tmp_path):
    path = tmp_path / "list.yaml"
    path.write_text("- 1\n- 2\n")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2 and "expected a mapping" in result.stderr


def test_yaml_is_read_safely(tmp_path):
    path = tmp_path / "evil.yaml"
    path.write_text("name: !!python/object/apply:os.system ['echo pwned']\nseed: 1\nreplications: 1\n")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2 and "not valid YAML" in result.stderr


def test_set_overrides_reach_the_parameters(tmp_path):
    path = tiny_experiment(tmp_path)
    experiment = load_experiment(path, ["contacts.gossip_rate=0.05", "population.seekers.nfl.pressure=0.4",
                                        "population.seekers.polite.count=5", "outputs.events=true"])  # fmt: skip
    params = experiment.base_params()
    groups = {g.strategy.name: g for g in params.population.seekers}
    assert params.contacts.gossip_rate == 0.05 and params.record_events
    assert groups["nfl"].strategy.pressure == 0.4 and groups["polite"].count == 5


@pytest.mark.parametrize("item", ["nonsense", "=3", "a..b=1"])
def test_malformed_set_items_are_config_errors(item):
    with pytest.raises(ConfigError, match="PATH=VALUE"):
        parse_sets([item])


def test_set_values_are_read_as_yaml_scalars():
    assert parse_sets(["a=0.5", "b=true", "c=[1, 2]", "d=text"]) == [
        ("a", 0.5),
        ("b", True),
        ("c", [1, 2]),
        ("d", "text"),
    ]


def test_a_mix_gives_whole_counts_that_add_up():
    counts = MixSpec(total=10, mix={"polite": 1 / 3, "nfl": 1 / 3, "balanced": 1 / 3}).counts()
    assert sum(counts.values()) == 10 and max(counts.values()) - min(counts.values()) <= 1


def test_custom_strategies_extend_a_preset(tmp_path):
    path = tiny_experiment(tmp_path, extra="strategies:\n  pushy: {preset: polite, pressure: 0.8}\n")
    path.write_text(path.read_text().replace("{polite: 3, nfl: 3}", "{polite: 3, pushy: 3}"))
    groups = {g.strategy.name: g.strategy for g in load_experiment(path).base_params().population.seekers}
    assert groups["pushy"].pressure == 0.8 and groups["pushy"].give_rate == groups["polite"].give_rate
