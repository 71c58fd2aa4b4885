"""Progress for long work: a rich bar on a terminal, a plain line a minute in a log.

``EVALSUITE_NO_PROGRESS=1`` silences both; ``EVALSUITE_PROGRESS_INTERVAL`` sets the
seconds between log lines (default 60).
"""

from __future__ import annotations

import contextlib
import os
import sys
import time

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from evalsuite.core.markup import rich_text, visible

_console: Console | None = None


def console() -> Console:
    """The shared stderr console used for progress and status lines (on a log rather than a
    terminal, a line is never wrapped: a log line stays one line)."""
    global _console
    if _console is None:
        _console = Console(stderr=True, soft_wrap=not sys.stderr.isatty())
    return _console


def progress_enabled() -> bool:
    """Progress bars show on an interactive terminal unless ``EVALSUITE_NO_PROGRESS`` is set."""
    return not os.environ.get("EVALSUITE_NO_PROGRESS") and sys.stderr.isatty()


def _log_interval() -> float | None:
    """Seconds between plain progress lines (used when no bar is drawn); None when silenced."""
    if os.environ.get("EVALSUITE_NO_PROGRESS"):
        return None
    raw = os.environ.get("EVALSUITE_PROGRESS_INTERVAL", "60")
    try:
        return max(float(raw), 0.0)
    except ValueError:
        return 60.0


def _progress_line(description: str, done: float, total: float | None, unit: str, elapsed: float) -> str:
    unit = f" {unit}" if unit else ""
    if total:
        amount = f"{done / total:.0%} ({done:,.0f}/{total:,.0f}{unit})"
    else:
        amount = f"{done:,.0f}{unit}"
    return f"{description}: {amount}, {elapsed:.0f} s elapsed"


def _logging_advance(description: str, total: float | None, unit: str, interval: float):
    start = last = time.monotonic()
    done = 0.0

    def advance(n=1):
        nonlocal done, last
        done += n
        now = time.monotonic()
        if now - last >= interval:
            last = now
            console().print(rich_text(_progress_line(description, done, total, unit, now - start)))

    return advance


@contextlib.contextmanager
def progress(description: str, total: float | None = None, *, unit: str = ""):
    """Context manager yielding ``advance(n)``: a bar on a terminal, else a line every interval.

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
        interval = _log_interval()
        yield (lambda n=1: None) if interval is None else _logging_advance(description, total, unit, interval)
        return
    # the description may hold a file name: shown as text, never read as markup
    columns = [TextColumn("{task.description}", style="bold", markup=False), BarColumn(), MofNCompleteColumn()]
    if unit:
        columns.append(TextColumn(unit))
    columns += [TimeElapsedColumn(), TimeRemainingColumn()]
    with Progress(*columns, console=console(), transient=False) as bar:
        task = bar.add_task(visible(description), total=total)
        yield lambda n=1: bar.advance(task, n)
