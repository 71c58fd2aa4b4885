"""Typed, frozen results with JSON round trips.

A :class:`TaskResult` is one (embedding, task) score; a :class:`RunResult` groups
the task results of one benchmark run with its provenance.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field, fields
from collections import abc
from typing import Any, Mapping


def _clean(value):
    """JSON-friendly copy: tuples to lists, numpy scalars to Python, NaN to None."""
    kind = type(value)
    if value is None or kind is str or kind is int or kind is bool:
        return value  # the common case first: per-item outputs hold many thousands of these
    if kind is float:
        return value if math.isfinite(value) else None
    if isinstance(value, abc.Mapping):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        return _clean(value.tolist())
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


@dataclass(frozen=True)
class TaskResult:
    """Score of one embedding on one task.

    Parameters
    ----------
    task : str
        Task (dataset) name, e.g. ``"ws353"`` or ``"google"``.
    kind : str
        ``"similarity"``, ``"analogy"`` or ``"classification"``.
    embedding : str
        Name of the scored embedding.
    main_score : float
        The task's headline score (Spearman rho, accuracy ...).
    scores : mapping of str to float
        All scores, the main one included, e.g. ``{"spearman": .., "pearson": ..}``.
    n_items : int
        Items in the dataset.
    n_scored : int
        Items actually scored (the rest were out of vocabulary).
    ci95 : tuple of float or None
        95% confidence interval of ``main_score``.
    main_score_name : str
        Which entry of ``scores`` is the main score.
    higher_is_better : bool
        Direction of the main score.
    protocol : mapping
        The evaluation protocol (name, version, settings) used.
    items : mapping of str to list
        Per-item outputs as columns of equal length (for paired comparisons).
    details : mapping
        Task-specific extra tables (per-section accuracy ...).
    provenance : mapping
        Dataset sha256, package versions, wall time, seed ...
    """

    task: str
    kind: str
    embedding: str
    main_score: float
    scores: Mapping[str, float]
    n_items: int
    n_scored: int
    ci95: tuple[float, float] | None = None
    main_score_name: str = "score"
    higher_is_better: bool = True
    protocol: Mapping[str, Any] = field(default_factory=dict)
    items: Mapping[str, list] = field(default_factory=dict)
    details: Mapping[str, Any] = field(default_factory=dict)
    provenance: Mapping[str, Any] = field(default_factory=dict)

    @property
    def coverage(self) -> float:
        """Fraction of items scored."""
        return self.n_scored / self.n_items if self.n_items else 0.0

    def to_dict(self, *, with_items: bool = True) -> dict:
        """Plain-JSON dictionary (``items`` left out when ``with_items`` is False)."""
        d = _clean(asdict(self))
        if not with_items:
            d.pop("items")
        return d

    @classmethod
    def from_dict(cls, d: Mapping) -> "TaskResult":
        """Inverse of :meth:`to_dict`; unknown keys raise ``ValueError``."""
        known = {f.name for f in fields(cls)}
        extra = set(d) - known
        if extra:
            raise ValueError(f"unknown TaskResult fields: {sorted(extra)}")
        d = dict(d)
        if d.get("ci95") is not None:
            d["ci95"] = tuple(d["ci95"])
        if d.get("main_score") is None:
            d["main_score"] = float("nan")
        return cls(**d)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), allow_nan=False)

    @classmethod
    def from_json(cls, text: str) -> "TaskResult":
        return cls.from_dict(json.loads(text))


@dataclass(frozen=True)
class RunResult:
    """All task results of one run, with its configuration and provenance."""

    run_id: str
    name: str
    task_results: tuple[TaskResult, ...]
    config: Mapping[str, Any] = field(default_factory=dict)
    config_hash: str = ""
    embeddings: tuple[Mapping[str, Any], ...] = ()
    provenance: Mapping[str, Any] = field(default_factory=dict)
    created: str = ""
    wall_time: float = 0.0

    def to_dict(self, *, with_items: bool = True) -> dict:
        d = _clean({f.name: getattr(self, f.name) for f in fields(self) if f.name != "task_results"})
        d["task_results"] = [t.to_dict(with_items=with_items) for t in self.task_results]
        return d

    @classmethod
    def from_dict(cls, d: Mapping) -> "RunResult":
        d = dict(d)
        d["task_results"] = tuple(TaskResult.from_dict(t) for t in d.get("task_results", ()))
        d["embeddings"] = tuple(d.get("embeddings", ()))
        return cls(**d)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), allow_nan=False)

    @classmethod
    def from_json(cls, text: str) -> "RunResult":
        return cls.from_dict(json.loads(text))
