"""One self-contained HTML report of a results folder, for a workshop room and for researchers.

Images are embedded (base64 PNG), so the file opens offline and can be mailed or projected.
Every text that comes from the experiment file (name, description, strategy names) is escaped.
"""

from __future__ import annotations

import base64
import html
import io
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from scipy import stats

from sim.analysis import effect_table, logrank_pairs, rmst, survival_summary, swept_columns, winners
from sim.viz import plots
from sim.viz.style import Context, label_for

__all__ = ["Headline", "drawn_from_posterior", "headline", "render", "write_report"]

CAPTIONS = {
    "who_gets_hired_sooner": "Each line is one way of networking. It starts at 100% (everyone just lost their job) and "
    "falls as people are hired. The lower a line, the sooner people were hired; the dotted line marks the day half "
    "of them had a job. Shaded bands show the uncertainty.",
    "busy_vs_effective": "Each dot is one job seeker. Further right means more meetings held; higher means a longer "
    "search. Notice that the aggressive seekers, far to the right, are not lower down: more meetings did not mean "
    "a job sooner. Hollow dots were still searching at the end.",
    "reputation_over_time": "What the people who know a seeker think of her, on average (0.5 is neutral). Watch "
    "whether a strategy's line climbs or sinks as the search goes on.",
    "mop_ups_per_seeker": "A mop-up call is a contact phoning the friend whose name was used, to say: I don't know "
    "this person, don't send them to me. Each dot is a seeker; the box holds the middle half.",
    "referral_chains": "Left: how much of the recommendation is left when a name is passed on again and again. "
    "Right: how often a call became a meeting, by how far the person called is from the seeker's own contacts.",
    "where_it_pays": "Each square is one setting of the two parameters (any other swept parameter is pooled). "
    "Blue squares: the strategy named in the title was hired sooner on average; red: the other one was. The number "
    "is the gap in days.",
    "sweep": "Each point is one setting of the experiment; lower means hired sooner.",
    "one_seekers_network": "The star is one job seeker; every dot is someone her search touched. Green helped, "
    "blue passed on a job lead, grey said no, orange phoned a friend to disclaim her (a mop-up call), purple is "
    "the friend whose name she had used.",
}


@dataclass(frozen=True)
class Headline:
    """The finding in plain words, with the numbers it rests on.

    ``runs_ahead`` of ``runs`` are the runs in which ``fastest`` had the lower restricted mean
    time to hire than ``slowest``; ``p_value`` is the two-sided sign test over runs (seekers
    of one run share a world, so the run is the independent unit), NaN when not computed.
    ``gap_days`` is the median over runs of ``slowest``'s restricted mean days minus
    ``fastest``'s, and ``gap_low``, ``gap_high`` bound the middle 95% of runs: the spread of
    worlds (NaN with fewer than two runs).
    """

    sentence: str
    fastest: str
    slowest: str
    runs_ahead: int
    runs: int
    p_value: float
    gap_days: float = float("nan")
    gap_low: float = float("nan")
    gap_high: float = float("nan")


def _half_hired(row) -> str:
    if math.isnan(row.median_days):
        return f"fewer than half had a job by the end, and {row.share_hired:.0%} in all"
    return f"half of them had a job after {row.median_days:.0f} days, and {row.share_hired:.0%} by the end"


def run_gaps(seekers: pd.DataFrame, fast: str, slow: str) -> np.ndarray:
    """Per run holding both strategies: ``slow``'s restricted mean days to hire minus
    ``fast``'s (positive where ``fast`` was ahead)."""
    gaps = []
    for _, run in seekers.groupby("run_id"):
        a, b = run[run.strategy == fast], run[run.strategy == slow]
        if len(a) and len(b):
            gaps.append(rmst(b) - rmst(a))
    return np.asarray(gaps, float)


def _sign_test(gaps: np.ndarray) -> tuple[int, int, float]:
    """Runs ahead, runs with a gap, and the two-sided sign test's p-value (ties left out)."""
    ahead, total = int((gaps > 0).sum()), int((gaps != 0).sum())
    p = float(stats.binomtest(ahead, total).pvalue) if total else float("nan")
    return ahead, total, p


def _gap_sentence(fast: str, runs: int, low: float, middle: float, high: float, calibrated: bool) -> str:
    """The median gap over ``runs`` runs and the range of the middle 95% of them, in plain words."""
    worlds = (
        "calibrated worlds (parameters drawn from the calibration, and chance)" if calibrated else "worlds"
    )
    return (f" Over the {runs} {worlds}, {label_for(fast)} seekers were ahead by a median of "
            f"{middle:.0f} days of search (restricted mean); 95% of worlds fell between {low:.0f} and "
            f"{high:.0f} days (a negative gap: the other strategy was ahead).")  # fmt: skip


def drawn_from_posterior(config: dict) -> bool:
    """Whether the experiment's runs drew their parameters from a calibration (``posterior:``),
    so that a headline speaks of calibrated worlds."""
    return bool(config.get("posterior"))


def headline(seekers: pd.DataFrame, calibrated: bool = False) -> Headline:
    """Compare the strategies hired soonest and latest (by restricted mean time to hire),
    run by run. ``calibrated``: each run's parameters were drawn from a posterior, which the
    sentence says, so that the spread over runs is read as the whole uncertainty."""
    summary = survival_summary(seekers).sort_values("rmst_days")
    fast, slow = summary.iloc[0], summary.iloc[-1]
    if len(summary) == 1:
        sentence = f"{label_for(fast.strategy)} seekers: {_half_hired(fast)}."
        return Headline(sentence, str(fast.strategy), str(fast.strategy), 0, 0, float("nan"))
    gaps = run_gaps(seekers, str(fast.strategy), str(slow.strategy))
    ahead, total, p = _sign_test(gaps)
    sentence = (f"{label_for(fast.strategy)} seekers were hired soonest: {_half_hired(fast)}. "
                f"{label_for(slow.strategy)} seekers were slowest: {_half_hired(slow)}.")  # fmt: skip
    if total:
        sentence += f" {label_for(fast.strategy)} seekers were ahead in {ahead} of {total} simulated worlds"
        if p < 0.05:
            shown = "p < 0.001" if p < 0.001 else f"p = {p:.2g}"
            sentence += f", too many to be chance (sign test, {shown})."
        else:
            sentence += f", which could be chance (sign test, p = {p:.2g}); run more replications to tell."
    if len(gaps) < 2:
        return Headline(sentence, str(fast.strategy), str(slow.strategy), ahead, total, p)
    low, middle, high = (float(v) for v in np.percentile(gaps, [2.5, 50, 97.5]))
    sentence += _gap_sentence(str(fast.strategy), len(gaps), low, middle, high, calibrated)
    return Headline(sentence, str(fast.strategy), str(slow.strategy), ahead, total, p, middle, low, high)


def _image(fig: Figure) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _run_days(results, name: str) -> int | None:
    """A run-level number of days (``horizon_days``, ``job_loss_spread_days``), the largest
    over the runs. Read from the runs table, which records every run's parameters, defaults
    included (the experiment file names a setting only when it sets it); from the file when
    there is no runs table; None when neither says (the report does not guess a default)."""
    runs = getattr(results, "runs", None)
    if runs is not None and name in runs:
        return int(runs[name].max())
    value = results.config.get(name)
    return None if value is None else int(value)


def _flow(results) -> str:
    """How job losses were spread (a flow of seekers), or nothing for one cohort."""
    spread = _run_days(results, "job_loss_spread_days")
    return f" (each on a day drawn from the first {spread} days)" if spread else ""


def _searched(results) -> str:
    """How long each seeker was followed, as the report's first paragraph says it."""
    horizon = _run_days(results, "horizon_days")
    return "after losing their jobs" if horizon is None else f"for {horizon} days after losing their jobs"


def _table(frame: pd.DataFrame) -> str:
    return frame.to_html(index=False, escape=True, float_format=lambda v: f"{v:.3g}", na_rep="–", border=0)


def render(results, context: Context = "paper") -> str:
    """The report as one HTML string."""
    config, manifest, seekers = results.config, results.manifest, results.seekers
    name = html.escape(str(config.get("name", "experiment")))
    description = html.escape(str(config.get("description", "")).strip())
    finding = headline(seekers, calibrated=drawn_from_posterior(config))
    figures = "".join(
        f'<figure><img alt="{html.escape(stem.replace("_", " "))}" src="data:image/png;base64,{_image(make(results, context))}">'
        f"<figcaption>{html.escape(CAPTIONS[stem])}</figcaption></figure>"
        for stem, make in plots.figures_for(results).items()
    )
    summary = survival_summary(seekers).rename(columns={"median_days": "median days", "median_low": "median low",
                                                        "median_high": "median high", "rmst_days": "mean days (restricted)",
                                                        "share_hired": "share hired"})  # fmt: skip
    effects = effect_table(seekers)
    runs = seekers["run_id"].nunique()
    sweep = ""
    if swept_columns(seekers):
        sweep = f"<h3>Which strategy is hired sooner at each design point</h3>{_table(winners(seekers))}"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{name}: networking simulation report</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #222; }}
h1 {{ font-size: 2rem; }} .headline {{ font-size: 1.35rem; background: #f3f6fa; padding: 1rem 1.25rem; border-left: 6px solid #0072B2; }}
figure {{ margin: 2rem 0; }} img {{ max-width: 100%; height: auto; }} figcaption {{ font-size: 1.05rem; color: #444; }}
table {{ border-collapse: collapse; margin: 1rem 0; }} td, th {{ padding: 0.25rem 0.75rem; border-bottom: 1px solid #ddd; text-align: right; }}
.methods {{ font-size: 0.95rem; color: #333; }}
</style></head><body>
<h1>{name}</h1>
<p>{description}</p>
<p>The simulation follows job seekers, each with her own way of networking, through a synthetic world of
professionals {_searched(results)}{_flow(results)}, {runs} times
with different random draws.</p>
<p class="headline" id="headline">{html.escape(finding.sentence)}</p>
{figures}
<section class="methods"><h2>Methods (for researchers)</h2>
<p>Time to hire is right-censored at the horizon. Curves and medians are Kaplan-Meier estimates
(scipy.stats.ecdf) with 95% log-log pointwise bands; median limits are read where the bands cross one half
("–": not reached); the restricted mean is the area under the curve up to the horizon. The headline compares
the strategies with the lowest and highest restricted mean run by run, with a two-sided sign test over runs
(seekers of one run share a world and compete for the same openings, so the run is the independent unit);
the pooled log-rank test in the table below treats seekers as independent and overstates certainty. Effects on meetings, mop-up calls and reputation are mean within-run differences with 95% BCa
bootstrap intervals over runs (seekers of one run share a world and are not independent).</p>
<h3>Time to hire</h3>{_table(summary)}
<h3>Log-rank tests between strategies (pooled seekers)</h3>{_table(logrank_pairs(seekers))}
<h3>Effects against {html.escape(label_for(str(seekers["strategy"].iloc[0])))}</h3>{_table(effects)}
{sweep}
<h3>Runs and seeds</h3>
<p>{runs} runs; base seed {html.escape(str(config.get("seed")))}; each run's seed is SeedSequence(seed, spawn_key=(design
point, replication)); every row records its run's seed. networking-sim {html.escape(str(manifest.get("package_version")))},
Python {html.escape(str(manifest.get("python")))}, git commit {html.escape(str(manifest.get("git_commit") or "unknown"))}.</p>
<h3>Parameters</h3><pre>{html.escape(_config_text(config))}</pre>
</section></body></html>
"""


def _config_text(config: dict) -> str:
    import yaml

    return yaml.safe_dump(config, sort_keys=False, allow_unicode=True)


def write_report(results, path: Path, context: Context = "paper") -> Path:
    """Write the report to ``path`` (replacing it atomically)."""
    text = render(results, context)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return path
