"""The error of bad input (a file, a field, an option), in a module of its own so that a
file can be read and refused before the model is imported."""

from __future__ import annotations

from sim.experiment.messages import MAX_MESSAGE, clip

__all__ = ["ConfigError"]


class ConfigError(Exception):
    """A bad experiment file or option: the message names the file, the field and the problem.

    The message is cut to :data:`~sim.experiment.messages.MAX_MESSAGE` characters, whatever
    a file put into it.
    """

    def __init__(self, message: str) -> None:
        super().__init__(clip(message, MAX_MESSAGE))
