"""Social graphs as CSR arrays with tie strengths (W1).

The simulation never holds a networkx object: every generator ends in
:func:`csr_from_edges`, which returns symmetric, sorted, de-duplicated CSR arrays. Small world
and industry blocks are generated with vectorised numpy; the two preferential-attachment
generators (Barabasi-Albert, Holme-Kim) are sequential by nature and use networkx for now;
the growing network of friends of friends (Toivonen et al. 2006) is a compiled kernel
(:mod:`sim.model.kernels.fabric`). Tie strengths are drawn independently, or follow
structure: ranked by the overlap of the two circles (:func:`tiers_by_overlap`).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from sim.model import kernels
from sim.model.kernels.fabric import common_neighbours, toivonen_edges
from sim.model.kernels.graph import counting_order, symmetric_csr_compiled
from sim.model.params import GraphParams

__all__ = [
    "TIER_NAMES",
    "TIER_STRENGTHS",
    "EdgeListError",
    "Graph",
    "build_graph",
    "csr_from_edges",
    "load_edge_list",
    "tier_of",
    "tiers_by_overlap",
]

#: The four tiers of 004 ("Unfamiliar, Familiar, Intimate, and Meaningful") ...
TIER_NAMES = ("unfamiliar", "familiar", "intimate", "meaningful")
#: ... and the strength in [0, 1] each stands for; a tier is the band around its strength.
TIER_STRENGTHS = (0.15, 0.4, 0.65, 0.9)
_TIER_EDGES = (0.275, 0.525, 0.775)


def stable_order(keys: np.ndarray, bins: int) -> np.ndarray:
    """``np.argsort(keys, kind="stable")`` for integer keys in ``[0, bins)``: by counting
    when compiled code runs, by numpy's sort otherwise (the same order)."""
    if kernels.AVAILABLE:
        return counting_order(np.ascontiguousarray(keys), bins)
    return np.argsort(keys, kind="stable")


def tier_of(strength: float | np.ndarray) -> np.ndarray:
    """Tier index (0 unfamiliar .. 3 meaningful) of a strength or an array of them."""
    return np.searchsorted(_TIER_EDGES, strength, side="right")


class EdgeListError(ValueError):
    """An edge list file could not be parsed; the message names the file and line."""


@dataclass(frozen=True)
class Graph:
    """An undirected graph as symmetric CSR arrays.

    Attributes:
        indptr: Row pointers, length ``n + 1``.
        indices: Neighbour of each directed slot, sorted within each row.
        strength: Tie strength of each slot, in [0, 1]; equal for the two slots of an edge.
            Empty in a model's graph: its ties hold them (:meth:`without_strengths`).
        communities: Industry hint per person from the generator (blocks, ring segments),
            or None when the generator has no natural communities.
        labels: Original node labels for a loaded edge list, else None.
    """

    indptr: np.ndarray
    indices: np.ndarray
    strength: np.ndarray
    communities: np.ndarray | None = None
    labels: tuple[str, ...] | None = None

    @property
    def n(self) -> int:
        """Number of people."""
        return len(self.indptr) - 1

    @property
    def edge_count(self) -> int:
        """Number of undirected edges."""
        return len(self.indices) // 2

    def neighbors(self, i: int) -> np.ndarray:
        """Neighbours of ``i`` (a view; do not modify)."""
        return self.indices[self.indptr[i] : self.indptr[i + 1]]

    def degree(self) -> np.ndarray:
        """Degree of every person."""
        return np.diff(self.indptr)

    def slot(self, i: int, j: int) -> int:
        """Index of the directed slot i -> j, or -1 when i and j are not tied."""
        lo, hi = self.indptr[i], self.indptr[i + 1]
        k = lo + int(np.searchsorted(self.indices[lo:hi], j))
        return k if k < hi and self.indices[k] == j else -1

    def mirror(self) -> np.ndarray:
        """For every slot i -> j, the index of the slot j -> i."""
        # Slots are in row order, so a stable sort by neighbour orders them by (neighbour,
        # row): the t-th of them is the mirror of slot t.
        order = stable_order(self.indices, self.n)
        out = np.empty_like(order)
        out[order] = np.arange(len(order))
        return out

    def without_strengths(self) -> Graph:
        """The same structure with no strengths (an empty ``strength``): a run's ties keep
        their own copies from the start (``Ties.level``, ``Ties.trust``), so the graph's
        cost 8 bytes a slot for nothing (152 MB at a million people)."""
        return replace(self, strength=np.zeros(0))

    def mutual_count(self, i: int, j: int) -> int:
        """Number of contacts that ``i`` and ``j`` share (the tie's embeddedness)."""
        return int(np.intersect1d(self.neighbors(i), self.neighbors(j), assume_unique=True).size)


def csr_from_edges(n: int, u: np.ndarray, v: np.ndarray, strength: np.ndarray) -> tuple[np.ndarray, ...]:
    """Symmetric CSR (indptr, indices, strength) from undirected edges.

    Self loops are dropped; duplicate edges keep their largest strength.

    Raises:
        ValueError: a node id outside ``[0, n)``, or a strength that is not a number.
    """
    u = np.asarray(u, dtype=np.int64)
    v = np.asarray(v, dtype=np.int64)
    w = np.asarray(strength, dtype=np.float64)
    if len(u) and (min(u.min(), v.min()) < 0 or max(u.max(), v.max()) >= n):
        raise ValueError(f"edge endpoints must be node ids in [0, {n})")
    if np.isnan(w).any():
        raise ValueError("edge strengths must be numbers, not NaN")
    keep = u != v
    u, v, w = u[keep], v[keep], w[keep]
    lo, hi = np.minimum(u, v), np.maximum(u, v)
    by_hi = stable_order(hi, n)  # by (lo, hi): two stable passes, the last key first
    order = by_hi[stable_order(lo[by_hi], n)]
    if kernels.AVAILABLE:
        return symmetric_csr_compiled(n, lo[order], hi[order], w[order])
    key, w = lo[order] * n + hi[order], w[order]
    first = np.ones(len(key), dtype=bool)
    first[1:] = key[1:] != key[:-1]
    starts = np.flatnonzero(first)
    w = np.maximum.reduceat(w, starts) if len(starts) else w
    key = key[starts]
    lo, hi = key // n, key % n
    return _symmetric_csr(n, lo, hi, w)


def _symmetric_csr(n: int, lo: np.ndarray, hi: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, ...]:
    """CSR arrays of both directions of the edges ``lo < hi``, given sorted by (lo, hi).

    Built by counting, without a general sort: in row ``r`` the neighbours below ``r`` (from
    edges whose ``hi`` is ``r``) come first, then those above it (edges whose ``lo`` is ``r``),
    each run already ascending.
    """
    down = np.bincount(hi, minlength=n)  # neighbours below each row
    up = np.bincount(lo, minlength=n)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(down + up, out=indptr[1:])
    m = len(lo)
    indices = np.empty(2 * m, dtype=np.int32)
    strength = np.empty(2 * m, dtype=np.float64)
    step = np.arange(m, dtype=np.int64)
    up_start = np.cumsum(up) - up
    where = indptr[lo] + down[lo] + step - up_start[lo]
    indices[where], strength[where] = hi, w
    order = stable_order(hi, n)  # by hi, lo still ascending within
    below_hi = hi[order]
    down_start = np.cumsum(down) - down
    where = indptr[below_hi] + step - down_start[below_hi]
    indices[where], strength[where] = lo[order], w[order]
    return indptr, indices, strength


def _draw_tiers(m: int, shares: tuple[float, ...], rng: np.random.Generator) -> np.ndarray:
    tiers = rng.choice(4, size=m, p=np.asarray(shares))
    return np.asarray(TIER_STRENGTHS)[tiers]


def watts_strogatz_edges(n: int, k: int, p: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Ring lattice with ``k`` neighbours (k//2 each side), each edge rewired with prob ``p``."""
    half = max(1, k // 2)
    u = np.repeat(np.arange(n, dtype=np.int64), half)
    v = (u + np.tile(np.arange(1, half + 1), n)) % n
    rewire = rng.random(len(u)) < p
    v = v.copy()
    v[rewire] = rng.integers(0, n, size=int(rewire.sum()))
    return u, v


def sbm_edges(
    n: int, blocks: int, degree: float, within: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Stochastic block model: ``blocks`` equal blocks, a share ``within`` of ties inside.

    Edge counts are drawn per block (Poisson approximation of the binomial, exact enough for
    sparse graphs) and endpoints uniformly, so generation is linear in edges.
    """
    block = np.arange(n) * blocks // n
    sizes = np.bincount(block, minlength=blocks)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    us, vs = [], []
    for b in range(blocks):
        m = rng.poisson(sizes[b] * degree * within / 2)
        us.append(starts[b] + rng.integers(0, sizes[b], m))
        vs.append(starts[b] + rng.integers(0, sizes[b], m))
    # Uniform pairs land in different blocks with prob 1 - sum(share^2); draw enough of them.
    cross_share = 1.0 - float(np.sum((sizes / n) ** 2))
    m_out = rng.poisson(n * degree * (1 - within) / 2 / cross_share) if blocks > 1 else 0
    cu, cv = rng.integers(0, n, m_out), rng.integers(0, n, m_out)
    cross = block[cu] != block[cv]
    us.append(cu[cross])
    vs.append(cv[cross])
    return np.concatenate(us), np.concatenate(vs), block


def _networkx_edges(params: GraphParams, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    import networkx as nx

    m = max(1, params.mean_degree // 2)
    seed = int(rng.integers(2**31 - 1))
    if params.kind == "barabasi_albert":
        g = nx.barabasi_albert_graph(params.people, m, seed=seed)
    else:
        g = nx.powerlaw_cluster_graph(params.people, m, params.triangle_prob, seed=seed)
    edges = np.asarray(list(g.edges()), dtype=np.int64).reshape(-1, 2)
    return edges[:, 0], edges[:, 1]


def build_graph(params: GraphParams, industries: int, rng: np.random.Generator) -> Graph:
    """Generate (or load) the graph that ``params`` describes.

    ``industries`` sets the blocks of the SBM and the ring segments of the small world, so
    that most ties stay within an industry as in 000 ("Concentrate on your current industry").
    """
    if params.kind == "edge_list":
        return load_edge_list(Path(params.path or ""), params.tier_shares, rng)
    n = params.people
    communities = None
    if params.kind == "watts_strogatz":
        u, v = watts_strogatz_edges(n, params.mean_degree, params.rewire_prob, rng)
        communities = np.arange(n) * industries // n
    elif params.kind == "sbm":
        u, v, communities = sbm_edges(n, industries, params.mean_degree, params.within_industry_share, rng)
    elif params.kind == "toivonen":
        u, v = _toivonen_edges(params, industries, rng)
        communities = np.arange(n) % industries
    else:
        u, v = _networkx_edges(params, rng)
    if params.tie_strength == "overlap":
        indptr, indices, _ = csr_from_edges(n, u, v, np.zeros(len(u)))
        strength = tiers_by_overlap(indptr, indices, params.tier_shares, params.overlap_noise, rng)
    else:
        indptr, indices, strength = csr_from_edges(n, u, v, _draw_tiers(len(u), params.tier_shares, rng))
    return Graph(indptr, indices, strength, communities=communities)


def _toivonen_edges(
    params: GraphParams, industries: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Toivonen et al. (2006): ``mean_degree`` / 2 ties per newcomer on average, from
    ``1..max_initial`` initial contacts and ``0..max_secondary`` of each one's contacts."""
    max_secondary = round(2 * params.secondary_contacts)
    max_initial = max(1, round(params.mean_degree / (1 + max_secondary / 2)) - 1)
    return kernels.running(toivonen_edges)(
        params.people, industries, params.within_industry_share, max_initial, max_secondary, rng
    )


def tiers_by_overlap(
    indptr: np.ndarray, indices: np.ndarray, shares: tuple[float, ...], noise: float, rng: np.random.Generator
) -> np.ndarray:
    """Tie strengths that follow structure: each tie's *overlap* (Onnela et al. 2007: mutual
    contacts over the contacts either has besides the other), ranked with noise, then cut into
    the four tiers in ``shares``, weakest first. Strong ties sit inside dense circles; ties that
    bridge circles share few contacts and come out weak (Granovetter 1973)."""
    shared = kernels.running(common_neighbours)(indptr, indices).astype(np.float64)
    degree = np.diff(indptr)
    row = np.repeat(np.arange(len(degree)), degree)
    others = (degree[row] - 1) + (degree[indices] - 1) - shared
    overlap = np.divide(shared, others, out=np.zeros_like(shared), where=others > 0)
    upper = row < indices  # each tie once, by its slot from the lower id
    ties = np.flatnonzero(upper)
    rank = _ranks(overlap[ties]) / max(1, len(ties))
    score = rank + noise * rng.standard_normal(len(ties))
    order = np.argsort(score, kind="stable")
    cuts = np.round(np.cumsum(shares)[:-1] * len(ties)).astype(np.int64)
    tier = np.zeros(len(ties), dtype=np.int64)
    for cut in cuts:
        tier[order[cut:]] += 1
    strength = np.empty(len(indices))
    strength[ties] = np.asarray(TIER_STRENGTHS)[tier]
    mirror = Graph(indptr, indices, strength).mirror()
    strength[mirror[ties]] = strength[ties]
    return strength


def _ranks(values: np.ndarray) -> np.ndarray:
    """Each value's place in a stable ascending sort (ties keep their order): the inverse of
    the sorting permutation, scattered in one pass rather than found by sorting it again."""
    ranks = np.empty(len(values), dtype=np.int64)
    ranks[np.argsort(values, kind="stable")] = np.arange(len(values))
    return ranks


def load_edge_list(path: Path, tier_shares: tuple[float, ...], rng: np.random.Generator) -> Graph:
    """Read ``u v [strength]`` lines (whitespace or comma separated, ``#`` comments).

    The strength column, if present, is a number in [0, 1] or a tier name; edges without one
    get a tier drawn from ``tier_shares``. Node labels may be any text. Nothing in the file is
    executed or evaluated.

    Raises:
        EdgeListError: unreadable file, malformed line or out-of-range strength.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise EdgeListError(f"{path}: cannot read edge list ({exc})") from None
    ids: dict[str, int] = {}
    us, vs, ws = [], [], []
    for lineno, row in enumerate(_edge_rows(text), start=1):
        if row is None:
            continue
        if len(row) not in (2, 3):
            raise EdgeListError(f"{path}, line {lineno}: expected 'u v [strength]', got {' '.join(row)!r}")
        us.append(ids.setdefault(row[0], len(ids)))
        vs.append(ids.setdefault(row[1], len(ids)))
        ws.append(_parse_strength(row[2], path, lineno) if len(row) == 3 else np.nan)
    if not us:
        raise EdgeListError(f"{path}: the edge list has no edges")
    if len(ids) < 2:
        raise EdgeListError(f"{path}: the edge list needs at least two people")
    w = np.asarray(ws, dtype=np.float64)
    missing = np.isnan(w)
    w[missing] = _draw_tiers(int(missing.sum()), tier_shares, rng)
    indptr, indices, strength = csr_from_edges(len(ids), np.asarray(us), np.asarray(vs), w)
    return Graph(indptr, indices, strength, labels=tuple(ids))


def _edge_rows(text: str):
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            yield None
        elif "," in line:
            yield [c.strip() for c in next(csv.reader([line]))]
        else:
            yield line.split()


def _parse_strength(token: str, path: Path, lineno: int) -> float:
    if token.lower() in TIER_NAMES:
        return TIER_STRENGTHS[TIER_NAMES.index(token.lower())]
    try:
        value = float(token)
    except ValueError:
        value = np.nan
    if not 0.0 <= value <= 1.0:
        raise EdgeListError(
            f"{path}, line {lineno}: strength must be a number in [0, 1] or one of {TIER_NAMES}, got {token!r}"
        )
    return value
