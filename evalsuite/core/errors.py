"""Exceptions shared across evalsuite.

Every error a user can cause by bad input derives from :class:`EvalsuiteError`;
the command line turns it into a one-line message and exit code 2.
"""

from __future__ import annotations

import os


class EvalsuiteError(Exception):
    """Base class for errors caused by bad input, configuration or usage."""


class InputError(EvalsuiteError, ValueError):
    """Malformed input file.

    Parameters
    ----------
    path : str or os.PathLike
        The offending file.
    problem : str
        What is wrong, in plain words.
    line : int, optional
        1-based line number where the problem was found.
    offset : int, optional
        Byte offset (for binary formats) where the problem was found.
    """

    def __init__(self, path, problem: str, *, line: int | None = None, offset: int | None = None):
        self.path = os.fspath(path)
        self.problem = problem
        self.line = line
        self.offset = offset
        where = self.path
        if line is not None:
            where += f", line {line}"
        if offset is not None:
            where += f", byte {offset}"
        super().__init__(f"{where}: {problem}")


class ConfigError(EvalsuiteError, ValueError):
    """Invalid configuration; the message names the offending key."""


class UnknownNameError(EvalsuiteError, KeyError):
    """A name that is not registered; the message suggests the closest known one."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class TrainingError(EvalsuiteError, RuntimeError):
    """Training failed (for example the loss became NaN or diverged)."""
