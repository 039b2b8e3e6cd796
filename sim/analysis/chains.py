"""Referral chains: how endorsement and meeting acceptance change with each hop (C2)."""

from __future__ import annotations

import pandas as pd

__all__ = ["by_hop"]


def by_hop(
    events: pd.DataFrame, seekers: pd.DataFrame, max_hop: int = 6, min_calls: int = 20
) -> pd.DataFrame:
    """Per strategy and hop (intermediaries between seeker and the person called): calls,
    share that ended in a meeting, mean endorsement carried. Hops beyond ``max_hop`` are
    pooled into ``max_hop``; cells with fewer than ``min_calls`` calls are dropped."""
    calls = events[events["kind"] == "call"].merge(
        seekers[["run_id", "seeker_id", "strategy"]], on=["run_id", "seeker_id"]
    )
    calls = calls.assign(hop=calls["hop"].clip(upper=max_hop), meeting=calls["outcome"] == "meeting")
    table = calls.groupby(["strategy", "hop"], sort=False).agg(
        calls=("meeting", "size"), acceptance=("meeting", "mean"), endorsement=("endorsement", "mean")
    )
    table = table[table["calls"] >= min_calls].reset_index()
    order = list(dict.fromkeys(seekers["strategy"]))
    return table.sort_values(
        ["strategy", "hop"],
        key=lambda c: c.map(order.index) if c.name == "strategy" else c,
        ignore_index=True,
    )
