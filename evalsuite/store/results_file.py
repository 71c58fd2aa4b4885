"""A ``results.json`` given by the user (``check --baseline``, ``compare``, ``report``):
the fields that comparisons, the regression gate and the report read must have their types.

:meth:`RunResult.from_dict` builds whatever the JSON holds; this check turns a task name
that is a number, or a score that is a string, into an :class:`InputError` naming the file
and the field, instead of a crash later on.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping

from evalsuite.core.errors import InputError
from evalsuite.core.results import RunResult

_TEXT = ("task", "kind", "embedding", "main_score_name")
_TABLES = ("scores", "protocol", "items", "details", "provenance")
_EMBEDDING_TEXT = ("name", "group", "base", "family", "source")


def _number(value, *, optional=False) -> bool:
    if value is None:
        return optional
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an int beyond float range
        return False


class NonFiniteNumber(ValueError):
    """A ``results.json`` holds NaN, Infinity or a number beyond float range."""


def _constant(name: str):
    raise NonFiniteNumber(f"{name} is not a number results hold (finite numbers or null)")


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise NonFiniteNumber(f"the number {text[:40]} is out of range")
    return value


def loads(text: str):
    """Parse a ``results.json``: strict JSON numbers (NaN, Infinity and out-of-range numbers raise
    :class:`NonFiniteNumber`; evalsuite writes non-finite values as null)."""
    return json.loads(text, parse_constant=_constant, parse_float=_float)


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
    problem = config_problem(run.config)
    if problem:
        raise InputError(path, problem)
    if not all(isinstance(e, Mapping) for e in run.embeddings):
        bad("embeddings", "a list of objects")
    for i, e in enumerate(run.embeddings):
        for field in _EMBEDDING_TEXT:  # the names the analysis groups by
            if e.get(field) is not None and not isinstance(e[field], str):
                bad(f"embeddings[{i}].{field}", "a string")
    for i, t in enumerate(run.task_results):
        problem = task_problem(t, f"task_results[{i}].")
        if problem:
            raise InputError(path, problem)
    return run


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# the sections of a stored config that the analysis and the report read back, and the type of
# each key they read (a stored config was checked when it was loaded; one in a file may not be)
_CONFIG_READ = {
    "corpus": {"name": (str, "a string")},
    "run": {"seeds": (lambda v: isinstance(v, list) and all(map(_is_int, v)), "a list of integers")},
    "compare": {"select": (str, "a string"), "word2vec": (str, "a string"), "glove": (str, "a string"),
                "dev_fraction": (lambda v: _number(v) and 0 < v < 1, "a number in (0, 1)"),
                "split_seed": (_is_int, "an int"), "grid": (bool, "true or false"),
                "differences": (lambda v: isinstance(v, Mapping) and all(isinstance(x, str) for x in v.values()),
                                "an object of strings")},
    "baseline": {},
}


def config_problem(config: Mapping) -> str | None:
    """What is wrong with the parts of a stored run config that are read back, or None."""
    for section, keys in _CONFIG_READ.items():
        table = config.get(section)
        if table is None:
            continue
        if not isinstance(table, Mapping):
            return f"'config.{section}' must be an object"
        for key, (expected, words) in keys.items():
            value = table.get(key)
            ok = isinstance(value, expected) if isinstance(expected, type) else expected(value)
            if value is not None and not ok:
                return f"'config.{section}.{key}' must be {words}, got {value!r}"
    return None


# the built-in kinds' main scores are correlations or accuracies
_UNIT_SCORES = ("similarity", "analogy", "classification")


def task_problem(t, where: str = "") -> str | None:
    """What is wrong with the fields of one task result (``where`` prefixes the field names), or None."""
    def bad(field, expected):
        return f"'{where}{field}' must be {expected}"

    for field in _TEXT:
        if not isinstance(getattr(t, field), str):
            return bad(field, "a string")
    for field in _TABLES:
        if not isinstance(getattr(t, field), Mapping):
            return bad(field, "an object")
    if not (_number(t.main_score) or (isinstance(t.main_score, float) and math.isnan(t.main_score))):
        return bad("main_score", "a finite number or null")  # from_dict reads null as NaN
    if t.kind in _UNIT_SCORES and _number(t.main_score) and not -1 <= t.main_score <= 1:
        return bad("main_score", f"within [-1, 1] for a {t.kind} task (a correlation or an accuracy), "
                   f"got {t.main_score!r}")
    if not all(isinstance(k, str) and _number(v, optional=True) for k, v in t.scores.items()):
        return bad("scores", "an object of finite numbers or nulls")
    if not (_count(t.n_items) and _count(t.n_scored)):
        return bad("n_items' and 'n_scored", "counts (integers >= 0)")
    if t.n_scored > t.n_items:
        return f"'{where}n_scored' ({t.n_scored}) must be at most 'n_items' ({t.n_items})"
    if t.ci95 is not None and not (len(t.ci95) == 2 and all(_number(c, optional=True) for c in t.ci95)):
        return bad("ci95", "null or two finite numbers")
    if not isinstance(t.higher_is_better, bool):
        return bad("higher_is_better", "true or false")
    key = t.key
    if not (isinstance(key.embedding, str) and (key.seed is None or (isinstance(key.seed, int)
                                                                     and not isinstance(key.seed, bool)))
            and all(v is None or isinstance(v, str) for v in (key.variant.model, key.variant.mode))):
        return bad("key", "an embedding name, a seed (integer or null) and a variant of names")
    return None
