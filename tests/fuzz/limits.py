"""Time and memory limits for the fuzz properties: a hang or a runaway read is a failure.

:func:`within` bounds a call made in this process; :func:`run_cli` runs ``evalsuite`` in a
child process with a wall-clock limit and measures that child's memory peak, and
:func:`assert_clean` checks what a user would see: exit 0 or 2, at most one error line,
no traceback, within the limits.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SECONDS = 10.0  # a bad input is refused within this, whatever it is
MEMORY = 1 << 30  # and within this much resident memory


class Hang(AssertionError):
    """A call ran past its time limit."""


@contextmanager
def within(seconds: float = SECONDS, what: str = "the call"):
    """Fail with :class:`Hang` when the block runs longer than ``seconds`` (main thread only;
    it may be nested in another)."""
    def _alarm(signum, frame):
        raise Hang(f"{what} ran past {seconds:g} s")

    old = signal.signal(signal.SIGALRM, _alarm)
    start = time.monotonic()
    outer, _ = signal.setitimer(signal.ITIMER_REAL, seconds)  # an enclosing limit's time left
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
        if outer:  # nested: the enclosing limit goes on with what is left of it
            signal.setitimer(signal.ITIMER_REAL, max(outer - (time.monotonic() - start), 1e-3))


@dataclass(frozen=True)
class CliOutcome:
    """What one ``evalsuite`` command did: exit status, output, memory peak and time."""

    args: tuple
    returncode: int
    stdout: str
    stderr: str
    peak_bytes: int
    seconds: float


def run_cli(args, *, timeout: float = SECONDS, cwd=None, env=None, stdin=subprocess.DEVNULL) -> CliOutcome:
    """Run ``python -m evalsuite ARGS`` and return its :class:`CliOutcome`.

    Raises :class:`Hang` (after killing the child) when it runs past ``timeout`` seconds.
    The memory peak is the child's own high-water mark of resident memory, polled from
    ``/proc`` while it runs (``wait4``'s ``ru_maxrss`` would count the memory of this
    process too, which the child shares between its fork and its exec).
    """
    full_env = {**os.environ, "EVALSUITE_NO_PROGRESS": "1", **(env or {})}
    full_env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), full_env.get("PYTHONPATH")]))
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-m", "evalsuite", *map(str, args)], cwd=cwd, env=full_env,
                                stdout=out, stderr=err, stdin=stdin)
        peak = 0
        while True:
            peak = max(peak, _high_water(proc.pid))
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - start > timeout:
                proc.kill()
                os.wait4(proc.pid, 0)
                raise Hang(f"evalsuite {' '.join(map(str, args))} ran past {timeout:g} s")
            time.sleep(0.02)
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.monotonic() - start
        out.seek(0)
        err.seek(0)
        return CliOutcome(tuple(args), proc.returncode, out.read().decode("utf-8", "replace"),
                          err.read().decode("utf-8", "replace"), peak, seconds)


def _high_water(pid: int) -> int:
    """Peak resident bytes of process ``pid`` so far (``VmHWM``); 0 once it has exited."""
    try:
        with open(f"/proc/{pid}/status", "rb") as fh:
            for line in fh:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def assert_clean(result: CliOutcome, *, names=(), memory: int = MEMORY) -> None:
    """A user-facing outcome: exit 0, or exit 2 with one ``evalsuite: error:`` line naming ``names``.

    No traceback, no internal error (exit 3), no escape character in the output, and a
    memory peak under ``memory``.
    """
    where = f"evalsuite {' '.join(map(str, result.args))}"
    assert "Traceback" not in result.stderr, f"{where}: traceback\n{result.stderr[-2000:]}"
    assert result.returncode in (0, 2), f"{where}: exit {result.returncode}\n{result.stderr[-2000:]}"
    assert result.peak_bytes <= memory, f"{where}: {result.peak_bytes >> 20} MiB resident"
    assert "\x1b" not in result.stdout + result.stderr, f"{where}: a raw escape character in the output"
    if result.returncode == 2:
        errors = [line for line in result.stderr.splitlines() if line.startswith("evalsuite: error:")]
        assert len(errors) == 1, f"{where}: expected one error line, got\n{result.stderr}"
        for name in names:
            assert str(name) in errors[0], f"{where}: the error does not name {name}: {errors[0]}"


__all__ = ["CliOutcome", "Hang", "MEMORY", "SECONDS", "assert_clean", "run_cli", "within"]
