"""The one JSON cleaner: non-finite floats become None, numpy values plain Python.

Every JSON file, store column and serialised record goes through :func:`json_safe`, so
``NaN`` and ``inf`` are written as ``null`` everywhere and ``json.dumps(...,
allow_nan=False)`` never fails on them.
"""

from __future__ import annotations

import math
from collections import abc


def finite_or_none(value) -> float | None:
    """``float(value)`` when it is a finite number, else None (for NaN, inf and None)."""
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def json_safe(value):
    """JSON-friendly copy of ``value``.

    Mappings become dicts with string keys, tuples and lists become lists, numpy
    arrays and scalars become Python values, non-finite floats become None; other
    values are returned unchanged.
    """
    kind = type(value)
    if value is None or kind is str or kind is int or kind is bool:
        return value  # the common case first: per-item outputs hold many thousands of these
    if kind is float:
        return value if math.isfinite(value) else None
    if isinstance(value, abc.Mapping):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        return json_safe(value.tolist())
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    return value


__all__ = ["finite_or_none", "json_safe"]
