"""Rich progress bars for long work, silent when output is not a terminal."""

from __future__ import annotations

import contextlib
import os
import sys

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

_console: Console | None = None


def console() -> Console:
    """The shared stderr console used for progress and status lines."""
    global _console
    if _console is None:
        _console = Console(stderr=True)
    return _console


def progress_enabled() -> bool:
    """Progress bars show on an interactive terminal unless ``EVALSUITE_NO_PROGRESS`` is set."""
    return not os.environ.get("EVALSUITE_NO_PROGRESS") and sys.stderr.isatty()


@contextlib.contextmanager
def progress(description: str, total: float | None = None, *, unit: str = ""):
    """Context manager yielding ``advance(n)``; draws a bar on a terminal only.

    Parameters
    ----------
    description : str
        Text shown left of the bar.
    total : float, optional
        Amount of work; ``None`` for an indeterminate bar.
    unit : str
        Unit name appended to the counts (``"lines"``, ``"words"``).
    """
    if not progress_enabled():
        yield lambda n=1: None
        return
    columns = [TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn()]
    if unit:
        columns.append(TextColumn(unit))
    columns += [TimeElapsedColumn(), TimeRemainingColumn()]
    with Progress(*columns, console=console(), transient=False) as bar:
        task = bar.add_task(description, total=total)
        yield lambda n=1: bar.advance(task, n)
