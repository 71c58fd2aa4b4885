import io

import pytest
from rich.console import Console

from evalsuite.core import progress as progress_module


@pytest.fixture
def log_console(monkeypatch):
    """stderr is not a terminal, progress is not silenced, and a fake clock drives time."""
    monkeypatch.delenv("EVALSUITE_NO_PROGRESS", raising=False)
    monkeypatch.setenv("EVALSUITE_PROGRESS_INTERVAL", "10")
    monkeypatch.setattr(progress_module.sys, "stderr", io.StringIO())
    buf = io.StringIO()
    monkeypatch.setattr(progress_module, "_console", Console(file=buf, width=200))
    clock = {"now": 1000.0}
    monkeypatch.setattr(progress_module.time, "monotonic", lambda: clock["now"])
    return buf, clock


def test_log_lines_every_interval_with_fraction_done(log_console):
    buf, clock = log_console
    with progress_module.progress("counting", 10, unit="words") as advance:
        advance(2)                       # t = 0 s: nothing yet
        clock["now"] += 9.5
        advance(3)                       # 9.5 s: still under the interval
        clock["now"] += 0.5
        advance(0)                       # 10 s: first line, 5 of 10 done
        clock["now"] += 4
        advance(5)                       # 14 s: 4 s after the last line, nothing
    assert buf.getvalue().splitlines() == ["counting: 50% (5/10 words), 10 s elapsed"]


def test_log_lines_without_total_show_the_count(log_console):
    buf, clock = log_console
    with progress_module.progress("reading", unit="lines") as advance:
        clock["now"] += 12
        advance(1234)
    assert buf.getvalue().splitlines() == ["reading: 1,234 lines, 12 s elapsed"]


def test_no_progress_silences_the_log_lines(log_console, monkeypatch):
    buf, clock = log_console
    monkeypatch.setenv("EVALSUITE_NO_PROGRESS", "1")
    with progress_module.progress("counting", 10) as advance:
        clock["now"] += 100
        advance(5)
    assert buf.getvalue() == ""


def test_a_status_line_on_a_log_is_never_wrapped(monkeypatch):
    monkeypatch.setattr(progress_module.sys, "stderr", io.StringIO())  # a log, not a terminal
    monkeypatch.setattr(progress_module, "_console", None)
    line = "word " * (progress_module.console().width // 2)  # twice the console's width
    progress_module.console().print(line)
    assert progress_module.sys.stderr.getvalue() == line + "\n"
