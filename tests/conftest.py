"""Shared fixtures."""

from __future__ import annotations

import pytest

from sim.model.params import ModelParams

from .worlds import small_params


@pytest.fixture
def params() -> ModelParams:
    return small_params()
