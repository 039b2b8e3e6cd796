"""Experiment files: YAML, validated, turned into model parameters.

An experiment file mirrors :class:`sim.model.ModelParams` (``graph``, ``population``,
``contacts``, ``ties``, ``market`` and the scalar fields), so that the YAML nesting and the
dotted paths used by ``--set`` and by sweeps are the same names (``contacts.gossip_rate``).
Around it sit the experiment's own keys: name, description, seed, replications, strategies,
sweep and outputs. Unknown keys are errors. YAML is read safely and within limits (file
size, nodes with aliases expanded, depth: :mod:`sim.experiment.safeyaml`), and errors quote
values briefly (:mod:`sim.experiment.messages`), so a hostile file is refused in a short
paragraph, fast.
"""

from __future__ import annotations

import dataclasses
import math
import re
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    create_model,
    field_validator,
    model_validator,
)

from sim.experiment.blocks import CalibrationSpec, PosteriorSpec, SensitivitySpec
from sim.experiment.errors import ConfigError
from sim.experiment.messages import clip, quote
from sim.experiment.posterior import Posterior, load_posterior
from sim.experiment.safeyaml import YamlLimitError, load_bounded, read_yaml
from sim.model import PRESETS, ModelParams, PopulationParams, SeekerGroup, Strategy, with_overrides

__all__ = ["ConfigError", "Experiment", "load_experiment", "parse_sets", "read_yaml"]

#: Top-level keys that are model parameter sections or scalars (addressable by dotted path).
MODEL_KEYS = ("graph", "population", "contacts", "ties", "market", "horizon_days", "job_loss_spread_days",
              "warmup_days", "phone_cost", "refusal_cost", "gift_cost", "introduction_cost", "workdays_per_week")  # fmt: skip


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _strategy_spec_model() -> type[BaseModel]:
    fields = {f.name: (Any, None) for f in dataclasses.fields(Strategy) if f.name != "name"}
    return create_model("StrategySpec", __base__=_Strict, preset=(str | None, None), **fields)


StrategySpec = _strategy_spec_model()


class SampleSpec(_Strict):
    """A sampled design over bounded parameters (Latin hypercube or Sobol)."""

    method: Literal["lhs", "sobol"]
    n: int = Field(ge=1, le=100_000)
    bounds: dict[str, tuple[float, float]] = Field(min_length=1)
    integers: list[str] = []
    seed: int | None = Field(default=None, ge=0)

    @field_validator("bounds")
    @classmethod
    def _ordered(cls, bounds: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
        for path, (low, high) in bounds.items():
            if not (math.isfinite(low) and math.isfinite(high) and low < high):
                raise ValueError(
                    f"bounds of {quote(path)} must be finite with low < high, got [{low}, {high}]"
                )
        return bounds

    @model_validator(mode="after")
    def _integers_have_bounds(self) -> SampleSpec:
        missing = [p for p in self.integers if p not in self.bounds]
        if missing:
            raise ValueError(f"integers names parameters without bounds: {quote(missing)}")
        return self


class SweepSpec(_Strict):
    """Design points: the product of a full grid, explicit points and a sampled design."""

    grid: dict[str, list[Any]] = {}
    points: list[dict[str, Any]] = []
    sample: SampleSpec | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> SweepSpec:
        if not self.grid and not self.points and self.sample is None:
            raise ValueError("the sweep is empty: give grid, points or sample")
        for path, values in self.grid.items():
            if not values:
                raise ValueError(f"grid values of {quote(path)} are empty")
        if any(not p for p in self.points):
            raise ValueError("a sweep point is empty")
        return self


class OutputsSpec(_Strict):
    """What a run stores besides the seeker, run and daily tables.

    ``events``: ``true`` keeps the event log of every run, ``first`` only of replication 0 of
    each design point (enough for the referral-chain and network figures, at a fraction of
    the size), ``one`` only of the very first run (replication 0 of design point 0: enough
    for one seeker's story in a large grid), ``false`` none. Keeping the log does not change
    any result.

    ``explorer``: the experiment is a scenario grid for a workshop; ``sim run`` also writes
    ``explorer.html`` (:mod:`sim.viz.explorer`).
    """

    events: bool | Literal["first", "one"] = False
    explorer: bool = False


class MixSpec(_Strict):
    """Seekers given as a total and a share per strategy."""

    total: int = Field(ge=0)
    mix: dict[str, float] = Field(min_length=1)

    @field_validator("mix")
    @classmethod
    def _shares(cls, mix: dict[str, float]) -> dict[str, float]:
        if any(not 0 <= v <= 1 for v in mix.values()) or abs(sum(mix.values()) - 1) > 1e-9:
            raise ValueError(f"shares must be in [0, 1] and sum to 1, got {quote(mix)}")
        return mix

    def counts(self) -> dict[str, int]:
        """Whole counts by the largest-remainder rule."""
        exact = {k: v * self.total for k, v in self.mix.items()}
        counts = {k: math.floor(x) for k, x in exact.items()}
        short = self.total - sum(counts.values())
        for k in sorted(exact, key=lambda k: counts[k] - exact[k])[:short]:
            counts[k] += 1
        return counts


STRATEGY_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,39}$")


def _check_names(names: Any) -> None:
    for name in names:
        if not isinstance(name, str) or not STRATEGY_NAME.match(name):
            raise ValueError(
                f"strategy name {quote(name, 60)} must start with a letter and use only letters, digits, _ and - (at most 40)"
            )


def _seeker_counts(value: Any) -> dict[str, int] | MixSpec:
    """``{strategy: count}`` or ``{total: n, mix: {strategy: share}}``."""
    if isinstance(value, dict) and ("mix" in value or "total" in value):
        _check_names(value.get("mix") or {})
        try:
            return MixSpec.model_validate(value)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(map(str, e['loc']))}: {e['msg'].removeprefix('Value error, ')}"
                for e in exc.errors()
            )
            raise ValueError(problems) from None
    if not isinstance(value, dict) or not value:
        raise ValueError(
            "give a count per strategy, e.g. {polite: 15, nfl: 15}, or {total: 40, mix: {polite: 0.5, nfl: 0.5}}"
        )
    _check_names(value)
    for name, count in value.items():
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise ValueError(
                f"the count of {quote(name, 60)} must be a whole number >= 0, got {quote(count)}"
            )
    return dict(value)


def _population_spec_model() -> type[BaseModel]:
    fields = {f.name: (Any, None) for f in dataclasses.fields(PopulationParams) if f.name != "seekers"}
    seekers = (Annotated[Any, BeforeValidator(_seeker_counts)], ...)
    return create_model("PopulationSpec", __base__=_Strict, seekers=seekers, **fields)


PopulationSpec = _population_spec_model()


class Experiment(_Strict):
    """A validated experiment file."""

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=100)
    description: str = ""
    seed: int = Field(ge=0, lt=2**63)
    replications: int = Field(ge=1, le=1_000_000)
    #: Most runs ``sim run`` starts (None: :data:`sim.experiment.design.DEFAULT_MAX_RUNS`).
    max_runs: int | None = Field(default=None, ge=1)
    graph: dict[str, Any] = {}
    population: PopulationSpec  # type: ignore[valid-type]
    contacts: dict[str, Any] = {}
    ties: dict[str, Any] = {}
    market: dict[str, Any] = {}
    horizon_days: Any = None
    job_loss_spread_days: Any = None
    warmup_days: Any = None
    phone_cost: Any = None
    refusal_cost: Any = None
    gift_cost: Any = None
    introduction_cost: Any = None
    workdays_per_week: Any = None
    strategies: dict[str, StrategySpec] = {}  # type: ignore[valid-type]
    sweep: SweepSpec | None = None
    outputs: OutputsSpec = OutputsSpec()
    sensitivity: SensitivitySpec | None = None  # read by `sim sensitivity` (sim.research)
    calibration: CalibrationSpec | None = None  # read by `sim calibrate` (sim.research)
    posterior: PosteriorSpec | None = None  # each run's world drawn from a calibration
    source: str = Field(default="<memory>", exclude=True)
    _posterior: Posterior | None = PrivateAttr(default=None)

    @field_validator("strategies")
    @classmethod
    def _strategy_names(cls, strategies: dict[str, Any]) -> dict[str, Any]:
        _check_names(strategies)
        return strategies

    @model_validator(mode="after")
    def _strategies_are_used(self) -> Experiment:
        unused = sorted(set(self.strategies) - set(self.seeker_counts()))
        if unused:
            raise ValueError(f"strategies {unused} are defined but have no seekers under population.seekers")
        return self

    @field_validator("population")
    @classmethod
    def _some_seekers(cls, population: Any) -> Any:
        counts = (
            population.seekers.counts() if isinstance(population.seekers, MixSpec) else population.seekers
        )
        if sum(counts.values()) == 0:
            raise ValueError("there are no seekers: give at least one strategy a count above 0")
        return population

    # --- building parameters ---------------------------------------------------------------
    def seeker_counts(self) -> dict[str, int]:
        """Seekers per strategy name."""
        seekers = self.population.seekers
        return seekers.counts() if isinstance(seekers, MixSpec) else dict(seekers)

    def base_params(self) -> ModelParams:
        """The model parameters of the file, before any sweep point.

        Raises:
            ConfigError: naming the file and the field.
        """
        groups = tuple(
            SeekerGroup(self._strategy(name), count) for name, count in self.seeker_counts().items()
        )
        try:
            base = ModelParams(
                population=PopulationParams(seekers=groups), record_events=self.outputs.events is True
            )
            return _checked(with_overrides(base, self._model_changes()), self.source, "")
        except (KeyError, ValueError, TypeError) as exc:
            raise ConfigError(f"{self.source}: {_text(exc)}") from None

    def posterior_table(self) -> Posterior | None:
        """The ``posterior:`` block's table, read and checked once (None without the block).

        Raises:
            ConfigError: the file is missing, unreadable or names no model parameter.
        """
        if self.posterior is not None and self._posterior is None:
            self._posterior = load_posterior(self.posterior.file, self.source, self.base_params())
        return self._posterior

    def run_point(self, point: dict[str, Any], point_id: int, replication: int) -> dict[str, Any]:
        """The parameter values of one run: the design point's, with a draw from the
        posterior (when the file has one) taking precedence."""
        table = self.posterior_table()
        if table is None:
            return point
        return {**point, **table.draw(self.seed, point_id, replication)}

    def params_at(self, point: dict[str, Any], base: ModelParams | None = None) -> ModelParams:
        """The model parameters at one design point (dotted paths to values)."""
        try:
            return _checked(
                with_overrides(base or self.base_params(), point),
                self.source,
                f"sweep point {quote(point)}: ",
            )
        except (KeyError, ValueError, TypeError) as exc:
            raise ConfigError(f"{self.source}: sweep: {_text(exc)}") from None

    def _strategy(self, name: str) -> Strategy:
        spec = self.strategies.get(name)
        fields = {k: v for k, v in (spec.model_dump(exclude_none=True) if spec else {}).items()}
        preset_name = fields.pop("preset", name if name in PRESETS else None)
        if preset_name not in PRESETS:
            raise ConfigError(
                f"{self.source}: population.seekers: strategy {quote(name, 60)} is not a preset {sorted(PRESETS)}; "
                f"define it under strategies: {{{name}: {{preset: polite, ...}}}}"
            )
        try:
            return PRESETS[preset_name].replace(name=name, **fields)
        except ValueError as exc:
            raise ConfigError(
                f"{self.source}: {_text(exc).replace('Strategy.', f'strategies.{name}.')}"
            ) from None

    def _model_changes(self) -> dict[str, Any]:
        changes: dict[str, Any] = {}
        for key in MODEL_KEYS:
            value = getattr(self, key)
            if key == "population":
                value = value.model_dump(exclude_none=True, exclude={"seekers"})
            if isinstance(value, dict):
                changes.update(_flatten(value, key + "."))
            elif value is not None:
                changes[key] = value
        return changes


def _checked(params: ModelParams, source: str, where: str) -> ModelParams:
    """What the parameter classes cannot see alone: some seekers, a readable edge list."""
    if params.population.seeker_count == 0:
        raise ConfigError(f"{source}: {where}field 'population.seekers': there are no seekers")
    if params.graph.kind == "edge_list" and not Path(params.graph.path or "").is_file():
        raise ConfigError(
            f"{source}: {where}field 'graph.path': no such edge-list file {quote(params.graph.path)}"
        )
    return params


def _flatten(tree: dict[str, Any], prefix: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            out.update(_flatten(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def _text(exc: Exception) -> str:
    """A model error as "field 'path': problem" (cut short: the model quotes the value)."""
    text = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
    unknown = re.match(r"unknown parameter '([^']+)': (.*)", text)
    invalid = re.match(r"([\w.]+) (must .*)", text)
    if unknown:
        text = f"field '{unknown.group(1)}': unknown parameter; {unknown.group(2)}"
    elif invalid:
        text = f"field '{invalid.group(1)}': {invalid.group(2)}"
    return clip(text, 600)


# --- reading files --------------------------------------------------------------------------
def parse_sets(sets: list[str]) -> list[tuple[str, Any]]:
    """``["contacts.gossip_rate=0", ...]`` as (path, value); values are read as YAML scalars.

    Raises:
        ConfigError: for an item without ``=`` or with an empty path.
    """
    parsed = []
    for item in sets:
        path, sep, text = item.partition("=")
        path = path.strip()
        if not sep or not path or any(not p for p in path.split(".")):
            raise ConfigError(f"--set {quote(item)}: expected PATH=VALUE, e.g. contacts.gossip_rate=0.2")
        try:
            value = load_bounded(text) if text.strip() else ""
        except YamlLimitError as exc:
            raise ConfigError(f"--set {clip(path, 100)}: {exc}") from None
        except yaml.YAMLError:
            value = text
        parsed.append((path, value))
    return parsed


def apply_sets(raw: dict[str, Any], sets: list[tuple[str, Any]]) -> dict[str, Any]:
    """Put ``--set`` values into the raw file tree, where the file would have them.

    ``population.seekers.<name>.count`` sets the count, ``population.seekers.<name>.<field>``
    a strategy field (under ``strategies``); other paths are nested keys.
    """
    raw = _deep_copy(raw)
    for path, value in sets:
        parts = path.split(".")
        if parts[:2] == ["population", "seekers"] and len(parts) == 4:
            name, field = parts[2], parts[3]
            parts = ["population", "seekers", name] if field == "count" else ["strategies", name, field]
        node = raw
        for part in parts[:-1]:
            child = node.get(part)
            if not isinstance(child, dict):
                child = node[part] = {} if child is None else _not_a_section(path, part)
            node = child
        node[parts[-1]] = value
    return raw


def _not_a_section(path: str, part: str) -> dict:
    raise ConfigError(f"--set {clip(path, 100)}: {quote(part, 60)} holds a value, not a section")


def _deep_copy(tree: Any) -> Any:
    if isinstance(tree, dict):
        return {k: _deep_copy(v) for k, v in tree.items()}
    if isinstance(tree, list):
        return [_deep_copy(v) for v in tree]
    return tree


def validate_tree(raw: dict[str, Any], source: str) -> Experiment:
    """Validate a raw tree into an :class:`Experiment` and check that every design point
    builds valid model parameters."""
    try:
        experiment = Experiment.model_validate({**raw, "source": source})
    except ValidationError as exc:
        raise ConfigError(_describe(exc, source)) from None
    if "source" in raw:
        raise ConfigError(f"{source}: field 'source': unknown key")
    return experiment


#: Problems one error message lists before it says how many more there are.
MAX_PROBLEMS = 5


def _describe(exc: ValidationError, source: str) -> str:
    """Pydantic's errors as one paragraph: the first few, values quoted briefly (an error's
    ``input`` is the whole offending value, which can be huge)."""
    lines = []
    for err in exc.errors(include_url=False):
        loc = ".".join(str(p) for p in err["loc"] if not str(p).startswith("function-after"))
        loc = clip(loc.replace(".dict[str,int]", "").replace(".MixSpec", ""), 100)
        got = err.get("input")
        shown = "" if err["type"] in ("missing",) or isinstance(got, dict) else f" (got {quote(got)})"
        message = (
            "unknown key"
            if err["type"] == "extra_forbidden"
            else clip(err["msg"].removeprefix("Value error, "), 300)
        )
        lines.append(f"field '{loc}': {message}{shown}" if loc else f"{message}{shown}")
    unique = list(dict.fromkeys(lines))
    more = len(unique) - MAX_PROBLEMS
    return (
        f"{source}: "
        + "; ".join(unique[:MAX_PROBLEMS])
        + (f"; and {more} more problem(s)" if more > 0 else "")
    )


def load_experiment(path: str | Path, sets: list[str] | None = None) -> Experiment:
    """Read, override (``--set``) and validate an experiment file.

    Raises:
        ConfigError: one paragraph naming the file, the field and what was expected.
    """
    raw = apply_sets(read_yaml(Path(path)), parse_sets(sets or []))
    experiment = validate_tree(raw, str(path))
    experiment.base_params()  # surfaces bad model parameters now, not in a worker
    experiment.posterior_table()  # and a bad posterior file
    return experiment


def resolved_tree(experiment: Experiment) -> dict[str, Any]:
    """The experiment as a plain tree (what ``config.yaml`` in a results folder holds)."""
    return experiment.model_dump(mode="json", exclude_none=True, exclude={"source"})
