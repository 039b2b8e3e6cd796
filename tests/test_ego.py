"""The ego table (one row per seeker and own contact at job loss) and the ``application``
events of the funnel: their columns, their agreement with the seekers table and the event
log, and their way through the results store (docs/tables.md)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

import sim
import sim.results
from sim.experiment.config import load_experiment
from sim.experiment.runner import RunOptions, execute
from sim.model.model import NetworkingModel
from sim.model.records import EventLog, OwnContacts
from sim.model.tables import EGO_COLUMNS, RunKey, ego_frame, tables_of

from .experiments import tiny_experiment
from .worlds import BUSY_MARKET, small_params

KEY = ["run_id", "point_id", "replication", "seed"]
SEEDS = (1, 2, 3)


def funnel_params():
    """A small world with openings enough that some seekers are hired through own contacts."""
    return small_params(("polite", 8), ("nfl", 8), people=500, horizon=120, **BUSY_MARKET)


@pytest.fixture(scope="module")
def runs():
    """(model, tables) of a few runs of the same world: the runs are the unit of the checks."""
    out = []
    for seed in SEEDS:
        model = NetworkingModel(funnel_params(), seed=seed).run()
        out.append((model, tables_of(model, RunKey(f"r{seed}", 0, seed, seed))))
    return out


def test_the_ego_table_has_its_columns_and_types(runs):
    _, tables = runs[0]
    ego = tables.ego
    assert list(ego.columns) == KEY + list(EGO_COLUMNS)
    for name, dtype in EGO_COLUMNS.items():
        assert ego[name].dtype == np.dtype(dtype), name
    assert not ego[list(EGO_COLUMNS)].isna().any().any()


def test_one_row_per_own_contact_at_job_loss_with_the_tie_as_it_was(runs):
    """Without warm-up no tie is introduced before job loss: the rows are the graph's
    neighbours, and the mutual contacts are the common neighbours in the graph (A squared)."""
    model, tables = runs[0]
    ego, graph = tables.ego, model.graph
    adjacency = sp.csr_matrix(
        (np.ones(graph.indices.size), graph.indices, graph.indptr), shape=(graph.n, graph.n)
    )
    common = adjacency @ adjacency
    for seeker in model.seekers:
        mine = ego[ego.seeker_id == seeker.index]
        assert sorted(mine.contact) == sorted(graph.neighbors(seeker.person).tolist())
        assert mine.tie_mutual.tolist() == [int(common[seeker.person, c]) for c in mine.contact]
    assert ego.tie_strength.between(0, 1, inclusive="right").all()
    assert (ego.contact_level == model.people.level[ego.contact]).all()
    assert (ego.contact_is_manager == model.people.is_hiring_manager[ego.contact]).all()


def test_what_came_of_each_tie_fits_the_seekers_counters(runs):
    for _, tables in runs:
        ego, seekers = tables.ego, tables.seekers.set_index("seeker_id")
        assert not (ego.helped & ~ego.called).any()  # help comes only in a call
        per_seeker = ego.groupby("seeker_id")[["called", "helped", "names_given", "leads_given"]].sum()
        per_seeker = per_seeker.reindex(seekers.index, fill_value=0)
        assert (per_seeker.called <= seekers.calls).all()
        assert (per_seeker.helped <= seekers.meetings + seekers.phone_help).all()
        assert (per_seeker.names_given <= seekers.names_gained).all()
        assert (per_seeker.leads_given <= seekers.leads).all()
    total = pd.concat([t.ego for _, t in runs])
    assert total.called.any() and total.helped.any() and total.names_given.gt(0).any()


def test_hires_through_own_contacts_agree_with_the_seekers_table(runs):
    """In each run: a seeker has a ``hired_through`` row exactly when the seekers table says
    she was hired through the network and the informant of her hire was one of her own
    contacts at job loss (that tie may have been worn down to 0 by pushing or mop-up calls
    since); that row's contact is the informant, at 0 hops (the manager herself) or 1 (her
    contact's lead)."""
    through_own = through_chains = 0
    for _, tables in runs:
        ego, seekers, events = tables.ego, tables.seekers, tables.events
        rows = ego[ego.hired_through]
        assert rows.seeker_id.is_unique
        tied = seekers[seekers.hire_channel == "network"]
        hires = events[events.kind == "hire"].set_index("seeker_id")
        # the informant is an own contact of the day she lost her job (meetings make new ties too)
        own = set(zip(ego.seeker_id, ego.contact, strict=True))
        tied_own = {s for s in tied.seeker_id if (s, hires.loc[s, "source"]) in own}
        assert set(rows.seeker_id) == tied_own
        # the seekers table says the same, computed by the model at the hire
        assert set(seekers.seeker_id[seekers.hire_own_contact.fillna(False)]) == tied_own
        assert seekers.hire_own_contact[seekers.hire_channel != "network"].isna().all()
        assert (rows.contact.to_numpy() == hires.loc[rows.seeker_id, "source"].to_numpy()).all()
        assert tied.set_index("seeker_id").loc[sorted(tied_own), "hire_hops"].isin([0, 1]).all()
        # Granovetter's information chain: 0 exactly when the manager was the informant
        direct = (hires.loc[tied.seeker_id, "source"] == hires.loc[tied.seeker_id, "target"]).to_numpy()
        assert (tied.hire_info_hops.to_numpy() == np.where(direct, 0, 1)).all()
        assert seekers.hire_info_hops[seekers.hire_channel != "network"].isna().all()
        through_own += len(rows)
        # A chain of names from an own contact: at most one per network hire, and the
        # informant's own chain when she is an own contact.
        chains = ego[ego.led_to_hire]
        assert chains.seeker_id.is_unique
        assert set(chains.seeker_id) <= set(seekers.seeker_id[seekers.hire_channel == "network"])
        assert not (ego.hired_through & ~ego.led_to_hire).any()
        through_chains += len(chains) - len(rows)
    assert through_own >= 1 and through_chains >= 1  # else the checks above checked nothing


def test_applications_carry_both_channels_and_precede_every_interview(runs):
    both = set()
    for model, tables in runs:
        events = tables.events.reset_index(drop=True)
        applications = events[events.kind == "application"]
        both |= set(applications.outcome)
        # One application each time a seeker is considered for an opening.
        assert len(applications) == sum(o.considered_count for o in model.market.openings)
        interviews = events[events.kind == "interview"]
        assert len(interviews) > 0
        # every interview follows an application of the same seeker, to the same manager,
        # through the same channel, on that day or before (the pool is screened later)
        keys = ["seeker_id", "source", "target", "hop", "outcome"]
        first = applications.groupby(keys, dropna=False)["day"].min().rename("applied").reset_index()
        matched = interviews[[*keys, "day"]].merge(first, on=keys, how="left")
        assert matched.applied.notna().all() and (matched.applied <= matched.day).all()
    assert both == {"network", "other"}


def test_without_the_event_log_there_is_no_ego_table():
    tables = sim.simulate(small_params(people=200, horizon=10, record_events=False), seed=1)
    assert tables.ego is None and tables.events is None


def test_the_ego_table_round_trips_through_the_store(tmp_path):
    path = tiny_experiment(tmp_path, replications=2, horizon=40, extra="outputs: {events: true}\n")
    experiment = load_experiment(path)
    execute(experiment, RunOptions(out=tmp_path / "res", workers=1))
    loaded = sim.results.load(tmp_path / "res").ego
    assert loaded is not None and loaded.run_id.nunique() == 2
    for run_id, stored in loaded.groupby("run_id"):
        row = stored.iloc[0]
        alone = sim.simulate(
            experiment.params_at({}), seed=int(row.seed), run_id=run_id,
            point_id=int(row.point_id), replication=int(row.replication),
        ).ego  # fmt: skip
        pd.testing.assert_frame_equal(stored.reset_index(drop=True), alone, check_exact=True)


def test_a_hire_is_traced_back_through_the_names_to_the_own_contact_who_started_it():
    """Seeker 0 knows 10 and 11 at job loss. 10 names 20 (followed up); 20 names 30 twice,
    first dropped, then called ahead; 30 tells her of the opening she gets. 11 named 30 too,
    but only after 30 was already on her list. Seeker 1 is hired through her own contact 12;
    seeker 2 through someone no name led to (she heard of her through gossip)."""
    log = EventLog(enabled=True)
    log.add(1, "referral", 0, 10, 20, outcome="seeker")
    log.add(2, "referral", 0, 20, 30, outcome="dropped")
    log.add(3, "referral", 0, 20, 30, outcome="called_ahead")
    log.add(4, "referral", 0, 11, 30, outcome="seeker")
    log.add(5, "hire", 0, 30, 99, outcome="network")
    log.add(5, "hire", 1, 12, 12, outcome="network")
    log.add(6, "hire", 2, 40, 98, outcome="network")
    own = [
        OwnContacts(0, np.array([10, 11]), np.array([0.9, 0.4]), np.array([3, 1])),
        OwnContacts(1, np.array([12]), np.array([0.15]), np.array([0])),
        OwnContacts(2, np.array([13]), np.array([0.65]), np.array([2])),
    ]
    people = SimpleNamespace(level=np.arange(100) % 4 + 1, is_hiring_manager=np.arange(100) % 6 == 0)
    ego = ego_frame(own, people, log.frame()).set_index(["seeker_id", "contact"])
    assert ego.led_to_hire[ego.led_to_hire].index.tolist() == [(0, 10), (1, 12)]
    assert ego.hired_through[ego.hired_through].index.tolist() == [(1, 12)]
    assert ego.names_given.tolist() == [1, 1, 0, 0]
    assert ego.contact_is_manager.tolist() == [False, False, True, False]


def test_in_the_default_world_strong_ties_are_embedded_and_degrees_vary():
    """Issue 14's check on the default fabric, read from the ego table: the seekers' strong
    ties (intimate, meaningful) share at least 1.5 times the contacts of their weak
    (unfamiliar) ones, and the seekers' numbers of contacts vary (coefficient of variation at
    least 0.5): 45 seekers of the default 2,000-person world, one week."""
    groups = tuple(sim.SeekerGroup(sim.preset(n), 15) for n in ("polite", "nfl", "balanced"))
    params = sim.with_overrides(
        sim.ModelParams(horizon_days=7, record_events=True), {"population.seekers": groups}
    )
    ego = sim.simulate(params, seed=3).ego
    strong, weak = ego[ego.tie_strength >= 0.65], ego[ego.tie_strength <= 0.15]
    assert len(strong) >= 30 and len(weak) >= 30
    assert strong.tie_mutual.mean() >= 1.5 * weak.tie_mutual.mean()
    degree = ego.groupby("seeker_id").size()
    assert degree.std(ddof=0) / degree.mean() >= 0.5
