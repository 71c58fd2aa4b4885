"""What one training measured and produced: the :class:`TrainingRecord` every trainer returns.

A trainer starts a :class:`TrainingMeter` when its ``fit`` begins (before the vocabulary,
and for GloVe before the co-occurrence counting, so that all of it is measured) and,
once trained, builds its record with :meth:`TrainingMeter.record`; the embeddings'
``meta`` is :meth:`TrainingRecord.to_meta`, the one place where that dictionary is
made. :meth:`TrainingRecord.from_meta` reads it back, also from cache entries written
before the record had its resource fields.

Resources measured (from the meter's start to :meth:`TrainingMeter.record`):

- ``train_seconds``: wall time;
- ``cpu_seconds``: CPU time of the whole process, all its threads together
  (:func:`time.process_time`), so Hogwild worker threads and the co-occurrence counting
  threads count; work done in other processes (a Ray counting task) does not;
- ``peak_memory_bytes``: how far the training raised the process's peak resident set
  size (``getrusage(RUSAGE_SELF).ru_maxrss`` after minus before, 0 when an earlier peak
  of the process was higher), where the platform reports it; ``None`` elsewhere.
"""

from __future__ import annotations

import dataclasses
import sys
import time
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from evalsuite.train.base import EpochStats

#: the fields of :class:`TrainingRecord` that ``to_meta`` writes first, in this order
_META_FIELDS = ("trainer", "params", "seed", "corpus", "corpus_fingerprint", "history", "train_seconds",
                "cpu_seconds", "peak_memory_bytes", "versions")


def _peak_rss_bytes() -> int | None:
    """The process's peak resident set size in bytes, or None where ``resource`` is missing."""
    try:
        import resource
    except ImportError:  # not on Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak) if sys.platform == "darwin" else int(peak) * 1024  # macOS: bytes; Linux: KiB


@dataclass(frozen=True)
class ResourceUse:
    """Resources used since a :class:`TrainingMeter` started (see the module docstring)."""

    wall_seconds: float
    cpu_seconds: float
    peak_memory_bytes: int | None


class TrainingMeter:
    """Measures wall time, process CPU time and peak memory growth from its creation on."""

    def __init__(self):
        self._wall = time.perf_counter()
        self._cpu = time.process_time()
        self._peak = _peak_rss_bytes()

    def usage(self) -> ResourceUse:
        """What was used so far (the meter keeps running)."""
        peak = _peak_rss_bytes()
        growth = None if peak is None or self._peak is None else max(0, peak - self._peak)
        return ResourceUse(time.perf_counter() - self._wall, time.process_time() - self._cpu, growth)

    def record(self, trainer, corpus, *, seed: int, history: Sequence[EpochStats], **details: Any) -> "TrainingRecord":
        """The record of a finished training of ``trainer`` on ``corpus``.

        Parameters
        ----------
        trainer : Trainer
            The trainer (its ``name`` and resolved ``get_params()`` are recorded).
        corpus : object or None
            The corpus (its ``name`` and ``fingerprint()`` where it has them); None for
            training on a ready co-occurrence matrix.
        seed : int
            The training seed.
        history : sequence of EpochStats
            One per epoch.
        **details
            Trainer-specific facts (``kernel``, ``nonzeros`` ...), JSON-ready.
        """
        from evalsuite.core.provenance import package_versions

        use = self.usage()
        fingerprint = getattr(corpus, "fingerprint", None)
        return TrainingRecord(
            trainer=trainer.name, params=trainer.get_params(), seed=int(seed),
            corpus=None if corpus is None else getattr(corpus, "name", type(corpus).__name__),
            corpus_fingerprint=fingerprint() if callable(fingerprint) else None,
            history=tuple(history), train_seconds=use.wall_seconds, cpu_seconds=use.cpu_seconds,
            peak_memory_bytes=use.peak_memory_bytes, versions=package_versions(), details=dict(details))


@dataclass(frozen=True)
class TrainingRecord:
    """One training: who trained what, how it went and what it cost.

    Parameters
    ----------
    trainer : str
        The trainer's registered name.
    params : dict
        Its resolved parameters (defaults filled in).
    seed : int
        The training seed.
    corpus : str or None
        The corpus's name (None when trained on a ready co-occurrence matrix).
    corpus_fingerprint : str or None
        The corpus's fingerprint (None for a corpus without one).
    history : tuple of EpochStats
        One per epoch.
    train_seconds : float
        Wall time of the whole ``fit``.
    cpu_seconds : float or None
        Process CPU time over the same span, all threads (None in records read from
        before it was measured).
    peak_memory_bytes : int or None
        Growth of the process's peak resident set size over the training.
    versions : dict
        Versions of the packages that affect results.
    details : dict
        Trainer-specific facts: ``kernel``, GloVe's ``nonzeros``, ``shuffle`` and
        ``cooccurrence_seconds``, gensim's ``backend`` ...
    """

    trainer: str
    params: Mapping[str, Any]
    seed: int
    corpus: str | None
    corpus_fingerprint: str | None
    history: tuple[EpochStats, ...] = ()
    train_seconds: float = 0.0
    cpu_seconds: float | None = None
    peak_memory_bytes: int | None = None
    versions: Mapping[str, str] = field(default_factory=dict)
    details: Mapping[str, Any] = field(default_factory=dict)

    def to_meta(self) -> dict:
        """The embeddings' ``meta``: the fields (history as plain dicts), then the details."""
        meta = {name: getattr(self, name) for name in _META_FIELDS}
        meta["params"], meta["versions"] = dict(self.params), dict(self.versions)
        meta["history"] = [dataclasses.asdict(h) for h in self.history]
        meta["train_seconds"] = float(self.train_seconds)
        return {**meta, **self.details}

    @classmethod
    def from_meta(cls, meta: Mapping[str, Any]) -> "TrainingRecord":
        """The record a ``meta`` dictionary holds (fields it lacks take their defaults)."""
        stats = {f.name for f in dataclasses.fields(EpochStats)}
        history = tuple(EpochStats(**{k: v for k, v in h.items() if k in stats}) for h in meta.get("history") or ())
        required = {"trainer": "", "params": {}, "seed": 0, "corpus": None, "corpus_fingerprint": None}
        known = {**required, **{k: meta[k] for k in _META_FIELDS if k in meta and k != "history"}}
        known["versions"] = dict(known.get("versions") or {})
        details = {k: v for k, v in meta.items() if k not in _META_FIELDS}
        return cls(history=history, details=details, **known)


__all__ = ["ResourceUse", "TrainingMeter", "TrainingRecord"]
