"""Where figures are shown (a module of its own, so that the command line can offer the
choice without importing matplotlib)."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Context"]


class Context(StrEnum):
    """On paper or a screen, or projected in a talk (16:9, large type)."""

    PAPER = "paper"
    TALK = "talk"
