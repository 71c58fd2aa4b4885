"""A full disk, simulated: writes past a size fail with EFBIG, as they fail with ENOSPC on a full disk.

:func:`file_size_limit` lowers this process's ``RLIMIT_FSIZE`` (SIGXFSZ ignored, so the write
itself fails) for the duration of a block: the code under test meets the failure in its real
``write`` calls, SQLite's included.
"""

from __future__ import annotations

import resource
import signal
from contextlib import contextmanager


@contextmanager
def file_size_limit(nbytes: int):
    """Writes beyond ``nbytes`` into any file fail with ``OSError(EFBIG)`` inside the block."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    old = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (nbytes, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, old)
