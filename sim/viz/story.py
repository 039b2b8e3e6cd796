"""One seeker's story: her search day by day, from the event log of one run.

Every person her search touched becomes a point on her network picture, with the day each
role began: named to her, called by her (and said no), met or helped on the phone, passed on a job
lead, made a mop-up call to disclaim her, got such a call (her name was used), passed on the
lead that became her job, hired her. Later roles win, so a person's colour on day *d* is the
highest role she has reached by then. The page only filters these rows by the day slider.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import pandas as pd

from sim.viz import plots
from sim.viz.style import label_for

__all__ = ["ROLES", "Story", "pick_seekers", "story"]

#: Role -> (colour, plain words), lowest first; later roles win. Colours as in the network figure.
_WORDS = {
    "named": "named to her, not reached", "called": "she called them; they said no",
    "helped": "met her or helped on the phone", "lead": "passed on a job lead",
    "mop_up": "phoned a friend to disclaim her (mop-up call)", "disowned": "got a mop-up call (her name was used)",
}  # fmt: skip
ROLES = {
    **{role: (plots.ROLES[role][0], words) for role, words in _WORDS.items()},
    "job_lead": ("#56B4E9", "passed on the lead that became her job"),
    "hired": ("#E69F00", "hired her"),
}
RANK = {role: rank for rank, role in enumerate(ROLES)}
COUNTED = {"call": "calls", "meeting": "meetings", "phone_help": "help on the phone", "refusal": "said no",
           "mop_up": "mop-up calls", "lead": "job leads"}  # fmt: skip
SEEKER = -1


@dataclass(frozen=True)
class Story:
    """The rows of the story view for the picked seekers (``who`` numbers them).

    Attributes:
        seekers: who, strategy, label, seeker_id, day_hired (NaN if not hired), channel.
        people: who, person, x, y, role, rank, words, day (the day the role began).
        ties: who, x, y, x2, y2, day (the day the tie first mattered to her search).
        happenings: who, day, what (calls, meetings, said no, ...), one row per event.
        run_id: The run the story comes from.
        horizon: Last day of the search.
    """

    seekers: pd.DataFrame
    people: pd.DataFrame
    ties: pd.DataFrame
    happenings: pd.DataFrame
    run_id: str
    horizon: int


def pick_seekers(seekers: pd.DataFrame, run_id: str) -> list[int]:
    """One seeker per strategy of the run, the one with the richest story: hired through her
    network if any was, then the most mop-up calls, then the most meetings."""
    run = seekers[seekers["run_id"] == run_id]
    ranked = run.assign(network=run["hire_channel"].eq("network").fillna(False)).sort_values(
        ["network", "mop_up_calls", "meetings", "seeker_id"], ascending=[False, False, False, True]
    )
    best = {name: int(group.iloc[0]["seeker_id"]) for name, group in ranked.groupby("strategy", sort=False)}
    return [best[name] for name in dict.fromkeys(run["strategy"])]


class _Picture:
    """The growing network picture of one seeker: people, their role days, and ties."""

    def __init__(self, max_people: int) -> None:
        self.graph = nx.Graph()
        self.graph.add_node(SEEKER)
        self.max_people = max_people
        self.roles: list[tuple[int, str, int]] = []  # person, role, day
        self.best: dict[int, int] = {}
        self.tie_days: dict[tuple[int, int], int] = {}

    def mark(self, person, role: str, day: int) -> bool:
        if person is None or pd.isna(person):
            return False
        person = int(person)
        if person not in self.graph and self.graph.number_of_nodes() > self.max_people:
            return False
        self.graph.add_node(person)
        if RANK[role] > self.best.get(person, -1):
            self.best[person] = RANK[role]
            self.roles.append((person, role, day))
        return True

    def tie(self, a: int, b: int, day: int) -> None:
        if a != b:
            self.graph.add_edge(a, b)
            self.tie_days.setdefault((min(a, b), max(a, b)), day)


def _picture(mine: pd.DataFrame, max_people: int) -> _Picture:
    pic = _Picture(max_people)
    for row in mine.itertuples(index=False):
        day, kind = int(row.day), row.kind
        if kind == "call" and pic.mark(row.target, "called", day):
            pic.tie(SEEKER, int(row.target), day)
            if pic.mark(row.source, "named", day):
                pic.tie(int(row.source), int(row.target), day)
        elif kind in ("meeting", "phone_help"):
            pic.mark(row.target, "helped", day)
        elif kind == "referral" and pic.mark(row.source, "named", day) and pic.mark(row.target, "named", day):
            pic.tie(int(row.source), int(row.target), day)
        elif kind == "lead" and pic.mark(row.source, "lead", day):
            pic.tie(SEEKER, int(row.source), day)
        elif (
            kind == "mop_up" and pic.mark(row.source, "mop_up", day) and pic.mark(row.target, "disowned", day)
        ):
            pic.tie(int(row.source), int(row.target), day)
        elif kind == "hire":
            if pic.mark(row.source, "job_lead", day):
                pic.tie(SEEKER, int(row.source), day)
            if pic.mark(row.target, "hired", day):
                pic.tie(SEEKER if pd.isna(row.source) else int(row.source), int(row.target), day)
    return pic


def _frames(pic: _Picture, who: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    size = pic.graph.number_of_nodes()
    xy = nx.spring_layout(pic.graph, seed=1, k=1.5 / max(1, size) ** 0.5)
    people = pd.DataFrame(
        [
            {"who": who, "person": p, "x": float(xy[p][0]), "y": float(xy[p][1]), "role": role,
             "rank": RANK[role], "words": ROLES[role][1], "day": day}
            for p, role, day in pic.roles
        ],
        columns=["who", "person", "x", "y", "role", "rank", "words", "day"],
    )  # fmt: skip
    ties = pd.DataFrame(
        [
            {"who": who, "x": float(xy[a][0]), "y": float(xy[a][1]), "x2": float(xy[b][0]),
             "y2": float(xy[b][1]), "day": day}
            for (a, b), day in pic.tie_days.items()
        ],
        columns=["who", "x", "y", "x2", "y2", "day"],
    )  # fmt: skip
    centre = pd.DataFrame([{"who": who, "x": float(xy[SEEKER][0]), "y": float(xy[SEEKER][1])}])
    return pd.concat(
        [people, centre.assign(person=SEEKER, role="seeker", rank=99, words="the seeker", day=0)]
    ), ties


def story(
    events: pd.DataFrame, seekers: pd.DataFrame, run_id: str | None = None, max_people: int = 60
) -> Story:
    """The story rows of one run: one seeker per strategy (see :func:`pick_seekers`).

    Args:
        events: The event log (at least one run's).
        seekers: The seekers table.
        run_id: The run; default the first run (by id) that has an event log.
        max_people: Most people drawn per seeker (the first ones her search reached).
    """
    run_id = run_id or sorted(events["run_id"].unique())[0]
    run = events[(events["run_id"] == run_id) & (events["day"] >= 1)]
    table = seekers[seekers["run_id"] == run_id].set_index("seeker_id")
    rows, people, ties, happenings = [], [], [], []
    for who, seeker_id in enumerate(pick_seekers(seekers, run_id)):
        mine = run[run["seeker_id"] == seeker_id]
        nodes, edges = _frames(_picture(mine, max_people), who)
        people.append(nodes)
        ties.append(edges)
        counted = mine[mine["kind"].isin(list(COUNTED))]
        happenings.append(pd.DataFrame({"who": who, "day": counted["day"].astype(int).to_numpy(),
                                        "what": counted["kind"].map(COUNTED).to_numpy()}))  # fmt: skip
        me = table.loc[seeker_id]
        day_hired = float(me["day_hired"]) if bool(me["hired"]) else float("nan")
        rows.append({"who": who, "strategy": me["strategy"], "label": label_for(str(me["strategy"])),
                     "seeker_id": int(seeker_id), "day_hired": day_hired,
                     "channel": str(me["hire_channel"]) if bool(me["hired"]) else ""})  # fmt: skip
    return Story(
        seekers=pd.DataFrame(rows),
        people=pd.concat(people, ignore_index=True),
        ties=pd.concat(ties, ignore_index=True),
        happenings=pd.concat(happenings, ignore_index=True),
        run_id=str(run_id),
        horizon=int(seekers["days_searched"].max()),
    )
