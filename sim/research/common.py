"""What the research tools share: their seeds, and writing a folder of results all at once."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from sim.experiment import ConfigError, Experiment

__all__ = ["atomic_folder", "check_ranges", "field_error", "require", "stream_seed"]

#: spawn_key offsets of the research tools' own random streams. Runs use spawn keys
#: (point, replication) below 2**31, so these never meet a run's seed.
STREAMS = {"sample": 2**31 + 1, "analyse": 2**31 + 2, "abc": 2**31 + 3, "predictive": 2**31 + 4,
           "discovery": 2**31 + 5}  # fmt: skip


def stream_seed(base_seed: int, stream: str, *more: int) -> int:
    """A 32-bit seed of one named stream, from ``SeedSequence(base_seed, spawn_key=...)``
    (32 bits because SALib and numpy's legacy global generator take no more); ``more``
    splits the stream further (a resumed calibration's generation)."""
    return int(np.random.SeedSequence(base_seed, spawn_key=(STREAMS[stream], *more)).generate_state(1)[0])


def require(module: str, command: str):
    """Import an optional research library, or explain how to install it.

    Raises:
        ConfigError: the library is missing (``sim`` exits with code 2).
    """
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise ConfigError(
            f"{command} needs {module.split('.')[0]}, part of the optional research extra: "
            "pip install 'networking-sim[research]'"
        ) from None


@contextlib.contextmanager
def atomic_folder(final: Path) -> Iterator[Path]:
    """A temporary folder beside ``final`` that replaces ``final`` in one rename when the
    block ends without error; on error it is removed and ``final`` is left as it was, so a
    reader never finds a half-written set of tables that looks complete."""
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=final.parent, prefix=f".{final.name}-"))
    try:
        yield tmp
        tmp.chmod(0o755)
        if final.exists():
            old = final.with_name(f".{final.name}-old")
            shutil.rmtree(old, ignore_errors=True)
            final.rename(old)
            tmp.rename(final)
            shutil.rmtree(old, ignore_errors=True)
        else:
            tmp.rename(final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def field_error(experiment: Experiment, field: str, message: str) -> ConfigError:
    """A bad field of the experiment file, named as ``sim`` names every bad field."""
    return ConfigError(f"{experiment.source}: field '{field}': {message}")


def check_ranges(experiment: Experiment, ranges: dict[str, tuple[float, float]], field: str) -> None:
    """Both ends of every ``{path: [low, high]}`` must build valid model parameters.

    Raises:
        ConfigError: naming ``field.path`` (an unknown parameter, or a value out of its range).
    """
    base = experiment.base_params()
    for path, bounds in ranges.items():
        for value in bounds:
            try:
                experiment.params_at({path: value}, base)
            except ConfigError as exc:
                detail = str(exc).split(": sweep: ", 1)[-1]
                raise field_error(experiment, f"{field}.{path}", detail) from None
