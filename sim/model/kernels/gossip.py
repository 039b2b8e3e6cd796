"""The gossip cascade (eq. 7), compiled.

Gossip is the largest single cost of a busy run (docs/performance.md): every telling reads
a teller's circle, draws who hears, finds or makes each listener's opinion row and moves
it. In numpy that is a dozen small array calls and a dict probe per listener, for circles of
about twenty people. Compiled, the whole cascade is one call.

The results are the same, bit for bit, as :func:`sim.model.mechanisms.gossip.spread` in numpy, which
stays the reference and the path taken without numba: one draw per contact of each teller,
tellers in the same breadth-first order, decay from the numpy-made table
(:mod:`sim.model.kernels.state` gives the rules).
"""

from __future__ import annotations

import numpy as np

from sim.model import kernels
from sim.model.equations import chance_of_telling, heard_opinion
from sim.model.kernels.state import decayed_introduced, decayed_strength, find, index_rows, row_for

__all__ = ["cascade"]


@kernels.jit
def cascade(s, size, teller, seeker, change, day, seeker_person):
    """Breadth-first telling, as :func:`sim.model.mechanisms.gossip.spread`, in a book of ``size``
    rows; returns (listeners reached, the book's new size, whether its columns were
    replaced). A teller without a row is left to numpy: reached is then -1."""
    capacity = len(s.opinion)
    index_rows(s, size)
    teller_row = find(s, teller * s.n_seekers + seeker)
    if teller_row < 0:
        return -1, size, False
    tellers, teller_rows, deltas = [np.int64(teller)], [np.int64(teller_row)], [np.float64(change)]
    reached = 0
    for _ in range(s.depth):
        next_tellers, next_rows, next_deltas = tellers[:0], teller_rows[:0], deltas[:0]
        for f in range(len(tellers)):
            t, t_row = tellers[f], teller_rows[f]
            rate = s.rate_bad if deltas[f] < 0 else s.rate_good
            view, new_hop = s.opinion[t_row], s.hop[t_row] + 1
            k, end, e = s.indptr[t], s.indptr[t + 1], s.ex_head[t]
            while k < end or e != -1:
                # the listener's trust in the teller is read only once she is told: it sits
                # at the mirror slot, far from the teller's, and reading it for every
                # contact cost a cache miss each (a third of a large run's cascade time)
                if k < end:
                    listener, slot, strength = s.indices[k], k, decayed_strength(s, k, day)
                    k += 1
                else:
                    listener, slot, strength = s.ex_other[e], -1 - e, decayed_introduced(s, e, day)
                    e = s.ex_next[e]
                if not (s.rng.random() < chance_of_telling(rate, strength)) or listener == seeker_person:
                    continue
                trust_back = s.trust[s.mirror[slot]] if slot >= 0 else s.ex_trust[s.ex_mirror[-1 - slot]]
                r, size = row_for(s, listener, seeker, size, new_hop)
                before = s.opinion[r]
                after = heard_opinion(before, s.weight, trust_back, view)
                s.opinion[r] = after
                reached += 1
                if abs(after - before) >= s.threshold:
                    next_tellers.append(listener)
                    next_rows.append(r)
                    next_deltas.append(after - before)
        tellers, teller_rows, deltas = next_tellers, next_rows, next_deltas
        if len(tellers) == 0:
            break
    return reached, size, len(s.opinion) != capacity
