"""The import rules of docs/architecture.md, read from the source: no import cycle anywhere in
``sim`` (imports inside functions and under ``TYPE_CHECKING`` included), and arrows that point
one way between the layers."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SIM = Path(__file__).parent.parent / "sim"


def module_name(path: Path) -> str:
    parts = path.relative_to(SIM.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """Each module of ``sim`` and the modules of ``sim`` it imports, wherever the import is."""
    modules = {module_name(path): path for path in SIM.rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                # ``from package import module`` imports that module (its package is
                # initialised by any import of a submodule, so it is not counted); any other
                # name is imported from the package or module itself
                named = [f"{base}.{alias.name}" for alias in node.names]
                targets = [t if t in modules else base for t in named]
            else:
                continue
            graph[name].update(t for t in targets if t in modules and t != name)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


GRAPH = import_graph()


def imports_of(prefix: str) -> dict[str, set[str]]:
    return {m: targets for m, targets in GRAPH.items() if m == prefix or m.startswith(prefix + ".")}


def test_the_graph_is_read_from_the_source():
    """The scan sees imports under TYPE_CHECKING and inside functions, so the rules bite."""
    assert "sim.model.run_state" in GRAPH["sim.model.mechanisms.approach"]  # under TYPE_CHECKING
    assert "sim.model.kernels.whole_call" in GRAPH["sim.model.mechanisms.approach"]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycle_anywhere_in_sim():
    assert cycles(GRAPH) == []


@pytest.mark.parametrize(
    ("layer", "allowed"),
    [
        ("sim.model.equations", set()),
        ("sim.model.codes", set()),
        ("sim.model.kernels", {"sim.model.kernels", "sim.model.equations", "sim.model.codes"}),
    ],
)
def test_the_bottom_layers_import_only_what_is_below_them(layer, allowed):
    for module, targets in imports_of(layer).items():
        outside = {t for t in targets if not any(t == a or t.startswith(a + ".") for a in allowed)}
        assert not outside, f"{module} imports {sorted(outside)}"


@pytest.mark.parametrize(
    ("layer", "forbidden"),
    [
        # state knows nothing of the mechanisms that change it, the seekers or the model
        ("sim.model.state", ("sim.model.mechanisms", "sim.model.seekers", "sim.model.model")),
        # mechanisms see a run through the RunState protocol, never the model that wires them
        ("sim.model.mechanisms", ("sim.model.model", "sim.model.simulate", "sim.model.tables")),
        ("sim.model.seekers", ("sim.model.model", "sim.model.mechanisms")),
        # the model knows nothing of files, executors, plots or the command line
        (
            "sim.model",
            ("sim.experiment", "sim.analysis", "sim.viz", "sim.cli", "sim.results", "sim.research"),
        ),
        ("sim.experiment", ("sim.viz", "sim.cli")),
        # analysis reads tables; viz draws them; neither runs the model
        ("sim.analysis", ("sim.model", "sim.experiment", "sim.viz", "sim.cli")),
        ("sim.viz", ("sim.model", "sim.experiment.runner", "sim.cli")),
    ],
)
def test_arrows_point_one_way_between_layers(layer, forbidden):
    for module, targets in imports_of(layer).items():
        bad = {t for t in targets if any(t == f or t.startswith(f + ".") for f in forbidden)}
        assert not bad, f"{module} imports {sorted(bad)}"


def test_the_experiment_layer_uses_the_models_public_api_only():
    """``sim.experiment`` imports from ``sim.model`` itself, never from its modules."""
    for path in (SIM / "experiment").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            names += [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            internal = [n for n in names if n.startswith("sim.model.")]
            assert not internal, f"{path.name} imports {internal}"
