"""Every example in the docs works: each YAML experiment validates, the README's notebook
snippet runs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from sim.experiment import load_experiment
from sim.experiment.design import point_params

DOCS = Path(__file__).parent.parent / "docs"
README = Path(__file__).parent.parent / "README.md"


def blocks(path: Path, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", path.read_text(encoding="utf-8"), flags=re.S)


EXPERIMENT_BLOCKS = [b for b in blocks(DOCS / "experiments.md", "yaml") if yaml.safe_load(b).get("name")]


def test_the_reference_has_examples():
    assert len(EXPERIMENT_BLOCKS) >= 6


@pytest.mark.parametrize("text", EXPERIMENT_BLOCKS, ids=lambda t: yaml.safe_load(t)["name"])
def test_every_yaml_example_in_the_docs_validates(tmp_path, text):
    data = yaml.safe_load(text)
    if data.get("graph", {}).get("kind") == "edge_list":
        edges = tmp_path / data["graph"]["path"]
        edges.parent.mkdir(parents=True)
        edges.write_text("a,b,meaningful\nb,c,0.4\nc,d\nd,e\ne,a\na,c\nb,d\nf,a\nf,b\ng,f\ng,c\n")
        text = text.replace(data["graph"]["path"], str(edges))
    path = tmp_path / "example.yaml"
    path.write_text(text)
    experiment = load_experiment(path)
    assert point_params(experiment)


def test_every_documented_experiment_key_exists():
    from sim.experiment.config import Experiment

    text = (DOCS / "experiments.md").read_text()
    for key in Experiment.model_fields:
        if key != "source":
            assert f"`{key}" in text, key


def test_the_readme_notebook_snippet_runs():
    code = next(b for b in blocks(README, "python") if "sim.simulate" in b)
    code = code.replace(
        "sim.ModelParams()",
        "sim.with_overrides(sim.ModelParams(), {'horizon_days': 60, 'job_loss_spread_days': 0})",
        1,
    )
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)  # the README's own example, shortened horizon
    assert namespace["model"].day == 31
