"""The two keepers of the people a seeker knows (sim.model.state.known) answer every question
alike, whatever was added and in whatever order: a run keeps only one of them."""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.model import kernels
from sim.model.state.known import KnownSet, KnownTable, known_people

people = st.integers(min_value=0, max_value=5_000)


@settings(max_examples=60, deadline=None)
@given(st.lists(people, max_size=300), st.lists(people, max_size=60), st.sampled_from([np.int32, np.int64]))
def test_a_table_and_a_set_given_the_same_people_answer_alike(added, asked, dtype):
    """``dtype``: the contacts of a person come as 32-bit ids (``Ties.neighbors``)."""
    table, python = KnownTable(), KnownSet()
    for person in added:  # many more than a new table's 64 slots hold: it grows
        assert table.add(person) == python.add(person)
    assert len(table) == len(python) == len(set(added))
    assert set(table) == set(python) == set(added) and table == python
    for person in asked:
        assert (person in table) == (person in python) == (person in set(added))
    among = np.asarray(asked, dtype=dtype)
    assert table.unknown_among(among) == python.unknown_among(among) == [p for p in asked if p not in added]


def test_a_table_keeps_its_people_when_copied_or_pickled():
    """Seekers are copied (tests, resumed runs) and pickled with their tables."""
    table = KnownTable(range(0, 400, 3))
    for copied in (copy.deepcopy(table), pickle.loads(pickle.dumps(table))):
        assert copied == table and copied.add(1) and 1 not in table


def test_a_run_keeps_the_table_when_kernels_run_and_the_set_when_not(monkeypatch):
    monkeypatch.setattr(kernels, "AVAILABLE", True)
    assert isinstance(known_people((7,)), KnownTable) and 7 in known_people((7,))
    monkeypatch.setattr(kernels, "AVAILABLE", False)
    assert isinstance(known_people((7,)), KnownSet) and 7 in known_people((7,))


@pytest.mark.parametrize("person", [-1, 2**31])
def test_a_table_refuses_ids_it_cannot_hold(person):
    """-1 marks an empty slot and ids are kept in 32 bits: either would corrupt the table."""
    with pytest.raises(ValueError, match="person id"):
        KnownTable().add(person)
