"""Typed, frozen results with JSON round trips.

A :class:`TaskResult` is one (embedding, task) score; its :class:`ResultKey` says which
embedding configuration, seed and fine-tuning :class:`Variant` it belongs to. A
:class:`RunResult` groups the task results of one benchmark run with its provenance.
"""

from __future__ import annotations

import json
import numbers
from dataclasses import dataclass, field, fields, replace
from collections import abc
from typing import Any, Mapping

from evalsuite.core.jsonutil import json_safe
from evalsuite.core.runspecs import BaselineSpec, CompareSpec, specs_from_dict, specs_to_dict, stored_specs


def _frozen(value):
    """Hashable copy of a JSON-like value: lists to tuples, mappings to sorted (key, value) tuples."""
    if isinstance(value, abc.Mapping):
        return tuple(sorted((str(k), _frozen(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(v) for v in value)
    return value


def _thawed(value):
    return [_thawed(v) for v in value] if isinstance(value, tuple) else value


@dataclass(frozen=True)
class Variant:
    """What tells results of one embedding on one task apart, besides the seed.

    Empty for similarity and analogy; the classifier, initialisation mode and
    settings for fine-tuning.

    Parameters
    ----------
    model : str or None
        Classifier (``"bag"``, ``"cnn"``).
    mode : str or None
        Initialisation mode (``"random"``, ``"frozen"``, ``"finetuned"``).
    settings : mapping or tuple of (str, value) pairs
        Training and data settings; stored as sorted pairs so that a variant is hashable.
    """

    model: str | None = None
    mode: str | None = None
    settings: tuple[tuple[str, Any], ...] = ()

    def __post_init__(self):
        object.__setattr__(self, "settings", tuple(sorted((str(k), _frozen(v)) for k, v in dict(self.settings).items())))

    @property
    def settings_dict(self) -> dict[str, Any]:
        """The settings as a plain dictionary (lists where the input had lists)."""
        return {k: _thawed(v) for k, v in self.settings}

    @property
    def text(self) -> str:
        """Display label, e.g. ``'model=bag mode=finetuned {"dropout": 0.5}'``; empty for no variant."""
        parts = [f"{k}={v}" for k, v in (("model", self.model), ("mode", self.mode)) if v is not None]
        if self.settings:
            parts.append(json.dumps(self.settings_dict, sort_keys=True, default=str))
        return " ".join(parts)

    def to_dict(self) -> dict:
        return {"model": self.model, "mode": self.mode, "settings": json_safe(self.settings_dict)}

    @classmethod
    def from_dict(cls, d: Mapping) -> "Variant":
        return cls(model=d.get("model"), mode=d.get("mode"), settings=d.get("settings") or {})


@dataclass(frozen=True)
class ResultKey:
    """Which embedding configuration, seed and variant a :class:`TaskResult` belongs to.

    Results that share a key but for the seed are the seeds of one configuration;
    analysis groups by it and the report reads it. Labels for humans are built from
    it (:meth:`label`), never parsed back into it.

    Parameters
    ----------
    embedding : str
        Embedding group: the configuration shared by its seeds (``"sgns"``,
        ``"sgns[window=5]"``).
    seed : int or None
        Training (or fine-tuning) seed; None for a pretrained embedding scored once.
    variant : Variant
        Fine-tuning classifier, mode and settings (empty for other tasks).
    """

    embedding: str
    seed: int | None = None
    variant: Variant = Variant()

    def __post_init__(self):
        if not isinstance(self.embedding, str):
            raise ValueError(f"result key: embedding must be a string, got {self.embedding!r}")
        if self.seed is not None:
            if isinstance(self.seed, bool) or not isinstance(self.seed, numbers.Integral):
                raise ValueError(f"result key: seed must be an int or None, got {self.seed!r}")
            object.__setattr__(self, "seed", int(self.seed))

    def without_seed(self) -> "ResultKey":
        """The key of the whole seed group."""
        return replace(self, seed=None)

    def label(self) -> str:
        """Display name: the embedding group, with ``@seed<N>`` when a seed is set."""
        return self.embedding if self.seed is None else f"{self.embedding}@seed{self.seed}"

    def to_dict(self) -> dict:
        return {"embedding": self.embedding, "seed": self.seed, "variant": self.variant.to_dict()}

    @classmethod
    def from_dict(cls, d: Mapping) -> "ResultKey":
        return cls(embedding=d["embedding"], seed=d.get("seed"), variant=Variant.from_dict(d.get("variant") or {}))


def _legacy_key(d: Mapping) -> ResultKey:
    """The key of a result written before results carried one (the only place it is derived).

    Older files kept the embedding group and seed in ``provenance`` and the
    fine-tuning classifier, mode and settings in ``details``.
    """
    prov = d.get("provenance") if isinstance(d.get("provenance"), Mapping) else {}
    details = d.get("details") if isinstance(d.get("details"), Mapping) else {}
    seed = prov.get("seed") if prov.get("seed") is not None else details.get("seed")
    variant = Variant()
    if d.get("kind") == "classification":
        params = details.get("params")
        variant = Variant(model=details.get("model"), mode=details.get("mode"),
                          settings=params if isinstance(params, Mapping) else {})
    return ResultKey(embedding=prov.get("embedding_group") or d["embedding"], seed=seed, variant=variant)


class _JsonRecord:
    """``to_json`` / ``from_json`` over a record's ``to_dict`` / ``from_dict`` (strict JSON: no NaN)."""

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), allow_nan=False)

    @classmethod
    def from_json(cls, text: str):
        return cls.from_dict(json.loads(text))


@dataclass(frozen=True)
class TaskResult(_JsonRecord):
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
    key : ResultKey, optional
        Embedding group, seed and variant; default ``ResultKey(embedding)``.
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
    key: ResultKey | None = None

    def __post_init__(self):
        if self.key is None:
            object.__setattr__(self, "key", ResultKey(embedding=self.embedding))

    @property
    def coverage(self) -> float:
        """Fraction of items scored."""
        return self.n_scored / self.n_items if self.n_items else 0.0

    @property
    def sufficient(self) -> bool:
        """False when the score rests on too few items to be trusted (``details["sufficient"]``,
        set by the task under its protocol's minimum evidence); such a score is shown but left
        out of verdicts and of the regression gate. True when the task sets nothing."""
        return bool(self.details.get("sufficient", True)) if isinstance(self.details, Mapping) else True

    @property
    def insufficient_reason(self) -> str | None:
        """Why the score is insufficient (e.g. ``"3 of 65 pairs scored (fewer than 20 pairs ...)"``), else None."""
        if self.sufficient:
            return None
        return str(self.details.get("insufficient") or "too few items scored")

    def to_dict(self, *, with_items: bool = True) -> dict:
        """Plain-JSON dictionary (``items`` left out when ``with_items`` is False).

        ``sufficient`` is written too, for readers of the file; it is derived from
        ``details`` and ignored by :meth:`from_dict`.
        """
        d = json_safe({f.name: getattr(self, f.name) for f in fields(self)
                       if f.name != "key" and (with_items or f.name != "items")})
        d["key"] = self.key.to_dict()
        d["sufficient"] = self.sufficient
        return d

    @classmethod
    def from_dict(cls, d: Mapping) -> "TaskResult":
        """Inverse of :meth:`to_dict`; unknown keys raise ``ValueError``.

        A dictionary without ``key`` (written by an older evalsuite) gets the key
        its provenance and details imply.
        """
        known = {f.name for f in fields(cls)} | {"sufficient"}  # derived, see to_dict
        extra = set(d) - known
        if extra:
            raise ValueError(f"unknown TaskResult fields: {sorted(extra)}")
        d = dict(d)
        d.pop("sufficient", None)
        if d.get("ci95") is not None:
            d["ci95"] = tuple(d["ci95"])
        if d.get("main_score") is None:
            d["main_score"] = float("nan")
        d["key"] = ResultKey.from_dict(d["key"]) if d.get("key") is not None else _legacy_key(d)
        return cls(**d)



@dataclass(frozen=True)
class RunResult(_JsonRecord):
    """All task results of one run, with its configuration and provenance.

    ``compare`` and ``baseline`` are the run's ``[compare]`` and ``[baseline]`` settings (None
    where its config has no such table); a run stored before runs held them gets them from
    its stored ``config`` (:func:`~evalsuite.core.runspecs.stored_specs`).
    """

    run_id: str
    name: str
    task_results: tuple[TaskResult, ...]
    config: Mapping[str, Any] = field(default_factory=dict)
    config_hash: str = ""
    embeddings: tuple[Mapping[str, Any], ...] = ()
    provenance: Mapping[str, Any] = field(default_factory=dict)
    created: str = ""
    wall_time: float = 0.0
    compare: CompareSpec | None = None
    baseline: BaselineSpec | None = None

    def __post_init__(self):
        if self.compare is None and self.baseline is None:
            compare, baseline = stored_specs(self.config)
            object.__setattr__(self, "compare", compare)
            object.__setattr__(self, "baseline", baseline)

    def to_dict(self, *, with_items: bool = True) -> dict:
        d = json_safe({f.name: getattr(self, f.name) for f in fields(self)
                       if f.name not in ("task_results", "compare", "baseline")})
        d["task_results"] = [t.to_dict(with_items=with_items) for t in self.task_results]
        d.update(specs_to_dict(self.compare, self.baseline))
        return d

    @classmethod
    def from_dict(cls, d: Mapping) -> "RunResult":
        d = dict(d)
        d["task_results"] = tuple(TaskResult.from_dict(t) for t in d.get("task_results", ()))
        d["embeddings"] = tuple(d.get("embeddings", ()))
        d["compare"], d["baseline"] = specs_from_dict(d)
        return cls(**d)
