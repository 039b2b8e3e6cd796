"""Short quotes of untrusted values, for error messages that stay readable.

An experiment file can hold a value of a megabyte, or a list that aliases expand a
thousandfold. An error message that quotes such a value whole floods the terminal and
hides the one line that matters, so every value an error quotes goes through :func:`quote`,
and every message through :func:`clip`.
"""

from __future__ import annotations

import reprlib
from typing import Any

__all__ = ["MAX_MESSAGE", "MAX_QUOTE", "clip", "quote"]

#: Characters of a value an error message may quote.
MAX_QUOTE = 200
#: Characters of a whole error message (the CLI prints one; it must stay well under 2,000).
MAX_MESSAGE = 1_500

# reprlib walks only as much of a value as it shows: a list of a million items costs as
# much as a list of six. Its default limits cut strings at 30 characters; ours are wider.
# (Attributes, not keyword arguments: those came in Python 3.12.)
_SHORT = reprlib.Repr()
_SHORT.maxlevel = 3
_SHORT.maxtuple = _SHORT.maxlist = _SHORT.maxdict = _SHORT.maxset = _SHORT.maxfrozenset = 6
_SHORT.maxstring = _SHORT.maxother = 120
_SHORT.maxlong = 60


def clip(text: str, limit: int = MAX_QUOTE) -> str:
    """``text`` cut to ``limit`` characters, saying how much was left out."""
    if len(text) <= limit:
        return text
    tail = f"... ({len(text):,} characters in all)"
    return text[: max(limit - len(tail), 0)] + tail


def quote(value: Any, limit: int = MAX_QUOTE) -> str:
    """A ``repr`` of ``value`` of at most ``limit`` characters, cheap whatever its size."""
    return clip(_SHORT.repr(value), limit)
