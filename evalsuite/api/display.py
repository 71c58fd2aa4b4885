"""How results show themselves: the terminal tables as text, the report's HTML in a notebook,
and flat records as a pandas ``DataFrame``."""

from __future__ import annotations

import io
from typing import Callable, Mapping, Sequence

from rich.console import Console

from evalsuite.core.errors import EvalsuiteError
from evalsuite.core.results import TaskResult

#: columns of ``str()`` of a result (the terminal tables split to fit)
TEXT_WIDTH = 100

#: the fields of a task result's record, in column order
TASK_FIELDS = ("run", "embedding", "seed", "task", "kind", "variant", "metric", "score", "ci_low", "ci_high",
               "n_items", "n_scored", "coverage", "sufficient", "protocol")


def console_text(draw: Callable[[Console], None], width: int = TEXT_WIDTH) -> str:
    """What ``draw`` prints on a plain console ``width`` columns wide (no colour, no notebook
    display), as a string."""
    buf = io.StringIO()
    draw(Console(file=buf, width=width, color_system=None, force_terminal=False, force_jupyter=False))
    return buf.getvalue()


def task_record(run_id: str, r: TaskResult) -> dict:
    """One task result as a flat record (:data:`TASK_FIELDS`): the embedding group and seed of its
    key, its main score with the 95% CI (None where there is none) and its coverage."""
    low, high = r.ci95 if r.ci95 is not None else (None, None)
    protocol = r.protocol.get("name") if isinstance(r.protocol, Mapping) else None
    return {"run": run_id, "embedding": r.key.embedding, "seed": r.key.seed, "task": r.task, "kind": r.kind,
            "variant": r.key.variant.text or None, "metric": r.main_score_name, "score": r.main_score,
            "ci_low": low, "ci_high": high, "n_items": r.n_items, "n_scored": r.n_scored,
            "coverage": r.coverage, "sufficient": r.sufficient, "protocol": protocol}


def frame(records: Sequence[Mapping], columns: Sequence[str]):
    """``records`` as a pandas ``DataFrame`` with ``columns``.

    Raises
    ------
    EvalsuiteError
        When pandas is not installed, with the command that installs it.
    """
    try:
        import pandas
    except ImportError:
        raise EvalsuiteError("to_frame needs pandas: pip install pandas "
                             "(or pip install 'evalsuite[pandas]')") from None
    return pandas.DataFrame.from_records(list(records), columns=list(columns))


__all__ = ["TASK_FIELDS", "TEXT_WIDTH", "console_text", "frame", "task_record"]
