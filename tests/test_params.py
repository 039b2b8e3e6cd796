"""Parameters: validation with clear messages, overrides by dotted path, presets."""

from __future__ import annotations

import dataclasses

import pytest

import sim
from sim.model.params import ContactParams, GraphParams, ModelParams, PopulationParams, SeekerGroup
from sim.model.tables import flatten_params


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: ContactParams(gossip_rate=1.5), "ContactParams.gossip_rate"),
        (lambda: ContactParams(accept_fatigue=-1), "ContactParams.accept_fatigue"),
        (lambda: GraphParams(people=-5), "GraphParams.people"),
        (lambda: GraphParams(kind="torus"), "GraphParams.kind"),
        (lambda: GraphParams(kind="edge_list"), "GraphParams.path"),
        (lambda: GraphParams(tier_shares=(0.5, 0.5, 0.5, 0.0)), "GraphParams.tier_shares"),
        (lambda: GraphParams(people=10, mean_degree=10), "GraphParams.mean_degree"),
        (lambda: ModelParams(horizon_days=0), "ModelParams.horizon_days"),
        (lambda: ModelParams(workdays_per_week=8), "ModelParams.workdays_per_week"),
        (lambda: sim.Strategy(pressure=2.0), "Strategy.pressure"),
        (lambda: sim.Strategy(daily_capacity=2.5), "Strategy.daily_capacity"),
        (lambda: sim.Strategy(follow_up="never"), "Strategy.follow_up"),
        (lambda: SeekerGroup(sim.preset("nfl"), -1), "SeekerGroup.count"),
        (
            lambda: PopulationParams(seekers=(SeekerGroup(sim.preset("nfl"), 1),) * 2),
            "strategy names must be unique",
        ),
    ],
)
def test_bad_values_name_the_field(build, field):
    with pytest.raises(ValueError, match=field.replace(".", r"\.")):
        build()


def test_booleans_are_not_numbers():
    with pytest.raises(ValueError, match="names_demanded"):
        sim.Strategy(names_demanded=True)


def test_overrides_reach_nested_fields_and_strategies():
    params = sim.with_overrides(ModelParams(), {
        "contacts.gossip_rate": 0.0, "graph.people": 500,
        "population.seekers.nfl.pressure": 0.4, "population.seekers.polite.count": 3,
    })  # fmt: skip
    assert params.contacts.gossip_rate == 0.0 and params.graph.people == 500
    groups = {g.strategy.name: g for g in params.population.seekers}
    assert groups["nfl"].strategy.pressure == 0.4 and groups["polite"].count == 3
    assert ModelParams().contacts.gossip_rate != 0.0  # the original is untouched


@pytest.mark.parametrize(
    "path", ["contacts.gossip_rat", "nope", "population.seekers.ghost.pressure", "graph.people.x"]
)
def test_unknown_paths_are_key_errors_that_list_the_choices(path):
    with pytest.raises(KeyError, match="unknown parameter"):
        sim.with_overrides(ModelParams(), {path: 1})


def test_overrides_are_validated():
    with pytest.raises(ValueError, match="gossip_rate"):
        sim.with_overrides(ModelParams(), {"contacts.gossip_rate": 3})


def test_flatten_names_every_parameter_and_round_trips_through_overrides():
    flat = flatten_params(ModelParams())
    assert flat["contacts.gossip_rate"] == ContactParams().gossip_rate
    assert flat["population.seekers.nfl.names_demanded"] == 3
    assert "population.seekers.nfl.name" not in flat
    changed = sim.with_overrides(
        ModelParams(), {"contacts.gossip_rate": 0.11, "population.seekers.nfl.give_rate": 0.2}
    )
    flat2 = flatten_params(changed)
    assert flat2["contacts.gossip_rate"] == 0.11 and flat2["population.seekers.nfl.give_rate"] == 0.2
    n_fields = sum(len(dataclasses.fields(type(getattr(ModelParams(), f.name))))
                   for f in dataclasses.fields(ModelParams) if dataclasses.is_dataclass(getattr(ModelParams(), f.name)))  # fmt: skip
    assert len(flat) > n_fields  # groups add their strategy fields


def test_ablation_switches_off_exactly_the_social_costs():
    base = ModelParams()
    off = base.without_social_costs()
    assert (
        off.contacts.mop_up_propensity == 0
        and off.contacts.gossip_rate == 0
        and off.contacts.accept_fatigue == 0
    )
    changed = {k for k, v in flatten_params(off).items() if flatten_params(base)[k] != v}
    assert changed == {"contacts.mop_up_propensity", "contacts.gossip_rate", "contacts.accept_fatigue"}


def test_presets_exist_and_differ_as_the_sources_say():
    assert set(sim.PRESETS) == {"polite", "nfl", "passive", "balanced", "targeted", "adaptive"}
    nfl, polite = sim.preset("nfl"), sim.preset("polite")
    assert nfl.pressure > polite.pressure and nfl.names_demanded == 3
    assert nfl.follow_up == "seeker" and not nfl.accepts_phone_help and nfl.give_rate == 0
    assert polite.follow_up == "contact" and polite.accepts_phone_help and polite.give_rate > 0.5
    assert sim.preset("targeted").targeting == "hiring_managers"
    assert sim.preset("passive").reluctance > 0.5
    with pytest.raises(KeyError, match="presets are"):
        sim.preset("sneaky")


def test_too_many_seekers_is_a_clear_error():
    params = sim.with_overrides(
        ModelParams(), {"graph.people": 30, "graph.mean_degree": 4, "population.seekers.nfl.count": 50}
    )
    with pytest.raises(ValueError, match="do not fit"):
        sim.NetworkingModel(params, seed=1)


@pytest.mark.parametrize("seed", [-1, 1.5, "7", True, 2**63])
def test_bad_seeds_are_rejected(seed):
    with pytest.raises(ValueError, match="seed"):
        sim.NetworkingModel(ModelParams(), seed=seed)
