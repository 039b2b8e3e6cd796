"""Field checks shared by the frozen parameter dataclasses.

Each check raises ``ValueError`` naming the class, the field, what was expected and what was
given, so that a bad value is reported where it was set, not deep inside a run.
"""

from __future__ import annotations

from typing import Any

__all__ = ["check_at_least", "check_choice", "check_count", "check_probability", "check_range"]


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def check_probability(obj: Any, field: str) -> None:
    """Require ``obj.field`` to be a number in [0, 1]."""
    check_range(obj, field, 0.0, 1.0)


def check_range(obj: Any, field: str, low: float, high: float) -> None:
    """Require ``obj.field`` to be a number in [low, high]."""
    value = getattr(obj, field)
    if not _is_number(value) or not low <= float(value) <= high:
        raise ValueError(
            f"{type(obj).__name__}.{field} must be a number in [{low:g}, {high:g}], got {value!r}"
        )


def check_at_least(obj: Any, field: str, low: float) -> None:
    """Require ``obj.field`` to be a number >= low."""
    value = getattr(obj, field)
    if not _is_number(value) or value < low:
        raise ValueError(f"{type(obj).__name__}.{field} must be a number >= {low:g}, got {value!r}")


def check_choice(obj: Any, field: str, choices: tuple[str, ...]) -> None:
    """Require ``obj.field`` to be one of ``choices``."""
    value = getattr(obj, field)
    if value not in choices:
        raise ValueError(f"{type(obj).__name__}.{field} must be one of {choices}, got {value!r}")


def check_count(obj: Any, field: str, low: int = 0) -> None:
    """Require ``obj.field`` to be a whole number >= low."""
    value = getattr(obj, field)
    if not isinstance(value, int) or isinstance(value, bool) or value < low:
        raise ValueError(f"{type(obj).__name__}.{field} must be a whole number >= {low}, got {value!r}")
