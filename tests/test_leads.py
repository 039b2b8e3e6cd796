"""A seeker's leads kept as columns (LeadStore): each lead reads back as it was added, and a
seeker calls her leads in the order the heap of whole leads gave."""

from __future__ import annotations

import copy
import heapq
import pickle

from hypothesis import given
from hypothesis import strategies as st

from sim.model.state.leads import Lead, LeadStore

people = st.integers(min_value=0, max_value=2**31 - 1)
leads = st.builds(
    Lead,
    target=people,
    referrer=st.none() | people,
    hop=st.integers(min_value=0, max_value=1000),
    warm=st.booleans(),
    name_used=st.booleans(),
    priority=st.floats(allow_nan=False, allow_infinity=False),
    ask_for=st.none() | people,
)


@given(st.lists(leads, max_size=40))
def test_every_lead_reads_back_as_added_and_numbers_count_up(added):
    store = LeadStore()
    numbers = [store.add(lead) for lead in added]
    assert numbers == list(range(len(added)))
    assert [store.get(n) for n in numbers] == added
    assert all(type(store.get(n).target) is int for n in numbers)  # plain Python numbers
    assert pickle.loads(pickle.dumps(store)) == store and copy.deepcopy(store) == store


@given(st.lists(leads, max_size=40))
def test_the_call_order_is_that_of_a_heap_of_whole_leads(added):
    """The seeker's queue holds (-priority, number): the same order as the (-priority,
    order, lead) entries it replaced, ties in priority going to the earlier lead."""
    store, queue, reference = LeadStore(), [], []
    for order, lead in enumerate(added):
        heapq.heappush(queue, (-lead.priority, store.add(lead)))
        heapq.heappush(reference, (-lead.priority, order, lead))
    called = [store.get(heapq.heappop(queue)[1]) for _ in range(len(queue))]
    assert called == [heapq.heappop(reference)[2] for _ in range(len(reference))]


def test_stores_differ_when_a_lead_differs():
    a, b = LeadStore(), LeadStore()
    a.add(Lead(3, referrer=None))
    b.add(Lead(3, referrer=0))
    assert a != b
