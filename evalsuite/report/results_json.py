"""Machine-readable report files.

``results.json`` is exactly :meth:`RunResult.to_dict`, so ``RunResult.from_dict``
reads it back (``evalsuite compare`` / ``check`` accept it). The comparison
statistics, when given, go to ``comparison.json`` beside it.
"""

from __future__ import annotations

import json
import math

from evalsuite.core.results import RunResult
from .inputs import Analysis


def results_json(run: RunResult, *, with_items: bool = True) -> str:
    """JSON text of ``run`` (per-item outputs included unless ``with_items`` is False)."""
    return json.dumps(_plain(run.to_dict(with_items=with_items)), indent=1, allow_nan=False) + "\n"


def comparison_json(analysis: Analysis) -> str:
    """JSON text of the comparisons and verdicts shown in the report."""
    return json.dumps(_plain(analysis.to_dict()), indent=1, allow_nan=False) + "\n"


def _plain(obj):
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
    if hasattr(obj, "tolist") and not isinstance(obj, (str, bytes)):
        return _plain(obj.tolist())
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj
