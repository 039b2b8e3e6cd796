"""Seeds: what a run records of the seed it was given."""

from __future__ import annotations

import numpy as np

__all__ = ["seed_to_int"]


def seed_to_int(seed: int | np.random.SeedSequence) -> int:
    """A 63-bit integer seed from an int or a SeedSequence (what the tables record; it fits
    a signed 64-bit column)."""
    if isinstance(seed, np.random.SeedSequence):
        return int(seed.generate_state(1, np.uint64)[0]) & (2**63 - 1)
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed < 2**63:
        raise ValueError(f"seed must be an integer in [0, 2**63) or a numpy SeedSequence, got {seed!r}")
    return int(seed)
