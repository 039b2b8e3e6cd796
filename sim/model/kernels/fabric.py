"""A social fabric with structure: the growth model of Toivonen et al. (2006), and the
embeddedness of every tie (docs/model.md §3.1, W1).

Toivonen, Onnela, Saramäki, Hyvönen and Kaski (2006), "A model for social networks",
*Physica A* 371(2): 851-860. People join one at a time. Each newcomer first ties to a few
*initial contacts* picked at random, then to a few of each initial contact's own contacts
(*secondary contacts*, "friends of friends"). Picking friends of friends is preferential
attachment without a preference rule (a well-connected person is the friend of many), so
degrees grow a heavy tail; and every secondary tie closes a triangle, so circles are dense.
Here initial contacts are picked in one's own industry with probability ``within`` (C7: most
ties stay in one's industry), and elsewhere otherwise; cross-industry ties then bridge
between dense industry circles.

:func:`common_neighbours` counts each tie's mutual contacts, from which
:func:`sim.model.state.graphs.tiers_by_overlap` makes strong ties the embedded ones (Onnela et
al. 2007, *PNAS* 104(18): 7332-7336, "Structure and tie strengths in mobile communication
networks": the overlap of two people's circles grows with the strength of their tie).

Both functions are plain Python that numba compiles; without numba (or with
``NETWORKING_SIM_PURE_NUMPY=1``) the same code runs uncompiled (``.py_func``), drawing the
same numbers from the run's Generator (``Generator.random`` only), so the graph is the same
either way.
"""

from __future__ import annotations

import numpy as np

from sim.model import kernels

__all__ = ["common_neighbours", "toivonen_edges"]


#: Contacts per block of a person's contact list while the network grows (see below).
_BLOCK = 8


@kernels.jit
def toivonen_edges(n, industries, within, max_initial, max_secondary, rng):
    """The edges (u, v) of a Toivonen network of ``n`` people, person ``p`` in industry
    ``p % industries``. Each newcomer ties to ``1..max_initial`` initial contacts (uniform)
    and to ``0..max_secondary`` contacts of each (uniform), without repeats. People
    ``0..max_initial`` start as a clique."""
    # Each person's contacts are kept newest first in a chain of blocks of _BLOCK slots,
    # which a newcomer reads to pick friends of friends: in a network of millions, reading
    # a chain of single slots spread over the whole array cost a cache miss per contact.
    seed = min(n, max_initial + 1)
    capacity = seed * seed + n * max_initial * (1 + max_secondary)
    u = np.empty(capacity, dtype=np.int64)
    v = np.empty(capacity, dtype=np.int64)
    blocks = n + (2 * capacity) // _BLOCK + 1
    items = np.empty((blocks, _BLOCK), dtype=np.int64)
    filled = np.zeros(blocks, dtype=np.int64)
    older = np.empty(blocks, dtype=np.int64)  # the block of the person's older contacts
    newest = np.full(n, -1, dtype=np.int64)  # each person's block of her newest contacts
    used = np.zeros(1, dtype=np.int64)
    m = 0
    for a in range(seed):
        for b in range(a + 1, seed):
            m = _tie(a, b, u, v, m, newest, items, filled, older, used)
    chosen = np.empty(max_initial * (1 + max_secondary), dtype=np.int64)
    circle = np.empty(n, dtype=np.int64)
    for p in range(seed, n):
        count = 0
        for _ in range(1 + int(rng.random() * max_initial)):
            first = _initial_contact(p, industries, within, chosen, count, rng)
            if first < 0:
                continue
            chosen[count] = first
            count += 1
            size = 0
            block = newest[first]
            while block != -1:
                for k in range(filled[block] - 1, -1, -1):
                    circle[size] = items[block, k]
                    size += 1
                block = older[block]
            want = int(rng.random() * (max_secondary + 1))
            for t in range(size):  # a partial shuffle draws secondary contacts without repeats
                if want == 0:
                    break
                pick = t + int(rng.random() * (size - t))
                circle[t], circle[pick] = circle[pick], circle[t]
                if not _among(chosen, count, circle[t]):
                    chosen[count] = circle[t]
                    count += 1
                    want -= 1
        for c in range(count):
            m = _tie(p, chosen[c], u, v, m, newest, items, filled, older, used)
    return u[:m], v[:m]


@kernels.jit
def _initial_contact(p, industries, within, chosen, count, rng):
    """A random earlier person, in ``p``'s industry with probability ``within``; -1 when
    twenty draws found only people already chosen."""
    own = p % industries
    same = (p - own + industries - 1) // industries  # earlier people of her industry
    for _ in range(20):
        if industries == 1 or rng.random() < within:
            candidate = int(rng.random() * p) if same == 0 else own + industries * int(rng.random() * same)
        else:
            candidate = int(rng.random() * p)
            tries = 0
            while candidate % industries == own and tries < 20:
                candidate = int(rng.random() * p)
                tries += 1
        if not _among(chosen, count, candidate):
            return candidate
    return -1


@kernels.jit
def _among(values, count, value):
    for k in range(count):  # noqa: SIM110 - an explicit loop for numba
        if values[k] == value:
            return True
    return False


@kernels.jit
def _tie(a, b, u, v, m, newest, items, filled, older, used):
    u[m], v[m] = a, b
    for owner, other in ((a, b), (b, a)):
        block = newest[owner]
        if block == -1 or filled[block] == _BLOCK:  # a new block becomes her newest
            fresh = used[0]
            used[0] += 1
            filled[fresh], older[fresh] = 0, block
            newest[owner] = block = fresh
        items[block, filled[block]] = other
        filled[block] += 1
    return m + 1


@kernels.jit
def common_neighbours(indptr, indices):
    """For every slot ``i -> j`` of a CSR graph with sorted rows and no self-loops, the number
    of contacts ``i`` and ``j`` share (counted once per undirected tie, copied to both slots)."""
    # i's contacts are marked once, then each higher contact's row is read against the
    # marks: the cost of a tie is the other end's degree alone, where merging the two sorted
    # rows cost both degrees, so ties of the few people with thousands of contacts (a heavy
    # tail) no longer cost their whole row each.
    shared = np.zeros(len(indices), dtype=np.int64)
    marked = np.zeros(len(indptr) - 1, dtype=np.bool_)
    for i in range(len(indptr) - 1):
        lo, hi = indptr[i], indptr[i + 1]
        for a in range(lo, hi):
            marked[indices[a]] = True
        for k in range(lo, hi):
            j = indices[k]
            if j <= i:
                continue
            count = 0
            for b in range(indptr[j], indptr[j + 1]):
                count += marked[indices[b]]
            shared[k] = count
        for a in range(lo, hi):
            marked[indices[a]] = False
    for i in range(len(indptr) - 1):  # the mirror slots j -> i with j > i
        for k in range(indptr[i], indptr[i + 1]):
            j = indices[k]
            if j < i:
                lo, hi = indptr[j], indptr[j + 1]
                while lo < hi:  # binary search for i in j's sorted row
                    mid = (lo + hi) >> 1
                    if indices[mid] < i:
                        lo = mid + 1
                    else:
                        hi = mid
                shared[k] = shared[lo]
    return shared
