"""Rows of the results store read back into results, with damage confined to a row found and named.

A row whose JSON, compressed items or field types are damaged raises :class:`RowDamage`;
the store skips such a row with a :class:`StoreWarning` and serves the rest.
"""

from __future__ import annotations

import json
import math
import zlib
from typing import Mapping

from evalsuite.core.results import TaskResult
from evalsuite.store.results_file import task_problem

#: the most bytes one row's per-item outputs may expand to (a larger blob is damage, not data)
MAX_ITEMS_BYTES = 64 << 20


class StoreWarning(UserWarning):
    """A damaged row of the results store was skipped."""


class RowDamage(ValueError):
    """One row of the store cannot be read; the message says which field and why."""


def _json(row, field: str):
    value = row[field]
    if not isinstance(value, str):
        raise RowDamage(f"{field} is not JSON text")
    try:
        return json.loads(value)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError is a ValueError
        raise RowDamage(f"{field} is not valid JSON ({str(exc)[:80]})") from None


def json_field(row, field: str, *, mapping: bool = True):
    """``row[field]`` parsed as JSON (an object unless ``mapping`` is False), or :class:`RowDamage`."""
    value = _json(row, field)
    if mapping and not isinstance(value, Mapping):
        raise RowDamage(f"{field} is not a JSON object")
    return value


def items(blob) -> dict:
    """Per-item outputs from their compressed JSON, or :class:`RowDamage`."""
    if not isinstance(blob, bytes):
        raise RowDamage("its per-item outputs are not a compressed blob")
    d = zlib.decompressobj()
    try:
        data = d.decompress(blob, MAX_ITEMS_BYTES)
    except zlib.error as exc:
        raise RowDamage(f"its per-item outputs do not decompress ({exc})") from None
    if d.unconsumed_tail:
        raise RowDamage(f"its per-item outputs expand beyond {MAX_ITEMS_BYTES >> 20} MiB")
    try:
        value = json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise RowDamage(f"its per-item outputs are not valid JSON ({str(exc)[:80]})") from None
    if not isinstance(value, Mapping):
        raise RowDamage("its per-item outputs are not a JSON object")
    return dict(value)


def _number(value, field: str):
    if value is None or (isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)):
        return value
    raise RowDamage(f"{field} is {value!r}, not a finite number")


def task_result(row, item_data: dict) -> TaskResult:
    """The :class:`TaskResult` of a ``task_results`` row, or :class:`RowDamage` naming the bad field."""
    ci_low, ci_high = _number(row["ci_low"], "ci_low"), _number(row["ci_high"], "ci_high")
    ci = None if ci_low is None or ci_high is None else (ci_low, ci_high)
    key = json_field(row, "result_key") if row["result_key"] else None
    try:
        # from_dict derives the key of rows stored before results carried one
        result = TaskResult.from_dict({
            "task": row["task"], "kind": row["kind"], "embedding": row["embedding"],
            "main_score": _number(row["main_score"], "main_score"), "scores": json_field(row, "scores"),
            "n_items": row["n_items"], "n_scored": row["n_scored"], "ci95": ci,
            "main_score_name": row["main_score_name"], "higher_is_better": bool(row["higher_is_better"]),
            "protocol": json_field(row, "protocol"), "items": item_data, "details": json_field(row, "details"),
            "provenance": json_field(row, "provenance"), "key": key,
        })
    except (TypeError, ValueError, KeyError) as exc:
        if isinstance(exc, RowDamage):
            raise
        raise RowDamage(f"its fields do not make a result ({exc})") from None
    problem = task_problem(result)
    if problem:
        raise RowDamage(problem)
    return result


def embedding_record(row) -> dict:
    """An ``embeddings`` row's record: an object naming the embedding."""
    meta = json_field(row, "meta")
    if not isinstance(meta.get("name"), str):
        raise RowDamage("meta names no embedding")
    return dict(meta)


def run_row_problem(row: Mapping) -> str | None:
    """What is wrong with a ``runs`` listing row (None when its fields have their types)."""
    for field in ("id", "name", "status", "created"):
        if not isinstance(row[field], str):
            return f"{field} is {row[field]!r}, not text"
    for field in ("config_hash", "finished", "error"):
        if row[field] is not None and not isinstance(row[field], str):
            return f"{field} is {row[field]!r}, not text"
    wall = row["wall_time"]
    if wall is not None and not (isinstance(wall, (int, float)) and math.isfinite(wall) and wall >= 0):
        return f"wall_time is {wall!r}, not a number of seconds"
    return None
