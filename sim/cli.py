"""The ``sim`` command: a thin face over the experiment and results APIs.

Exit codes: 0 ok, 1 a run or the machinery failed, 2 bad input (file, field, option), 130
interrupted by Ctrl-C or SIGTERM (finished runs are kept; ``--resume`` continues).
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

import sim
from sim.experiment.backends import Backend
from sim.experiment.errors import ConfigError
from sim.experiment.safeyaml import read_yaml
from sim.viz.contexts import Context

if TYPE_CHECKING:
    import pandas as pd

    from sim.experiment.runner import RunOptions

# The model, the runner, pandas and the analysis take seconds to import: each command imports
# what it needs when it runs, after a file has been read (and a hostile one refused).

__all__ = ["app", "main"]

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Simulate job seekers networking through their social graph, and compare strategies.",
)
out = Console()
err = Console(stderr=True)

T = TypeVar("T")
EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130


def _fail(message: str, code: int = EXIT_BAD_INPUT) -> typer.Exit:
    err.print(Text("error: ", style="bold red") + Text(message), highlight=False, soft_wrap=True)
    return typer.Exit(code)


def _version(value: bool) -> None:
    if value:
        out.print(f"networking-sim {sim.__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool | None,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit."),
    ] = None,
) -> None:
    """Simulate job seekers networking through their social graph, and compare strategies."""


SetOption = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        "-s",
        metavar="PATH=VALUE",
        help="Override a parameter, e.g. contacts.gossip_rate=0 (repeatable).",
    ),
]


MaxRunsOption = Annotated[
    int | None,
    typer.Option(
        "--max-runs",
        min=1,
        help="Refuse to start more runs than this (default: the file's max_runs, else 100000).",
    ),
]


def _load(file: Path, sets: list[str] | None, replications: int | None = None):
    read_yaml(file)  # a file past the limits is refused here, before the model is imported
    from sim.experiment.config import load_experiment

    extra = list(sets or [])
    if replications is not None:
        extra.append(f"replications={replications}")
    return load_experiment(file, extra)


@app.command()
def validate(
    file: Annotated[Path, typer.Argument(help="Experiment file (YAML).", show_default=False)],
    sets: SetOption = None,
    max_runs: MaxRunsOption = None,
) -> None:
    """Check an experiment file without running it; says how many runs it makes.

    Example: sim validate experiments/quick.yaml --set contacts.gossip_rate=0
    """
    try:
        experiment = _load(file, sets)
        from sim.experiment.design import (
            FULL_CHECK_POINTS,
            RunCapError,
            check_points,
            check_run_cap,
            count_points,
        )

        every_point = check_points(experiment)
        points = count_points(experiment)
        if experiment.sensitivity is not None:  # the sampled design is the sweep
            from sim import research

            points = len(research.sensitivity.plan(experiment).design)
    except ConfigError as exc:
        raise _fail(str(exc)) from None
    seekers = ", ".join(f"{n} {k}" for k, n in experiment.seeker_counts().items())
    out.print(Text(f"{file}: valid. {experiment.name}: {points:,} design point(s) x {experiment.replications:,} "
                   f"replication(s) = {points * experiment.replications:,} runs; seekers: {seekers}."))  # fmt: skip
    if not every_point:
        out.print(Text(f"Over {FULL_CHECK_POINTS:,} points: each swept value was checked on its own; "
                       "their combinations are checked as they run."))  # fmt: skip
    try:
        check_run_cap(experiment, max_runs)
    except RunCapError as exc:
        out.print(Text(f"note: sim run will refuse this as it stands: {exc}"))


@app.command()
def run(
    file: Annotated[Path, typer.Argument(help="Experiment file (YAML).", show_default=False)],
    out_dir: Annotated[
        Path | None, typer.Option("--out", "-o", help="Results folder (default: results/NAME from the file).")
    ] = None,
    workers: Annotated[
        int, typer.Option("--workers", "-w", min=0, help="Worker processes; 0 = all cores.")
    ] = 0,
    sets: SetOption = None,
    replications: Annotated[
        int | None, typer.Option("--replications", "-r", min=1, help="Override the file's replications.")
    ] = None,
    resume: Annotated[
        bool, typer.Option("--resume", help="Skip runs already stored in the results folder.")
    ] = False,
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Replace results already in the folder.")
    ] = False,
    backend: Annotated[
        Backend, typer.Option("--backend", help="local (process pool) or dask.")
    ] = Backend.LOCAL,
    scheduler: Annotated[
        str | None, typer.Option("--scheduler", help="Dask scheduler address (with --backend dask).")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print errors only.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Print every run as it finishes.")] = False,
    no_report: Annotated[
        bool, typer.Option("--no-report", help="Skip the figures and the HTML report at the end.")
    ] = False,
    max_runs: MaxRunsOption = None,
) -> None:
    """Run an experiment: every design point x replication, stored under results/.

    Examples:
      sim run experiments/aggressive_vs_polite.yaml

      sim run experiments/crowding.yaml --workers 2 --replications 40 --out results/crowding-40

      sim run experiments/quick.yaml --set contacts.mop_up_propensity=0 --set outputs.events=true

      sim run experiments/when_aggression_pays.yaml --backend dask --scheduler tcp://10.0.0.5:8786

    An interrupted run (Ctrl-C, a killed job) keeps every finished run; add --resume to go on.
    """
    _check_options(backend, scheduler, resume, overwrite)
    try:
        experiment = _load(file, sets, replications)
        from sim.experiment.design import check_points, check_run_cap
        from sim.experiment.runner import RunOptions

        check_run_cap(experiment, max_runs)  # before the design is checked: arithmetic only
        check_points(experiment)
    except ConfigError as exc:
        raise _fail(str(exc)) from None
    options = RunOptions(
        out_dir or Path("results") / experiment.name, workers, backend, scheduler, resume, overwrite, max_runs
    )
    outcome = _execute(experiment, options, quiet, verbose)
    if not quiet:
        _print_summary(options.out)
    if not no_report and outcome.complete:
        _write_outputs(options.out, Context.PAPER, quiet)
    _fail_if_failed(outcome, options)


def _check_options(backend: Backend, scheduler: str | None, resume: bool, overwrite: bool) -> None:
    if scheduler and backend != Backend.DASK:
        raise _fail("--scheduler needs --backend dask")
    if resume and overwrite:
        raise _fail("--resume and --overwrite exclude each other")


def _fail_if_failed(outcome, options: RunOptions) -> None:
    if outcome.failures:
        first = next(iter(outcome.failed.items()))
        raise _fail(f"{outcome.failures} run(s) failed (first: {first[0]}: {first[1]}); see {options.out}/manifest.json. "
                    "Re-run with --resume to retry them (with --overwrite instead if you change the file)", EXIT_FAILED)  # fmt: skip


def _say_compiling() -> None:
    err.print(Text("first run after installing: compiling the model's kernels (about 30 s, once)"))


def _execute(experiment, options: RunOptions, quiet: bool, verbose: bool):
    from sim.experiment.runner import execute, open_executor
    from sim.experiment.store import stored_run_count

    progress = Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
        TextColumn("{task.fields[failures]}"), TimeElapsedColumn(), TextColumn("eta"), TimeRemainingColumn(),
        console=err, disable=quiet, transient=False,
    )  # fmt: skip
    task = progress.add_task(experiment.name, total=None, failures="")
    failures = 0

    def on_start(pending: int, planned: int) -> None:
        progress.update(task, total=pending)
        if not quiet and pending < planned:
            err.print(
                Text(f"resuming: {planned - pending} of {planned} runs already stored in {options.out}")
            )

    def on_run(spec, error) -> None:
        nonlocal failures
        failures += error is not None
        progress.update(task, advance=1, failures=f"[red]{failures} failed" if failures else "")
        if verbose:
            progress.console.print(
                Text(f"{spec.run_id} seed={spec.seed} {'FAILED: ' + error if error else 'ok'}")
            )

    try:
        # the workers start before the progress bar's thread
        with open_executor(options, None if quiet else _say_compiling) as executor, progress:
            return execute(experiment, options, on_start, on_run, executor)
    except ConfigError as exc:
        raise _fail(str(exc)) from None
    except OSError as exc:
        raise _fail(f"--out {options.out}: cannot write there ({exc.strerror or exc})") from None
    except KeyboardInterrupt:
        stored = stored_run_count(options.out)
        raise _fail(f"interrupted: {stored} run(s) are stored in {options.out}; run the same command with --resume "
                    "to finish", EXIT_INTERRUPTED) from None  # fmt: skip


def _load_results(folder: Path):
    from sim.results import ResultsError, load

    try:
        return load(folder)
    except ResultsError as exc:
        raise _fail(str(exc)) from None


def _print_summary(folder: Path) -> None:
    from sim.analysis import strategy_summary

    results = _load_results(folder)
    if results.seekers.empty:
        return
    points = results.seekers["point_id"].nunique()
    by = ("point_id", "strategy") if 1 < points <= 12 else ("strategy",)
    table = _summary_table(strategy_summary(results.seekers, by), by)
    if points > 12:
        table.caption = f"pooled over {points} design points; see sim.results.load('{folder}') for each point"
    out.print(table)
    out.print(Text(f"results: {folder}  (load with sim.results.load)"))


def _summary_table(summary: pd.DataFrame, by: tuple[str, ...]) -> Table:
    import pandas as pd

    table = Table(
        title="Time to hire by strategy (median: Kaplan-Meier, not reached = under half hired)",
        title_justify="left",
    )
    for column in (*by, "seekers", "hired", "median days", "meetings", "mop-ups"):
        table.add_column(column, justify="left" if column in by else "right")
    for row in summary.itertuples(index=False):
        median = row.median_days_to_hire
        table.add_row(
            *(Text(str(getattr(row, c))) for c in by), str(row.seekers), f"{row.share_hired:.0%}",
            "not reached" if pd.isna(median) else f"{median:.0f}", f"{row.meetings:.1f}", f"{row.mop_up_calls:.1f}",
        )  # fmt: skip
    return table


def _write_outputs(
    folder: Path, context: Context, quiet: bool, figures: bool = True, report: bool = True
) -> None:
    from sim.viz import plots
    from sim.viz.handout import write_handouts
    from sim.viz.report import write_report

    results = _load_results(folder)
    if results.seekers.empty:
        raise _fail(f"{folder}: no runs are stored yet; nothing to plot")
    try:
        if figures:
            for stem, make in plots.figures_for(results).items():
                plots.save(make(results, context), folder / "plots", stem)
            if not quiet:
                out.print(Text(f"figures: {folder / 'plots'} (PNG and SVG)"))
        if report:
            path = write_report(results, folder / "report.html", context)
            papers = write_handouts(results, folder, context)
            if not quiet:
                out.print(Text(f"report: {path}"))
                out.print(Text(f"handouts: {', '.join(str(p) for p in papers)}"))
        if report and (results.config.get("outputs") or {}).get("explorer"):
            _explore(results, folder / "explorer.html", quiet)
    except OSError as exc:
        raise _fail(f"{folder}: cannot write the figures or report there ({exc.strerror or exc})") from None


ContextOption = Annotated[
    Context, typer.Option("--context", "-c", help="paper, or talk (16:9, large type, for projecting).")
]


@app.command()
def plot(
    folder: Annotated[Path, typer.Argument(help="A results folder written by sim run.", show_default=False)],
    context: ContextOption = Context.PAPER,
) -> None:
    """Write the figures of a stored experiment into FOLDER/plots (PNG and SVG).

    Example: sim plot results/aggressive_vs_polite --context talk
    """
    _write_outputs(folder, context, quiet=False, report=False)


@app.command()
def report(
    folder: Annotated[Path, typer.Argument(help="A results folder written by sim run.", show_default=False)],
    context: ContextOption = Context.PAPER,
) -> None:
    """Write FOLDER/report.html: one self-contained page (images embedded) for a workshop.

    Example: sim report results/aggressive_vs_polite
    """
    _write_outputs(folder, context, quiet=False, figures=False)


def _explore(results, path: Path, quiet: bool = False) -> None:
    from sim.viz.explorer import write_explorer

    try:
        write_explorer(results, path)
    except OSError as exc:
        raise _fail(f"{path}: cannot write the explorer there ({exc.strerror or exc})") from None
    if not quiet:
        out.print(Text(f"explorer: {path}"))


@app.command()
def explore(
    folder: Annotated[Path, typer.Argument(help="A results folder written by sim run.", show_default=False)],
    out_file: Annotated[
        Path | None, typer.Option("--out", "-o", help="The page to write (default: FOLDER/explorer.html).")
    ] = None,
) -> None:
    """Write FOLDER/explorer.html: one offline page where participants pick a scenario.

    Each design point of a sweep is a scenario; the swept parameters become the page's
    controls. With an event log, the page also replays one seeker's story.

    Example: sim explore results/workshop
    """
    results = _load_results(folder)
    if results.seekers.empty:
        raise _fail(f"{folder}: no runs are stored yet; nothing to explore")
    _explore(results, out_file or folder / "explorer.html")


@app.command()
def info(
    folder: Annotated[Path, typer.Argument(help="A results folder written by sim run.", show_default=False)],
) -> None:
    """Show what a stored experiment holds.

    Example: sim info results/aggressive_vs_polite
    """
    from sim.analysis import strategy_summary

    results = _load_results(folder)
    m, c = results.manifest, results.config
    out.print(Text(f"{c.get('name')}: {str(c.get('description', '')).strip()}"))
    stored = 0 if results.runs.empty else results.runs["run_id"].nunique()
    out.print(Text(f"status: {m.get('status')}, runs stored: {stored} of {m.get('runs_planned')}"))
    out.print(Text(f"created: {m.get('created')}  finished: {m.get('finished', '-')}"))
    out.print(
        Text(
            f"networking-sim {m.get('package_version')}, Python {m.get('python')}, git {m.get('git_commit') or '-'}"
        )
    )
    for name in ("seekers", "runs", "daily", "events", "ego"):
        frame = getattr(results, name)
        out.print(Text(f"  {name}: {'not recorded' if frame is None else f'{len(frame)} rows'}"))
    if not results.seekers.empty:
        out.print(_summary_table(strategy_summary(results.seekers), ("strategy",)))


cache_app = typer.Typer(help="numba's cache of the compiled kernels.", no_args_is_help=True)
app.add_typer(cache_app, name="cache")


@cache_app.command("clear")
def cache_clear() -> None:
    """Delete the compiled kernels numba cached, so that the next run compiles them afresh.

    Run it after updating networking-sim in place, when a run warns that the cache was
    compiled from other sources. Example: sim cache clear
    """
    from sim.model.kernels import cache

    deleted = cache.clear(cache.CACHE_DIR)
    out.print(Text(f"deleted {deleted} files from {cache.CACHE_DIR}"))


@cache_app.command("warm")
def cache_warm() -> None:
    """Compile every kernel into the cache now, so that no run pays for it (about 30 s).

    A run that finds the cache empty compiles in a child process anyway; warm it by hand
    before a sweep on a cluster's shared file system, so that workers do not all compile at
    once. A cache compiled from other sources is refused: clear it first. Example: sim cache warm
    """
    from sim.model import kernels
    from sim.model.kernels import cache
    from sim.model.warm_up import fill_cache

    if not kernels.AVAILABLE:
        out.print(
            Text(
                "nothing to compile: compiled kernels are off (numba missing or NETWORKING_SIM_PURE_NUMPY=1)"
            ),
            soft_wrap=True,
        )
        return
    if kernels.CACHE is cache.CacheState.STALE:
        raise _fail(
            f"the cache in {cache.CACHE_DIR} was compiled from other sources: run `sim cache clear` first"
        )
    if not fill_cache():
        raise _fail(
            f"numba could not cache the kernels in {cache.CACHE_DIR}: make it writable, or set "
            "NUMBA_CACHE_DIR to a writable folder"
        )
    out.print(Text(f"kernels compiled and cached in {cache.CACHE_DIR}"))


# --- researchers' tools (sim.research) -------------------------------------------------------
OutOption = Annotated[
    Path | None, typer.Option("--out", "-o", help="Results folder (default: results/NAME from the file).")
]
WorkersOption = Annotated[
    int, typer.Option("--workers", "-w", min=0, help="Worker processes; 0 = all cores.")
]
ReplicationsOption = Annotated[
    int | None, typer.Option("--replications", "-r", min=1, help="Override the file's replications.")
]
OverwriteOption = Annotated[bool, typer.Option("--overwrite", help="Replace results already in the folder.")]
BackendOption = Annotated[Backend, typer.Option("--backend", help="local (process pool) or dask.")]
SchedulerOption = Annotated[
    str | None, typer.Option("--scheduler", help="Dask scheduler address (with --backend dask).")
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Print errors only.")]


def _guarded(out_dir: Path | None, step: Callable[[], T]) -> T:
    """``step()``, with a bad file or an unwritable ``--out`` reported as bad input (exit 2)."""
    try:
        return step()
    except ConfigError as exc:
        raise _fail(str(exc)) from None
    except OSError as exc:
        raise _fail(f"--out {out_dir}: cannot write there ({exc.strerror or exc})") from None


@app.command()
def sensitivity(
    file: Annotated[
        Path, typer.Argument(help="Experiment file with a sensitivity: block.", show_default=False)
    ],
    out_dir: OutOption = None,
    workers: WorkersOption = 0,
    sets: SetOption = None,
    replications: ReplicationsOption = None,
    resume: Annotated[bool, typer.Option("--resume", help="Skip runs already stored in the folder.")] = False,
    overwrite: OverwriteOption = False,
    backend: BackendOption = Backend.LOCAL,
    scheduler: SchedulerOption = None,
    quiet: QuietOption = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Print every run as it finishes.")] = False,
) -> None:
    """Global sensitivity analysis (SALib: Sobol' or Morris) of the file's sensitivity: block.

    The design runs like a sweep (same seeds, store, --resume, --workers, --backend); the
    indices, scenario rules, figures and a report go to OUT/sensitivity/.

    Example: sim sensitivity experiments/where_nfl_wins.yaml --workers 2
    """
    from sim import research
    from sim.experiment.runner import RunOptions
    from sim.viz.research_report import ranking_sentences, write_sensitivity_outputs

    _check_options(backend, scheduler, resume, overwrite)
    study = _guarded(None, lambda: research.sensitivity.plan(_load(file, sets, replications)))
    options = RunOptions(out_dir or Path("results") / study.experiment.name, workers, backend, scheduler,
                         resume, overwrite)  # fmt: skip
    outcome = _execute(study.runs, options, quiet, verbose)
    _fail_if_failed(outcome, options)
    result = _guarded(options.out, lambda: research.sensitivity.analyse(study, options.out))
    report_path = _guarded(options.out, lambda: write_sensitivity_outputs(options.out))
    if not quiet:
        for sentence in [*ranking_sentences(result.indices), *result.rules["rule"]]:
            out.print(Text(f"- {sentence}"))
        out.print(Text(f"tables, figures and report: {result.folder} ({report_path.name})"))


@app.command()
def calibrate(
    file: Annotated[
        Path, typer.Argument(help="Experiment file with a calibration: block.", show_default=False)
    ],
    out_dir: OutOption = None,
    workers: WorkersOption = 0,
    sets: SetOption = None,
    replications: ReplicationsOption = None,
    resume: Annotated[
        bool, typer.Option("--resume", help="Go on from the generations an interrupted calibration kept.")
    ] = False,
    overwrite: OverwriteOption = False,
    backend: BackendOption = Backend.LOCAL,
    scheduler: SchedulerOption = None,
    quiet: QuietOption = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log every generation.")] = False,
) -> None:
    """Calibrate parameters against observed figures (pyabc's ABC-SMC) from the file's
    calibration: block; posterior, predictive checks, history and figures go to OUT/calibration/.

    Bit-identical for the same file and seed with --workers 1; with several workers or Dask,
    the same only in distribution (see docs/experiments.md).

    An interrupted calibration (Ctrl-C, a killed job) keeps every finished generation in
    OUT/calibration.partial/; add --resume to go on from there.

    Example: sim calibrate experiments/calibration.yaml --workers 2
    """
    from sim import research
    from sim.experiment.runner import RunOptions
    from sim.viz.research_report import write_calibration_outputs

    _check_options(backend, scheduler, resume, overwrite)
    study = _guarded(None, lambda: research.calibration.plan(_load(file, sets, replications)))
    options = RunOptions(out_dir or Path("results") / study.experiment.name, workers, backend, scheduler,
                         resume=resume, overwrite=overwrite)  # fmt: skip
    try:
        result = _guarded(options.out, lambda: research.calibration.calibrate(study, options, verbose))
    except KeyboardInterrupt:
        _say_what_calibration_kept(options.out / research.calibration.PARTIAL)
        raise
    _guarded(options.out, lambda: write_calibration_outputs(result.folder))
    if not quiet:
        for row in result.predictive.itertuples():
            out.print(Text(f"- {row.target}: observed {row.observed:g}, simulated {row.predicted_median:.3g} "
                           f"[95% {row.low:.3g} to {row.high:.3g}]"))  # fmt: skip
        out.print(Text("posterior, weighted median [95%] (the medians are the values to adopt as defaults):"))
        for row in research.posterior.posterior_summary(result.posterior).itertuples():
            out.print(Text(f"- {row.parameter}: {row.median:.3g} [{row.low:.3g} to {row.high:.3g}]"))
        out.print(Text(f"posterior, predictive checks, history and figures: {result.folder}"))


def _say_what_calibration_kept(partial: Path) -> None:
    """After an interruption: how many generations the calibration kept, and how to go on."""
    from sim import research

    try:
        done = research.calibration.kept_after_interruption(partial)
    except ConfigError:
        done = None
    if done:
        err.print(
            f"{done} finished generation(s) are kept in {partial}; add --resume to go on", highlight=False
        )
    elif done == 0:
        err.print("no generation had finished; nothing is kept", highlight=False)


def _stop_as_interrupted(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main() -> None:
    """Entry point of the ``sim`` command (and ``python -m sim``).

    SIGTERM stops the command as Ctrl-C does: a cluster's scheduler sends it when a job's
    time is up or the job is preempted, and the command then keeps what finished, removes
    what was half-written and says how to resume, instead of dying where it stood."""
    signal.signal(signal.SIGTERM, _stop_as_interrupted)
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(EXIT_INTERRUPTED)
