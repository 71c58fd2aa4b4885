"""A ``results.json`` given by the user (``check --baseline``, ``compare``, ``report``):
the fields that comparisons, the regression gate and the report read must have their types.

:meth:`RunResult.from_dict` builds whatever the JSON holds; this check turns a task name
that is a number, or a score that is a string, into an :class:`InputError` naming the file
and the field, instead of a crash later on.
"""

from __future__ import annotations

from collections.abc import Mapping

from evalsuite.core.errors import InputError
from evalsuite.core.results import RunResult

_TEXT = ("task", "kind", "embedding", "main_score_name")
_TABLES = ("scores", "protocol", "items", "details", "provenance")


def _number(value, *, optional=False) -> bool:
    if value is None:
        return optional
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _count(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def check_results(path, run: RunResult) -> RunResult:
    """Return ``run`` when its fields have the documented types, else raise :class:`InputError`."""
    def bad(field, expected):
        raise InputError(path, f"'{field}' must be {expected}")

    for field in ("run_id", "name", "config_hash"):
        if not isinstance(getattr(run, field), str):
            bad(field, "a string")
    if not isinstance(run.created, (str, type(None))):
        bad("created", "a string")
    if not _number(run.wall_time, optional=True):
        bad("wall_time", "a number")
    if not isinstance(run.config, Mapping) or not isinstance(run.provenance, Mapping):
        bad("config' and 'provenance", "objects")
    if not all(isinstance(e, Mapping) for e in run.embeddings):
        bad("embeddings", "a list of objects")
    for i, t in enumerate(run.task_results):
        _check_task(f"task_results[{i}]", t, bad)
    return run


def _check_task(where, t, bad) -> None:
    for field in _TEXT:
        if not isinstance(getattr(t, field), str):
            bad(f"{where}.{field}", "a string")
    for field in _TABLES:
        if not isinstance(getattr(t, field), Mapping):
            bad(f"{where}.{field}", "an object")
    if not _number(t.main_score):
        bad(f"{where}.main_score", "a number or null")
    if not all(isinstance(k, str) and _number(v, optional=True) for k, v in t.scores.items()):
        bad(f"{where}.scores", "an object of numbers")
    if not (_count(t.n_items) and _count(t.n_scored)):
        bad(f"{where}.n_items' and 'n_scored", "counts (integers >= 0)")
    if t.ci95 is not None and not (len(t.ci95) == 2 and all(_number(c, optional=True) for c in t.ci95)):
        bad(f"{where}.ci95", "null or two numbers")
    if not isinstance(t.higher_is_better, bool):
        bad(f"{where}.higher_is_better", "true or false")
