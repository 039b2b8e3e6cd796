"""Fuzzed experiment files through ``sim validate``: whatever the keys, types, values,
nesting, aliases or characters, the outcome is exit 0 or one short error with exit 2, never
a traceback and never a hang (issue 16)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from sim.cli import app

runner = CliRunner()

BASE = {
    "name": "fuzz",
    "seed": 1,
    "replications": 2,
    "graph": {"people": 300, "mean_degree": 10},
    "population": {"seekers": {"polite": 2, "nfl": 2}},
}
#: Keys the file format knows, so that fuzzed trees reach deep validation, not only "unknown key".
KNOWN_KEYS = (
    "name", "description", "seed", "replications", "max_runs", "strategies", "sweep", "outputs", "graph",
    "population", "contacts", "ties", "market", "horizon_days", "warmup_days", "seekers", "polite", "nfl",
    "balanced", "total", "mix", "preset", "pressure", "grid", "points", "sample", "method", "n", "bounds",
    "integers", "events", "people", "kind", "path", "tier_shares", "contacts.gossip_rate", "graph.people",
    "population.seekers.nfl.count", "market.offer_prob", "<<",
)  # fmt: skip
TOKENS = ("&a ", "*a", "&b [", "*b", "[", "]", "{", "}", ": ", "- ", "\n  ", "\t", "!!python/object:os.system ",
          "!!binary ", "<<: ", "? ", "|", ">", "'", '"', "#", "%YAML 1.1\n", "---\n", "...\n", "\ufeff", "\u2028",
          "\x85", "é", "名前", "🙂", "\x00", "~", "1e999", "-.inf", ".nan", "0x1F", "2026-12-01")  # fmt: skip

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["lhs", "sobol", "polite", "nfl", "sbm", "edge_list", "first", "0.5", ""]),
)
keys = st.one_of(st.sampled_from(KNOWN_KEYS), st.text(max_size=15), st.integers(-5, 5))
trees = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(keys, children, max_size=5),
    max_leaves=25,
)


#: Changes that keep the file valid, so that valid files (exit 0) are common too.
VALID_CHANGES = (
    ("contacts", {"gossip_rate": 0.3}),
    ("outputs", {"events": "first"}),
    ("strategies", {"nfl": {"pressure": 0.5}}),
    ("sweep", {"grid": {"contacts.gossip_rate": [0.1, 0.2], "market.offer_prob": [0.3, 0.4]}}),
    ("sweep", {"sample": {"method": "sobol", "n": 4, "bounds": {"ties.floor": [0.1, 0.2]}}}),
    ("max_runs", 10),
    ("population", {"seekers": {"total": 5, "mix": {"polite": 0.5, "balanced": 0.5}}}),
)


@st.composite
def documents(draw) -> str:
    """A YAML text: the base experiment, changed validly or at random (keys set, replaced or
    nested at any depth), some subtrees shared (which the dumper writes as anchors and
    aliases, sometimes stacked into a bomb), and sometimes raw tokens spliced into the text."""
    doc: dict[Any, Any] = yaml.safe_load(yaml.safe_dump(BASE))
    doc["description"] = draw(st.text(max_size=40))
    for key, value in draw(st.lists(st.sampled_from(VALID_CHANGES), max_size=3)):
        doc[key] = value
    if not draw(st.booleans()):
        return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    for _ in range(draw(st.integers(0, 4))):
        target = doc
        for key in draw(st.lists(st.sampled_from(KNOWN_KEYS), max_size=3)):
            child = target.get(key) if isinstance(target, dict) else None
            if not isinstance(child, dict):
                break
            target = child
        target[draw(keys)] = draw(trees)
    if draw(st.booleans()):
        shared = draw(st.lists(trees, min_size=1, max_size=3))
        doc[draw(keys)] = shared
        doc[draw(keys)] = {"again": shared, "and": [shared, shared]}
    if draw(st.integers(0, 9)) == 0:  # a stack of aliases: fan ** levels values once expanded
        level: Any = ["lol"]
        for i in range(draw(st.integers(1, 7))):
            level = [level] * draw(st.integers(2, 10))
            doc[f"l{i}"] = level
    try:
        text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    except yaml.YAMLError:
        text = yaml.safe_dump(BASE)
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(TOKENS) | st.text(max_size=5)) + text[at:]
    return text


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(text=documents())
def test_any_file_validates_or_is_refused_in_a_short_paragraph(tmp_path_factory, text):
    path: Path = tmp_path_factory.mktemp("fuzz") / "fuzzed.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    started = time.monotonic()
    result = runner.invoke(app, ["validate", str(path)])
    seconds = time.monotonic() - started
    output = result.stdout + result.stderr
    event(f"exit {result.exit_code}")  # --hypothesis-show-statistics: how often files were valid
    assert isinstance(result.exception, SystemExit | None), repr(result.exception)  # no traceback
    assert result.exit_code in (0, 2), output
    assert "Traceback" not in output
    assert seconds < 30, seconds  # a hang guard: a few seconds at most, even on a busy machine
    if result.exit_code == 2:
        assert result.stderr.startswith("error: ") and str(path) in result.stderr, output
        assert len(output) < 2000
    else:
        assert "valid." in result.stdout
