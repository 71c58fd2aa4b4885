"""Versions and machine facts recorded with every result."""

from __future__ import annotations

import hashlib
import json
import platform
from functools import lru_cache
from importlib import metadata

PACKAGES = ("evalsuite", "numpy", "scipy", "torch", "gensim", "scikit-learn", "rich")


@lru_cache(maxsize=1)
def package_versions() -> dict[str, str]:
    """Installed versions of the packages that affect results."""
    out = {}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def machine() -> dict[str, str]:
    """Platform, Python and processor description."""
    import os

    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "processor": platform.machine(),
        "cpus": str(os.cpu_count()),
    }


def stable_hash(obj) -> str:
    """sha256 of a JSON-serialisable object with sorted keys (first 16 hex digits)."""
    text = json.dumps(obj, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
