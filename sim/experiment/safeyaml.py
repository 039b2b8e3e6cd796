"""YAML from untrusted files: safe tags only, and a bounded size once aliases are expanded.

``yaml.safe_load`` never runs code, but it does not stop an *alias bomb*: a short file
whose anchors and aliases repeat a list inside a list, level after level, until 10^8
strings hang off a 1 kB file. PyYAML builds such a file cheaply, because an alias shares
its anchor's object; what explodes is every later walk over the tree (validation, copies,
error messages), which sees each alias expanded.

:func:`load_bounded` therefore reads the document's events first (the parser's stream of
"mapping starts", "scalar", "alias", ...; nothing is built) and counts the document's size
with every alias expanded: one for each node written in the file, an anchor's size for each
alias. The count only grows, so a bomb is refused after a few dozen events, and a file of a
million tiny values at the moment it passes the limit. Nesting past :data:`MAX_DEPTH` and an
alias inside the node it names (a structure without end) are refused on the way. Only then
is the document loaded, with ``SafeLoader``. :func:`read_yaml` reads an experiment file
this way, refusing files past :data:`MAX_FILE_BYTES` first; the module imports no more than
PyYAML, so that ``sim`` refuses a file before it spends seconds importing the model.

Measured (issue 16; a busy 2-core machine): counting a 1 MB flow list of 200,000 numbers
takes 0.4 s; building it takes 2.1 s with libyaml and more with pure PyYAML, so a
``SafeLoader`` subclass that counts while it composes (the other way to do this) refused
such a file only after 2–3.5 s. Both parsers are libyaml's when PyYAML was built with it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, NodeEvent

from sim.experiment.errors import ConfigError
from sim.experiment.messages import clip

__all__ = [
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_NODES",
    "YamlLimitError",
    "count_nodes",
    "load_bounded",
    "read_yaml",
]

#: Largest experiment file read, in bytes (1 MiB: a thousand times the largest shipped one).
MAX_FILE_BYTES = 1 << 20
#: Most nodes (mappings, lists and values) a document may hold with its aliases expanded.
MAX_NODES = 100_000
#: Deepest nesting of mappings and lists (experiment files need five levels).
MAX_DEPTH = 50

# libyaml's parser and loader when PyYAML has them: several times faster, and as safe (the
# tags are resolved and constructed by the same Python SafeConstructor).
_LOADER: type = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader

_OPEN = -1  # the size of an anchored collection that has not ended yet


class YamlLimitError(ValueError):
    """A document past one of the limits; the message says which and where."""


def count_nodes(text: str) -> int:
    """The document's nodes with every alias expanded, counted from its events.

    Raises:
        YamlLimitError: past :data:`MAX_NODES` or :data:`MAX_DEPTH`, or a recursive alias.
        yaml.YAMLError: not valid YAML.
    """
    anchored: dict[str, int] = {}  # anchor -> expanded size (its latest definition)
    open_sizes: list[int] = []  # expanded size so far of each open collection
    open_anchors: list[str | None] = []
    total = 0
    for event in yaml.parse(text, Loader=_LOADER):
        if not isinstance(event, NodeEvent | CollectionEndEvent):
            continue  # stream and document boundaries
        line = event.start_mark.line + 1
        if isinstance(event, CollectionEndEvent):
            size, anchor = open_sizes.pop(), open_anchors.pop()
            if anchor is not None:
                anchored[anchor] = size
            if open_sizes:
                open_sizes[-1] += size
            continue
        if isinstance(event, AliasEvent):
            size = anchored.get(event.anchor, 0)  # an undefined alias: the loader says so
            if size == _OPEN:
                raise YamlLimitError(
                    f"the alias *{clip(str(event.anchor), 60)} at line {line} is inside the node it "
                    "names (a structure without end)"
                )
        else:
            size = 1
        total += size
        if total > MAX_NODES:
            raise YamlLimitError(
                f"more than {MAX_NODES:,} values once aliases are expanded (passed at line {line}); "
                "an experiment needs a few hundred"
            )
        if isinstance(event, CollectionStartEvent):
            if len(open_sizes) == MAX_DEPTH:
                raise YamlLimitError(f"nested more than {MAX_DEPTH} levels deep (at line {line})")
            open_sizes.append(1)
            open_anchors.append(event.anchor)
            if event.anchor is not None:
                anchored[event.anchor] = _OPEN
            continue
        if not isinstance(event, AliasEvent) and event.anchor is not None:
            anchored[event.anchor] = 1
        if open_sizes:
            open_sizes[-1] += size
    return total


def load_bounded(text: str) -> Any:
    """The one document in ``text``, loaded safely once :func:`count_nodes` allows it.

    Raises:
        YamlLimitError: past a limit.
        yaml.YAMLError: not valid YAML, or a tag that is not a plain type.
    """
    count_nodes(text)
    return yaml.load(text, Loader=_LOADER)  # a safe loader: SafeLoader or CSafeLoader


def read_yaml(path: Path) -> dict[str, Any]:
    """The file's top-level mapping (safe loading, within the limits of :mod:`~sim.experiment.safeyaml`).

    Raises:
        ConfigError: missing, unreadable or too large a file, bad YAML, a document past the
            limits, or not a mapping.
    """
    text = _read_text(Path(path))
    try:
        raw = load_bounded(text)
    except YamlLimitError as exc:
        raise ConfigError(f"{path}: refused: {exc}") from None
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        at = f" at line {where.line + 1}, column {where.column + 1}" if where else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"{path}: not valid YAML{at}: {clip(problem)}") from None
    if not isinstance(raw, dict):
        raise ConfigError(
            f"{path}: expected a mapping of keys (name, seed, replications, ...), got {type(raw).__name__}"
        )
    return raw


def _read_text(path: Path) -> str:
    """The file's text, refused past :data:`~sim.experiment.safeyaml.MAX_FILE_BYTES`. It reads
    one byte past the limit at most, so that a device or a pipe that never ends is refused too."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    if len(data) > MAX_FILE_BYTES:
        raise ConfigError(
            f"{path}: refused: the file is larger than {MAX_FILE_BYTES:,} bytes; an experiment file "
            "needs a few kB (describe large designs with sweep.grid or sweep.sample, not point by point)"
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{path}: cannot read the file (not UTF-8 text: {exc.reason} at byte {exc.start})"
        ) from None
