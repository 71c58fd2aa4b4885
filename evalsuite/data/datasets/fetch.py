"""Download a dataset from a URL into a local cache, verified by sha256."""

from __future__ import annotations

import hashlib
import os
import urllib.request
from pathlib import Path

from evalsuite.core.atomic import atomic_path
from evalsuite.core.errors import EvalsuiteError


def data_home() -> Path:
    """Cache folder: ``$EVALSUITE_DATA_HOME`` or ``~/.cache/evalsuite/datasets``."""
    return Path(os.environ.get("EVALSUITE_DATA_HOME", Path.home() / ".cache" / "evalsuite" / "datasets"))


def fetch(url: str, sha256: str, *, filename: str | None = None, cache_dir=None, timeout: float = 60.0) -> Path:
    """Return the cached copy of ``url``, downloading it first if needed.

    The download is written atomically and kept only when its sha256 matches;
    a cached file that no longer matches is downloaded again.

    Parameters
    ----------
    url : str
        Where the file lives.
    sha256 : str
        Expected hex digest.
    filename : str, optional
        Name in the cache (defaults to the URL's last path component).
    cache_dir : path, optional
        Defaults to :func:`data_home`.
    """
    folder = Path(cache_dir) if cache_dir is not None else data_home()
    target = folder / (filename or url.rstrip("/").rsplit("/", 1)[-1])
    if target.is_file() and _sha256(target) == sha256:
        return target
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response, atomic_path(target) as tmp:
            digest = hashlib.sha256()
            with open(tmp, "wb") as out:
                for block in iter(lambda: response.read(1 << 16), b""):
                    digest.update(block)
                    out.write(block)
            if digest.hexdigest() != sha256:
                raise EvalsuiteError(
                    f"{url}: downloaded sha256 {digest.hexdigest()[:12]}… does not match the expected {sha256[:12]}…"
                )
    except OSError as exc:
        raise EvalsuiteError(f"{url}: download failed ({exc})") from None
    return target


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()
