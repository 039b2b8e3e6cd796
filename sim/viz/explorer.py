"""``explorer.html``: one self-contained page where workshop participants pick a scenario.

Built with Vega-Altair. The page carries its own copy of Vega, Vega-Lite and vega-embed (the
bundle from ``vl-convert-python``) and all its data, so it opens from a laptop or a USB stick
with no server and no internet. Controls are Vega-Lite parameters bound to radio buttons and a
slider; the charts filter precomputed rows (:mod:`sim.viz.scenarios`, :mod:`sim.viz.story`),
so nothing is computed in the browser beyond a filter. No hand-written JavaScript except the
two ``vegaEmbed`` calls.

Text from the experiment file (name, description, strategy names) is escaped: HTML text with
:func:`html.escape`, and the chart specs, which sit inside ``<script>``, as JSON with ``<``,
``>`` and ``&`` written as unicode escapes so no string can close the script.
"""

from __future__ import annotations

import html
import json
import math
from pathlib import Path

import altair as alt
import pandas as pd

from sim.viz.scenarios import Scenarios, scenarios
from sim.viz.story import ROLES, Story, story

__all__ = ["render", "scenario_charts", "story_charts", "write_explorer"]

DASHES = {"your choice": [1, 0], "baseline": [6, 3]}
FONT = "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"


def _scenario_params(controls) -> tuple[list[alt.Parameter], str]:
    params = []
    for i, control in enumerate(controls):
        bind = alt.binding_radio(options=list(range(len(control.labels))), labels=list(control.labels),
                                 name=control.title, element="#networking" if control.strategy else "#world")  # fmt: skip
        params.append(alt.param(name=f"ctl{i}", value=0, bind=bind))
    key = " + '-' + ".join(f"ctl{i}" for i in range(len(controls))) or "'0'"
    return params, f"datum.key == '' + {key}"


def _colour(s: Scenarios) -> alt.Color:
    """The strategy colours of the figures; one legend shared by every chart."""
    legend = alt.Legend(title="Way of networking", orient="top", labelLimit=400)
    return alt.Color(
        "who:N", scale=alt.Scale(domain=list(s.colours), range=list(s.colours.values())), legend=legend
    )


def _dash(s: Scenarios):
    """Solid for the chosen way of networking, dashed for the baselines; all solid when the
    experiment has no chosen way."""
    if not any(c.strategy for c in s.controls):
        return alt.value([1, 0])
    return alt.StrokeDash("role:N", scale=alt.Scale(domain=list(DASHES), range=list(DASHES.values())),
                          legend=alt.Legend(title=None, orient="top"))  # fmt: skip


def _survival(s: Scenarios, pick: str) -> alt.LayerChart:
    x = alt.X("day:Q", title="Days since losing the job", scale=alt.Scale(domain=[0, s.horizon]))
    lines = (
        alt.Chart(s.curves)
        .transform_filter(pick)
        .mark_line(interpolate="step-after", strokeWidth=2.5)
        .encode(x=x, y=alt.Y("share_searching:Q", title="Share still searching", axis=alt.Axis(format="%"),
                             scale=alt.Scale(domain=[0, 1])), color=_colour(s), strokeDash=_dash(s),
                tooltip=[alt.Tooltip("who:N", title="Way"), alt.Tooltip("day:Q", title="Day"),
                         alt.Tooltip("share_searching:Q", title="Still searching", format=".0%")])
    )  # fmt: skip
    half = alt.Chart().mark_rule(color="black", opacity=0.4).encode(y=alt.datum(0.5))
    medians = (
        alt.Chart(s.summary)
        .transform_filter(pick)
        .transform_filter("isValid(datum.median_days)")
        .mark_rule(strokeDash=[2, 2], strokeWidth=1.5)
        .encode(x="median_days:Q", y=alt.datum(0), y2=alt.datum(0.5), color=_colour(s))
    )
    return alt.layer(lines, half, medians).properties(
        width=560, height=340, title=alt.Title("Who gets hired sooner",
                                              subtitle="Lines fall as people are hired; dotted: the day half had a job"),
    )  # fmt: skip


def _sentences(s: Scenarios, pick: str) -> alt.Chart:
    order = list(s.colours)
    return (
        alt.Chart(s.summary)
        .transform_filter(pick)
        .mark_text(align="left", fontSize=16, fontWeight="bold")
        .encode(y=alt.Y("who:N", sort=order, axis=None), x=alt.value(0), text="sentence:N", color=_colour(s))
        .properties(width=900, height=26 * len(order), title="In this scenario")
    )


def _bars(s: Scenarios, pick: str, field: str, title: str, axis: str) -> alt.LayerChart:
    top = float(s.summary[field].max()) * 1.15 or 1.0
    base = (
        alt.Chart(s.summary)
        .transform_filter(pick)
        .encode(
            y=alt.Y("who:N", sort=list(s.colours), title=None, axis=alt.Axis(labelLimit=240)),
            x=alt.X(f"{field}:Q", title=axis, scale=alt.Scale(domain=[0, top])),
        )
    )
    bars = base.mark_bar().encode(color=_colour(s))
    labels = base.mark_text(align="left", dx=4).encode(text=alt.Text(f"{field}:Q", format=".1f"))
    return alt.layer(bars, labels).properties(width=300, height=150, title=title)


def _reputation(s: Scenarios, pick: str) -> alt.LayerChart:
    lines = (
        alt.Chart(s.reputation)
        .transform_filter(pick)
        .mark_line(strokeWidth=2.5)
        .encode(x=alt.X("day:Q", title="Days since losing the job", scale=alt.Scale(domain=[0, s.horizon])),
                y=alt.Y("reputation:Q", title="Mean opinion of those who know them", scale=alt.Scale(zero=False)),
                color=_colour(s), strokeDash=_dash(s),
                tooltip=[alt.Tooltip("who:N", title="Way"), alt.Tooltip("day:Q", title="Day"),
                         alt.Tooltip("reputation:Q", title="Opinion", format=".2f")])
    )  # fmt: skip
    neutral = alt.Chart().mark_rule(color="black", opacity=0.4).encode(y=alt.datum(0.5))
    return alt.layer(lines, neutral).properties(
        width=560, height=220, title=alt.Title("What people think of the seekers", subtitle="0.5 is neutral")
    )


def scenario_charts(s: Scenarios) -> alt.VConcatChart:
    """The scenario view: a sentence per strategy, the survival curve with medians,
    meetings, mop-up calls, and reputation over time, all for the picked scenario."""
    params, pick = _scenario_params(s.controls)
    side = alt.vconcat(
        _bars(s, pick, "meetings", "Meetings held", "Meetings per seeker"),
        _bars(s, pick, "mop_up_calls", "Mop-up calls", "Mop-up calls per seeker (a contact disclaims them)"),
    )
    chart = alt.vconcat(_sentences(s, pick), alt.hconcat(_survival(s, pick), side), _reputation(s, pick))
    return _configured(chart.add_params(*params))


def _configured(chart):
    return chart.configure(font=FONT).configure_title(fontSize=18, anchor="start", subtitleFontSize=13).configure_axis(
        labelFontSize=13, titleFontSize=14
    ).configure_legend(labelFontSize=14, titleFontSize=14, symbolStrokeWidth=3).configure_view(stroke=None)  # fmt: skip


def _story_params(st: Story) -> tuple[list[alt.Parameter], str, str]:
    labels = [
        f"{r.label}: {'not hired' if math.isnan(r.day_hired) else f'hired on day {r.day_hired:.0f}'}"
        for r in st.seekers.itertuples()
    ]
    who = alt.param(name="who", value=0, bind=alt.binding_radio(options=list(range(len(labels))), labels=labels,
                                                                  name="Whose story", element="#story-who"))  # fmt: skip
    day = alt.param(name="day", value=min(30, st.horizon),
                    bind=alt.binding_range(min=0, max=st.horizon, step=1, name="Day", element="#story-day"))  # fmt: skip
    return [who, day], "datum.who == who", "datum.day <= day"


def _extent(values: pd.Series) -> list[float]:
    low, high = float(values.min()), float(values.max())
    pad = 0.05 * (high - low) or 1.0
    return [low - pad, high + pad]


def _network_picture(st: Story, mine: str, so_far: str) -> alt.LayerChart:
    """Ties and people reached by the slider's day, each person in her highest role so far."""
    roles = {**ROLES, "seeker": ("#000000", "the seeker")}
    colour = alt.Color("words:N", scale=alt.Scale(domain=[v[1] for v in roles.values()],
                                                  range=[v[0] for v in roles.values()]),
                       legend=alt.Legend(title="Who they are to her", orient="right", labelLimit=360))  # fmt: skip
    # fixed extents: the picture stays put while people appear (and is drawn on an empty day)
    x, y = (alt.X("x:Q", axis=None, scale=alt.Scale(domain=_extent(st.people["x"]))),
            alt.Y("y:Q", axis=None, scale=alt.Scale(domain=_extent(st.people["y"]))))  # fmt: skip
    ties = (
        alt.Chart(st.ties).transform_filter(mine).transform_filter(so_far)
        .mark_rule(color="#999999", opacity=0.6).encode(x=x, y=y, x2="x2", y2="y2")
    )  # fmt: skip
    people = (
        alt.Chart(st.people).transform_filter(mine).transform_filter(so_far)
        .transform_joinaggregate(top="max(rank)", groupby=["person"]).transform_filter("datum.rank == datum.top")
        .mark_point(filled=True, size=110, stroke="#555555", strokeWidth=0.5, opacity=1)
        .encode(x=x, y=y, color=colour,
                shape=alt.condition("datum.role == 'seeker'", alt.value("diamond"), alt.value("circle")),
                size=alt.condition("datum.role == 'seeker'", alt.value(400), alt.value(110)),
                tooltip=[alt.Tooltip("words:N", title="Role"), alt.Tooltip("day:Q", title="Since day")])
    )  # fmt: skip
    return alt.layer(ties, people).properties(width=560, height=460, title="Her network picture")


def _status(st: Story, mine: str) -> alt.Chart:
    """'Day d: still searching', or the day and channel of her hire once the slider passes it."""
    text = ("isValid(datum.day_hired) && datum.day_hired <= day ? 'Day ' + day + ': hired on day ' + datum.day_hired"
            " + (datum.channel == 'network' ? ' through a lead from her network' : ' through a formal application')"
            " : 'Day ' + day + ': still searching'")  # fmt: skip
    return (
        alt.Chart(st.seekers).transform_filter(mine).transform_calculate(text=text)
        .mark_text(align="left", fontSize=18, fontWeight="bold").encode(text="text:N", x=alt.value(0), y=alt.value(10))
        .properties(width=560, height=24)
    )  # fmt: skip


def _tally(st: Story, mine: str, so_far: str) -> alt.Chart:
    """Calls, meetings, refusals, ... up to the slider's day, on a fixed scale."""
    most = int(st.happenings.groupby(["who", "what"]).size().max()) if len(st.happenings) else 1
    return (
        alt.Chart(st.happenings).transform_filter(mine).transform_filter(so_far)
        .mark_bar(color="#7F7F7F").encode(y=alt.Y("what:N", title=None, sort=list(dict.fromkeys(st.happenings["what"]))),
                                         x=alt.X("count():Q", title="So far", scale=alt.Scale(domain=[0, most])))
        .properties(width=260, height=200, title="What happened so far")
    )  # fmt: skip


def story_charts(st: Story) -> alt.VConcatChart:
    """The story view: where she stands, her network picture on the slider's day, and what
    happened so far; a radio button picks whose story."""
    params, mine, so_far = _story_params(st)
    chart = alt.vconcat(
        _status(st, mine), alt.hconcat(_network_picture(st, mine, so_far), _tally(st, mine, so_far))
    )
    return _configured(chart.add_params(*params))


def _script_json(spec: dict) -> str:
    """JSON that is safe inside <script>: no string can close the element or open a comment."""
    text = json.dumps(spec, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _spec(chart) -> str:
    """The chart's Vega-Lite spec as script-safe JSON, every row inline (no row limit: the
    sizes are bounded by the design, and a workshop grid has tens of thousands of rows)."""
    with alt.data_transformers.enable("default", max_rows=None):
        return _script_json(chart.to_dict())


def _javascript() -> str:
    """Vega, Vega-Lite and vega-embed in one bundle, matching Altair's Vega-Lite version."""
    import vl_convert

    major, minor = alt.SCHEMA_VERSION.lstrip("v").split(".")[:2]
    return vl_convert.javascript_bundle(vl_version=f"{major}.{minor}")


STYLE = """
body { font-family: system-ui, sans-serif; max-width: 78rem; margin: 1.5rem auto; padding: 0 1rem; color: #222; line-height: 1.45; }
h1 { font-size: 2rem; margin-bottom: .3rem; } h2 { margin-top: 2.5rem; }
.controls { display: flex; flex-wrap: wrap; gap: 1rem 2.5rem; background: #f3f6fa; padding: .8rem 1.2rem; border-left: 6px solid #0072B2; }
.controls h3 { width: 100%; margin: .2rem 0 0; font-size: 1.1rem; }
.vega-bind { margin: .3rem 0; font-size: 1.05rem; } .vega-bind-name { display: block; font-weight: 600; }
.vega-bind label { margin-right: 1rem; } .caption { color: #444; font-size: 1.05rem; max-width: 60rem; }
"""


def _intro(network: bool, world: bool) -> str:
    if network:
        pick = "Pick a way of networking" + (" and a world" if world else "")
        return (f"{pick}. The charts show what happened to simulated job seekers who networked that way (solid "
                "lines), next to seekers who networked the other ways in the same world (dashed).")  # fmt: skip
    if world:
        return "Pick a world. The charts show what happened to simulated job seekers of every way of networking in it."
    return "The charts show what happened to simulated job seekers of every way of networking."


def _controls_html(network: bool, world: bool) -> str:
    parts = [
        '<h3>Your way of networking</h3><div id="networking"></div>' if network else "",
        '<h3>The world</h3><div id="world"></div>' if world else "",
    ]
    return f'<div class="controls">{"".join(parts)}</div>' if network or world else ""


def render(scenario_view: Scenarios, story_view: Story | None, name: str, description: str) -> str:
    """The page as one HTML string (scripts and data inline)."""
    network = any(c.strategy for c in scenario_view.controls)
    world = any(not c.strategy for c in scenario_view.controls)
    story_html, story_js = "", ""
    if story_view is not None:
        story_html = f"""<h2>One seeker's story</h2>
<p class="caption">Move the day slider to replay one job seeker's search (simulated run
{html.escape(story_view.run_id)}). Every dot is someone her search touched; the colours say what they did.
The seekers you can pick searched in the same world at the same time.</p>
<div class="controls"><div id="story-who"></div><div id="story-day"></div></div>
<div id="story"></div>"""
        story_js = f"vegaEmbed('#story', {_spec(story_charts(story_view))}, options).catch(console.error);"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(name)}: explore the scenarios</title>
<style>{STYLE}</style>
<script>{_javascript()}</script>
</head><body>
<h1>{html.escape(name)}</h1>
<p class="caption">{html.escape(description)}</p>
<h2>{"Try a way of networking" if network or world else "What happened"}</h2>
<p class="caption">{_intro(network, world)}</p>
{_controls_html(network, world)}
<div id="scenarios"></div>
<p class="caption">A mop-up call is a contact phoning the friend whose name was used, to say: I don't know this
person, don't send them to me. Opinion is what the people who know a seeker think of her (0.5 is neutral).</p>
{story_html}
<script>
const options = {{actions: false, renderer: "svg"}};
vegaEmbed('#scenarios', {_spec(scenario_charts(scenario_view))}, options).catch(console.error);
{story_js}
</script>
</body></html>
"""


def write_explorer(results, path: Path) -> Path:
    """Write ``explorer.html`` for a results folder (replacing it atomically).

    The story view is included when the folder holds an event log.
    """
    view = scenarios(results.seekers, results.daily)
    events = results.events
    told = story(events, results.seekers) if events is not None and len(events) else None
    config = results.config
    text = render(
        view, told, str(config.get("name", "experiment")), str(config.get("description", "")).strip()
    )
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return path
