"""Content hashes of corpus files, cached by (path, size, mtime) so re-hashing is cheap."""

from __future__ import annotations

import hashlib
import json
import os
import threading
from pathlib import Path

from evalsuite.core.atomic import write_json
from evalsuite.core.errors import EvalsuiteError

_LOCK = threading.Lock()
_MEMO: dict[str, dict] = {}
_CACHE_NAME = "file-hashes.json"


def cache_dir() -> Path:
    """evalsuite's cache folder: ``$EVALSUITE_CACHE_DIR``, else ``$XDG_CACHE_HOME/evalsuite``,
    else ``~/.cache/evalsuite``."""
    env = os.environ.get("EVALSUITE_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "evalsuite"


def _load_table(path: Path) -> dict:
    try:
        with open(path, encoding="utf-8") as fh:
            table = json.load(fh)
        return table if isinstance(table, dict) else {}
    except (OSError, ValueError):
        return {}  # a missing or damaged cache is simply rebuilt


def file_sha256(path, *, use_cache: bool = True) -> str:
    """sha256 of a file's bytes, remembered per (absolute path, size, mtime_ns).

    The table lives in ``cache_dir()/file-hashes.json``; a file that changed size or
    modification time is hashed again.
    """
    path = Path(path).resolve()
    st = path.stat()
    key, stamp = str(path), [st.st_size, st.st_mtime_ns]
    table_path = cache_dir() / _CACHE_NAME
    if use_cache:
        with _LOCK:
            memo = _MEMO.get(str(table_path))
            if memo is None:
                memo = _MEMO[str(table_path)] = _load_table(table_path)
            hit = memo.get(key)
            if hit and hit.get("stamp") == stamp:
                return hit["sha256"]
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    digest = h.hexdigest()
    if use_cache:
        with _LOCK:
            memo = _MEMO[str(table_path)]
            memo.update(_load_table(table_path))  # keep entries other processes added
            memo[key] = {"stamp": stamp, "sha256": digest}
            try:
                write_json(table_path, memo, indent=None)
            except (OSError, EvalsuiteError):
                pass  # a read-only or full cache folder only costs speed
    return digest


def settings_hash(*parts) -> str:
    """sha256 over JSON-serialised parts (sorted keys), for fingerprints."""
    h = hashlib.sha256()
    for part in parts:
        h.update(json.dumps(part, sort_keys=True, default=str).encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()
