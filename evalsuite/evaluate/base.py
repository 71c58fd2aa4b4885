"""Task protocol, declarative task metadata and the protocol's view of a vocabulary."""

from __future__ import annotations

import abc
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from evalsuite.core.embeddings import Embeddings
from evalsuite.evaluate.metrics import unit_rows
from evalsuite.evaluate.protocol import Protocol
from evalsuite.core.results import TaskResult


@dataclass(frozen=True)
class TaskMetadata:
    """What a task is, declared rather than computed.

    Parameters
    ----------
    name : str
        Task name (the dataset name for bundled data).
    kind : str
        ``"similarity"``, ``"analogy"`` or ``"classification"``.
    dataset : str
        Dataset name or file path.
    main_score : str
        Key of the headline score in ``TaskResult.scores``.
    higher_is_better : bool
        Direction of the main score.
    version : str
        Bumped whenever the task's scoring changes.
    """

    name: str
    kind: str
    dataset: str
    main_score: str
    higher_is_better: bool = True
    version: str = "1.0"


class Task(abc.ABC):
    """An evaluation task: ``evaluate(embeddings, protocol) -> TaskResult``.

    Implementations never mutate the embeddings.
    """

    metadata: TaskMetadata

    @abc.abstractmethod
    def evaluate(self, embeddings: Embeddings, protocol: Protocol | None = None) -> TaskResult:
        """Score ``embeddings`` on this task under ``protocol`` (default protocol when None)."""

    @property
    def name(self) -> str:
        return self.metadata.name

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.metadata.name!r})"


class DatasetTask(Task):
    """A task over one word dataset: its name and metadata come from the dataset and the
    class's ``kind`` and ``main_score``."""

    kind: str = ""
    main_score: str = ""

    def __init__(self, dataset, name: str | None = None):
        self.dataset = dataset
        self.metadata = TaskMetadata(name=name or dataset.name, kind=self.kind, dataset=dataset.name,
                                     main_score=self.main_score, higher_is_better=True, version="1.0")


class WordIndex:
    """The words of an embedding as a protocol sees them.

    Words are folded with ``protocol.fold``; only the first ``limit`` words in the
    protocol's order take part (0 = all); when several words fold to the same key,
    the first in that order stands for all of them.

    Parameters
    ----------
    embeddings : Embeddings
    protocol : Protocol
    limit : int
        Number of words kept (0 = all).
    """

    def __init__(self, embeddings: Embeddings, protocol: Protocol, limit: int):
        self.embeddings = embeddings
        self.protocol = protocol
        order = (
            embeddings.frequency_order()
            if protocol.order == "frequency"
            else np.arange(len(embeddings), dtype=np.int64)
        )
        self.rows = order[:limit] if limit and limit > 0 else order
        vocab, fold = embeddings.vocab, protocol.folder
        keys: dict[str, int] = {}
        if protocol.case == "preserve":
            keys = {vocab[r]: int(r) for r in self.rows}
        else:
            for r in self.rows.tolist():
                keys.setdefault(fold(vocab[r]), r)
        self.keys = keys

    def row(self, word: str) -> int:
        """Embedding row standing for ``word``, or -1 when it is not covered."""
        return self.keys.get(self.protocol.fold(word), -1)

    def rows_of(self, words) -> np.ndarray:
        """Rows of ``words`` (int64, -1 where not covered)."""
        words = list(words)
        keys, fold = self.keys, self.protocol.folder
        # datasets repeat words (an analogy set has ~80k slots for ~900 words): fold each once
        found = {w: keys.get(fold(w), -1) for w in dict.fromkeys(words)}
        return np.fromiter((found[w] for w in words), dtype=np.int64, count=len(words))

    @cached_property
    def canonical_rows(self) -> np.ndarray:
        """One row per distinct key, in the protocol's order."""
        return np.fromiter(self.keys.values(), dtype=np.int64, count=len(self.keys))


def normalized_matrix(embeddings: Embeddings, protocol: Protocol) -> np.ndarray:
    """Vectors prepared for cosines under ``protocol.normalization`` (float32, new array or cached view)."""
    if protocol.normalization == "center":
        m = embeddings.matrix
        return unit_rows(m - m.mean(axis=0, dtype=np.float64).astype(np.float32)).astype(np.float32)
    return embeddings.normalized


def dataset_provenance(dataset) -> dict:
    """Provenance entries describing a dataset."""
    return {"dataset": dataset.name, "dataset_sha256": dataset.sha256, "dataset_rows": len(dataset)}
