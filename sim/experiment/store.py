"""A results folder: resolved config, manifest, and one folder of Parquet parts per run.

Layout::

    results/<name>/
      config.yaml        the resolved experiment (after --set and --replications)
      manifest.json      versions, git commit, times, how seeds are derived, status, failures
      runs/<run_id>/     seekers.parquet, runs.parquet, daily.parquet [, events.parquet, ego.parquet]

A run's parts are written into a hidden temporary folder and renamed into place in one step,
so a run folder is either complete or absent: an interrupted sweep never leaves a half-written
part. The manifest is rewritten the same way (temporary file, then rename).

Nothing here holds one entry per run: a sweep may plan a million runs. The manifest says how
each run's seed is derived (every row of every table records its own), keeps the first
:data:`FAILURES_KEPT` failure messages and counts the rest, and stored runs are counted or
looked up on disk one at a time.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml

from sim.experiment.config import ConfigError
from sim.model import RunTables

__all__ = ["TABLES", "ResultStore", "config_digest", "encode_run", "environment", "stored_run_count"]

#: A run's tables; ``events`` and ``ego`` only when the event log is on.
TABLES = ("seekers", "runs", "daily", "events", "ego")
RUNS_DIR = "runs"
#: Failure messages the manifest keeps (each failed run is counted in ``runs_failed``).
FAILURES_KEPT = 100
#: Keys of the resolved config that change no run, left out of its digest: raising the run
#: cap to finish a sweep must not make ``--resume`` refuse the runs already stored.
_NOT_DIGESTED = ("max_runs",)


def config_digest(tree: dict[str, Any]) -> str:
    """SHA-256 of the resolved config, independent of key order (and of the run cap)."""
    kept = {k: v for k, v in tree.items() if k not in _NOT_DIGESTED}
    return hashlib.sha256(json.dumps(kept, sort_keys=True, default=str).encode()).hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _git_commit() -> str | None:
    source = Path(__file__).resolve().parent
    try:
        out = subprocess.run(
            ["git", "-C", str(source), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


def environment() -> dict[str, Any]:
    """Package, Python and library versions, and the git commit of the source, if any."""
    libraries = {}
    for name in (
        "networking-sim",
        "mesa",
        "numpy",
        "scipy",
        "pandas",
        "pyarrow",
        "networkx",
        "pydantic",
        "dask",
        "distributed",
    ):
        try:
            libraries[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return {
        "package_version": libraries.pop("networking-sim", "unknown"),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "libraries": libraries,
        "git_commit": _git_commit(),
    }


def encode_run(tables: RunTables) -> dict[str, bytes]:
    """The run's tables as Parquet files in memory, by table name (tables that are None are
    left out).

    Encoding costs about 15 ms a run, mostly converting pandas columns to Arrow. Done where
    the run ran, it is spread over the workers; the one process that stores runs then only
    writes bytes, and keeps up with workers finishing short runs.
    """
    parts = {}
    for name in TABLES:
        frame = getattr(tables, name)
        if frame is not None:
            buffer = io.BytesIO()
            frame.to_parquet(buffer, index=False)
            parts[name] = buffer.getvalue()
    return parts


def stored_run_count(root: Path) -> int:
    """How many runs are complete in the results folder ``root`` (0 if it holds none), counted
    without holding their names: what an interrupted sweep can report on its way out."""
    return sum(1 for _ in _stored_names(root))


def _stored_names(root: Path) -> Iterator[str]:
    """The run ids whose parts are complete (a run's folder appears, whole, by one rename)."""
    try:
        with os.scandir(root / RUNS_DIR) as entries:
            for entry in entries:
                if entry.is_dir() and not entry.name.startswith("."):
                    yield entry.name
    except FileNotFoundError:
        return


def _fsync(path: Path) -> None:
    """Flush a file or folder to disk, so that a rename after it survives a crash."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_atomically(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class ResultStore:
    """The results folder of one experiment."""

    def __init__(self, root: Path, manifest: dict[str, Any]) -> None:
        self.root = root
        self.manifest = manifest

    # --- opening -----------------------------------------------------------------------------
    @classmethod
    def open(
        cls,
        root: Path,
        tree: dict[str, Any],
        *,
        resume: bool,
        overwrite: bool,
        planned: int,
        seeding: dict[str, Any],
    ) -> ResultStore:
        """Create, resume or replace the folder at ``root`` for ``planned`` runs whose seeds
        derive as ``seeding`` says.

        Raises:
            ConfigError: the folder exists and neither --resume nor --overwrite was given;
                --resume on a folder made with another config; the path is not writable.
        """
        root = Path(root)
        digest = config_digest(tree)
        config_file = root / "config.yaml"
        if root.exists() and not root.is_dir():
            raise ConfigError(f"--out {root}: exists and is not a folder")
        holds_results = config_file.exists() or (root / "manifest.json").exists()
        if holds_results and overwrite:
            if not cls._made_by_sim(root):
                raise ConfigError(
                    f"--out {root}: does not look like a folder written by sim run; nothing was removed"
                )
            cls._remove(root)
            holds_results = False
        if not holds_results and (root / RUNS_DIR).is_dir() and any((root / RUNS_DIR).iterdir()):
            raise ConfigError(
                f"--out {root}: has a runs/ folder but no experiment; choose another --out or empty it"
            )
        if holds_results and not resume:
            raise ConfigError(
                f"--out {root}: already holds results; add --resume to continue them, "
                "--overwrite to replace them, or choose another --out"
            )
        if holds_results:
            return cls._resume(root, digest)
        if resume and root.exists() and any(root.iterdir()):
            raise ConfigError(f"--out {root}: --resume found no experiment here (no config.yaml)")
        try:
            (root / RUNS_DIR).mkdir(parents=True, exist_ok=True)
            _write_atomically(config_file, yaml.safe_dump(tree, sort_keys=False, allow_unicode=True))
        except OSError as exc:
            raise ConfigError(f"--out {root}: cannot write there ({exc.strerror or exc})") from None
        manifest = {
            **environment(),
            "experiment": tree.get("name"),
            "config_sha256": digest,
            "created": _now(),
            "status": "running",
            "runs_planned": planned,
            "runs_done": 0,
            "seeding": seeding,
            "runs_failed": 0,
            "failures": {},
            "sessions": [],
        }
        store = cls(root, manifest)
        store.save_manifest()
        return store

    @classmethod
    def _resume(cls, root: Path, digest: str) -> ResultStore:
        try:
            manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ConfigError(f"--resume {root}: manifest.json is missing or unreadable ({exc})") from None
        here = environment()
        for key in ("package_version", "git_commit"):
            if manifest.get(key) and here.get(key) and manifest[key] != here[key]:
                raise ConfigError(
                    f"--resume {root}: these results were made by {key.replace('_', ' ')} {manifest[key]}, this is "
                    f"{here[key]}; mixing them would mix two models. Run into another --out, or --overwrite"
                )
        if manifest.get("config_sha256") != digest:
            raise ConfigError(
                f"--resume {root}: these results were made with a different configuration "
                "(the experiment file, --set or --replications changed); run without --resume "
                "into another --out, or add --overwrite to replace them"
            )
        for stale in (root / RUNS_DIR).glob(".tmp-*"):
            shutil.rmtree(stale, ignore_errors=True)
        manifest["status"] = "running"
        manifest["failures"] = {}
        manifest["runs_failed"] = 0
        return cls(root, manifest)

    @staticmethod
    def _made_by_sim(root: Path) -> bool:
        try:
            manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        return (
            isinstance(manifest, dict)
            and "config_sha256" in manifest
            and (
                "seeding" in manifest or "seeds" in manifest
            )  # "seeds": written before manifests stopped listing every seed
        )

    @staticmethod
    def _remove(root: Path) -> None:
        for name in ("config.yaml", "manifest.json", "report.html"):
            (root / name).unlink(missing_ok=True)
        for folder in (RUNS_DIR, "plots", "sensitivity", "calibration"):  # the last two: sim.research
            shutil.rmtree(root / folder, ignore_errors=True)

    # --- runs ------------------------------------------------------------------------------
    def finished_runs(self) -> set[str]:
        """Run ids whose parts are complete on disk (a set of them all: for small sweeps)."""
        return set(self._stored_names())

    def count_stored(self) -> int:
        """How many runs are complete on disk, counted without holding their names."""
        return stored_run_count(self.root)

    def is_stored(self, run_id: str) -> bool:
        """Whether the run's parts are complete on disk."""
        return (self.root / RUNS_DIR / run_id).is_dir()

    def _stored_names(self) -> Iterator[str]:
        return _stored_names(self.root)

    def write_run(self, run_id: str, parts: dict[str, bytes]) -> None:
        """Write the run's Parquet parts (from :func:`encode_run`), all or nothing."""
        unknown = set(parts) - set(TABLES)
        if unknown:
            raise ValueError(f"run {run_id}: unknown tables {sorted(unknown)}; expected some of {TABLES}")
        final = self.root / RUNS_DIR / run_id
        tmp = Path(tempfile.mkdtemp(dir=self.root / RUNS_DIR, prefix=f".tmp-{run_id}-"))
        try:
            for name, data in parts.items():
                (tmp / f"{name}.parquet").write_bytes(data)
                _fsync(tmp / f"{name}.parquet")
            os.chmod(tmp, 0o755)
            _fsync(tmp)
            if final.exists():
                shutil.rmtree(final)
            os.replace(tmp, final)
            _fsync(final.parent)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise

    def record_failure(self, run_id: str, message: str) -> None:
        """Note a run that raised; it is retried by --resume. The first :data:`FAILURES_KEPT`
        messages are kept; every failure is counted."""
        self.manifest["runs_failed"] = self.manifest.get("runs_failed", 0) + 1
        if len(self.manifest["failures"]) < FAILURES_KEPT:
            self.manifest["failures"][run_id] = message

    # --- manifest --------------------------------------------------------------------------
    def start_session(self, **details: Any) -> None:
        """Record a start (first run or a resume) with how it was executed."""
        self.manifest["sessions"].append({"started": _now(), **details})
        self.save_manifest()

    def finish(self, status: str) -> None:
        """Record the end: ``complete``, ``interrupted`` or ``failed``."""
        self.manifest["runs_done"] = self.count_stored()
        self.manifest["status"] = status
        if self.manifest["sessions"]:
            self.manifest["sessions"][-1]["ended"] = _now()
        if status == "complete":
            self.manifest["finished"] = _now()
        self.save_manifest()

    def save_manifest(self) -> None:
        """Rewrite manifest.json atomically."""
        _write_atomically(self.root / "manifest.json", json.dumps(self.manifest, indent=2, sort_keys=False))
