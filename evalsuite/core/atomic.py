"""Atomic file writes: a crash never leaves a half-written file behind."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import tempfile
from pathlib import Path

from evalsuite.core.errors import EvalsuiteError
from evalsuite.core.jsonutil import json_safe

# a write that failed for want of room: the disk or quota is full, or the file size limit is reached
_NO_ROOM = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


@contextlib.contextmanager
def atomic_path(path):
    """Yield a temporary path next to ``path``; rename it over ``path`` on success.

    The temporary file is removed if the block raises; a write that fails for want of room
    (a full disk or quota, the file size limit) raises :class:`EvalsuiteError` naming ``path``.
    """
    path = Path(path)
    if path.is_dir():
        raise EvalsuiteError(f"{path}: is a folder; give the path of a file to write")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except (FileExistsError, NotADirectoryError):
        raise EvalsuiteError(f"{path}: cannot write here, {path.parent} is not a folder") from None
    except OSError as exc:
        raise EvalsuiteError(f"{path}: cannot write here ({exc.strerror or exc})") from None
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual file mode
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        if isinstance(exc, OSError) and exc.errno in _NO_ROOM:
            raise EvalsuiteError(f"{path}: cannot write, {exc.strerror or exc}; nothing was written") from None
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_bytes(path, data: bytes) -> None:
    """Atomically write ``data`` to ``path``."""
    with atomic_path(path) as tmp:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())


def write_text(path, text: str) -> None:
    """Atomically write UTF-8 ``text`` to ``path``."""
    write_bytes(path, text.encode("utf-8"))


def write_json(path, obj, *, indent: int | None = 2) -> None:
    """Atomically write ``obj`` as JSON (NaN is written as ``null``)."""
    write_text(path, json.dumps(json_safe(obj), indent=indent, sort_keys=False, allow_nan=False) + "\n")
