"""A first run after installing compiles the kernels in a child process, once, and only then:
the compiler's memory stays out of the run's peak (sim.model.warm_up); ``sim cache warm``
does it by hand."""

from __future__ import annotations

import subprocess

import pytest
from typer.testing import CliRunner

from sim.cli import app
from sim.model import kernels, warm_up
from sim.model.kernels.cache import CacheState


class FakeChild:
    """Stands in for ``subprocess.run``: records each command and answers with ``result``."""

    def __init__(self, result: int | Exception = 0) -> None:
        self.result, self.calls = result, []

    def __call__(self, command, **options):
        self.calls.append((command, options))
        if isinstance(self.result, Exception):
            raise self.result
        return subprocess.CompletedProcess(command, self.result)


@pytest.fixture
def first_run(monkeypatch):
    """A process that has compiled kernels on, an empty cache and no child tried yet."""
    monkeypatch.setattr(kernels, "AVAILABLE", True)
    monkeypatch.setattr(kernels, "CACHE", CacheState.EMPTY)
    monkeypatch.setattr(warm_up, "_tried", False)
    monkeypatch.delenv(warm_up._IN_CHILD, raising=False)

    def child(result: int | Exception = 0) -> FakeChild:
        fake = FakeChild(result)
        monkeypatch.setattr(warm_up.subprocess, "run", fake)
        return fake

    return child


def test_an_empty_cache_is_filled_by_one_child_running_the_warm_up_worlds(first_run):
    fake = first_run()
    assert warm_up.compile_elsewhere() is True
    assert warm_up.compile_elsewhere() is False  # once per process
    ((command, options),) = fake.calls
    assert "warm_up_run()" in command[-1]
    assert options["env"][warm_up._IN_CHILD] == "1"  # so that the child compiles in itself
    assert options["timeout"] == warm_up.WARM_UP_TIMEOUT_S


@pytest.mark.parametrize(
    ("setting", "value"),
    [("CACHE", CacheState.CURRENT), ("CACHE", CacheState.STALE), ("AVAILABLE", False)],
)
def test_no_child_when_the_cache_is_not_empty_or_kernels_are_off(first_run, monkeypatch, setting, value):
    fake = first_run()
    monkeypatch.setattr(kernels, setting, value)
    assert warm_up.compile_elsewhere() is False and fake.calls == []


def test_the_child_starts_no_child_of_its_own(first_run, monkeypatch):
    fake = first_run()
    monkeypatch.setenv(warm_up._IN_CHILD, "1")
    assert warm_up.compile_elsewhere() is False and fake.calls == []


@pytest.mark.parametrize("result", [1, OSError("no such file"), subprocess.TimeoutExpired("python", 900)])
def test_a_child_that_fails_leaves_compiling_to_the_run_itself(first_run, result):
    fake = first_run(result)
    assert warm_up.compile_elsewhere() is False and len(fake.calls) == 1


def test_sim_cache_warm_refuses_a_stale_cache(monkeypatch):
    monkeypatch.setattr(kernels, "AVAILABLE", True)
    monkeypatch.setattr(kernels, "CACHE", CacheState.STALE)
    result = CliRunner().invoke(app, ["cache", "warm"])
    assert result.exit_code == 2 and "sim cache clear" in result.stderr


def test_sim_cache_warm_says_there_is_nothing_to_compile_without_kernels(monkeypatch):
    monkeypatch.setattr(kernels, "AVAILABLE", False)
    monkeypatch.setattr(warm_up, "warm_up_run", lambda: pytest.fail("compiled without kernels"))
    result = CliRunner().invoke(app, ["cache", "warm"])
    assert result.exit_code == 0 and "nothing to compile" in result.stdout
