"""The traceback of an internal error, saved to a file for a bug report.

The command line shows a user one line for an exception that escapes a command; the
traceback goes to ``$EVALSUITE_CRASH_DIR`` (default ``$XDG_CACHE_HOME/evalsuite/crash``,
i.e. ``~/.cache/evalsuite/crash``), one ``crash-<UTC time>-<pid>.txt`` per error.
"""

from __future__ import annotations

import os
import time
import traceback
from pathlib import Path


def crash_dir() -> Path:
    """Where tracebacks are saved: ``$EVALSUITE_CRASH_DIR``, else the user's cache folder."""
    if os.environ.get("EVALSUITE_CRASH_DIR"):
        return Path(os.environ["EVALSUITE_CRASH_DIR"])
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(cache) / "evalsuite" / "crash"


def save_traceback(exc: BaseException) -> str:
    """Write the traceback of ``exc`` atomically; return the words for the error line:
    ``traceback saved to <path>``, or why it could not be saved."""
    from evalsuite.core.atomic import write_text
    from evalsuite.core.errors import EvalsuiteError

    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    path = crash_dir() / f"crash-{stamp}-{os.getpid()}.txt"
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    try:
        write_text(path, text)
    except (OSError, EvalsuiteError) as err:
        return f"traceback not saved: {path}: {getattr(err, 'strerror', None) or err}"
    return f"traceback saved to {path}"


__all__ = ["crash_dir", "save_traceback"]
