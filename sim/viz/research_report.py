"""Figures and a self-contained HTML report of a sensitivity analysis, from its stored tables
(``OUT/sensitivity/``). Everything from the experiment file is escaped."""

from __future__ import annotations

import html
import math
from pathlib import Path

import pandas as pd
import yaml

from sim.analysis.outputs import parse_output
from sim.viz import plots
from sim.viz import research as figures
from sim.viz.report import _image, _table
from sim.viz.style import Context

__all__ = ["noise_sentences", "ranking_sentences", "write_calibration_outputs", "write_sensitivity_outputs"]

STYLE = """body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
line-height: 1.5; color: #222; } img { max-width: 100%; height: auto; } figcaption { color: #444; }
table { border-collapse: collapse; margin: 1rem 0; } td, th { padding: 0.25rem 0.75rem;
border-bottom: 1px solid #ddd; text-align: right; } li { margin: 0.4rem 0; }"""


def _read(folder: Path) -> dict[str, pd.DataFrame]:
    return {name: pd.read_parquet(folder / f"{name}.parquet")
            for name in ("design", "outputs", "indices", "noise", "rules")}  # fmt: skip


def ranking_sentences(indices: pd.DataFrame) -> list[str]:
    """Per output, the parameters that move it most, in plain words."""
    sobol = "ST" in indices.columns
    key = "ST" if sobol else "mu_star"
    sentences = []
    for output, rows in indices.groupby("output", sort=False):
        rows = rows.dropna(subset=[key]).sort_values(key, ascending=False)
        if rows.empty:
            sentences.append(f"{output}: not analysed (undefined at some design point, or it never varied).")
            continue
        parts = [
            f"{r.parameter} (total {r.ST:.2f} ± {r.ST_conf:.2f}, alone {r.S1:.2f})"
            if sobol
            else f"{r.parameter} (μ* {r.mu_star:.3g} ± {r.mu_star_conf:.2g}, σ {r.sigma:.3g})"
            for r in rows.head(3).itertuples()
        ]
        sentences.append(f"{output} moves most with " + ", then ".join(parts) + ".")
    return sentences


def noise_sentences(noise: pd.DataFrame) -> list[str]:
    """Per output, how much of the variance between design points is replication noise."""
    sentences = []
    for row in noise.itertuples():
        if row.replications < 2:
            sentences.append(f"{row.output}: cannot be told with one replication per design point; "
                             "run two or more to measure it.")  # fmt: skip
        elif math.isnan(row.noise_share):
            sentences.append(f"{row.output}: did not vary between design points.")
        else:
            verdict = ("mostly chance: the indices say little" if row.noise_share > 0.5 else
                       "a large part: read the indices with care" if row.noise_share > 0.2 else
                       "small: the differences are the parameters' doing")  # fmt: skip
            sentences.append(f"{row.output}: {row.noise_share:.0%} of its variance between design points is "
                             f"replication noise ({row.replications} replications per point), {verdict}.")  # fmt: skip
    return sentences


def _figures(
    tables: dict[str, pd.DataFrame], config: dict, context: Context
) -> dict[str, tuple[object, str]]:
    """Stem -> (figure, caption)."""
    method = config["sensitivity"]["method"]
    made = {}
    if method == "sobol":
        made["sobol_indices"] = (figures.sobol_bars(tables["indices"], context),
                                 "S1: the share of the output's variance a parameter explains alone; ST: with all its "
                                 "interactions. Bars are 95% bootstrap intervals.")  # fmt: skip
    else:
        made["morris_screening"] = (figures.morris_screening(tables["indices"], context),
                                    "Far right: the parameter moves the output a lot. High up: its effect depends on "
                                    "the other parameters, or is not straight. Bars: 95% interval of μ*.")  # fmt: skip
    strategies = list(config["population"]["seekers"].get("mix", config["population"]["seekers"]))
    for output in dict.fromkeys(tables["rules"]["output"]):
        gap = parse_output(output, strategies)
        stem = "where_" + output.removeprefix("gap.").replace("-", "_vs_")
        fig = figures.discovery_boxes(tables["design"], tables["outputs"][output], tables["rules"], output,
                                      (gap.strategy, gap.versus), context)  # fmt: skip
        made[stem] = (fig, f"Each dot is a design point, coloured by which strategy was hired sooner there "
                           f"({output} = difference in mean days). The dashed box is the first rule; on the right, "
                           "every rule's ranges within the design's bounds.")  # fmt: skip
    return made


def write_sensitivity_outputs(out: Path, context: Context = "paper") -> Path:
    """Write the figures (``OUT/sensitivity/plots``) and ``OUT/sensitivity/report.html`` from
    the stored tables; returns the report's path."""
    folder = Path(out) / "sensitivity"
    tables = _read(folder)
    config = yaml.safe_load((Path(out) / "config.yaml").read_text(encoding="utf-8"))
    made = _figures(tables, config, context)
    for stem, (fig, _) in made.items():
        plots.save(fig, folder / "plots", stem)
    path = folder / "report.html"
    tmp = path.with_name(".report.html.tmp")
    tmp.write_text(_render(tables, config, made), encoding="utf-8")
    tmp.replace(path)
    return path


def _items(sentences: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{html.escape(s)}</li>" for s in sentences) + "</ul>"


def _render(tables: dict[str, pd.DataFrame], config: dict, made: dict) -> str:
    spec = config["sensitivity"]
    name = html.escape(str(config.get("name", "experiment")))
    bounds = "".join(
        f"<li>{html.escape(p)}: {low:g} to {high:g}</li>" for p, (low, high) in spec["bounds"].items()
    )
    points, reps = (
        len(tables["design"]),
        int(tables["noise"]["replications"].min()) if len(tables["noise"]) else 0,
    )
    method = "Sobol' indices (Saltelli's design)" if spec["method"] == "sobol" else "Morris screening"
    rules = tables["rules"]
    shown = "".join(
        f'<figure><img alt="{html.escape(stem)}" src="data:image/png;base64,{_image(fig)}">'
        f"<figcaption>{html.escape(caption)}</figcaption></figure>"
        for stem, (fig, caption) in made.items()
    )
    discovery = (
        "<h2>Where each strategy is hired sooner</h2><p>A shallow decision tree splits the design points by "
        "which strategy had the lower mean days to hire. Coverage: of all points where that strategy was faster, "
        "the share inside the region; density: of the points inside, the share where it was faster.</p>"
        + _items(rules["rule"].tolist())
        if len(rules)
        else ""
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{name}: sensitivity analysis</title><style>{STYLE}</style></head>
<body><h1>{name}: which parameters matter</h1>
<p>{html.escape(str(config.get("description", "")).strip())}</p>
<p>{html.escape(method)} over {len(spec["bounds"])} parameters: {points} design points, {reps} replication(s) each,
{points * reps} runs. Each output is the mean over a point's replications.</p><ul>{bounds}</ul>
<h2>What moves each output</h2>{_items(ranking_sentences(tables["indices"]))}
<h2>How much is replication noise</h2>
<p>Part of the difference between design points is chance: the same parameters with another seed give another
result. The indices count that noise as if the parameters caused it.</p>{_items(noise_sentences(tables["noise"]))}
{discovery}
{shown}
<h2>Indices</h2>{_table(tables["indices"])}
</body></html>
"""


def write_calibration_outputs(folder: Path, context: Context = "paper") -> list[Path]:
    """Write the posterior marginals and the predictive check of ``OUT/calibration/`` (from
    its stored tables) into ``OUT/calibration/plots``; returns the PNG paths."""
    folder = Path(folder)
    config = yaml.safe_load((folder / "config.yaml").read_text(encoding="utf-8"))
    priors = {p: tuple(b) for p, b in config["calibration"]["priors"].items()}
    posterior = pd.read_parquet(folder / "posterior.parquet")
    predictive = pd.read_parquet(folder / "predictive.parquet")
    made = {"posterior": figures.posterior_marginals(posterior, priors, context),
            "predictive_check": figures.predictive_check(predictive, context)}  # fmt: skip
    return [plots.save(fig, folder / "plots", stem)[0] for stem, fig in made.items()]
