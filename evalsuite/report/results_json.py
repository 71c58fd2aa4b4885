"""Machine-readable report files.

``results.json`` is exactly :meth:`RunResult.to_dict`, so ``RunResult.from_dict``
reads it back (``evalsuite compare`` / ``check`` accept it). The comparison
statistics, when given, go to ``comparison.json`` beside it.
"""

from __future__ import annotations

import json

from evalsuite.analysis.types import Analysis
from evalsuite.core.results import RunResult


def results_json(run: RunResult, *, with_items: bool = True) -> str:
    """JSON text of ``run`` (per-item outputs included unless ``with_items`` is False)."""
    return json.dumps(run.to_dict(with_items=with_items), indent=1, allow_nan=False) + "\n"


def comparison_json(analysis: Analysis) -> str:
    """JSON text of the comparisons and verdicts shown in the report."""
    return json.dumps(analysis.to_dict(), indent=1, allow_nan=False) + "\n"
