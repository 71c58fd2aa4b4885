"""The record of one embedding of a run: where it came from, what it is, how it was trained.

A training job builds an :class:`EmbeddingRecord`; the results store keeps its
:meth:`~EmbeddingRecord.to_dict` (one ``embeddings`` row) and :meth:`~EmbeddingRecord.from_dict`
reads a stored one back, those written by earlier versions included: a field they lack
takes its default, and keys this class does not know are kept in ``extra`` and written
back unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, Mapping

from evalsuite.core.results import RunResult

if TYPE_CHECKING:
    from evalsuite.train.record import TrainingRecord

#: keys only a pretrained embedding's record has, and only a trained one's (before and after
#: the matrix's own keys), in the order the store keeps them
_PRETRAINED = ("path", "format")
_TRAINED_INPUTS = ("trainer", "params", "resolved_params", "cache_key", "corpus", "corpus_fingerprint")
_TRAINED_OUTPUTS = ("cached", "history", "train_seconds", "meta")
_COMMON_HEAD = ("name", "group", "base", "seed", "family", "sweep", "source")
_MATRIX = ("vocab_size", "dim", "fingerprint")


@dataclass(frozen=True)
class EmbeddingRecord:
    """One embedding of a run (one embedding spec and seed).

    Parameters
    ----------
    name : str
        Its display name (``sgns`` or ``sgns@seed1``).
    group : str
        The embedding spec's name, shared by its seeds.
    base : str or None
        The spec it was swept from.
    seed : int or None
        Training seed (None for a pretrained file).
    family : str or None
        ``word2vec``, ``glove`` ... as the spec declares.
    sweep : dict
        The swept parameters' values of this embedding.
    source : str
        ``"trained"`` or ``"pretrained"``.
    path, format : str or None
        A pretrained embedding's file and its format.
    trainer : str or None
        A trained embedding's trainer.
    params : dict
        The parameters as configured.
    resolved_params : dict
        The parameters the trainer used (defaults filled in).
    cache_key : str or None
        The cache entry of the trained matrix.
    corpus, corpus_fingerprint : str or None
        The training corpus's name and fingerprint.
    vocab_size, dim : int or None
        The matrix's shape.
    fingerprint : str or None
        The embeddings' fingerprint.
    cached : bool
        Whether the matrix came from the cache.
    history : list of dict
        Per-epoch statistics, as stored.
    train_seconds : float or None
        The training's wall time (that of the run that trained it, for a cached matrix).
    meta : dict
        The matrix's training metadata (:meth:`evalsuite.train.record.TrainingRecord.to_meta`
        less its history).
    seconds : dict or None
        The job's own timings (``obtain``, ``evaluate``), added when the run collects it.
    extra : dict
        Stored keys this class does not know, kept as they were.
    """

    name: str
    group: str | None = None
    base: str | None = None
    seed: int | None = None
    family: str | None = None
    sweep: Mapping[str, Any] = field(default_factory=dict)
    source: str = "trained"
    path: str | None = None
    format: str | None = None
    trainer: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    resolved_params: Mapping[str, Any] = field(default_factory=dict)
    cache_key: str | None = None
    corpus: str | None = None
    corpus_fingerprint: str | None = None
    vocab_size: int | None = None
    dim: int | None = None
    fingerprint: str | None = None
    cached: bool = False
    history: tuple[Mapping[str, Any], ...] = ()
    train_seconds: float | None = None
    meta: Mapping[str, Any] = field(default_factory=dict)
    seconds: Mapping[str, float] | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def trained(self) -> bool:
        """Whether the embedding was trained (not loaded from a file)."""
        return self.source != "pretrained"

    @property
    def training(self) -> "TrainingRecord | None":
        """The training record of a trained embedding (None for a pretrained one)."""
        if not self.trained:
            return None
        from evalsuite.train.record import TrainingRecord

        return TrainingRecord.from_meta({**self.meta, "history": list(self.history)})

    def _keys(self) -> tuple[str, ...]:
        source = _TRAINED_INPUTS if self.trained else _PRETRAINED
        return (*_COMMON_HEAD, *source, *_MATRIX, *(_TRAINED_OUTPUTS if self.trained else ()))

    def to_dict(self) -> dict:
        """The stored form: the keys of its source in their stored order, ``seconds`` once
        collected, then the ``extra`` keys."""
        d: dict[str, Any] = {}
        for key in self._keys():
            value = getattr(self, key)
            d[key] = list(value) if key == "history" else dict(value) if isinstance(value, Mapping) else value
        if self.seconds is not None:
            d["seconds"] = dict(self.seconds)
        return {**d, **self.extra}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "EmbeddingRecord":
        """A record from its stored form (keys it lacks, and tables that are not tables, take
        their defaults).

        Raises
        ------
        ValueError
            When ``d`` names no embedding.
        """
        known = {f.name for f in fields(cls)} - {"extra"}
        values = {k: v for k, v in d.items() if k in known}
        for key in ("sweep", "params", "resolved_params", "meta"):
            if not isinstance(values.get(key), Mapping):
                values.pop(key, None)
        if "name" not in values:  # records that kept the name in meta only
            values["name"] = values.get("meta", {}).get("name")
        if not isinstance(values["name"], str):
            raise ValueError("the embedding record names no embedding")
        history = values.get("history")
        values["history"] = tuple(history) if isinstance(history, (list, tuple)) else ()
        return cls(**values, extra={k: v for k, v in d.items() if k not in known})


def embedding_records(run: RunResult) -> list[EmbeddingRecord]:
    """The records of ``run``'s embeddings, in run order; entries that are not records naming an
    embedding (possible in a hand-made ``results.json``) are left out."""
    out = []
    for entry in run.embeddings:
        if isinstance(entry, Mapping):
            try:
                out.append(EmbeddingRecord.from_dict(entry))
            except ValueError:
                continue
    return out


__all__ = ["EmbeddingRecord", "embedding_records"]
